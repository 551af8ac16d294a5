#!/bin/sh
# Regenerates testdata/goldens/libbpf-relo/<object>.json: what libbpf (Debian's libbpf 1.1) hands to
# the kernel on bpf_object__open_file + bpf_object__load, for every little-endian object.
# Needs root (it loads programs into the running kernel), cc, libbpf-dev and python3.
# Usage: capture.sh [object.o ...]   (default: every testdata/objects/*.el.o and extra dirs
# listed in $BPF4J_CAPTURE_DIRS); goldens go to testdata/goldens/libbpf-relo/ (or $BPF4J_GOLDEN_DIR).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(mktemp -d /tmp/bpf4j-libbpf-capture.XXXXXX)
pins=/sys/fs/bpf/bpf4j-capture-$$ # bpffs refuses dots in names
mkdir -p "$pins"
trap 'rm -rf "$build" "$pins"' EXIT
cc -O2 -Wall -shared -fPIC -o "$build/interpose.so" "$here/../libbpf-capture/interpose.c" -ldl
cc -O2 -Wall -I/usr/include/x86_64-linux-gnu -o "$build/capture" "$here/capture.c" -lbpf
cc -O2 -Wall -I/usr/include/x86_64-linux-gnu -o "$build/secdefs" "$here/secdefs.c" -lbpf
version=$(pkg-config --modversion libbpf 2>/dev/null || dpkg-query -W -f='${Version}' libbpf1)
outdir=${BPF4J_GOLDEN_DIR:-$root/testdata/goldens/libbpf-relo}
mkdir -p "$outdir"
# what libbpf's section table says for a list of names (section-names.txt)
"$build/secdefs" < "$here/section-names.txt" > "$outdir/section-types.tsv"
if [ $# -eq 0 ]; then
  set -- "$root"/testdata/objects/*.el.o "$root"/testdata/objects/*.el.clang*.o
  for d in ${BPF4J_CAPTURE_DIRS:-}; do set -- "$@" "$d"/*.o; done
fi
for obj in "$@"; do
  [ -f "$obj" ] || continue
  name=$(basename "$obj")
  log="$build/$name.log"
  : > "$log"
  # run next to the object so libbpf's messages name it by its base name, as a user would
  (cd "$(dirname "$obj")" && BPF4J_CAPTURE_LOG="$log" BPF4J_PIN_ROOT="$pins" LD_PRELOAD="$build/interpose.so" "$build/capture" "$name")
  python3 "$here/assemble.py" "$log" "$name" "$version" "$outdir/${name%.o}.json" "$obj"
  echo "captured $name"
done
