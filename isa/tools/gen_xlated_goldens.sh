#!/bin/sh
# Regenerates the bpftool goldens for io.bpf4j.isa.text.BpftoolSyntaxTest: builds the test
# programs with clang-19, loads them into the running kernel (needs root and bpffs), and records
# `bpftool prog dump xlated` for each program: plain, with `opcodes`, and the raw xlated bytes
# (`file`). BPFTOOL names the bpftool to record (7.6 or newer prints the v4 forms; default
# `bpftool`); with LEGACY_BPFTOOL set, that one's plain and opcodes output are recorded too as
# *.legacy.* (bpftool 7.1 of Debian 12 predates the v4 instructions).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir="$here/../src/test/resources/io/bpf4j/isa/text/xlated"
bpftool=${BPFTOOL:-bpftool}
legacy=${LEGACY_BPFTOOL:-}
inc="-I/usr/include/x86_64-linux-gnu"
pin=/sys/fs/bpf/bpf4j-xlated-$$
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
cd "$dir"
# BTF is kept (libbpf needs it for .maps); .BTF.ext is dropped where the kernel allows, so
# that those dumps carry no function signatures or source lines. calls keeps it: a callback
# (BPF_PSEUDO_FUNC) needs func_info.
build() { # source, cpu, keep .BTF.ext?
  clang-19 -target bpf -mcpu="$2" -O2 -g -c $inc "$1.bpf.c" -o "$1.o"
  if [ "${3:-}" = keep ]; then llvm-strip-19 -g "$1.o"; else llvm-strip-19 -g --remove-section=.BTF.ext "$1.o"; fi
}
build maps v3
build calls v3 keep
build v4 v4
"$bpftool" version | head -1 | awk '{print "bpftool", $2}' > bpftool-version.txt
if [ -n "$legacy" ]; then "$legacy" version | head -1 | awk '{print "bpftool", $2}' >> bpftool-version.txt; fi
trap 'rm -rf "$pin"' EXIT
for obj in maps calls v4; do
  mkdir -p "$pin"
  "$bpftool" prog loadall "$obj.o" "$pin/$obj"
  for p in "$pin/$obj"/*; do
    name=$(basename "$p")
    id=$("$bpftool" prog show pinned "$p" -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    "$bpftool" prog dump xlated id "$id" > "$name.txt"
    "$bpftool" prog dump xlated id "$id" opcodes > "$name.opcodes.txt"
    "$bpftool" prog dump xlated id "$id" file "$name.bin" > /dev/null
    if [ -n "$legacy" ]; then
      "$legacy" prog dump xlated id "$id" > "$name.legacy.txt"
      "$legacy" prog dump xlated id "$id" opcodes > "$name.legacy.opcodes.txt"
    fi
  done
  rm -rf "$pin"
done
