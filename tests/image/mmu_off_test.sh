#!/bin/bash
# No code that runs with the MMU off (start.S's _start, boot_mmu_setup and
# everything it calls) references .data or .bss, which kernel.ld bounds by
# __mmu_on_start and __mmu_on_end: .bss is zeroed only once the MMU is on
# (mmu_off_check.awk says how).
# Usage: mmu_off_test.sh LLVM_OBJDUMP LLVM_NM CHECK.awk IMAGE.elf...
set -uo pipefail
objdump="$1" nm="$2" check="$3"
shift 3
status=0
[[ $# -gt 0 ]] || { echo "FAIL: no images given"; exit 1; }
for elf in "$@"; do
    symbols=$("$nm" "$elf") || { echo "FAIL: $elf: llvm-nm failed"; status=1; continue; }
    lo=$(awk '$3 == "__mmu_on_start" { print $1 }' <<<"$symbols")
    hi=$(awk '$3 == "__mmu_on_end" { print $1 }' <<<"$symbols")
    if ! report=$("$objdump" -d --no-show-raw-insn "$elf" |
        awk -v lo="$lo" -v hi="$hi" -v roots=boot_mmu_setup -v direct=_start -f "$check"); then
        echo "FAIL: $elf:"
        echo "$report"
        status=1
        continue
    fi
    echo "$elf: $report"
done
exit $status
