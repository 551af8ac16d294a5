#!/usr/bin/env bash
# Parsing, bpf4j (ParseBenchmark, JMH) beside libbpf 1.1 (bench/native/btf_parse.c):
#   vmlinux: Btf.parse on /sys/kernel/btf/vmlinux's bytes  vs  btf__new on the same bytes
#   object:  ElfObject.read + symbols + relocations + BTF + BTF.ext of the largest testdata object
#            vs  btf__parse_elf (reads the file, .BTF and .BTF.ext only: less work than bpf4j's)
#   bench/run-parse-vs-libbpf.sh        JMH="-wi 3 -w 2 -i 5 -r 2" to change JMH settings
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
jmh=${JMH:--wi 3 -w 2 -i 5 -r 2}
bench_setup parse
bench_native btf_parse
cd "$root"
# libbpf 1.1 parses only host-endian BTF: the largest little-endian object
largest=$(ls -S testdata/objects/*.el*.o | head -1)
bench_header
echo "# largest object: $largest ($(stat -c %s "$largest") bytes); vmlinux BTF: $(stat -c %s /sys/kernel/btf/vmlinux) bytes"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
native() {
  echo "vmlinux $("$work/btf_parse" raw /sys/kernel/btf/vmlinux 100)"
  echo "object $("$work/btf_parse" elf "$largest" 20000)"
}
native > "$work/libbpf1.txt"
java -jar "$jar" ParseBenchmark $jmh -f 1 -rf json -rff "$work/parse.json" > "$work/parse.log" 2>&1
echo "# load average after the JMH run: $(cut -d' ' -f1-3 /proc/loadavg)"
native > "$work/libbpf2.txt"
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
def native(name):
    return {f[0]: (float(f[2]), float(f[4])) for f in (l.split() for l in open(os.path.join(work, name)))}
a, b = native("libbpf1.txt"), native("libbpf2.txt")
names = {"parseVmlinuxBtf": "vmlinux", "parseElfBtfAndExt": "object"}
print()
print("%-18s %10s %12s %12s %12s %12s %8s %9s" % ("benchmark", "bpf4j op/s", "bpf4j us", "bpf4j best", "libbpf us", "libbpf med.", "ratio", "robust r."))
for r in json.load(open(os.path.join(work, "parse.json"))):
    bench = r["benchmark"].rsplit(".", 1)[1]
    key = names[bench]
    ops = r["primaryMetric"]["score"]
    best = max(x for fork in r["primaryMetric"]["rawData"] for x in fork)
    lm = (a[key][0] + b[key][0]) / 2 / 1000
    lmed = min(a[key][1], b[key][1]) / 1000
    print("%-18s %10.1f %12.1f %12.1f %12.1f %12.1f %8.1f %9.1f" % (bench, ops, 1e6 / ops, 1e6 / best, lm, lmed, 1e6 / ops / lm, 1e6 / best / lmed))
print("ratio = bpf4j time / libbpf time (means); robust r. = fastest JMH iteration / libbpf median batch")
PY
