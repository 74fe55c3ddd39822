#!/bin/bash
# Every user program is fully linked: no undefined symbol (so no memcpy or
# memset the compiler slipped in), _start defined and the ELF entry, and
# main defined.
# Usage: symbols_test.sh LLVM_NM LLVM_READELF PROGRAM.elf...
set -uo pipefail
nm="$1"
readelf="$2"
shift 2
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

[[ $# -gt 0 ]] || fail "no programs given"
for elf in "$@"; do
    undefined=$("$nm" --undefined-only "$elf") || fail "$elf: llvm-nm failed"
    [[ -z $undefined ]] || fail "$elf: undefined symbols: $undefined"
    start=$("$nm" --defined-only "$elf" | awk '$3 == "_start" && $2 == "T" { print $1 }')
    [[ -n $start ]] || fail "$elf: no global _start in .text"
    "$nm" --defined-only "$elf" | grep -Eq ' T main$' || fail "$elf: no main"
    entry=$("$readelf" -h "$elf" | awk '/Entry point address:/ { print $4 }')
    [[ -n $start && $((entry)) -eq $((16#$start)) ]] ||
        fail "$elf: entry $entry is not _start (${start:-none})"
    echo "$elf: entry $entry, no undefined symbols"
done
exit $status
