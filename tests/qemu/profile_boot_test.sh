#!/bin/bash
# bsp/profile_boot.sh on the benchmark kernel: a total over 100,000, every
# function's count listed with --top=0 adding up to it, most first, the
# boot's known functions among them; bad arguments refused with status 2.
set -uo pipefail
profile="$1" image="$2" run_qemu="$3" nm="$4"
failed=0
fail() { echo "FAIL: $*"; failed=1; }

out=$("$profile" "$image" "$run_qemu" "$nm" --top=0 2>&1)
status=$?
echo "$out"
echo "--- checks ---"
[[ "$status" == 0 ]] || fail "exit status $status"
total=$(sed -n 's/^profile_boot: instructions from the kernel.s entry to init.s first line: \([0-9]*\)$/\1/p' <<<"$out")
[[ -n "$total" && "$total" -gt 100000 ]] || fail "no total, or under 100,000: '$total'"
rows=$(grep -E '^ +[0-9]+ +[0-9.]+%  [A-Za-z_.(]' <<<"$out")
sum=$(awk '{ s += $1 } END { print s + 0 }' <<<"$rows")
[[ "$sum" == "$total" ]] || fail "the functions add up to $sum, not $total"
sort -k1,1nr -c <<<"$rows" 2>/dev/null || fail "functions not listed most first"
for fn in _start kernel_main loader_load; do
    grep -Eq "  $fn\$" <<<"$rows" || fail "$fn not listed"
done
# init's hash: the CPU's SHA-256 instructions (QEMU's CPUs have them), or the portable code.
grep -Eq "  (aarch64_sha256_ce_blocks|sha256_block)\$" <<<"$rows" || fail "no SHA-256 function listed"
for bad in --top=x --frobnicate; do
    "$profile" "$image" "$run_qemu" "$nm" "$bad" >/dev/null 2>&1
    st=$?
    [[ "$st" == 2 ]] || fail "$bad: status $st, expected 2"
done
[[ "$failed" == 0 ]] && echo "profile_boot lists every function of the boot, adding up to $total"
exit "$failed"
