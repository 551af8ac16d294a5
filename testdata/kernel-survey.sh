#!/bin/bash
# Asks this machine's kernel (through libbpf, as bpftool would) which programs of every
# little-endian object it accepts, and writes testdata/goldens/kernel-accepts.txt:
#   <object> <section> <program> accepted|rejected: <reason>
# and testdata/goldens/kernel-runs.txt (test runs, see below).
# See kernel-survey/survey.c for how the reason is chosen. Needs root, bpffs and libbpf-dev.
# Objects libbpf cannot even open (legacy SEC("maps"), SEC("callx") tables) get one line per
# program found in the symbol table, all with libbpf's open error.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
OBJDUMP=${OBJDUMP:-llvm-objdump-19}
bin=$(mktemp -d /tmp/bpf4j-survey.XXXXXX)
pins=/sys/fs/bpf/bpf4j-survey-$$ # bpffs refuses dots in names
trap 'rm -rf "$bin"; rm -rf "$pins"' EXIT

gcc -O1 -Wall -o "$bin/survey" "$here/kernel-survey/survey.c" -lbpf
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
mkdir -p "$pins"

out="$here/goldens/kernel-accepts.txt"
{
	echo "# $(uname -sr); libbpf $(bpftool version | sed -n 's/^using libbpf //p'); written by kernel-survey.sh"
	cd "$here/objects"
	for obj in *.el.o *.el.clang*.o; do
		if ! reason=$(timeout 300 "$bin/survey" "$obj" "$pins"); then
			# programs: global functions in executable sections other than .text
			"$OBJDUMP" -t "$obj" | awk '$2 == "g" && $3 == "F" && $4 != ".text" { print $4, $6 }' |
				while read -r sec name; do
					echo "$obj $sec $name rejected: $reason"
				done
		else
			echo "$reason"
		fi
		rm -rf "${pins:?}"/*
	done
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "$(grep -c ' accepted$' "$out") accepted, $(grep -c ' rejected: ' "$out") rejected -> $out"

# Test runs of the accepted syscall and xdp programs: self-checking ones return 0 (or the
# line of the failed check); calculon_run also on the talk's three expressions.
runs="$here/goldens/kernel-runs.txt"
{
	echo "# $(uname -sr); <object> <program> <input> retval <n>; written by kernel-survey.sh"
	cd "$here/objects"
	for obj in *.el.o *.el.clang*.o; do
		timeout 300 "$bin/survey" "$obj" "$pins" run || true
		rm -rf "${pins:?}"/*
	done
} > "$runs.tmp"
mv "$runs.tmp" "$runs"
echo "$(grep -c ' retval ' "$runs") test runs -> $runs"
