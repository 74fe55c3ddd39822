/* The short run of the fuzzer: part of `tools/bazel test //...` (seconds). */

#include <stdint.h>

#include "userland/fuzz/fuzz.h"

const uint64_t fuzz_call_count = 5000;
const uint64_t fuzz_progress_every = 1000;
