#pragma once

/**
 * HAL irq: masking interrupts on the calling CPU.
 *
 * Implemented by hal/aarch64 (PSTATE.I through DAIF) and by hal/fake.
 * Setting up and routing interrupts belongs to the board's interrupt
 * controller driver, not to this interface; the parts of it the kernel
 * needs (masking one line for interrupts delivered to user drivers, and
 * acknowledging and ending each interrupt taken) are declared at the end of
 * this header and implemented by the board (bsp/qemu_virt/gic.c: GICv2 and
 * GICv3) and by hal/fake.
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

/*
 * Interrupt lines at the controller. An INTID names a line (GIC: 0-15
 * SGIs, 16-31 PPIs, 32 and up SPIs). Calling context: the boot CPU, IRQs
 * masked, after the board set the controller up.
 */

/**
 * How many INTIDs the controller implements: no line at or above it exists
 * (GIC: 32 * (GICD_TYPER.ITLinesNumber + 1), at most 1020, every INTID
 * below it exists; bsp/raspi3b: 128, with holes where no source is wired,
 * which mask and unmask ignore and acknowledge never returns). 0 before the
 * controller is set up.
 */
uint32_t hal_irq_line_count(void);

/**
 * Masks line intid at the controller (GIC: GICD_ICENABLER, or
 * GICR_ICENABLER0 for a PPI), and waits until the write has taken effect
 * (GICv3: RWP), so the line cannot signal once this returns. An intid at or
 * above hal_irq_line_count() is ignored.
 */
void hal_irq_line_mask(uint32_t intid);

/**
 * Routes line intid to the calling CPU in the non-secure group at the
 * priority user-driver interrupts get (below the kernel's tick) and
 * unmasks it (GICD_ISENABLER / GICR_ISENABLER0). An intid at or above
 * hal_irq_line_count() is ignored.
 */
void hal_irq_line_unmask(uint32_t intid);

/** What hal_irq_acknowledge() returns when no line is signalling. */
#define HAL_IRQ_NONE 0xffffffffu

/**
 * Acknowledges the most urgent interrupt signalling to the calling CPU and
 * returns its line (an INTID below hal_irq_line_count()), or HAL_IRQ_NONE
 * when nothing is pending (GIC: the special INTIDs 1020-1023, a spurious
 * interrupt included). Calling context: an interrupt taken, IRQs masked.
 * Every line returned must be ended (hal_irq_end()), once, in order.
 */
uint32_t hal_irq_acknowledge(void);

/**
 * Ends the interrupt of line, which hal_irq_acknowledge() returned (GIC:
 * priority drop and deactivate, GICC_EOIR or ICC_EOIR1_EL1): the line may
 * signal again from now on, unless masked.
 */
void hal_irq_end(uint32_t line);

#ifdef __cplusplus
}
#endif
