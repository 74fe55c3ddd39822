#!/usr/bin/env bash
# tests/raspi3b/driver_check_test.sh OFF_ELF RESET_ELF: runs the raspi3b
# driver check (bsp/raspi3b/check) on qemu-system-aarch64 -M raspi3b.
# - OFF_ELF, without -no-reboot: every check ok, then power off makes QEMU
#   exit 0 (a reset instead would boot again and again until the timeout).
# - RESET_ELF, with -no-reboot: every check ok, then reset makes QEMU exit 0,
#   after one boot.
set -uo pipefail
off=$1
reset=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run NAME ELF QEMU-FLAGS...: QEMU's output in $out, its status in $status.
run() {
    local name=$1 elf=$2
    shift 2
    out=$(timeout 30 qemu-system-aarch64 -M raspi3b -nographic -monitor none "$@" -kernel "$elf" 2>&1)
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

if [[ $failures != 0 ]]; then
    echo "raspi3b driver check: $failures failure(s)"
    exit 1
fi
echo "raspi3b driver check: ok"
