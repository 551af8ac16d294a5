# Sourced by the bench/run-*.sh scripts: what each side-by-side run sets up the same way.
#   bench_setup NAME       root, jar, work (a temporary directory, kept with KEEP=1); builds the
#                          bench jar when it is missing or BUILD=1
#   bench_native SOURCE    compiles bench/native/SOURCE.c against libbpf into $work/SOURCE
#   bench_header           the line naming date, CPUs, kernel, libbpf and Java of the run
bench_setup() {
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  jar=$root/bench/target/bpf4j-bench.jar
  work=$(mktemp -d "/tmp/bpf4j-$1-bench.XXXXXX")
  [ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
  # -am: a -pl bench build alone takes the other modules from ~/.m2, whatever was installed there
  if [ ! -f "$jar" ] || [ -n "${BUILD:-}" ]; then
    (cd "$root" && mvn -q -pl bench -am package -DskipTests)
  fi
}

bench_native() {
  gcc -O2 -Wall -I/usr/include/x86_64-linux-gnu -o "$work/$1" "$root/bench/native/$1.c" -lbpf -lelf -lz
}

bench_header() {
  echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) CPUs, $(uname -r), libbpf $(pkg-config --modversion libbpf 2>/dev/null || echo '?'), $(java -version 2>&1 | head -1)"
}
