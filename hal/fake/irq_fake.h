#pragma once

/** Test controls of the fake interrupt controller lines (hal/irq.h). */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Lines the fake can model, and how many it has until irq_fake_reset says otherwise. */
#define IRQ_FAKE_MAX_LINES 1020u
#define IRQ_FAKE_DEFAULT_LINES 288u

/** Every line masked, lines INTIDs (at most IRQ_FAKE_MAX_LINES), nothing pending, call counts 0. */
void irq_fake_reset(uint32_t lines);

/** Whether line intid is masked (lines that do not exist are). */
int irq_fake_masked(uint32_t intid);

/** hal_irq_line_mask and hal_irq_line_unmask calls since the last reset. */
uint32_t irq_fake_mask_calls(void);
uint32_t irq_fake_unmask_calls(void);

/** Pending interrupts the fake controller can queue at once. */
#define IRQ_FAKE_MAX_PENDING 16u

/**
 * Makes line signal: hal_irq_acknowledge returns the queued lines in the
 * order they were raised, then HAL_IRQ_NONE. Returns 0, or -1 when the
 * queue is full.
 */
int irq_fake_raise(uint32_t line);

/** hal_irq_acknowledge calls that returned a line, and hal_irq_end calls, since the last reset. */
uint32_t irq_fake_acknowledged(void);
uint32_t irq_fake_ended(void);

/** The line of the last hal_irq_end call (HAL_IRQ_NONE before any). */
uint32_t irq_fake_last_ended(void);

#ifdef __cplusplus
}
#endif
