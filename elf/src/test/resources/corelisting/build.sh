#!/bin/bash
# Builds the CO-RE listing objects and their llvm-objdump goldens:
#   core_forms.<el|eb>.o      from core_forms.bpf.c (CO-RE forms the testdata corpus lacks)
#   core_malformed.<el|eb>.o  core_forms with .BTF.ext records damaged by mutate.py
#   <object>.txt              llvm-objdump-19 -dr <object>
# Deterministic: clang runs here with relative paths and DWARF is stripped.
set -euo pipefail

cd "$(dirname "$0")"
CLANG=${CLANG:-clang-19}
STRIP=${STRIP:-llvm-strip-19}
OBJDUMP=${OBJDUMP:-llvm-objdump-19}

for e in el eb; do
	$CLANG -O2 -g -target bpf$e -I/usr/include/x86_64-linux-gnu -c core_forms.bpf.c -o core_forms.$e.o
	$STRIP -g core_forms.$e.o
	python3 mutate.py core_forms.$e.o core_malformed.$e.o
done
for obj in *.o; do
	$OBJDUMP -dr "$obj" > "$obj.txt"
done
{
	echo "# Tools that produced these objects and goldens (written by build.sh)"
	$CLANG --version | head -1
	$OBJDUMP --version | grep -i 'llvm version' | sed 's/^ *//'
} > TOOLCHAIN.txt
