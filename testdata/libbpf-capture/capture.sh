#!/bin/bash
# Regenerates testdata/goldens/libbpf/<object>.json for every little-endian object libbpf 1.1
# can load on this machine: what libbpf passes to bpf() for map creation, initial map
# updates and program loads (see capture.c; schema in testdata/README.md). Needs root and
# libbpf-dev; the harness is built into a temporary directory, not committed. Programs
# goldens/kernel-accepts.txt lists as rejected are skipped (run kernel-survey.sh first).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
bin=$(mktemp -d /tmp/bpf4j-capture.XXXXXX)
trap 'rm -rf "$bin"' EXIT
gcc -O1 -Wall -o "$bin/capture" "$here/libbpf-capture/capture.c" -lbpf -ldl

out="$here/goldens/libbpf"
rm -rf "$out"
mkdir -p "$out"
cd "$here/objects"
n=0
skipped=()
accepts="$here/goldens/kernel-accepts.txt"
for obj in *.el.o *.el.clang*.o; do
	# programs the kernel survey saw rejected are left out so the rest can be captured
	mapfile -t rejected < <(awk -v o="$obj" '$1 == o && $4 == "rejected:" { print $3 }' "$accepts")
	if timeout 300 "$bin/capture" "$obj" "${rejected[@]}" > "$out/$obj.json.tmp" 2>/dev/null; then
		mv "$out/$obj.json.tmp" "$out/$obj.json"
		n=$((n + 1))
	else
		rm -f "$out/$obj.json.tmp"
		skipped+=("$obj")
	fi
done
echo "captured $n objects into $out; libbpf could not load: ${skipped[*]:-none}"
