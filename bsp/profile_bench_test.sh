#!/bin/bash
# bsp/profile_bench.sh on the benchmark kernel: every row the bench prints
# is found with its 101 runs, each median run within 10 instructions of the
# bench's own figure plus the counter read, the functions listed under a
# row add up to its median run, and a call without user programs is
# refused with status 2.
set -uo pipefail
profile="$1"
shift
failed=0
fail() { echo "FAIL: $*"; failed=1; }

out=$("$profile" "$@" 2>&1)
status=$?
echo "$out"
echo "--- checks ---"
[[ "$status" == 0 ]] || fail "exit status $status"
for row in "null syscall round trip" "yield with no other task ready" \
    "IPC call+reply round trip (two switches)" "IPC round trip through a badged capability" \
    "notification signal, wake, wait again" "interrupt to the user handler running" \
    "yield to another task and back (two switches)"; do
    line=$(grep -F "profile_bench: $row: " <<<"$out")
    [[ -n "$line" ]] || { fail "no row '$row'"; continue; }
    runs=$(sed -n 's/.*: \([0-9]*\) runs, .*/\1/p' <<<"$line")
    median=$(sed -n 's/.*median run \([0-9]*\) instructions.*/\1/p' <<<"$line")
    printed=$(sed -n 's/.*(the bench prints \([0-9]*\)).*/\1/p' <<<"$line")
    [[ "$runs" == 101 ]] || fail "$row: $runs runs, not 101"
    if [[ -z "$median" || -z "$printed" ]] || ((median - 1 - printed > 10 || printed - (median - 1) > 10)); then
        fail "$row: median run '$median' is not the bench's '$printed' plus one read (within 10)"
    fi
    sum=$(awk -v row="profile_bench: $row: " 'index($0, row) == 1 { on = 1; next } /^profile_bench: / { on = 0 } on { s += $1 } END { print s + 0 }' <<<"$out")
    [[ "$sum" == "$median" ]] || fail "$row: the functions add up to $sum, not $median"
done
"$profile" "$1" "$2" "$3" "$4" >/dev/null 2>&1
st=$?
[[ "$st" == 2 ]] || fail "no user program: status $st, expected 2"
[[ "$failed" == 0 ]] && echo "profile_bench splits every benchmark loop, each adding up to its median run"
exit "$failed"
