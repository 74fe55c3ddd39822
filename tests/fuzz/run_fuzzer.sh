#!/bin/bash
# Runs a libFuzzer binary from a copy of its checked-in seed corpus.
# Usage: run_fuzzer.sh FUZZER SEED_DIR RUNS [extra libFuzzer flags]
#
# By default it runs the seeds, then mutations up to RUNS inputs in all
# (-runs=RUNS), with a fixed -seed: the same inputs every time, a second or
# two, so `bazel test //...` stays fast and a failure reproduces.
# Long fuzzing is asked for with FUZZ_SECONDS (time-bounded, no run limit)
# and optionally FUZZ_SEED (default 1); tools/fuzz.sh does it for every fuzzer:
#   tools/fuzz.sh 600
set -euo pipefail
fuzzer="$1" seeds="$2" runs="$3"
shift 3
corpus="${TEST_TMPDIR:-$(mktemp -d)}/corpus"
mkdir -p "$corpus"
cp "$seeds"/* "$corpus"/
artifacts="${TEST_UNDECLARED_OUTPUTS_DIR:-$corpus}/"
if [[ -n ${FUZZ_SECONDS:-} ]]; then
    bound=(-max_total_time="$FUZZ_SECONDS")
else
    bound=(-runs="$runs")
fi
exec "$fuzzer" "${bound[@]}" -seed="${FUZZ_SEED:-1}" -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$@" "$corpus"
