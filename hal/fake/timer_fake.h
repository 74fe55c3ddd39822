#pragma once

/**
 * Host fake of hal/timer.h: a counter the test sets, and a record of
 * how the timer was programmed (tick rate, alarm). hal_timer_rearm()
 * reports one period per call. The fake never raises an interrupt by
 * itself; a test that needs ticks installs a wait handler with
 * cpu_fake_set_wait_handler() that calls the kernel's tick.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Makes the next hal_timer_start() fail (return -1) when set. */
void timer_fake_set_start_fails(int fails);

/** The tick rate of the last successful hal_timer_start(), 0 if stopped. */
uint32_t timer_fake_tick_hz(void);

/** Sets what hal_timer_count() returns (it stays there until set again). */
void timer_fake_set_count(uint64_t count);

/** The alarm last given to hal_timer_set_alarm(), 0 if none (or stopped). */
uint64_t timer_fake_alarm(void);

/** Whether the CPU is idle now (hal_timer_idle(true) was the last call): its tick is off. */
bool timer_fake_idle(void);

/** How many times the CPU went idle (hal_timer_idle(true) after busy) since the reset. */
uint32_t timer_fake_idle_count(void);

/** Restores the initial state: 62.5 MHz counter at 0, stopped, no failure. */
void timer_fake_reset(void);

#ifdef __cplusplus
}
#endif
