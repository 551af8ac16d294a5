#!/bin/bash
# Builds every testdata/src/*.bpf.c into testdata/objects and regenerates the goldens
# (llvm-objdump -dr, bpftool btf dump), MANIFEST.txt and TOOLCHAIN.txt.
#
# Two toolchains:
#   clang-19  -> <name>.<cpu>.<el|eb>.o          goldens from llvm-objdump-19 (the older LLVM syntax)
#   clang-NN  -> <name>.<cpu>.<el|eb>.clangNN.o  goldens from llvm-objdump-NN, where clang-NN is the
#                newest clang-NN on the PATH (22 or later: the first that emits gotox and .jumptables)
# Each source declares what to build in its header comment:
#   bpf4j-cpu: v1 v2 v3 v4     the -mcpu values clang-19 builds it for
#   bpf4j-endian: el eb        the byte orders (el = bpfel, eb = bpfeb), for both toolchains
#   bpf4j-clang22: v3 v4       the -mcpu values the newest clang (22 or later) builds it for (absent: not built)
# A toolchain whose clang is not on the PATH is skipped with a message and its committed
# objects and goldens are left as they are; BPF4J_REQUIRE_TOOLCHAINS=1 makes that an error.
# Objects of an older clang-NN (say .clang22.o once clang-23 is the newest) stay as committed.
# CLANG19=clang-19 and CLANG_NEW=clang-22 pin the two compilers instead (LLVM19_BIN / LLVM<NN>_BIN
# point at the directory of other llvm-strip and llvm-objdump installs).
# Deterministic: clang runs from testdata/src with relative paths, DWARF is stripped
# (BTF and .BTF.ext stay), so a rerun changes nothing.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
BPFTOOL=${BPFTOOL:-bpftool}
CLANG19=${CLANG19:-${CLANG:-clang-19}}
# the newest clang-NN on the PATH, NN >= 22, unless CLANG_NEW names one
newest_on_path() {
	(IFS=:; for d in $PATH; do ls "$d" 2>/dev/null; done) | grep -E '^clang-[0-9]+$' \
		| awk -F- '$2 >= 22' | sort -t- -k2 -n | tail -1
}
CLANG_NEW=${CLANG_NEW:-$(newest_on_path)}
CLANG_NEW=${CLANG_NEW:-clang-22}
NEW=$("$CLANG_NEW" --version 2>/dev/null | sed -n 's/^.*clang version \([0-9][0-9]*\)\..*$/\1/p' | head -1 || true)
NEW=${NEW:-${CLANG_NEW##*-}}
case "$NEW" in ''|*[!0-9]*) echo "testdata/build.sh: cannot tell the LLVM version of $CLANG_NEW" >&2; exit 1 ;; esac
[ "$NEW" -ge 22 ] || { echo "testdata/build.sh: $CLANG_NEW is LLVM $NEW; the second toolchain must be clang-22 or later" >&2; exit 1; }
declare "CLANG$NEW=$CLANG_NEW"

# tool <llvm major> <tool>: llvm-strip-19, llvm-objdump-22, ...
tool() {
	local dir_var="LLVM$1_BIN"
	if [ -n "${!dir_var:-}" ]; then
		echo "${!dir_var}/$2"
	else
		echo "$2-$1"
	fi
}

available=()
for v in 19 "$NEW"; do
	cc_var="CLANG$v"
	cc=${!cc_var}
	missing=""
	for t in "$cc" "$(tool $v llvm-strip)" "$(tool $v llvm-objdump)"; do
		command -v "$t" > /dev/null || missing="$missing $t"
	done
	if [ -n "$missing" ]; then
		msg="testdata/build.sh: clang-$v toolchain incomplete (not found:$missing; apt-get install clang-$v llvm-$v)"
		if [ "${BPF4J_REQUIRE_TOOLCHAINS:-0}" = 1 ]; then
			echo "$msg" >&2
			exit 1
		fi
		echo "$msg: keeping the committed clang-$v objects and goldens" >&2
	else
		available+=("$v")
	fi
done
command -v "$BPFTOOL" > /dev/null || { echo "testdata/build.sh: $BPFTOOL not found (apt-get install bpftool)" >&2; exit 1; }
[ ${#available[@]} -gt 0 ] || { echo "testdata/build.sh: neither clang-19 nor clang-$NEW found" >&2; exit 1; }

# suffix <llvm major>: the part of an object name that says which toolchain built it
suffix() {
	[ "$1" = 19 ] && echo "" || echo ".clang$1"
}

cd "$here/src"
mkdir -p ../objects ../goldens/llvm-objdump ../goldens/btf
for v in "${available[@]}"; do
	# only this toolchain's files: <name>.<cpu>.<order>.o has exactly four dot-separated parts
	if [ "$v" = 19 ]; then
		pattern='^[^.]+\.v[0-9]\.e[lb]\.o'
	else
		pattern="^[^.]+\\.v[0-9]\\.e[lb]\\.clang$v\\.o"
	fi
	for dir in ../objects ../goldens/llvm-objdump ../goldens/btf; do
		find "$dir" -maxdepth 1 -type f | while read -r f; do
			if basename "$f" | grep -Eq "$pattern(\\.txt)?\$"; then rm "$f"; fi
		done
	done
done

manifest=../objects/MANIFEST.txt
touch "$manifest"
# keep the manifest lines of toolchains not rebuilt now
: > "$manifest.tmp"
# every clang-NN the manifest names, and the two toolchains of this run
versions=$( { echo 19; echo "$NEW"; sed -n 's/^.* clang-\([0-9][0-9]*\)$/\1/p' "$manifest"; } | sort -n -u)
for v in $versions; do
	case " ${available[*]} " in *" $v "*) ;; *) grep " clang-$v\$" "$manifest" >> "$manifest.tmp" || true ;; esac
done

for v in "${available[@]}"; do
	cc_var="CLANG$v"
	cc=${!cc_var}
	strip=$(tool $v llvm-strip)
	objdump=$(tool $v llvm-objdump)
	sfx=$(suffix $v)
	for src in *.bpf.c; do
		name=${src%.bpf.c}
		if [ "$v" = 19 ]; then
			cpus=$(sed -n 's/^.*bpf4j-cpu:\([ a-z0-9]*\).*$/\1/p' "$src" | head -1)
		else
			cpus=$(sed -n 's/^.*bpf4j-clang22:\([ a-z0-9]*\).*$/\1/p' "$src" | head -1)
		fi
		endians=$(sed -n 's/^.*bpf4j-endian:\([ a-z]*\).*$/\1/p' "$src" | head -1)
		if [ "$v" = 19 ] && { [ -z "$cpus" ] || [ -z "$endians" ]; }; then
			echo "$src: missing bpf4j-cpu or bpf4j-endian line" >&2
			exit 1
		fi
		for cpu in $cpus; do
			for e in $endians; do
				obj="$name.$cpu.$e$sfx.o"
				"$cc" -O2 -g -target bpf$e -mcpu=$cpu \
					-I/usr/include/x86_64-linux-gnu -Iinclude -fdebug-prefix-map="$PWD"=. \
					-c "$src" -o "../objects/$obj"
				"$strip" -g "../objects/$obj"
				echo "$obj $src -mcpu=$cpu -target bpf$e clang-$v" >> "$manifest.tmp"
				(cd ../objects && "$objdump" -dr "$obj" > "../goldens/llvm-objdump/$obj.txt" \
					&& "$BPFTOOL" btf dump file "$obj" > "../goldens/btf/$obj.txt")
			done
		done
	done
done
sort "$manifest.tmp" > "$manifest"
rm "$manifest.tmp"

# TOOLCHAIN.txt: one block per toolchain; a block not rebuilt now is kept as it was
old=$(cat ../TOOLCHAIN.txt 2> /dev/null || true)
{
	echo "# Tools that produced testdata/objects and testdata/goldens (written by build.sh)"
	for v in $versions; do
		case " ${available[*]} " in
		*" $v "*)
			cc_var="CLANG$v"
			echo "## clang-$v: objects *.<cpu>.<el|eb>$(suffix $v).o"
			"${!cc_var}" --version | head -1
			"$(tool $v llvm-objdump)" --version | grep -i 'llvm version' | sed 's/^ *//'
			;;
		*)
			echo "$old" | sed -n "/^## clang-$v:/,/^##/p" | sed '$ { /^## clang-/d }'
			;;
		esac
	done
	echo "## btf goldens"
	"$BPFTOOL" version | head -2
} > ../TOOLCHAIN.txt
echo "built $(ls ../objects/*.o | wc -l) objects from $(ls *.bpf.c | wc -l) sources with clang ${available[*]}"
