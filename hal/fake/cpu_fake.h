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

/** What hal_cpu_idle() runs: stands in for an interrupt. */
typedef void (*cpu_fake_wait_handler)(void);

/**
 * Installs the handler hal_cpu_idle() calls (NULL: return at
 * once), e.g. the kernel's tick, so waiting code sees time pass.
 */
void cpu_fake_set_wait_handler(cpu_fake_wait_handler handler);

/**
 * hal_cpu_instructions() returns first, then first + step, first + 2 * step
 * and so on (0 and 0, the default: a CPU that does not count).
 */
void cpu_fake_set_instructions(uint64_t first, uint64_t step);

/** What hal_cpu_online() returns (1, the boot CPU alone, by default). */
void cpu_fake_set_online(uint32_t mask);

/** The CPUs hal_cpu_kick() was called for since the last call (bit c: CPU c); clears them. */
uint32_t cpu_fake_take_kicks(void);

#ifdef __cplusplus
}
#endif
