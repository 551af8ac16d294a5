#!/usr/bin/env python3
"""The one assembler of the libbpf capture harness: turns the JSON lines that capture.c and
interpose.so wrote for one object into a golden. Three golden schemas, one per mode of capture.c:

  assemble.py relo  LOG OBJECT LIBBPF_VERSION OUT OBJECT_PATH   (capture object.o)
      testdata/goldens/libbpf-relo/<object>.json and io.bpf4j.testdata.LibbpfCapture: programs
      and maps after open, then per entry program its load (map creates and updates, the
      BPF_PROG_LOAD, libbpf's messages), plus the host Kconfig lines the object names
  assemble.py core  LOG OBJECT TARGET LIBBPF_VERSION OUT         (capture --core target object.o)
      relocator/src/test/resources/core/goldens*/<object>@<target>.json: per program the
      instructions libbpf handed to BPF_PROG_LOAD, libbpf's CO-RE log lines, the load result
  assemble.py twice LOG OBJECT OUT [SKIPPED...]                   (capture --twice object.o ...)
      testdata/goldens/libbpf/<object>.json: the maps, map updates and programs of the second
      load (the first filled libbpf's feature cache); exit status 3 when a load failed

Map and program file descriptors differ from run to run, so every descriptor libbpf put into an
instruction, an inner_map_fd or a map update is replaced by the name of what it referred to.
"""
import json
import re
import sys


def read_events(log_path):
    return [json.loads(line) for line in open(log_path, encoding="utf-8") if line.strip()]


def sessions_of(events):
    """The events split at the session markers: [{"marker": ..., "events": [...]}, ...]."""
    sessions = []
    for ev in events:
        if ev["ev"] == "session":
            sessions.append({"marker": ev, "events": []})
        else:
            sessions[-1]["events"].append(ev)
    return sessions


def write_json(out_path, golden):
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


# ---- relo ---------------------------------------------------------------------------------

# fields the interposer writes that the goldens of libbpf-relo/ have never recorded
# (insn_cnt is len(insns) anyway)
UNRECORDED = {"map_create": ("btf_vmlinux_value_type_id",), "prog_load": ("insn_cnt",)}


def host_kconfig(object_path):
    """The host's Kconfig lines for the CONFIG_ names the object mentions: what libbpf read."""
    import gzip
    try:
        with gzip.open("/proc/config.gz", "rt") as f:
            config = f.read().splitlines()
    except OSError:
        return ""
    names = set(re.findall(rb"CONFIG_[A-Za-z0-9_]+", open(object_path, "rb").read()))
    return "".join(line + "\n" for line in config
                   if line.startswith("CONFIG_") and line.split("=", 1)[0].encode() in names)


