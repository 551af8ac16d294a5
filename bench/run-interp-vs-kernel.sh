#!/usr/bin/env bash
# Side by side: bpf4j's reference interpreter (JMH, InterpreterBenchmark: ns per run) against
# the kernel's JIT'ed code (BPF_PROG_TEST_RUN through bench/native/prog_run.c) on the same
# testdata programs with the same inputs, and a check that both return the same value.
#
#   bench/run-interp-vs-kernel.sh [KERNEL_ITERATIONS]        (default 200000 runs per program)
#   JMH="-wi 5 -w 1 -i 5 -r 1"   to change the JMH settings
#
# Inputs: XDP programs get the 64-byte UDP frame Workload.udpFrame() writes; syscall programs
# get no context. What each side measures:
#   bpf4j:  Executable.run(ctx) on a reused ExecutionContext (stack zeroed per run), maps in
#           process, after the loader opened the object, created its maps and relocated it.
#   kernel: xdp: the kernel's own per-run mean over `repeat` runs (test.duration);
#           syscall: user-space timed test runs minus an empty syscall program's (no repeat
#           or duration exists for BPF_PROG_TYPE_SYSCALL); see prog_run.c.
# Columns: "mean" = JMH's average / the kernel's mean; "robust" = the fastest JMH iteration /
# the kernel's median, the figures least disturbed by other load on a shared machine.
# The kernel harness runs before and after the JMH run; its columns average the two passes
# (means) or take the lower (medians).
# Needs root (BPF), bpffs at /sys/fs/bpf, gcc, libbpf-dev 1.1, python3.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
iterations=${1:-200000}
jmh=${JMH:--wi 5 -w 1 -i 5 -r 1}
bench_setup interp

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
bench_native prog_run

bench_header
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
java -cp "$jar" io.bpf4j.bench.WorkloadCheck "$work" > "$work/interp-check.txt"

kernel() {
  while read -r name object program kind retval insns; do
    echo "$name $("$work/prog_run" "$object" "$program" "$kind" "$work/$name.in" "$iterations")"
  done < "$work/interp-check.txt" > "$work/$1"
}
kernel kernel1.txt
java -jar "$jar" InterpreterBenchmark $jmh -f 1 -rf json -rff "$work/interp.json" > "$work/interp.log" 2>&1
echo "# load average after the JMH run: $(cut -d' ' -f1-3 /proc/loadavg)"
kernel kernel2.txt

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]

def kernel(name):
    out = {}
    for line in open(os.path.join(work, name)):
        f = line.split()
        kv = dict(zip(f[1::2], f[2::2]))
        out[f[0]] = kv
    return out

k1, k2 = kernel("kernel1.txt"), kernel("kernel2.txt")
check = {}
for line in open(os.path.join(work, "interp-check.txt")):
    name, obj, prog, kind, retval, insns = line.split()
    check[name] = (prog, kind, int(retval) & 0xffffffff, int(insns))
interp = {}
for r in json.load(open(os.path.join(work, "interp.json"))):
    raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
    interp[r["params"]["workload"]] = (r["primaryMetric"]["score"], min(raw))

print()
print("%-18s %-8s %6s %11s %11s %10s %10s %8s %8s %7s %7s %s" % ("program", "type", "insns", "bpf4j ns", "bpf4j best",
      "kernel ns", "kern med.", "ratio", "robust r.", "r0 jvm", "r0 kern", "match"))
mismatch = 0
for name, (prog, kind, r0, insns) in check.items():
    if name not in interp:
        continue
    im, ib = interp[name]
    km = (float(k1[name]["mean_ns"]) + float(k2[name]["mean_ns"])) / 2
    kb = min(float(k1[name]["median_ns"]), float(k2[name]["median_ns"]))
    kr = int(k2[name]["retval"])
    ok = kr == r0 and int(k1[name]["retval"]) == r0
    mismatch += not ok
    print("%-18s %-8s %6d %11.1f %11.1f %10.1f %10.1f %8.1f %8.1f %7d %7d %s" % (prog, kind, insns, im, ib, km, kb,
          im / km if km > 0 else float("nan"), ib / kb if kb > 0 else float("nan"), r0, kr, "yes" if ok else "NO"))
print("ratio = interpreter ns / kernel ns per run (means); robust r. = fastest JMH iteration / kernel median;")
print("insns = instructions the interpreter executed per run")
for name, kv in k2.items():
    if "raw_mean_ns" in kv:
        print("  %-18s syscall test run: program %s ns, empty program %s ns (means; medians %s, %s; second kernel pass)"
              % (name, kv["raw_mean_ns"], kv["empty_mean_ns"], kv["raw_median_ns"], kv["empty_median_ns"]))
if mismatch:
    print("RETURN VALUES DIFFER for %d programs: their timings are not comparable" % mismatch)
    sys.exit(1)
PY
