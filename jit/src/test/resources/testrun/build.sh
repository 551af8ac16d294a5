#!/bin/sh
# Rebuilds the test-run comparison objects from their C sources (clang-19, libbpf headers).
# The objects are committed; tests do not need clang.
set -e
cd "$(dirname "$0")"
for src in *.bpf.c; do
	clang-19 -target bpf -mcpu=v3 -O2 -g -I/usr/include/x86_64-linux-gnu -c "$src" -o "${src%.c}.o"
done
