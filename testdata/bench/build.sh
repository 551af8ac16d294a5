#!/bin/bash
# Builds testdata/bench/src/*.bpf.c into testdata/bench/objects/ exactly as testdata/build.sh
# builds testdata/src (clang-19 -O2 -g, the cpus and byte orders each source's header names,
# relative paths, DWARF stripped). These objects are for timing (bench module) and are not part
# of the corpus TestData enumerates, so they carry no llvm-objdump, BTF or kernel goldens.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CLANG=${CLANG:-clang-19}
STRIP=${STRIP:-llvm-strip-19}
cd "$here/src"
mkdir -p ../objects
for src in *.bpf.c; do
	name=${src%.bpf.c}
	cpus=$(sed -n 's/^.*bpf4j-cpu:\([ a-z0-9]*\).*$/\1/p' "$src" | head -1)
	endians=$(sed -n 's/^.*bpf4j-endian:\([ a-z]*\).*$/\1/p' "$src" | head -1)
	for cpu in $cpus; do
		for e in $endians; do
			obj="$name.$cpu.$e.o"
			$CLANG -O2 -g -target bpf$e -mcpu=$cpu \
				-I/usr/include/x86_64-linux-gnu -I../../src/include -fdebug-prefix-map="$PWD"=. \
				-c "$src" -o "../objects/$obj"
			$STRIP -g "../objects/$obj"
		done
	done
done
ls ../objects
