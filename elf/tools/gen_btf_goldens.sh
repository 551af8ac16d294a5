#!/bin/sh
# Regenerates elf/src/test/resources/btf/*.txt: what bpftool prints for the hand-encoded BTF of
# io.bpf4j.elf.btf.SyntheticBtf (a raw BTF with one type of every kind, and a split BTF on it).
# Needs bpftool and a compiled test tree (mvn -pl elf -am test-compile).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
out="$here/src/test/resources/btf"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
java -cp "$root/isa/target/classes:$here/target/classes:$here/target/test-classes" io.bpf4j.elf.btf.SyntheticBtf "$tmp"
bpftool btf dump file "$tmp/every-kind.btf" > "$out/every-kind.txt"
bpftool btf dump file "$tmp/split.btf" -B "$tmp/every-kind.btf" > "$out/split.txt"
bpftool version | head -1 > "$out/bpftool-version.txt"
