#!/bin/sh
# Builds src/test/c/btf_kinds.bpf.c for both byte orders into src/test/resources/objects and
# records bpftool's BTF dump of each in src/test/resources/goldens/btf/<object>.txt.
# Needs clang-19, libbpf headers and bpftool.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
objs="$here/src/test/resources/objects"
goldens="$here/src/test/resources/goldens/btf"
mkdir -p "$objs" "$goldens"
for t in el eb; do
  o="$objs/btf_kinds.$t.o"
  clang-19 -O2 -g -target bpf$t -I/usr/include/x86_64-linux-gnu -Wno-pointer-bool-conversion \
    -c "$here/src/test/c/btf_kinds.bpf.c" -o "$o"
  bpftool btf dump file "$o" > "$goldens/btf_kinds.$t.o.txt"
done
{ clang-19 --version | head -1; bpftool version | head -1; } > "$objs/TOOLCHAIN.txt"
