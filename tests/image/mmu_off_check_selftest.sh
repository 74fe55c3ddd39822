#!/bin/bash
# mmu_off_check.awk must fail on each way MMU-off code can reach .data or
# .bss and pass code that does not, on disassembly written like
# llvm-objdump's. The range is [...c0120000, ...c0130000).
# Usage: mmu_off_check_selftest.sh CHECK.awk
set -uo pipefail
check_awk="$1"
status=0
lo=ffffffffc0120000
hi=ffffffffc0130000

# A function: fn ADDRESS NAME, then its instructions: insn ADDRESS MNEMONIC OPERANDS.
fn() { printf '\n%s <%s>:\n' "$1" "$2"; }
insn() { printf '%s:      \t%s\t%s\n' "$1" "$2" "$3"; }

# start, boot_mmu_setup and a helper; $1 and $2 are the helper's adrp target
# and how boot_mmu_setup reaches it.
program() {
    local target="$1" reach="${2:-bl}"
    fn ffffffffc0100000 _start
    insn ffffffffc0100000 adrp "x0, 0xffffffffc0140000 <__stack_top>"
    insn ffffffffc0100004 bl "0xffffffffc0100100 <boot_mmu_setup>"
    insn ffffffffc0100008 bl "0xffffffffc0100300 <bsp_main>"
    fn ffffffffc0100100 boot_mmu_setup
    insn ffffffffc0100100 adrp "x8, 0xffffffffc0110000 <boot_platform>"
    insn ffffffffc0100104 cbz "x0, 0xffffffffc0100108 <boot_mmu_setup+0x8>"
    insn ffffffffc0100108 "$reach" "${3-}0xffffffffc0100200 <helper>"
    insn ffffffffc010010c ret ""
    fn ffffffffc0100200 helper
    insn ffffffffc0100200 adrp "x9, $target <sym>"
    insn ffffffffc0100204 ret ""
    # Called by _start only once .bss is zeroed: not checked.
    fn ffffffffc0100300 bsp_main
    insn ffffffffc0100300 adrp "x9, 0xffffffffc0121000 <kernel>"
    insn ffffffffc0100304 ret ""
}

expect() { # expect pass|fail DESCRIPTION, the disassembly on stdin
    local want="$1" what="$2" got
    if awk -v lo="$lo" -v hi="$hi" -v roots=boot_mmu_setup -v direct=_start -f "$check_awk" \
        >/dev/null; then
        got=pass
    else
        got=fail
    fi
    if [[ "$got" != "$want" ]]; then
        echo "FAIL: checker did $got, expected $want: $what"
        status=1
    fi
}

program 0xffffffffc0110000 | expect pass "helper reaches MMU_OFF_BSS only"
program 0xffffffffc011f000 | expect pass "the page below .data"
program 0xffffffffc0130000 | expect pass "the page past .bss"
program 0xffffffffc0120000 | expect fail "helper reaches the first page of .data"
program 0xffffffffc012f000 | expect fail "helper reaches the last page of .bss"
program 0xffffffffc0120000 b | expect fail "reached by a tail call"
program 0xffffffffc0120000 cbnz "x1, " | expect fail "reached by a conditional branch"
program 0xffffffffc0120000 tbz "w1, #0x3, " | expect fail "reached by a bit test"
{
    program 0xffffffffc0110000
    fn ffffffffc0100400 other
    insn ffffffffc0100400 blr "x8"
} | expect pass "an indirect call where no MMU-off code goes"
program 0xffffffffc0110000 | sed 's/\tret\t$/\tblr\tx3/' | expect fail "an indirect call"
program 0xffffffffc0110000 | sed 's/<__stack_top>/<x>/; s/adrp\tx0, 0xffffffffc0140000/adr\tx0, 0xffffffffc0125000/' |
    expect fail "_start itself reaches .bss (adr)"
program 0xffffffffc0110000 | sed 's/boot_mmu_setup>:/other>:/' | expect fail "no boot_mmu_setup"
program 0xffffffffc0110000 | sed 's/0xffffffffc0110000 <boot_platform>/<boot_platform>/' |
    expect fail "an adrp without an address"
# Two local functions of one name (each object's outliner makes its own
# OUTLINED_FUNCTION_0): only the one MMU-off code branches to counts.
outlined() { # $1: the copy helper calls
    program 0xffffffffc0110000 | sed "s/\tret\t$/\tbl\t$1 <OUTLINED_FUNCTION_0>/"
    fn ffffffffc0100500 OUTLINED_FUNCTION_0
    insn ffffffffc0100500 ret ""
    fn ffffffffc0100600 OUTLINED_FUNCTION_0
    insn ffffffffc0100600 adrp "x8, 0xffffffffc0121000 <kernel>"
    insn ffffffffc0100604 ret ""
}
outlined 0xffffffffc0100500 | expect pass "a clean copy of a shared name is called"
outlined 0xffffffffc0100600 | expect fail "the copy of a shared name that reaches .data is called"
printf '' | expect fail "no disassembly"
[[ $status -eq 0 ]] && echo "mmu_off_check.awk: every case as expected"
exit $status
