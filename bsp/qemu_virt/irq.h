#pragma once

/** Interrupt dispatch on the QEMU virt board. */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kernel_state;

/** Tells the dispatcher which INTID is the kernel's tick timer. */
void irq_set_timer_intid(uint32_t intid);

/**
 * Gives the dispatcher the kernel whose user drivers take every line but
 * the tick (kernel_irq_fired); before it, such a line is reported and
 * masked.
 */
void irq_set_kernel(struct kernel_state *k);

/**
 * Handles every pending interrupt: acknowledges each at the GIC, runs its
 * handler, signals its end. Called from the IRQ vector with IRQs masked.
 * An interrupt nobody handles is reported once and stays acknowledged
 * (ended), so it cannot storm. Returns whether the timer's interrupt was
 * among them (a tick, or the alarm of a deadline).
 */
bool irq_handle(void);

#ifdef __cplusplus
}
#endif
