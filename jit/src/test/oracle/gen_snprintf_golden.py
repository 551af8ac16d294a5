#!/usr/bin/env python3
"""Regenerates ../resources/oracle/snprintf.golden.jsonl (or the file given as the only argument,
as SnprintfKernelOracleTest does against the running kernel): bpf_snprintf results from the live kernel.

Builds an XDP program (clang-19) that calls bpf_snprintf once per case below, writing each
output and return value to .bss, runs it once with BPF_PROG_TEST_RUN through bpftool, and
records format, arguments, return value and output bytes. Needs root, clang-19 and bpftool.
"""
import json, os, subprocess, sys, tempfile

OUT_SIZE = 24  # smaller than some outputs, so truncation is recorded too
# Only formats the verifier accepts: it checks a constant format at load time ("Invalid format string").
CASES = [
    ("%d|%i|%u", [-5, 7, 0xffffffff]),
    ("%ld %lld %lu", [-5, -9223372036854775808, 0xffffffffffffffff]),
    ("%x %X %lx %llX", [0xbeef, 0xbeef, 0x1234567890ab, 0xcdef]),
    ("[%5d][%-5d][%05d]", [42, 42, -42]),
    ("[%+d][% d][%+d]", [3, 3, -3]),
    ("%c%c%c", [ord('a'), 0x142, ord('z')]),
    ("100%% %d", [1]),
    ("no conversions at all, but long enough to cut", []),
    ("%d", [0x100000005]),
    ("%u", [-1]),
    ("[%08x][%-8x][%+5d][% 5d]", [0xab, 0xab, 7, -7]),
    ("%llu|%lli", [-1, -1]),
    ("tab\there", []),
    ("%-05d|", [-3]),
]

def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    golden = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "oracle", "snprintf.golden.jsonl")
    src = ["#include <linux/bpf.h>", "#include <bpf/bpf_helpers.h>",
           f"char out[{len(CASES)}][{OUT_SIZE}];", f"long ret[{len(CASES)}];"]
    for i, (fmt, _) in enumerate(CASES):
        src.append(f"static const char fmt{i}[] = {c_string(fmt)};")
    src.append('SEC("xdp") int run(struct xdp_md *ctx) {')
    for i, (fmt, args) in enumerate(CASES):
        vals = ", ".join(f"{a & 0xffffffffffffffff}ULL" for a in args) or "0"
        src.append(f"  {{ __u64 a[] = {{ {vals} }}; ret[{i}] = bpf_snprintf(out[{i}], {OUT_SIZE}, fmt{i}, a, {8 * len(args)}); }}")
    src.append("  return XDP_PASS; }")
    src.append('char LICENSE[] SEC("license") = "GPL";')
    with tempfile.TemporaryDirectory() as tmp:
        c = os.path.join(tmp, "snp.bpf.c"); o = os.path.join(tmp, "snp.bpf.o")
        open(c, "w").write("\n".join(src) + "\n")
        subprocess.run(["clang-19", "-target", "bpf", "-O2", "-g", "-mcpu=v3", "-I/usr/include/x86_64-linux-gnu", "-c", c, "-o", o], check=True)
        pin = "/sys/fs/bpf/bpf4j_snprintf_oracle_%d" % os.getpid()
        subprocess.run(["rm", "-f", pin])
        subprocess.run(["bpftool", "prog", "load", o, pin], check=True)
        try:
            pkt = os.path.join(tmp, "pkt"); open(pkt, "wb").write(bytes(64))
            subprocess.run(["bpftool", "prog", "run", "pinned", pin, "data_in", pkt, "repeat", "1"], check=True, capture_output=True)
            info = json.loads(subprocess.run(["bpftool", "-j", "prog", "show", "pinned", pin], check=True, capture_output=True).stdout)
            bss = None
            for mid in info["map_ids"]:
                m = json.loads(subprocess.run(["bpftool", "-j", "map", "show", "id", str(mid)], check=True, capture_output=True).stdout)
                if m["name"].endswith(".bss"):
                    bss = mid
            dump = json.loads(subprocess.run(["bpftool", "-j", "map", "dump", "id", str(bss)], check=True, capture_output=True).stdout)
        finally:
            subprocess.run(["rm", "-f", pin])
    value = bytes(int(b, 16) for b in dump[0]["value"])
    with open(golden, "w") as g:
        for i, (fmt, args) in enumerate(CASES):
            out = value[i * OUT_SIZE:(i + 1) * OUT_SIZE]
            r = int.from_bytes(value[len(CASES) * OUT_SIZE + 8 * i:len(CASES) * OUT_SIZE + 8 * i + 8], "little", signed=True)
            g.write(json.dumps({"fmt": fmt, "args": [a & 0xffffffffffffffff for a in args], "size": OUT_SIZE,
                                "ret": r, "out_hex": out.hex()}) + "\n")
    print(f"wrote {len(CASES)} cases to {golden}")

if __name__ == "__main__":
    sys.exit(main())
