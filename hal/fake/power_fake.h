#pragma once

/**
 * Host fake of hal/power.h.
 *
 * hal_power_off() counts the call and then runs the "off" handler, which by
 * default ends the process with exit(0), as QEMU does on PSCI SYSTEM_OFF.
 * A test observes it either as a clean exit (GoogleTest's
 * EXPECT_EXIT(..., ::testing::ExitedWithCode(0), ...)) or by installing a
 * handler that longjmp()s back into the test and then reading
 * power_fake_off_count(). Not thread-safe.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * What hal_power_off() runs after counting the call. It must not return
 * (exit, longjmp or throw); if it does, hal_power_off() calls abort()
 * because its own contract forbids returning.
 */
typedef void (*power_fake_handler)(void);

/** Returns how many times hal_power_off() has been called since the reset. */
uint32_t power_fake_off_count(void);

/**
 * Installs the handler hal_power_off() runs; NULL restores the default,
 * exit(0).
 */
void power_fake_set_handler(power_fake_handler handler);

/** Zeroes the count and restores the default handler. */
void power_fake_reset(void);

#ifdef __cplusplus
}
#endif
