/* The long run of the fuzzer: CI (`tools/bazel test --config=ci`, tag "long"). */

#include <stdint.h>

#include "userland/fuzz/fuzz.h"

const uint64_t fuzz_call_count = 100000;
const uint64_t fuzz_progress_every = 10000;
