#!/bin/bash
# Builds testdata/selftests/src/*.bpf.c (programs annotated in the kernel's verifier selftests
# convention) into testdata/selftests/objects/<name>.<cpu>.<el|eb>.o with the flags and header
# lines of testdata/build.sh. They live apart from testdata/objects because some programs are
# rejected on purpose and others carry wrong annotations on purpose: the corpus-wide tests and
# kernel goldens over testdata/objects are not about them.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
CLANG=${CLANG:-clang-19}
STRIP=${STRIP:-llvm-strip-19}

cd "$here/src"
rm -rf ../objects
mkdir -p ../objects
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
				-I/usr/include/x86_64-linux-gnu -Iinclude -I../../src/include -fdebug-prefix-map="$PWD"=. \
				-c "$src" -o "../objects/$obj"
			$STRIP -g "../objects/$obj"
			echo "$obj $src -mcpu=$cpu -target bpf$e" >> "$manifest.tmp"
		done
	done
done
sort "$manifest.tmp" > "$manifest"
rm "$manifest.tmp"
echo "built $(ls ../objects/*.o | wc -l) objects from $(ls *.bpf.c | wc -l) sources"
