#!/bin/bash
# Regenerates the libbpf goldens with the one capture harness of this directory (interpose.c,
# capture.c, json.h, assemble.py; built into a temporary directory, nothing binary is
# committed). Needs root (libbpf probes and loads into the running kernel), cc, libbpf-dev,
# python3.
#
#   capture.sh relo [object.o ...]  testdata/goldens/libbpf-relo/<object>.json (libbpf 1.1, one
#                                   load per entry program; default: every little-endian object
#                                   and $BPF4J_CAPTURE_DIRS; $BPF4J_GOLDEN_DIR overrides the
#                                   output directory) and section-types.tsv (secdefs.c)
#   capture.sh testdata             testdata/goldens/libbpf/<object>.json (libbpf 1.1, the object
#                                   loaded twice; programs goldens/kernel-accepts.txt lists as
#                                   rejected are skipped: run kernel-survey.sh first)
#   capture.sh core                 relocator/src/test/resources/core/goldens/<object>@<target>.json:
#                                   the CO-RE test objects against each target BTF, programs
#                                   faked (run relocator/src/test/c/core/build.sh first).
#                                   LIBBPF_DIR=<an installed libbpf: lib/libbpf.a, include/>
#                                   captures with that libbpf instead (goldens-<version>/)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mode=${1:-}
[ $# -gt 0 ] && shift
build=$(mktemp -d /tmp/bpf4j-libbpf-capture.XXXXXX)
pins=/sys/fs/bpf/bpf4j-capture-$$ # bpffs refuses dots in names
mkdir -p "$pins"
trap 'rm -rf "$build" "$pins"' EXIT
cc -O2 -Wall -shared -fPIC -o "$build/interpose.so" "$here/interpose.c" -ldl
if [ "$mode" = core ] && [ -n "${LIBBPF_DIR:-}" ]; then
  cc -O2 -Wall -I"$LIBBPF_DIR/include" -o "$build/capture" "$here/capture.c" "$LIBBPF_DIR/lib/libbpf.a" -lelf -lz
  version=$(sed -n 's/^#define LIBBPF_\(MAJOR\|MINOR\)_VERSION \([0-9]*\)/\2/p' "$LIBBPF_DIR/include/bpf/libbpf_version.h" | paste -sd.)
else
  cc -O2 -Wall -I/usr/include/x86_64-linux-gnu -o "$build/capture" "$here/capture.c" -lbpf
  version=$(pkg-config --modversion libbpf 2>/dev/null || dpkg-query -W -f='${Version}' libbpf1 | sed 's/^[0-9]*://; s/-.*//')
fi
run() { # directory log capture-arguments...: runs the driver under the interposer next to the object
  local dir=$1 log=$2
  shift 2
  : > "$log"
  # next to the object, so that libbpf's messages name it by its base name, as a user would see them
  # (a timeout of 0 is none)
  (cd "$dir" && BPF4J_CAPTURE_LOG="$log" BPF4J_PIN_ROOT="$pins" LD_PRELOAD="$build/interpose.so" \
    timeout "${timeout:-0}" "$build/capture" "$@")
}

case "$mode" in
relo)
  cc -O2 -Wall -I/usr/include/x86_64-linux-gnu -o "$build/secdefs" "$here/secdefs.c" -lbpf
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
    run "$(dirname "$obj")" "$build/log" "$name"
    python3 "$here/assemble.py" relo "$build/log" "$name" "$version" "$outdir/${name%.o}.json" "$obj"
    echo "captured $name"
  done
  ;;
testdata)
  out=${BPF4J_GOLDEN_DIR:-$root/testdata/goldens/libbpf}
  rm -rf "$out"
  mkdir -p "$out"
  accepts="$root/testdata/goldens/kernel-accepts.txt"
  n=0
  skipped=()
  cd "$root/testdata/objects"
  for obj in *.el.o *.el.clang*.o; do
    # programs the kernel survey saw rejected are left out so the rest can be captured
    mapfile -t rejected < <(awk -v o="$obj" '$1 == o && $4 == "rejected:" { print $3 }' "$accepts")
    if timeout=300 run . "$build/log" --twice "$obj" "${rejected[@]}" 2>/dev/null &&
       python3 "$here/assemble.py" twice "$build/log" "$obj" "$out/$obj.json" "${rejected[@]}"; then
      n=$((n + 1))
    else
      rm -f "$out/$obj.json"
      skipped+=("$obj")
    fi
  done
  echo "captured $n objects into $out; libbpf could not load: ${skipped[*]:-none}"
  ;;
core)
  res="$root/relocator/src/test/resources/core"
  out="$res/goldens"
  [ -n "${LIBBPF_DIR:-}" ] && out="$res/goldens-$version"
  out=${BPF4J_GOLDEN_DIR:-$out}
  mkdir -p "$out"
  gunzip -c "$res/targets/vmlinux.btf.gz" > "$build/vmlinux.btf"
  capture() { # object target-name target-file [object-dir]
    run "${4:-$res/objects}" "$build/log" --core "$3" "$1"
    python3 "$here/assemble.py" core "$build/log" "$1" "$2" "$version" "$out/${1%.o}@$2.json"
    echo "captured $1 against $2"
  }
  capture core_kernel.el.o vmlinux "$build/vmlinux.btf"
  capture core_kernel.el.o core_target.o "$res/targets/core_target.o"
  capture core_kernel.el.o core_target.btf "$res/targets/core_target.btf"
  capture core_kernel.v4.el.o vmlinux "$build/vmlinux.btf"
  capture core_kernel.v4.el.o core_target.btf "$res/targets/core_target.btf"
  capture core_versions.el.o vmlinux "$build/vmlinux.btf"
  capture core_subprog.el.o vmlinux "$build/vmlinux.btf"
  capture core_subprog.el.o core_target.btf "$res/targets/core_target.btf"
  capture core_versions.el.o core_target.btf "$res/targets/core_target.btf"
  for o in core_flavors core_ambiguous core_decision; do
    capture $o.el.o core_flavors_target.btf "$res/targets/core_flavors_target.btf"
  done
  # the project corpus' CO-RE program (testdata/src/core_reads.bpf.c), through the whole pipeline
  for v in 1 2 3 4; do
    capture core_reads.v$v.el.o vmlinux "$build/vmlinux.btf" "$root/testdata/objects"
    capture core_reads.v$v.el.o core_target.btf "$res/targets/core_target.btf" "$root/testdata/objects"
  done
  ;;
*)
  echo "usage: $0 relo [object.o ...] | testdata | core" >&2
  exit 2
  ;;
esac
