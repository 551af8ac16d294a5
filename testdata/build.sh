#!/bin/bash
# Builds every testdata/src/*.bpf.c into testdata/objects/<name>.<cpu>.<el|eb>.o and
# regenerates the goldens (llvm-objdump -dr, bpftool btf dump) and TOOLCHAIN.txt.
#
# Each source declares what to build in its header comment:
#   bpf4j-cpu: v1 v2 v3 v4     the -mcpu values it is built for
#   bpf4j-endian: el eb        the byte orders (el = bpfel, eb = bpfeb)
# Deterministic: clang runs from testdata/src with relative paths, DWARF is stripped
# (BTF and .BTF.ext stay), so a rerun changes nothing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
CLANG=${CLANG:-clang-19}
STRIP=${STRIP:-llvm-strip-19}
OBJDUMP=${OBJDUMP:-llvm-objdump-19}
BPFTOOL=${BPFTOOL:-bpftool}

cd "$here/src"
rm -rf ../objects ../goldens/llvm-objdump ../goldens/btf
mkdir -p ../objects ../goldens/llvm-objdump ../goldens/btf

manifest=../objects/MANIFEST.txt
: > "$manifest.tmp"
for src in *.bpf.c; do
	name=${src%.bpf.c}
	cpus=$(sed -n 's/^.*bpf4j-cpu:\([ a-z0-9]*\).*$/\1/p' "$src" | head -1)
	endians=$(sed -n 's/^.*bpf4j-endian:\([ a-z]*\).*$/\1/p' "$src" | head -1)
	if [ -z "$cpus" ] || [ -z "$endians" ]; then
		echo "$src: missing bpf4j-cpu or bpf4j-endian line" >&2
		exit 1
	fi
	for cpu in $cpus; do
		for e in $endians; do
			obj="$name.$cpu.$e.o"
			$CLANG -O2 -g -target bpf$e -mcpu=$cpu \
				-I/usr/include/x86_64-linux-gnu -Iinclude -fdebug-prefix-map="$PWD"=. \
				-c "$src" -o "../objects/$obj"
			$STRIP -g "../objects/$obj"
			echo "$obj $src -mcpu=$cpu -target bpf$e" >> "$manifest.tmp"
		done
	done
done
sort "$manifest.tmp" > "$manifest"
rm "$manifest.tmp"

cd ../objects
for obj in *.o; do
	$OBJDUMP -dr "$obj" > "../goldens/llvm-objdump/$obj.txt"
	$BPFTOOL btf dump file "$obj" > "../goldens/btf/$obj.txt"
done

{
	echo "# Tools that produced testdata/objects and testdata/goldens (written by build.sh)"
	$CLANG --version | head -1
	$OBJDUMP --version | grep -i 'llvm version' | sed 's/^ *//'
	$BPFTOOL version | head -2
} > ../TOOLCHAIN.txt
echo "built $(ls *.o | wc -l) objects from $(ls ../src/*.bpf.c | wc -l) sources"
