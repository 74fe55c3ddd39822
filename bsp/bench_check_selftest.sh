#!/usr/bin/env bash
# bench_check.sh against a fake QEMU and fake benchmark outputs: a figure
# that rose fails, one that fell passes, a missing or new row fails, a run
# that did not finish fails, and a QEMU other than the baseline's is named.
set -euo pipefail

check="$1"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_check_selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
cat >"$tmp/bin/qemu-system-aarch64" <<'QEMU'
#!/bin/sh
echo "QEMU emulator version ${FAKE_QEMU_VERSION}"
QEMU
chmod +x "$tmp/bin/qemu-system-aarch64"
export PATH="$tmp/bin:$PATH"

# A fake run_qemu printing $tmp/output as the serial console, CRLF as the
# kernel does ($tmp/output_smp when given --smp=2, with FAKE_SMP_STATUS).
cat >"$tmp/run_qemu" <<RUN
#!/bin/sh
for arg in "\$@"; do
    if [ "\$arg" = --smp=2 ]; then
        sed 's/\$/\r/' "$tmp/output_smp"
        exit \${FAKE_SMP_STATUS:-0}
    fi
done
sed 's/\$/\r/' "$tmp/output"
exit \${FAKE_RUN_STATUS:-0}
RUN
chmod +x "$tmp/run_qemu"

printf '# a comment\nqemu\t7.2.22 (Debian)\nnull syscall round trip\t108\nyield to another task and back (two switches)\t623\n' >"$tmp/baseline"

fails=0
# expect_check NAME WANT_STATUS WANT_TEXT BASELINE [ARG]...: runs the check
# (with ARGs) on $tmp/output against BASELINE.
expect_check() {
    local name="$1" want="$2" text="$3" baseline="$4" got=0
    shift 4
    "$check" "$tmp/run_qemu" image "$baseline" "$@" >"$tmp/log" 2>&1 || got=$?
    if [[ "$got" -ne "$want" ]] || ! grep -qF -- "$text" "$tmp/log"; then
        echo "FAIL: $name: status $got (want $want), output:"
        cat "$tmp/log"
        echo "(wanted text: $text)"
        fails=$((fails + 1))
    else
        echo "ok: $name"
    fi
}
# expect_run NAME WANT_STATUS WANT_TEXT: the check against $tmp/baseline.
expect_run() { expect_check "$1" "$2" "$3" "$tmp/baseline"; }

bench() { # bench NULL YIELD [EXTRA ROW]
    {
        echo "basalt: boot"
        echo "bench: instructions retired, median of 101             count"
        echo "bench: null syscall round trip                           $1"
        [[ -n "${3:-}" ]] && echo "bench: $3                      5"
        [[ -n "$2" ]] && echo "bench: yield to another task and back (two switches)      $2"
        echo "bench: done"
        echo "basalt: power off"
    } >"$tmp/output"
}

export FAKE_QEMU_VERSION="7.2.22 (Debian)"
bench 108 623
expect_run "equal figures pass" 0 "every figure at or below its baseline"
bench 100 623
expect_run "a figure that fell passes, with a note" 0 "fell: --update keeps the gain"
bench 109 623
expect_run "a figure that rose fails" 1 "ROSE"
bench 108 ""
expect_run "a missing row fails" 1 "MISSING from the output"
bench 108 623 "something new"
expect_run "a new row fails" 1 "NEW: not in the baseline"
bench 108 623
FAKE_RUN_STATUS=124 expect_run "a run that did not finish fails" 1 "did not finish"
grep -v 'bench: done' "$tmp/output" >"$tmp/cut" && mv "$tmp/cut" "$tmp/output"
expect_run "a run without its last line fails" 1 "did not finish"

export FAKE_QEMU_VERSION="8.0.0"
bench 108 623
expect_run "another QEMU is named when nothing rose" 0 "the baseline holds for QEMU 7.2.22 (Debian); this is QEMU 8.0.0"
bench 120 623
expect_run "another QEMU is named as a cause when a figure rose" 1 "may be QEMU's, not the kernel's"

# --size: the kernel code row from a size script.
export FAKE_QEMU_VERSION="7.2.22 (Debian)"
printf '#!/bin/sh\necho "size: kernel code (text of its own functions, user images excluded): $KERNEL_CODE bytes, 1.0 KiB"\n' >"$tmp/size"
chmod +x "$tmp/size"
printf 'kernel code, text bytes\t1000\n' >>"$tmp/baseline"
bench 108 623
expect_size() { expect_check "$1" "$2" "$3" "$tmp/baseline" --size="$tmp/size,nm,kernel"; }
KERNEL_CODE=1000 expect_size "kernel code at its baseline passes" 0 "every figure at or below its baseline"
KERNEL_CODE=1004 expect_size "kernel code that grew fails" 1 "ROSE"
KERNEL_CODE=1000 expect_run "the kernel code row without --size is missing" 1 "MISSING from the output"

# --smp=2: a second run on two CPUs, its rows named "2 CPUs: ROW".
printf '# two runs\nqemu\t7.2.22 (Debian)\nnull syscall round trip\t108\n2 CPUs: null syscall round trip\t240\n2 CPUs: IPC round trip between two CPUs (0 calls 1)\t4000\n' >"$tmp/baseline_smp"
# check_smp NAME WANT_STATUS WANT_TEXT [ARG]...: the check on that baseline with ARGs.
check_smp() {
    local name="$1" want="$2" text="$3"
    shift 3
    expect_check "$name" "$want" "$text" "$tmp/baseline_smp" "$@"
}
expect_smp() { check_smp "$1" "$2" "$3" --smp=2; }
printf 'bench: null syscall round trip   108\nbench: done\n' >"$tmp/output"
smp_bench() { # smp_bench NULL CROSS
    printf 'bench: null syscall round trip   %s\nbench: IPC round trip between two CPUs (0 calls 1)   %s\nbench: done\n' "$1" "$2" >"$tmp/output_smp"
}
smp_bench 240 4000
expect_smp "both runs at their baselines pass" 0 "every figure at or below its baseline"
smp_bench 240 4001
expect_smp "a two-CPU figure that rose fails, named" 1 "2 CPUs: IPC round trip between two CPUs (0 calls 1)"
smp_bench 240 4001
expect_smp "a two-CPU figure that rose fails" 1 "ROSE"
smp_bench 240 4000
FAKE_SMP_STATUS=124 expect_smp "a two-CPU run that did not finish fails" 1 "did not finish (run_qemu status 124, --smp=2)"
printf 'bench: null syscall round trip   240\nbench: done\n' >"$tmp/output_smp"
expect_smp "a two-CPU row missing fails" 1 "MISSING from the output"
smp_bench 240 4000
check_smp "without --smp the two-CPU rows are missing" 1 "2 CPUs: null syscall round trip"
check_smp "--smp=1 is refused" 2 "--smp must be 2 to 9" --smp=1

[[ $fails -eq 0 ]] || { echo "$fails case(s) failed"; exit 1; }
echo "all cases passed"
