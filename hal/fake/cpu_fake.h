#pragma once

/**
 * Host fake of hal/cpu.h.
 *
 * hal_cpu_halt() counts the call and ends the host process with exit code
 * CPU_FAKE_HALT_EXIT_CODE, so a test observes a halt with GoogleTest's
 * EXPECT_EXIT(..., ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE), ...).
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The exit status of a host process whose CPU "halted". */
#define CPU_FAKE_HALT_EXIT_CODE 86

#ifdef __cplusplus
}
#endif
