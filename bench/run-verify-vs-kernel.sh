#!/usr/bin/env bash
# Side by side: the kernel verifier's own "verification time" (log level 4, BPF_LOG_STATS,
# through bench/native/verify_time.c and libbpf) against bpf4j's verification time
# (VerifierStats.verificationTime, warm: VerifyVsKernel), per testdata program the kernel
# accepts, with processed insns, total states and peak states of both sides beside them.
#
#   bench/run-verify-vs-kernel.sh [KERNEL_REPEAT]          (default 20 loads per program)
#   WARMUP=10  seconds bpf4j verifies every program before timing   REPEAT=30  timed runs each
#   OBJECTS="alu.v3.el.o callbacks.v3.el.o"   to time some objects only (default: every *.el.o)
#
# Each side's figure is its own clock around its whole check (the kernel's bpf_check, bpf4j's
# analyzer), so neither counts opening, relocation, map creation or the system call. The kernel
# side runs before and after bpf4j's; its columns take the lower median and the lower best of
# the two passes. Ratio = bpf4j / kernel (below 1: bpf4j faster). bpf4j judges with the running
# kernel's helper sets (KernelProfiles.probe), as the parity tests do.
# Needs root (BPF), gcc, libbpf-dev (1.1), libelf-dev, zlib, python3, the bench jar (built when missing).
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
repeat=${1:-20}
bench_setup verify

bench_native verify_time

bench_header
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root/testdata/objects"
objects=${OBJECTS:-$(ls *.el.o)}
"$work/verify_time" "$repeat" $objects > "$work/kernel1.txt"
java -Dbpf4j.bench.warmupSeconds="${WARMUP:-10}" -Dbpf4j.bench.verifyRepeat="${REPEAT:-30}" \
  -cp "$jar" io.bpf4j.bench.VerifyVsKernel "$work/kernel1.txt" "$root/testdata/objects" > "$work/bpf4j.txt"
echo "# load average after bpf4j: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/verify_time" "$repeat" $(awk '$3 == "ok" { print $1 }' "$work/kernel1.txt" | sort -u) > "$work/kernel2.txt"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$work" <<'PY'
import math, os, sys
work = sys.argv[1]

def kernel(name):
    out = {}
    for line in open(os.path.join(work, name)):
        f = line.split()
        if len(f) == 8 and f[2] == "ok":
            out[(f[0], f[1])] = (int(f[3]), int(f[4]), int(f[5]), int(f[6]), int(f[7]))
    return out

k1, k2 = kernel("kernel1.txt"), kernel("kernel2.txt")
not_loaded = [l.split()[:2] for l in open(os.path.join(work, "kernel1.txt")) if " ok " not in l]
rows, skipped = [], []
for line in open(os.path.join(work, "bpf4j.txt")):
    if line.startswith("#"):
        print(line.rstrip())
        continue
    f = line.split()
    if f[0] == "not-timed":
        skipped.append(" ".join(f[1:]))
        continue
    key = (f[0], f[1])
    a, b = k1[key], k2.get(key, k1[key])
    kmed, kbest = min(a[0], b[0]), min(a[1], b[1])
    rows.append((key, kmed, kbest, float(f[2]), float(f[3]), a[2:], tuple(map(int, f[4:7]))))

print("# kernel: %d programs accepted and timed; %d not loaded (rejected, or libbpf 1.1 refused)" % (len(k1), len(not_loaded)))
print()
print("| object | program | kernel µs median / best | bpf4j µs median / best | ratio median | ratio best | processed k / b | states k / b | peak k / b |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
logs, logb, same = 0.0, 0.0, 0
for key, kmed, kbest, bmed, bbest, ks, bs in rows:
    r, rb = bmed / max(kmed, 1), bbest / max(kbest, 1)
    logs += math.log(r)
    logb += math.log(rb)
    same += ks == bs
    print("| %s | %s | %d / %d | %.1f / %.1f | %.2f | %.2f | %d / %d | %d / %d | %d / %d |" % (key[0], key[1], kmed, kbest,
          bmed, bbest, r, rb, ks[0], bs[0], ks[1], bs[1], ks[2], bs[2]))
if rows:
    n = len(rows)
    worst = max(rows, key=lambda x: x[3] / max(x[1], 1))
    print()
    print("programs timed: %d; geometric mean ratio bpf4j/kernel: %.2f (medians), %.2f (bests)" % (n, math.exp(logs / n), math.exp(logb / n)))
    print("slowest relative to the kernel: %s %s, %.2fx (%.1f µs vs %d µs)" % (worst[0][0], worst[0][1], worst[3] / max(worst[1], 1), worst[3], worst[1]))
    print("same processed insns, total states and peak states as the kernel: %d of %d" % (same, n))
for s in skipped:
    print("not timed (bpf4j): " + s)
PY
