#pragma once

/** Test controls of the fake interrupt controller lines (hal/irq.h). */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Lines the fake can model, and how many it has until irq_fake_reset says otherwise. */
#define IRQ_FAKE_MAX_LINES 1020u
#define IRQ_FAKE_DEFAULT_LINES 288u

/** Every line masked, lines INTIDs (at most IRQ_FAKE_MAX_LINES), call counts 0. */
void irq_fake_reset(uint32_t lines);

/** Whether line intid is masked (lines that do not exist are). */
int irq_fake_masked(uint32_t intid);

/** hal_irq_line_mask and hal_irq_line_unmask calls since the last reset. */
uint32_t irq_fake_mask_calls(void);
uint32_t irq_fake_unmask_calls(void);

#ifdef __cplusplus
}
#endif
