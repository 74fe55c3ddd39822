#pragma once

/**
 * Host fake of hal/timer.h: a counter the test advances, and a record of
 * how the timer was programmed. The fake never raises an interrupt by
 * itself; a test that needs ticks installs a wait handler with
 * cpu_fake_set_wait_handler() that calls the kernel's tick.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Makes the next hal_timer_start() fail (return -1) when set. */
void timer_fake_set_start_fails(int fails);

/** The tick rate of the last successful hal_timer_start(), 0 if stopped. */
uint32_t timer_fake_tick_hz(void);

/** Restores the initial state: 62.5 MHz counter at 0, stopped, no failure. */
void timer_fake_reset(void);

#ifdef __cplusplus
}
#endif
