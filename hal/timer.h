#pragma once

/**
 * HAL timer: the per-CPU tick source and the system counter.
 *
 * Implemented by hal/aarch64 (the Arm generic timer, virtual timer) and by
 * hal/fake. The board's interrupt handler calls hal_timer_rearm() and then
 * the kernel's tick when the timer interrupt fires.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The system counter frequency in Hz (never 0 after hal_timer_init). */
uint64_t hal_timer_frequency(void);

/** The system counter: monotonic, hal_timer_frequency() counts a second. */
uint64_t hal_timer_count(void);

/**
 * Sets the counter frequency if the hardware reports none: frequency_hz is
 * the device tree's value, or 0 to keep what the hardware says.
 */
void hal_timer_init(uint64_t frequency_hz);

/**
 * Starts a periodic tick of tick_hz (1 .. frequency) interrupts a second on
 * the calling CPU. Returns 0, or -1 if tick_hz is out of range.
 */
int hal_timer_start(uint32_t tick_hz);

/**
 * Called from the timer interrupt: programs the next one (the next
 * period's end, or the alarm if it comes first) and returns how many
 * periods ended since the last call (0 when only the alarm fired; more
 * than 1 if interrupts were held off for longer than a period). An alarm
 * whose time has come is spent (no second interrupt for it).
 */
uint64_t hal_timer_rearm(void);

/**
 * An alarm: a timer interrupt at counter value `when` (absolute, the
 * counter of hal_timer_count), besides the periodic tick, or none when
 * when is 0; replaces the last one. A time already past fires at once;
 * any value is valid (UINT64_MAX never comes). Only while the tick runs
 * (hal_timer_start); hal_timer_stop drops it.
 */
void hal_timer_set_alarm(uint64_t when);

/**
 * The calling CPU goes idle (idle true): it runs no task until an
 * interrupt, so it needs no tick; its alarm, if it has one, stays armed.
 * An idle CPU is woken by its alarm, a device's interrupt or a kick, and
 * hal_timer_rearm counts no period while it is idle. Busy again (false):
 * the tick restarts, its next period ending a whole period from now. A
 * CPU that ticked through its idle waits would take the kernel (and, on
 * several CPUs, its lock) KERNEL_TICK_HZ times a second for nothing.
 */
void hal_timer_idle(bool idle);

/** Stops the tick on the calling CPU. */
void hal_timer_stop(void);

#ifdef __cplusplus
}
#endif
