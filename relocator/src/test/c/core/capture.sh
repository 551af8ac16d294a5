#!/bin/sh
# Regenerates ../../resources/core/goldens/<object>@<target>.json: what libbpf (Debian's
# libbpf 1.1) makes of each CO-RE test object against each target BTF, given as
# bpf_object_open_opts.btf_custom_path. Programs are not loaded: core_interpose.so records
# the instructions libbpf hands to BPF_PROG_LOAD and fakes the result, so programs another
# kernel's BTF would break still show their relocated code. Needs root (libbpf probes the
# kernel), cc, libbpf-dev, python3. Run build.sh first.
# LIBBPF_DIR=<an installed libbpf: lib/libbpf.a, include/> captures with that libbpf instead of
# Debian's (the goldens then go to goldens-<version>/); this repository does not build libbpf.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
res="$here/../../resources/core"
build=$(mktemp -d /tmp/bpf4j-core-capture.XXXXXX)
trap 'rm -rf "$build"' EXIT
cc -O2 -Wall -shared -fPIC -o "$build/interpose.so" "$here/core_interpose.c" -ldl
if [ -n "${LIBBPF_DIR:-}" ]; then
  cc -O2 -Wall -I"$LIBBPF_DIR/include" -o "$build/capture" "$here/core_capture.c" "$LIBBPF_DIR/lib/libbpf.a" -lelf -lz
  version=$(sed -n 's/^#define LIBBPF_\(MAJOR\|MINOR\)_VERSION \([0-9]*\)/\2/p' "$LIBBPF_DIR/include/bpf/libbpf_version.h" | paste -sd.)
  out="$res/goldens-$version"
else
  cc -O2 -Wall -I/usr/include/x86_64-linux-gnu -o "$build/capture" "$here/core_capture.c" -lbpf
  version=$(dpkg-query -W -f='${Version}' libbpf1 | sed 's/^[0-9]*://; s/-.*//')
  out="$res/goldens"
fi
mkdir -p "$out"
gunzip -c "$res/targets/vmlinux.btf.gz" > "$build/vmlinux.btf"
capture() { # object target-name target-file [object-dir]
  log="$build/log.jsonl"
  : > "$log"
  (cd "${4:-$res/objects}" && BPF4J_CORE_LOG="$log" LD_PRELOAD="$build/interpose.so" "$build/capture" "$1" "$3")
  python3 "$here/core_assemble.py" "$log" "$1" "$2" "$version" "$out/${1%.o}@$2.json"
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
testdata="$here/../../../../../testdata/objects"
for v in 1 2 3 4; do
  capture core_reads.v$v.el.o vmlinux "$build/vmlinux.btf" "$testdata"
  capture core_reads.v$v.el.o core_target.btf "$res/targets/core_target.btf" "$testdata"
done
