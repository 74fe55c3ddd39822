#!/usr/bin/env bash
# tools/fuzz.sh: long fuzzing. Runs every libFuzzer test (tag "fuzz",
# //tests/fuzz) for SECONDS each, from its checked-in seed corpus.
#
#   tools/fuzz.sh [SECONDS] [bazel test options...]
#   tools/fuzz.sh 600                          # ten minutes each
#   tools/fuzz.sh 300 //tests/fuzz:syscall_fuzz_test
#   FUZZ_SEED=7 tools/fuzz.sh 600              # another random seed (default 1)
#
# SECONDS defaults to 300. `tools/bazel test //...` runs the same fuzzers for
# a fixed number of inputs only (tests/fuzz/BUILD), so that the edit-test
# loop stays short; CI runs this as its own step. The fuzzers run in
# parallel, one per core, each with a test timeout of SECONDS plus two
# minutes; results are never taken from the cache. A crashing input is kept
# in the test's outputs (bazel-testlogs/tests/fuzz/NAME/test.outputs/).
set -euo pipefail
cd "$(dirname "$(readlink -f -- "$0")")/.."

seconds=${1:-300}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || {
    echo "tools/fuzz.sh: SECONDS must be a positive number, not '$seconds' (see the top of $0)" >&2
    exit 2
}
[[ $# -gt 0 ]] && shift
targets=()
options=()
for arg in "$@"; do
    case "$arg" in
        //* | :*) targets+=("$arg") ;;
        *) options+=("$arg") ;;
    esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(//tests/fuzz:all)

exec tools/bazel test --build_tests_only --test_tag_filters=fuzz \
    --test_env=FUZZ_SECONDS="$seconds" --test_env=FUZZ_SEED="${FUZZ_SEED:-1}" \
    --test_timeout=$((seconds + 120)) --nocache_test_results \
    "${options[@]}" -- "${targets[@]}"
