#!/bin/bash
# The QEMU test checker must fail on each kind of bad run and pass a good one.
set -uo pipefail
dir=tests/qemu
check() { # check WANT(pass|fail) DESCRIPTION [EXPECT-EXIT], with FAKE_* set by the caller
    local want="$1" what="$2" exit_status="${3:-0}" got
    local last="basalt: power off"
    [[ "$exit_status" == halted ]] && last="basalt: kernel halted"
    if "$dir/qemu_test.sh" "$dir/fake_run_qemu.sh" /dev/null --expect="basalt: boot" --expect="$last" \
        --expect-exit="$exit_status" >/dev/null 2>&1; then
        got=pass
    else
        got=fail
    fi
    if [[ "$got" != "$want" ]]; then
        echo "checker did $got, expected $want: $what"
        status=1
    fi
}
status=0
good='basalt: boot\r\nbasalt: power off\r\n'
FAKE_SERIAL="$good" FAKE_LOG='Exception return from AArch64 EL2 to AArch64 EL1 PC 0x40100040\nTaking exception 13 [Secure Monitor Call] on CPU 0\n...from EL1 to EL3\n...with ESR 0x17/0x5e000000\n...handled as PSCI call\n' check pass "clean boot"
FAKE_SERIAL="$good" FAKE_LOG='Taking exception 11 [Hypervisor Call] on CPU 0\n...from EL1 to EL2\n...with ESR 0x16/0x5a000000\n' check fail "hypervisor call not handled as PSCI"
FAKE_SERIAL="$good" FAKE_EXIT=1 check fail "non-zero exit status"
FAKE_SERIAL="$good" FAKE_EXIT=124 check fail "timeout"
FAKE_SERIAL='basalt: boot\r\n' check fail "missing final marker"
FAKE_SERIAL='basalt: power off\r\nbasalt: boot\r\n' check fail "markers out of order"
FAKE_SERIAL="$good" FAKE_LOG='Taking exception 4 [Data Abort]\n' check fail "unexpected exception"
FAKE_SERIAL="$good" FAKE_LOG='Invalid read at addr 0x0, size 4, region (null)\n' check fail "guest error"
halt='basalt: boot\r\nbasalt: kernel halted\r\n'
FAKE_SERIAL="$halt" FAKE_HANG=1 check pass "halted kernel, halt expected" halted
FAKE_SERIAL="$good" FAKE_EXIT=0 check fail "halt expected, the kernel powered off instead" halted
FAKE_SERIAL="$halt" FAKE_HANG=1 check fail "halted kernel, clean exit expected"
# --allow-log: an event matching a pattern passes, any other still fails.
irq='Taking exception 5 [IRQ] on CPU 0\n...from EL1 to EL1\n'
svc='Taking exception 2 [SVC] on CPU 0\n...from EL0 to EL1\n'
allow_irq='--allow-log=^Taking exception 5 \[IRQ\] on CPU 0 \| \.\.\.from EL[01] to EL1'
allow() { # allow WANT(pass|fail) DESCRIPTION LOG [ALLOW...]
    local want="$1" what="$2" log="$3" got
    shift 3
    if FAKE_SERIAL="$good" FAKE_LOG="$log" "$dir/qemu_test.sh" "$dir/fake_run_qemu.sh" /dev/null \
        --expect="basalt: power off" "$@" >/dev/null 2>&1; then
        got=pass
    else
        got=fail
    fi
    [[ "$got" == "$want" ]] || { echo "checker did $got, expected $want: $what"; status=1; }
}
allow pass "allowed IRQs" "$irq$irq" "$allow_irq"
allow fail "IRQ without --allow-log" "$irq"
allow fail "SVC not allowed, IRQ allowed" "$irq$svc$irq" "$allow_irq"
allow pass "two patterns" "$svc$irq" "$allow_irq" '--allow-log=^Taking exception 2 \[SVC\] '
allow fail "pattern anchored at the start" "x$irq" "$allow_irq"
prefix() { # prefix WANT SERIAL: --expect with a trailing "*" matches line beginnings only
    local want="$1"
    if FAKE_SERIAL="$2" "$dir/qemu_test.sh" "$dir/fake_run_qemu.sh" /dev/null --expect="basalt: memory: 128 MiB RAM, *" >/dev/null 2>&1; then
        [[ "$want" == pass ]] || { echo "prefix match accepted: $2"; status=1; }
    else
        [[ "$want" == fail ]] || { echo "prefix match refused: $2"; status=1; }
    fi
}
if FAKE_SERIAL="$good" "$dir/qemu_test.sh" "$dir/fake_run_qemu.sh" /dev/null --forbid="basalt: power off" >/dev/null 2>&1; then
    echo "checker accepted a forbidden line"
    status=1
