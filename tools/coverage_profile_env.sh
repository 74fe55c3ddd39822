#!/bin/sh
# The --run_under wrapper of --config=coverage (.bazelrc): every process of
# the test writes its raw profile into the test's undeclared outputs
# directory, one file per process (%p) and binary (%m), which Bazel keeps
# (zipped) under bazel-testlogs; tools/coverage.sh merges them.
: "${TEST_UNDECLARED_OUTPUTS_DIR:?coverage_profile_env: run it as the --run_under of a Bazel test}"
LLVM_PROFILE_FILE="$TEST_UNDECLARED_OUTPUTS_DIR/%p-%m.profraw"
export LLVM_PROFILE_FILE
exec "$@"
