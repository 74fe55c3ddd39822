#pragma once

/** Interrupt dispatch on the QEMU virt board. */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Tells the dispatcher which INTID is the kernel's tick timer. */
void irq_set_timer_intid(uint32_t intid);

/**
 * Handles every pending interrupt: acknowledges each at the GIC, runs its
 * handler, signals its end. Called from the IRQ vector with IRQs masked.
 * An interrupt nobody handles is reported once and stays acknowledged
 * (ended), so it cannot storm.
 */
void irq_handle(void);

#ifdef __cplusplus
}
#endif
