#!/usr/bin/env python3
"""Turns the JSON lines written by capture + interpose.so for one object into its golden.

Map file descriptors differ from run to run, so every fd libbpf put into an instruction, an
inner_map_fd or a map update is replaced by the name of the map (or program) it referred to.
"""
import json
import sys

# fields the shared interposer (libbpf-capture/interpose.c) writes for the libbpf 1.5 driver
# that the goldens of libbpf-relo/ have never recorded (insn_cnt is len(insns) anyway)
UNRECORDED = {"map_create": ("btf_vmlinux_value_type_id",), "prog_load": ("insn_cnt",)}


def host_kconfig(object_path):
    """The host's Kconfig lines for the CONFIG_ names the object mentions: what libbpf read."""
    import gzip
    import re
    try:
        with gzip.open("/proc/config.gz", "rt") as f:
            config = f.read().splitlines()
    except OSError:
        return ""
    names = set(re.findall(rb"CONFIG_[A-Za-z0-9_]+", open(object_path, "rb").read()))
    return "".join(line + "\n" for line in config
                   if line.startswith("CONFIG_") and line.split("=", 1)[0].encode() in names)


def main(log_path, object_name, libbpf_version, out_path, object_path):
    events = [json.loads(line) for line in open(log_path, encoding="utf-8") if line.strip()]
    golden = {"object": object_name, "libbpf": libbpf_version, "host_kconfig": host_kconfig(object_path),
              "open": None, "programs": [], "maps": [], "loads": []}
    sessions = []
    for ev in events:
        if ev["ev"] == "session":
            sessions.append({"marker": ev, "events": []})
        else:
            sessions[-1]["events"].append(ev)

    opened = sessions[0]["events"]
    failed = [e for e in opened if e["ev"] == "open_failed"]
    golden["open"] = {"ok": not failed, "error": failed[0]["err"] if failed else 0,
                      "log": [e["text"].split("\n", 1)[0] for e in opened if e["ev"] == "libbpf_log"]}
    for e in opened:
        if e["ev"] == "object":
            golden["object_name"] = e["name"]
            golden["kern_version"] = e["kern_version"]
        elif e["ev"] == "program":
            golden["programs"].append({k: v for k, v in e.items() if k != "ev"})
        elif e["ev"] == "map":
            golden["maps"].append({k: v for k, v in e.items() if k != "ev"})

    full_names = [m["name"] for m in golden["maps"]] + [m["inner_map"] for m in golden["maps"] if m["inner_map"]]

    def full_name(kernel_name):
        hits = [n for n in full_names if n[:15] == kernel_name]
        return hits[0] if len(hits) == 1 else None

    for s in sessions[1:]:
        fd_to_map, fd_to_prog = {}, {}
        load = {"program": s["marker"]["program"], "result": None, "log": [], "prog_load": None,
                "map_creates": []}
        by_fd = {}
        for e in s["events"]:
            kind = e["ev"]
            if kind == "libbpf_log":
                # a verifier log is the kernel's business, not libbpf's: keep its first line
                load["log"].append(e["text"].split("\n", 1)[0])
            elif kind == "load_result":
                load["result"] = e["err"]
            elif kind == "map_create":
                name = full_name(e["name"])
                if name is None:
                    continue  # a libbpf feature probe
                rec = {k: v for k, v in e.items() if k not in ("ev", "ret", "inner_map_fd", *UNRECORDED["map_create"])}
                rec["kernel_name"] = rec.pop("name")
                rec["name"] = name
                rec["inner_map"] = fd_to_map.get(e["inner_map_fd"]) if e["inner_map_fd"] else None
                rec["updates"] = []
                rec["frozen"] = False
                if e["ret"] >= 0:
                    fd_to_map[e["ret"]] = name
                    by_fd[e["ret"]] = rec
                load["map_creates"].append(rec)
            elif kind == "map_update" and e["fd"] in by_fd:
                by_fd[e["fd"]]["updates"].append({"key": e["key"], "value": e["value"], "ok": e["ret"] == 0})
            elif kind == "map_freeze" and e["fd"] in by_fd:
                by_fd[e["fd"]]["frozen"] = e["ret"] == 0
            elif kind == "prog_load":
                prog = load["program"]
                if prog is None or e["name"] != prog[:15]:
                    continue  # a libbpf feature probe
                if e["ret"] >= 0:
                    fd_to_prog[e["ret"]] = prog
                refs = []
                insns = e["insns"]
                i = 0
                while i < len(insns):
                    raw = bytes.fromhex(insns[i])
                    if raw[0] == 0x18 and i + 1 < len(insns):
                        src = raw[1] >> 4
                        imm = int.from_bytes(raw[4:8], "little", signed=True)
                        if src in (1, 2) and imm in fd_to_map:
                            refs.append({"slot": i, "src": src, "map": fd_to_map[imm]})
                        i += 2
                    else:
                        i += 1
                rec = {k: v for k, v in e.items() if k not in ("ev", "ret", "prog_btf_fd", *UNRECORDED["prog_load"])}
                rec["accepted"] = e["ret"] >= 0
                rec["has_btf"] = e["prog_btf_fd"] != 0
                rec["map_refs"] = refs
                prev = load["prog_load"]
                if prev is not None:
                    rec["accepted"] = rec["accepted"] or prev["accepted"]
                load["prog_load"] = rec
        golden["loads"].append(load)

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:6])
