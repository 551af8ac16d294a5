#!/bin/sh
# Regenerates the llvm-objdump goldens for io.bpf4j.isa.text.LlvmSyntaxCorpusTest:
# the corpus sources, the objects llvm-mc-19 assembles from them, and llvm-objdump-19 -d output
# for every -mcpu (corpus-<order>.<cpu>.objdump), and llvm-objdump-22's for the same objects
# (corpus-<order>.<cpu>.llvm22.objdump). Needs python3, llvm-mc-19, llvm-objdump-19 and
# llvm-objdump-22.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/test/resources/io/bpf4j/isa/text/llvm-corpus"
mkdir -p "$out"
for order in el eb; do
  python3 "$here/gen_llvm_corpus.py" "$order" "$out/corpus-$order.s"
  llvm-mc-19 -triple "bpf$order" -filetype=obj "$out/corpus-$order.s" -o "$out/corpus-$order.o"
  for cpu in v1 v2 v3 v4; do
    llvm-objdump-19 -d --mcpu=$cpu "$out/corpus-$order.o" | sed "s|$out/||" > "$out/corpus-$order.$cpu.objdump"
    llvm-objdump-22 -d --mcpu=$cpu "$out/corpus-$order.o" | sed "s|$out/||" > "$out/corpus-$order.$cpu.llvm22.objdump"
  done
done
