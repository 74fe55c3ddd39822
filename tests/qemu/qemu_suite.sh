#!/bin/bash
# Runs many QEMU system tests in one Bazel test action, several at a time.
#
# Usage: qemu_suite.sh CHECKER --case=NAME ARG... [--case=NAME ARG...]...
#   CHECKER  tests/qemu/qemu_test.sh; each case runs `CHECKER ARG...`, the
#            arguments its own sh_test (qemu_test in qemu_test.bzl) has.
# Environment:
#   QEMU_SUITE_JOBS       cases run at once (default: the number of CPUs)
#   TESTBRIDGE_TEST_ONLY  (bazel test --test_filter=REGEX) only the cases
#                         whose name matches REGEX (extended, unanchored)
#
# Why: Bazel 4.2.3 spends about 0.85 CPU-seconds on each test action beyond
# the test itself (sandbox, test-setup.sh, the XML step), more than QEMU
# takes to boot most test kernels. Each case's line gives its wall time and
# the CPU time of its checker and all it ran (QEMU included). Every case's
# serial output and checker output land in the undeclared outputs under the
# case's name, and a failed case's QEMU log too; the log of each failed
# case is printed in full.
set -uo pipefail
checker="$1"
shift

work=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/qemu_suite.XXXXXX")
out="${TEST_UNDECLARED_OUTPUTS_DIR:-$work/out}"
names=()
current=""
for arg in "$@"; do
    if [[ "$arg" == --case=* ]]; then
        current="${arg#--case=}"
        [[ "$current" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "qemu_suite: bad case name '$current'"; exit 2; }
        [[ -e "$work/$current.args" ]] && { echo "qemu_suite: case '$current' given twice"; exit 2; }
        names+=("$current")
        : >"$work/$current.args"
        continue
    fi
    [[ -n "$current" ]] || { echo "qemu_suite: argument '$arg' before the first --case="; exit 2; }
    printf '%s\0' "$arg" >>"$work/$current.args"
done
[[ ${#names[@]} -gt 0 ]] || { echo "qemu_suite: no case given"; exit 2; }

filter="${TESTBRIDGE_TEST_ONLY:-}"
jobs="${QEMU_SUITE_JOBS:-$(nproc 2>/dev/null || echo 2)}"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "qemu_suite: QEMU_SUITE_JOBS must be a positive number, not '$jobs'"; exit 2; }

run_case() { # run_case NAME: the checker's output in OUT/NAME/checker.log, its status in WORK/NAME.status
    local name="$1" args start end status
    mapfile -d '' args <"$work/$name.args"
    mkdir -p "$out/$name"
    start=$(date +%s%N)
    TEST_UNDECLARED_OUTPUTS_DIR="$out/$name" "$checker" "${args[@]}" >"$out/$name/checker.log" 2>&1 </dev/null
    status=$?
    # A passing case's QEMU log (-d int: every exception) goes: the shell
    # tests' reach 15 MB, and Bazel zips the undeclared outputs after every
    # run (38 MB of logs cost the suite about 2 s). A failing case keeps it.
    [[ "$status" == 0 ]] && rm -f "$out/$name/qemu_int.log"
    end=$(date +%s%N)
    # The CPU time of the checker and all it ran (QEMU included): the
    # second line of `times`, children's user and system time, as "XmY.ZZZs".
    local user sys
    times >"$work/$name.times"
    read -r user sys < <(tail -n 1 "$work/$name.times")
    echo "$status $(((end - start) / 1000000)) $(($(cpu_ms "$user") + $(cpu_ms "$sys")))" >"$work/$name.status"
}

cpu_ms() { # cpu_ms XmY.ZZZs: milliseconds
    local t="$1" min sec frac
    min="${t%%m*}" t="${t#*m}" t="${t%s}"
    sec="${t%.*}" frac="${t#*.}000"
    echo $((10#$min * 60000 + 10#$sec * 1000 + 10#${frac:0:3}))
}

selected=()
for name in "${names[@]}"; do
    [[ -z "$filter" || "$name" =~ $filter ]] && selected+=("$name")
done
[[ ${#selected[@]} -gt 0 ]] || { echo "qemu_suite: no case matches the filter '$filter'"; exit 2; }

for name in "${selected[@]}"; do
    while [[ $(jobs -rp | wc -l) -ge "$jobs" ]]; do
        wait -n
    done
    run_case "$name" &
done
wait

failed=()
total_ms=0 total_cpu=0
for name in "${selected[@]}"; do
    read -r status ms cpu <"$work/$name.status" 2>/dev/null || status=missing ms=0 cpu=0
    total_ms=$((total_ms + ms)) total_cpu=$((total_cpu + cpu))
    if [[ "$status" == 0 ]]; then
        printf 'PASS %-40s %6d ms %6d ms CPU\n' "$name" "$ms" "$cpu"
    else
        printf 'FAIL %-40s %6d ms %6d ms CPU (status %s)\n' "$name" "$ms" "$cpu" "$status"
        failed+=("$name")
    fi
done
for name in "${failed[@]}"; do
    echo "=== $name: checker output ==="
    cat "$out/$name/checker.log" 2>/dev/null
done
rm -rf "$work"
echo "${#selected[@]} cases, ${#failed[@]} failed (of ${#names[@]} in the suite; $jobs at a time; $((total_ms / 1000)).$(printf '%03d' $((total_ms % 1000))) s in cases, $((total_cpu / 1000)).$(printf '%03d' $((total_cpu % 1000))) CPU-s)"
[[ ${#failed[@]} -eq 0 ]]