fi
# A forbidden line ending in * refuses every line that starts with the rest.
forbid() { # forbid WANT(pass|fail) SERIAL
    local want="$1"
    if FAKE_SERIAL="$2" "$dir/qemu_test.sh" "$dir/fake_run_qemu.sh" /dev/null --forbid="wx: FAIL*" >/dev/null 2>&1; then
        [[ "$want" == pass ]] || { echo "forbidden prefix accepted: $2"; status=1; }
    else
        [[ "$want" == fail ]] || { echo "forbidden prefix refused: $2"; status=1; }
    fi
}
forbid fail 'basalt: boot\r\nwx: FAIL: mapped twice\r\nbasalt: power off\r\n'
forbid pass 'basalt: boot\r\nwx: ok, FAIL never printed\r\nbasalt: power off\r\n'
prefix pass 'basalt: memory: 128 MiB RAM, 1 of 2 frames free\r\n'
prefix fail 'basalt: memory: 1024 MiB RAM, 1 of 2 frames free\r\n'
prefix fail 'xbasalt: memory: 128 MiB RAM, 1 of 2 frames free\r\n'
# qemu_suite.sh: passes when every case passes, fails when any one fails,
# runs only the cases --test_filter (TESTBRIDGE_TEST_ONLY) names.
suite() { # suite WANT(pass|fail) DESCRIPTION ARGS...
    local want="$1" what="$2" got
    shift 2
    if FAKE_SERIAL="$good" "$dir/qemu_suite.sh" "$dir/qemu_test.sh" "$@" >/dev/null 2>&1; then
        got=pass
    else
        got=fail
    fi
    [[ "$got" == "$want" ]] || { echo "suite did $got, expected $want: $what"; status=1; }
}
good_case=("$dir/fake_run_qemu.sh" /dev/null "--expect=basalt: power off")
bad_case=("$dir/fake_run_qemu.sh" /dev/null "--expect=basalt: never printed")
suite pass "two good cases" --case=a "${good_case[@]}" --case=b "${good_case[@]}"
suite fail "one bad case among good ones" --case=a "${good_case[@]}" --case=bad "${bad_case[@]}" --case=c "${good_case[@]}"
suite fail "one bad case, one job at a time" --case=bad "${bad_case[@]}" --case=a "${good_case[@]}"
QEMU_SUITE_JOBS=1 suite fail "one bad case, QEMU_SUITE_JOBS=1" --case=a "${good_case[@]}" --case=bad "${bad_case[@]}"
TESTBRIDGE_TEST_ONLY='^a$' suite pass "filter leaves the bad case out" --case=a "${good_case[@]}" --case=bad "${bad_case[@]}"
TESTBRIDGE_TEST_ONLY='^nothing$' suite fail "filter that matches no case" --case=a "${good_case[@]}"
suite fail "no case at all"
suite fail "argument before the first case" "${good_case[@]}"
suite fail "case given twice" --case=a "${good_case[@]}" --case=a "${good_case[@]}"
[[ "$status" == 0 ]] && echo "qemu_test.sh rejects every bad run and accepts a clean one; qemu_suite.sh fails with any failed case"
exit "$status"
