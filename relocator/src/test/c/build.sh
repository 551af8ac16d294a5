#!/bin/sh
# Builds the relocator's own test objects (little- and big-endian) into
# ../resources/objects/ with clang-19, and the objects libbpf refuses (bad/) into
# ../resources/objects/bad/. Run from anywhere; commit the outputs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/objects"
mkdir -p "$out" "$out/bad"
for src in "$here"/*.bpf.c; do
  base=$(basename "$src" .bpf.c)
  for e in el eb; do
    target=bpfel; [ $e = eb ] && target=bpfeb
    clang-19 -target $target -mcpu=v3 -O2 -g -I/usr/include/x86_64-linux-gnu -c "$src" -o "$out/$base.$e.o"
  done
done
for src in "$here"/bad/*.bpf.c; do
  base=$(basename "$src" .bpf.c)
  extra=; [ "$base" = common_global ] && extra=-fcommon
  clang-19 -target bpfel -mcpu=v3 -O2 -g $extra -I/usr/include/x86_64-linux-gnu -c "$src" -o "$out/bad/$base.el.o"
done
python3 "$here/mutate.py"
