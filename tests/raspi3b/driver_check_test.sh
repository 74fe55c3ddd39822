#!/usr/bin/env bash
# tests/raspi3b/driver_check_test.sh OFF_ELF RESET_ELF NORESET_ELF: runs the raspi3b
# driver check (bsp/raspi3b/check) on qemu-system-aarch64 -M raspi3b.
# - OFF_ELF, without -no-reboot: every check ok, then power off makes QEMU
#   exit 0 (a reset instead would boot again and again until the timeout).
# - RESET_ELF, with -no-reboot: every check ok, then reset makes QEMU exit 0,
#   after one boot.
# - NORESET_ELF: every check ok, then power off through registers in RAM
#   that reset nothing: after its wait (a second) bcm_pm says so
#   and halts, and QEMU runs on until killed.
set -uo pipefail
off=$1
reset=$2
noreset=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run NAME ELF QEMU-FLAGS...: QEMU's output in $out, its status in $status.
run() {
    local name=$1 elf=$2
    shift 2
    out=$(timeout "${limit:-30}" qemu-system-aarch64 -M raspi3b -nographic -monitor none "$@" -kernel "$elf" 2>&1)
    status=$?
    echo "---- $name (exit status $status), its first 60 lines"
    head -60 <<<"$out"
}

expect_checks() {
    local name=$1 boots
    grep -q "^check: all ok" <<<"$out" || fail "$name: not every check passed"
    grep -q "FAILED" <<<"$out" && fail "$name: $(grep -m 3 FAILED <<<"$out")"
    boots=$(grep -c "^check: raspi3b drivers" <<<"$out")
    [[ $boots == 1 ]] || fail "$name: the program started $boots times, want 1"
}

run power_off "$off"
[[ $status == 0 ]] || fail "power_off: QEMU exit status $status, want 0 (124: still running, so no power off)"
expect_checks power_off
grep -q "^check: power off" <<<"$out" || fail "power_off: no power-off line"

run reset "$reset" -no-reboot
[[ $status == 0 ]] || fail "reset: QEMU exit status $status, want 0"
expect_checks reset
grep -q "^check: reset" <<<"$out" || fail "reset: no reset line"

limit=5 run no_reset "$noreset" -no-reboot
[[ $status == 124 ]] || fail "no_reset: QEMU exit status $status, want 124 (killed: the CPU halted, nothing reset)"
expect_checks no_reset
grep -q "^check: power off without a PM block" <<<"$out" || fail "no_reset: no power-off line"
grep -q "^basalt: the PM watchdog did not reset the machine" <<<"$out" || fail "no_reset: no report that the reset did not come"
grep -q "^basalt: kernel halted" <<<"$out" || fail "no_reset: no halt marker"

if [[ $failures != 0 ]]; then
    echo "raspi3b driver check: $failures failure(s)"
    exit 1
fi
echo "raspi3b driver check: ok"
