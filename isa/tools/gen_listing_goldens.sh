#!/bin/sh
# Regenerates the clang-19 objects and llvm-objdump-19 -dr goldens for
# io.bpf4j.isa.text.ObjdumpListingTest. Needs clang-19, llvm-objdump-19 and the libbpf headers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir="$here/../src/test/resources/io/bpf4j/isa/text/listing"
inc="-I/usr/include/x86_64-linux-gnu"
cd "$dir"
build() { # source, target, cpu
  obj="${1%.bpf.c}-$2-$3.o"
  clang-19 -target "bpf$2" -mcpu="$3" -O2 -c $inc "$1" -o "$obj"
  llvm-objdump-19 -dr --mcpu="$3" "$obj" | sed -n '/^Disassembly of section/,$p' > "${obj%.o}.objdump"
  llvm-objdump-19 -dr "$obj" | sed -n '/^Disassembly of section/,$p' > "${obj%.o}.default.objdump"
}
for cpu in v1 v3 v4; do build progs.bpf.c el $cpu; done
build progs.bpf.c eb v1
build progs.bpf.c eb v4
build extra.bpf.c el v4
build extra.bpf.c eb v4
# load-acquire/store-release words, gotol, may_goto (the bpftool test program)
cp ../xlated/v4.bpf.c v4asm.bpf.c
build v4asm.bpf.c el v4
build v4asm.bpf.c eb v4
rm v4asm.bpf.c
# the instruction corpus of gen_llvm_corpus.sh, as a whole listing (no symbols, "..." zero runs)
llvm-objdump-19 -dr ../llvm-corpus/corpus-el.o | sed -n '/^Disassembly of section/,$p' > corpus-el.objdump
llvm-objdump-19 -dr --mcpu=v4 ../llvm-corpus/corpus-eb.o | sed -n '/^Disassembly of section/,$p' > corpus-eb-v4.objdump
llvm-mc-19 -triple bpfel -filetype=obj labels.s -o labels.o
llvm-objdump-19 -dr labels.o | sed -n '/^Disassembly of section/,$p' > labels.objdump