def relo(log_path, object_name, libbpf_version, out_path, object_path):
    sessions = sessions_of(read_events(log_path))
    golden = {"object": object_name, "libbpf": libbpf_version, "host_kconfig": host_kconfig(object_path),
              "open": None, "programs": [], "maps": [], "loads": []}

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
        fd_to_map = {}
        load = {"program": s["marker"].get("program"), "result": None, "log": [], "prog_load": None,
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
    write_json(out_path, golden)


# ---- core ---------------------------------------------------------------------------------

CORE_LINE = re.compile(r"^(CO-RE relocating |prog '[^']*': relo |sec '[^']*': found \d+ CO-RE|failed to perform CO-RE|"
                       r"unexpected kind )")


def core(log_path, object_name, target, libbpf_version, out_path):
    golden = {"object": object_name, "target": target, "libbpf": libbpf_version, "open_error": 0, "load_error": 0,
              "programs": [], "core_log": []}
    loads = {}
    for e in read_events(log_path):
        if e["ev"] == "open_failed":
            golden["open_error"] = e["err"]
        elif e["ev"] == "program":
            golden["programs"].append({"name": e["name"], "section": e["section"], "insns": None})
        elif e["ev"] == "prog_load" and e.get("faked"):
            loads[e["name"]] = e["insns"]
        elif e["ev"] == "load_result":
            golden["load_error"] = e["err"]
        elif e["ev"] == "libbpf_log":
            text = e["text"].rstrip("\n ")
            if text.startswith("libbpf: "):
                text = text[len("libbpf: "):]
            if CORE_LINE.match(text):
                golden["core_log"].append({"level": e["level"], "text": text})
    for p in golden["programs"]:
        p["insns"] = loads.get(p["name"][:15])
    write_json(out_path, golden)


# ---- twice --------------------------------------------------------------------------------

def jstr(s):
    """A JSON string escaped as json.h's json_string escapes it."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif c < 0x20 or c >= 0x7f:
            out.append("\\u%04x" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def twice(log_path, object_name, out_path, *skipped):
    sessions = sessions_of(read_events(log_path))
    results = [e["err"] for s in sessions for e in s["events"] if e["ev"] == "load_result"]
    if len(sessions) != 2 or len(results) != 2 or any(results):
        sys.exit(3)  # the object did not load: no golden
    events = sessions[1]["events"]
    fds = {}  # fd -> (kind, kernel name), as the recorded load made them
    maps, updates, progs = [], [], []

    def fd_name(fd):
        return fds[fd][1] if fd in fds else "?"

    for e in events:
        kind = e["ev"]
        if kind == "map_create" and e["name"]:
            if e["ret"] >= 0:
                fds[e["ret"]] = ("m", e["name"])
            inner = jstr(fd_name(e["inner_map_fd"])) if e["inner_map_fd"] else "null"
            maps.append('{"name": %s, "type": %d, "key_size": %d, "value_size": %d, "max_entries": %d, '
                        '"map_flags": %d, "map_extra": %d, "inner_map": %s, "btf_key_type_id": %d, '
                        '"btf_value_type_id": %d, "result": "%s"}'
                        % (jstr(e["name"]), e["type"], e["key_size"], e["value_size"], e["max_entries"],
                           e["map_flags"], e["map_extra"], inner, e["btf_key_type_id"], e["btf_value_type_id"],
                           "ok" if e["ret"] >= 0 else "error"))
        elif kind == "map_update" and fds.get(e["fd"], ("",))[0] == "m":
            head = '{"map": %s, "key": "%s"' % (jstr(fds[e["fd"]][1]), e["key"])
            value = bytes.fromhex(e["value"])
            target = None
            if len(value) == 4 and len(e["key"]) == 8 and e["flags"] == 0:
                # prog_array and map-in-map slots hold descriptors: name what they point to
                target = fds.get(int.from_bytes(value, "little", signed=True))
            if target:
                updates.append(head + ', "value_fd_of": %s, "value": null, "flags": %d, "result": %d}'
                               % (jstr(target[1]), e["flags"], e["ret"]))
            else:
                updates.append(head + ', "value": "%s", "flags": %d, "result": %d}' % (e["value"], e["flags"], e["ret"]))
        elif kind == "prog_load" and e["name"]:
            if e["ret"] >= 0:
                fds[e["ret"]] = ("p", e["name"])
            insns, refs = [], []
            raw = [bytes.fromhex(h) for h in e["insns"]]
            for i, w in enumerate(raw):
                if w[0] == 0x18 and (w[1] >> 4) in (1, 2):
                    w = w[:4] + bytes(4)  # descriptors differ from run to run: zeroed, named in map_refs
                insns.append('"%s"' % w.hex())
            i = 0
            while i + 1 < len(raw):
                w = raw[i]
                if w[0] != 0x18:
                    i += 1
                    continue
                src = w[1] >> 4
                if src in (1, 2):
                    refs.append('{"insn": %d, "src_reg": %d, "map": %s, "offset": %d}'
                                % (i, src, jstr(fd_name(int.from_bytes(w[4:8], "little", signed=True))),
                                   int.from_bytes(raw[i + 1][4:8], "little", signed=True)))
                i += 2
            listing = "".join(("\n       " if i == 0 else ",\n       " if i % 4 == 0 else ", ") + x
                              for i, x in enumerate(insns))
            progs.append('{"name": %s, "type": %d, "expected_attach_type": %d, "license": %s, "kern_version": %d, '
                         '"prog_flags": %d, "func_info_cnt": %d, "line_info_cnt": %d, "attach_btf_id": %d, '
                         '"result": "%s",\n     "insns": [%s],\n     "map_refs": [%s]}'
                         % (jstr(e["name"]), e["type"], e["expected_attach_type"], jstr(e["license"]),
                            e["kern_version"], e["prog_flags"], len(e["func_info"]), len(e["line_info"]),
                            e["attach_btf_id"], "ok" if e["ret"] >= 0 else "error", listing, ", ".join(refs)))

    def block(items):
        return "".join(("," if i else "") + "\n    " + x for i, x in enumerate(items))

    text = ('{\n  "object": %s,\n  "libbpf": "%s",\n  "skipped_programs": [%s],\n  "maps": [%s\n  ],\n'
            '  "map_updates": [%s\n  ],\n  "programs": [%s\n  ]\n}\n'
            % (jstr(object_name), sessions[1]["marker"]["libbpf"], ", ".join(jstr(s) for s in skipped),
               block(maps), block(updates), block(progs)))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    modes = {"relo": relo, "core": core, "twice": twice}
    if len(sys.argv) < 2 or sys.argv[1] not in modes:
        sys.exit("usage: assemble.py relo|core|twice LOG ... (see the module's docstring)")
    modes[sys.argv[1]](*sys.argv[2:])
