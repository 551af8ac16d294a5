#!/bin/sh
# Builds the CO-RE test objects and target BTFs into ../../resources/core/ with clang-19:
#   objects/<name>.el.o   the BPF programs (core_*.bpf.c)
#   targets/<name>.o      made-up kernels' BTF as an ELF with .BTF (core_*target.c)
#   targets/<name>.btf    the same BTF as a raw file (like /sys/kernel/btf/vmlinux)
#   targets/vmlinux.btf.gz  this machine's /sys/kernel/btf/vmlinux, so tests do not depend on the host
# Then run testdata/libbpf-capture/capture.sh core to regenerate the libbpf goldens. Commit the outputs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
res="$here/../../resources/core"
mkdir -p "$res/objects" "$res/targets"
for src in "$here"/*.bpf.c; do
  base=$(basename "$src" .bpf.c)
  clang-19 -target bpfel -O2 -g -I/usr/include/x86_64-linux-gnu -c "$src" -o "$res/objects/$base.el.o"
  clang-19 -target bpfeb -O2 -g -I/usr/include/x86_64-linux-gnu -c "$src" -o "$res/objects/$base.eb.o"
done
# -mcpu=v4 adds the sign-extending load and store-immediate forms CO-RE must patch
clang-19 -target bpfel -mcpu=v4 -O2 -g -I/usr/include/x86_64-linux-gnu -c "$here/core_kernel.bpf.c" -o "$res/objects/core_kernel.v4.el.o"
for src in "$here"/core_target.c "$here"/core_flavors_target.c; do
  base=$(basename "$src" .c)
  clang-19 -target bpfel -O2 -g -c "$src" -o "$res/targets/$base.o"
  llvm-objcopy-19 --dump-section .BTF="$res/targets/$base.btf" "$res/targets/$base.o"
done
gzip -9 -n -c /sys/kernel/btf/vmlinux > "$res/targets/vmlinux.btf.gz"
