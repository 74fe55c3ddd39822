#!/bin/bash
# Runs a libFuzzer binary for a bounded time from its checked-in seed corpus.
# Usage: run_fuzzer.sh FUZZER SEED_DIR [extra libFuzzer flags]
# FUZZ_SECONDS (default 20) bounds the run; run it longer on demand with
#   tools/bazel test //tests/fuzz:cap_fuzz_test --test_env=FUZZ_SECONDS=600
set -euo pipefail
fuzzer="$1" seeds="$2"
shift 2
corpus="${TEST_TMPDIR:-$(mktemp -d)}/corpus"
mkdir -p "$corpus"
cp "$seeds"/* "$corpus"/
artifacts="${TEST_UNDECLARED_OUTPUTS_DIR:-$corpus}/"
exec "$fuzzer" -max_total_time="${FUZZ_SECONDS:-20}" -seed=1 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$@" "$corpus"
