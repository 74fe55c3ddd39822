#pragma once

/**
 * The kernel's tick: counted from the periodic timer interrupt. Later the
 * scheduler's time-slice accounting hangs off kernel_tick().
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The tick rate the kernel asks the timer for, in Hz. */
#define KERNEL_TICK_HZ 100

/**
 * Records one tick. Called by the interrupt loop (kernel/trap), with IRQs
 * masked, once per timer period of each CPU's timer (with N CPUs ticking,
 * the count grows N times as fast).
 */
void kernel_tick(void);

/** The number of ticks since boot, of every CPU. */
uint64_t kernel_ticks(void);

/**
 * Records one interrupt of the timer, for a tick, an alarm or both. Called
 * by the interrupt loop (kernel/trap), with IRQs masked.
 */
void kernel_timer_fired(void);

/** The number of timer interrupts taken since boot. */
uint64_t kernel_timer_interrupts(void);

#ifdef __cplusplus
}
#endif
