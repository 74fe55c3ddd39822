#pragma once

/**
 * HAL irq: masking interrupts on the calling CPU.
 *
 * Implemented by hal/aarch64 (PSTATE.I through DAIF) and by hal/fake.
 * Routing and acknowledging interrupts belongs to the board's interrupt
 * controller driver, not to this interface.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque saved interrupt-mask state, from hal_irq_save_disable(). */
typedef uint64_t hal_irq_state_t;

/** Unmasks IRQs on the calling CPU. */
void hal_irq_enable(void);

/** Masks IRQs on the calling CPU. */
void hal_irq_disable(void);

/**
 * Masks IRQs and returns the previous state, to be given back to
 * hal_irq_restore(); pairs nest.
 */
hal_irq_state_t hal_irq_save_disable(void);

/** Restores the mask state saved by hal_irq_save_disable(). */
void hal_irq_restore(hal_irq_state_t state);

/** Whether IRQs are masked on the calling CPU. */
int hal_irq_disabled(void);

#ifdef __cplusplus
}
#endif
