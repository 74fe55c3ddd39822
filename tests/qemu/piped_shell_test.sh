#!/bin/bash
# `printf ... | tools/bazel run //bsp:qemu -- --shell`: the image as it
# ships, piped commands, the real QEMU. Every byte arrives, the first one
# included (QEMU's own standard input would hand it to the UART before the
# kernel's UART set-up empties the FIFOs); bench runs its helpers and
# leaves nothing behind (mem before and after); poweroff ends the run with
# status 0.
set -uo pipefail
runner="$1" image="$2"
out=$(printf 'echo first\nmem\nbench\nmem\npoweroff\n' |
    "$runner" --image="$image" --shell --timeout=120 2>&1 | tr -d '\r')
status=$?
echo "$out"
echo "--- checks ---"
failed=0
fail() { echo "FAIL: $*"; failed=1; }
[[ "$status" == 0 ]] || fail "exit status $status, expected 0"
grep -qx 'basalt> echo first' <<<"$out" || fail "the first command did not arrive whole"
grep -qx 'first' <<<"$out" || fail "echo first printed nothing"
for row in 'null system call round trip' 'yield with no other task ready' \
    'IPC call \+ reply round trip' 'notification signal, wake, wait again'; do
    grep -Eq "^bench: $row +[0-9]+\$" <<<"$out" || fail "no bench row: $row"
done
grep -q '^bench: .*: [A-Z_]*$' <<<"$out" && fail "bench stopped with an error"
# The two mem reports (objects in use) are the same: nothing leaked.
first=$(awk '/^basalt> mem$/{n++} n==1 && /^  /' <<<"$out")
second=$(awk '/^basalt> mem$/{n++} n==2 && /^  /' <<<"$out")
[[ -n "$first" && "$first" == "$second" ]] || fail "objects in use changed across bench:
$first
---
$second"
grep -qx 'basalt: power off' <<<"$out" || fail "no power off"
[[ "$failed" == 0 ]] && echo "piped shell input arrives whole; bench leaves nothing behind"
exit "$failed"
