#!/bin/bash
# QEMU system test: boots the image with the given run_qemu options, then
# checks QEMU's exit status, the serial output and the exception log.
#
# Usage: qemu_test.sh RUN_QEMU IMAGE [--expect=LINE]... [--expect-exit=N]
#        [--allow-log=REGEX]... [run_qemu options]
#   --expect=LINE      a line that must appear on the serial port, in order;
#                      a LINE ending in "*" matches any line it begins
#   --forbid=LINE      a line that must not appear on the serial port (a
#                      trailing * matches any line that starts with the rest)
#   --expect-exit=N    QEMU's expected exit status (default 0), or "halted":
#                      the kernel printed its halt marker, and the test
#                      stopped QEMU then (a halted kernel never exits)
#   --allow-log=REGEX  QEMU -d int,guest_errors lines matching REGEX are
#                      expected; any other exception or guest error fails
#   --board=NAME       passed on to run_qemu (virt when absent); every
#                      FAIL and PASS line names it
set -uo pipefail
run_qemu="$1" image="$2"
shift 2
expects=() forbids=() allows=() qemu_args=() expect_exit=0 board=virt
for arg in "$@"; do
    case "$arg" in
    --board=*) board="${arg#--board=}"; qemu_args+=("$arg") ;;
    --expect=*) expects+=("${arg#--expect=}") ;;
    --forbid=*) forbids+=("${arg#--forbid=}") ;;
    --expect-exit=*) expect_exit="${arg#--expect-exit=}" ;;
    --allow-log=*) allows+=("${arg#--allow-log=}") ;;
    *) qemu_args+=("$arg") ;;
    esac
done

out="${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}"
serial="$out/serial.txt" log="$out/qemu_int.log"
: >"$serial" >"$log"
# The marker kernel/main/boot_markers.h prints after a fatal error.
halt_marker="basalt: kernel halted"
"$run_qemu" --image="$image" --serial="$serial" --log="$log" --timeout=60 "${qemu_args[@]}" </dev/null &
pid=$!
# Watch for the halt marker without a process per look: forks, not the
# look itself, were most of this checker's CPU time (two per 0.1 s, for as
# long as QEMU ran). `read -t` on a pipe nobody writes to is the pause.
exec {pause_fd}<> <(:)
halted() {
    local text=""
    IFS= read -r -d '' text <"$serial"
    [[ "$text" == *"$halt_marker"* ]]
}
while kill -0 "$pid" 2>/dev/null; do
    if halted; then
        read -r -t 0.05 -u "$pause_fd" # let QEMU flush what follows
        kill "$pid" 2>/dev/null
        break
    fi
    read -r -t 0.02 -u "$pause_fd"
done
wait "$pid"
status=$?
exec {pause_fd}<&-
# A kernel that printed the halt marker has halted, however QEMU ended.
halted && status=halted
failed=0
# Every failure names the board, so that one case of the suite that fails
# on one board only says which.
fail() {
    echo "FAIL on $board: $*"
    failed=1
}

echo "--- serial output (qemu ${qemu_args[*]:-defaults}) ---"
# One awk prints the serial output and checks it: each expected line in
# order (a line not found is reported, and the next one is searched from
# where the previous found one was), then the forbidden lines. The lines
# come in through a here-string: "E" expected, "F" forbidden.
wanted=""
for line in "${expects[@]}"; do wanted+="E$line"$'\n'; done
for line in "${forbids[@]}"; do wanted+="F$line"$'\n'; done
awk -v board="$board" '
    FNR == NR { if ($0 != "") { kind[++n] = substr($0, 1, 1); want[n] = substr($0, 2) } next }
    { gsub(/\r/, ""); print; line[++lines] = $0 }
    function matches(text, w) {
        if (w ~ /\*$/) return index(text, substr(w, 1, length(w) - 1)) == 1
        return text == w
    }
    END {
        print "--- end of serial output ---"
        failed = 0
        pos = 1
        for (i = 1; i <= n; i++) {
            if (kind[i] != "E") continue
            for (j = pos; j <= lines && !matches(line[j], want[i]); j++) {}
            if (j > lines) { print "FAIL on " board ": missing serial line: " want[i]; failed = 1 }
            else pos = j + 1
        }
        for (i = 1; i <= n; i++) {
            if (kind[i] != "F") continue
            for (j = 1; j <= lines; j++)
                if (matches(line[j], want[i])) { print "FAIL on " board ": forbidden serial line: " line[j]; failed = 1; break }
        }
        exit failed
    }' /dev/stdin "$serial" <<<"$wanted" || failed=1
[[ "$status" == "$expect_exit" ]] || fail "QEMU exited with $status, expected $expect_exit"

# The exception and guest-error log, one event per line: a "Taking
# exception" line and its "..." continuation lines are joined with " | ".
# With several CPUs, run_qemu writes one log per QEMU thread (FILE.TID),
# each CPU's events in order; an event never spans two files.
# Exceptions QEMU handles itself as PSCI calls and exception returns are
# expected; anything else (exceptions, guest errors) must be allowed
# explicitly with --allow-log (extended regular expressions, as bash's =~).
# One awk and one grep over the whole log: a loop in bash took seconds for
# the tens of thousands of events of an IPC stress test.
allowed=$(mktemp "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/allow_log.XXXXXX")
if [[ ${#allows[@]} -gt 0 ]]; then
    printf '%s\n' "${allows[@]}" >"$allowed"
else
    : >"$allowed" # no pattern: grep -f matches nothing, every event is unexpected
fi
shopt -s nullglob
logs=("$log" "$log".*)
shopt -u nullglob
while IFS= read -r event; do
    fail "unexpected QEMU log event: $event"
done < <(awk 'FNR == 1 && n { print ev; n = 0 } /^\.\.\./ && n { ev = ev " | " $0; next } { if (n) print ev; ev = $0; n = 1 } END { if (n) print ev }' "${logs[@]}" |
    awk -v psci="| ...handled as PSCI call" '
        $0 == "" { next }
        index($0, "Taking exception") == 1 && length($0) >= length(psci) &&
            substr($0, length($0) - length(psci) + 1) == psci { next }
        index($0, "Exception return from AArch64 EL") == 1 { next }
        { print }' |
    grep -aEv -f "$allowed")
rm -f "$allowed"

[[ "$failed" == 0 ]] && echo "PASS on $board: ${#expects[@]} lines matched, exit status $status, no unexpected exception"
exit "$failed"
