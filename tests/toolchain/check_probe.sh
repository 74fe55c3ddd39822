#!/bin/bash
# Usage: check_probe.sh host|target REPORT
# Exits 0 when the toolchain probe REPORT shows that compiler, include
# directories, linker and libraries all come from @llvm_toolchain; otherwise
# prints each offending line and exits 1.
set -euo pipefail
kind="$1"
report="$2"
tree="external/llvm_toolchain/"
bad=0

fail() {
    echo "not hermetic ($kind): $*" >&2
    bad=1
}

section() { # section NAME: the lines of one report section
    awk -v s="== $1" '$0 == s {on = 1; next} /^== / {on = 0} on' "$report"
}

for tool in compiler "linker driver"; do
    path=$(sed -n "s/^== $tool: //p" "$report")
    [[ "$path" == "$tree"* ]] || fail "$tool is '$path'"
done

# The driver re-executes itself for -cc1 and runs the linker: both from the tree.
cc1=$(section "compile -###" | grep -- '"-cc1"' || true)
[[ -n "$cc1" ]] || fail "no -cc1 invocation in the report"
[[ "$cc1" == " \"$tree"* ]] || fail "cc1 runs as: ${cc1:0:120}"
ld=$(section "link -###" | grep -E 'ld\.lld|"/usr/bin/ld|collect2' || true)
[[ -n "$ld" ]] || fail "no linker invocation in the report"
[[ "$ld" == " \"${tree}usr/lib/llvm-19/bin/ld.lld\""* ]] || fail "linker runs as: ${ld:0:120}"

# Every include directory the compiler searches lies inside the tree.
dirs=$(section "compile -v -E" | awk '/search starts here:/ {on = 1; next} /^End of search list/ {on = 0} on')
[[ -n "$dirs" ]] || fail "no include search list in the report"
while read -r dir; do
    [[ "$dir" == "$tree"* || "$dir" == "."* || "$dir" == bazel-out/* ]] || fail "include directory $dir"
done <<<"$dirs"

# No absolute path on the link line, except the run-time loader's name that
# a hosted executable records (it is resolved on the machine that runs it).
while read -r word; do
    case "$word" in
    /lib64/ld-linux-x86-64.so.2) [[ "$kind" == host ]] || fail "target link names a dynamic loader" ;;
    /dev/null) ;;
    /*) fail "absolute path on the link line: $word" ;;
    esac
done < <(tr ' ' '\n' <<<"$ld" | tr -d '"' | sed 's/^-L//' | grep '^/' || true)

if [[ "$kind" == target ]]; then
    grep -q -- '"-triple" "aarch64-unknown-none-elf"' "$report" || fail "target probe is not built for aarch64-none-elf"
    grep -qE -- '"-l(c|stdc\+\+|gcc)"' <<<"$ld" && fail "target link pulls in a C or C++ library"
else
    grep -q -- '--sysroot=external/llvm_toolchain/sysroot' "$report" || fail "host probe does not use the extracted sysroot"
fi
exit "$bad"
