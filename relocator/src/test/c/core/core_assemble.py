#!/usr/bin/env python3
"""Turns the JSON lines of one core_capture run into a golden: per program the instructions
libbpf handed to BPF_PROG_LOAD, libbpf's CO-RE log lines (debug and warnings, in order, without
the "libbpf: " prefix) and the load result."""
import json
import re
import sys

CORE_LINE = re.compile(r"^(CO-RE relocating |prog '[^']*': relo |sec '[^']*': found \d+ CO-RE|failed to perform CO-RE|"
                       r"unexpected kind )")


def main(log_path, object_name, target, version, out_path):
    events = [json.loads(line) for line in open(log_path, encoding="utf-8") if line.strip()]
    golden = {"object": object_name, "target": target, "libbpf": version, "open_error": 0, "load_error": 0,
              "programs": [], "core_log": []}
    names = []
    loads = {}
    for e in events:
        if e["ev"] == "open_failed":
            golden["open_error"] = e["err"]
        elif e["ev"] == "program":
            names.append(e["name"])
            golden["programs"].append({"name": e["name"], "section": e["section"], "insns": None})
        elif e["ev"] == "prog_load":
            loads[e["name"]] = e["insns"]
        elif e["ev"] == "load_result":
            golden["load_error"] = e["err"]
        elif e["ev"] == "log":
            text = e["text"]
            if text.startswith("libbpf: "):
                text = text[len("libbpf: "):]
            if CORE_LINE.match(text):
                golden["core_log"].append({"level": e["level"], "text": text})
    for p in golden["programs"]:
        p["insns"] = loads.get(p["name"][:15])
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:6])
