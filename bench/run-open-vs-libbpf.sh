#!/usr/bin/env bash
# Side by side: libbpf 1.1's bpf_object__open_file + bpf_object__close against bpf4j's
# BpfObject.open + close (OpenBenchmark.open, JMH), per testdata object, in one run; then
# bpf4j's corpus-wide open and open+relocate throughput (objects/s).
#
#   bench/run-open-vs-libbpf.sh [LIBBPF_ITERATIONS]      (default 2000 per object)
#   JMH_PER_OBJECT="-wi 2 -w 1 -i 3 -r 1"  JMH_CORPUS="-wi 3 -w 2 -i 5 -r 2"  to change JMH settings
#   PREWARM=3   seconds each per-object fork first spends opening the whole corpus (JIT warm-up)
#
# Both sides read the file from the page cache and parse it completely; neither relocates in
# the per-object table (libbpf 1.1 relocates only inside bpf_object__load). libbpf refuses
# big-endian objects, legacy "maps" sections and SEC("callx") tables: those rows are skipped,
# and so are objects bpf4j refuses at open (its fork would time an empty loop).
# Per object, the libbpf harness runs right before and right after bpf4j's JMH fork; its
# columns average the two (mean) or take the lower (best batch).
# Needs: gcc, libbpf-dev (1.1), libelf-dev, zlib; python3; the bench jar (built when missing).
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
iterations=${1:-2000}
per_object=${JMH_PER_OBJECT:--wi 2 -w 1 -i 3 -r 1}
corpus=${JMH_CORPUS:--wi 3 -w 2 -i 5 -r 2}
prewarm=${PREWARM:-3}
bench_setup open

bench_native open_bench

bench_header
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$root"
"$work/open_bench" 1 testdata/objects/*.o > "$work/accepted.txt"
# object by object, libbpf right before and right after bpf4j's fork: the load on a shared
# machine drifts over minutes, and each side of a row should see the same load
for object in $(awk '$2 != "fail" { print $1 }' "$work/accepted.txt"); do
  "$work/open_bench" "$iterations" "testdata/objects/$object" >> "$work/libbpf1.txt"
  java -jar "$jar" 'OpenBenchmark.open$' -p object="$object" -p prewarmSeconds="$prewarm" $per_object -f 1 \
    -rf json -rff "$work/per-object-$object.json" > "$work/per-object-$object.log" 2>&1
  "$work/open_bench" "$iterations" "testdata/objects/$object" >> "$work/libbpf2.txt"
done
echo "# load average after the per-object runs: $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar "$jar" 'OpenBenchmark.open(Relocate)?$' $corpus -f 1 -rf json -rff "$work/corpus.json" > "$work/corpus.log" 2>&1
echo "# load average after the corpus JMH run: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -o "bench:.*" "$work/corpus.log" | head -1 || true

python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]

def libbpf(name):
    out = {}
    for line in open(os.path.join(work, name)):
        f = line.split()
        out[f[0]] = None if f[1] == "fail" else (float(f[1]), float(f[2]))
    return out

a, b, accepted = libbpf("libbpf1.txt"), libbpf("libbpf2.txt"), libbpf("accepted.txt")
def best(r):  # the fastest JMH iteration: the least disturbed by other load
    return min(x for fork in r["primaryMetric"]["rawData"] for x in fork)

def bpf4j_refused(obj):  # the setup's "bench: 0 objects open": the fork timed an empty loop
    return "bench: 0 objects open" in open(os.path.join(work, "per-object-%s.log" % obj)).read()

rows, refused = [], []
import glob
for r in sorted((x for f in glob.glob(os.path.join(work, "per-object-*.json")) for x in json.load(open(f))),
                key=lambda x: x["params"]["object"]):
    obj = r["params"]["object"]
    if bpf4j_refused(obj):
        refused.append(obj)
    elif a.get(obj) and b.get(obj):
        lm, lb = (a[obj][0] + b[obj][0]) / 2, min(a[obj][1], b[obj][1])
        rows.append((obj, r["primaryMetric"]["score"], best(r), lm, lb))
print()
print("%-28s %12s %12s %12s %12s %8s %8s" % ("object", "bpf4j ns", "bpf4j best", "libbpf ns", "libbpf best", "ratio", "best r."))
for obj, jm, jb, lm, lb in rows:
    print("%-28s %12.0f %12.0f %12.0f %12.0f %8.2f %8.2f" % (obj, jm, jb, lm, lb, jm / lm, jb / lb))
tj, tjb, tl, tlb = (sum(r[i] for r in rows) for i in (1, 2, 3, 4))
n = len(rows)
print("%-28s %12.0f %12.0f %12.0f %12.0f %8.2f %8.2f" % ("TOTAL (%d objects)" % n, tj, tjb, tl, tlb, tj / tl, tjb / tlb))
print("objects/s over these %d objects: bpf4j %.0f (best %.0f), libbpf %.0f (best %.0f); ratio = bpf4j time / libbpf time"
      % (n, n * 1e9 / tj, n * 1e9 / tjb, n * 1e9 / tl, n * 1e9 / tlb))
skipped = sorted(k for k, v in accepted.items() if v is None)
print("libbpf refused (not compared): %d objects: %s" % (len(skipped), " ".join(skipped)))
print("bpf4j refused at open (not compared): %d objects: %s" % (len(refused), " ".join(refused)))
print()
for r in json.load(open(os.path.join(work, "corpus.json"))):
    print("corpus %-14s %12.0f ns/op (best iteration %.0f) over the objects bpf4j opens (count: 'bench:' line above)"
          % (r["benchmark"].rsplit(".", 1)[1], r["primaryMetric"]["score"], best(r)))
PY
