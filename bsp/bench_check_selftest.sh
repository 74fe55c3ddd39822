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

# A fake run_qemu printing $tmp/output as the serial console, CRLF as the kernel does.
cat >"$tmp/run_qemu" <<RUN
#!/bin/sh
sed 's/\$/\r/' "$tmp/output"
exit \${FAKE_RUN_STATUS:-0}
RUN
chmod +x "$tmp/run_qemu"

printf '# a comment\nqemu\t7.2.22 (Debian)\nnull syscall round trip\t108\nyield to another task and back (two switches)\t623\n' >"$tmp/baseline"

fails=0
# expect_run NAME WANT_STATUS WANT_TEXT: runs the check on $tmp/output.
expect_run() {
    local name="$1" want="$2" text="$3" got=0
    "$check" "$tmp/run_qemu" image "$tmp/baseline" >"$tmp/log" 2>&1 || got=$?
    if [[ "$got" -ne "$want" ]] || ! grep -qF -- "$text" "$tmp/log"; then
        echo "FAIL: $name: status $got (want $want), output:"
        cat "$tmp/log"
        echo "(wanted text: $text)"
        fails=$((fails + 1))
    else
        echo "ok: $name"
    fi
}

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
expect_size() { # like expect_run, with --size
    local name="$1" want="$2" text="$3" got=0
    "$check" "$tmp/run_qemu" image "$tmp/baseline" --size="$tmp/size,nm,kernel" >"$tmp/log" 2>&1 || got=$?
    if [[ "$got" -ne "$want" ]] || ! grep -qF -- "$text" "$tmp/log"; then
        echo "FAIL: $name: status $got (want $want), output:"
        cat "$tmp/log"
        fails=$((fails + 1))
    else
        echo "ok: $name"
    fi
}
KERNEL_CODE=1000 expect_size "kernel code at its baseline passes" 0 "every figure at or below its baseline"
KERNEL_CODE=1004 expect_size "kernel code that grew fails" 1 "ROSE"
KERNEL_CODE=1000 expect_run "the kernel code row without --size is missing" 1 "MISSING from the output"

[[ $fails -eq 0 ]] || { echo "$fails case(s) failed"; exit 1; }
echo "all cases passed"
