#include "hal/fake/irq_fake.h"

#include "hal/irq.h"

#include <stdint.h>

/* The host fake of hal/irq.h: a flag, no real interrupts. Starts masked,
 * as the kernel is entered. */
static int irq_fake_cpu_masked = 1;

void hal_irq_enable(void)
{
    irq_fake_cpu_masked = 0;
}

void hal_irq_disable(void)
{
    irq_fake_cpu_masked = 1;
}

hal_irq_state_t hal_irq_save_disable(void)
{
    hal_irq_state_t state = (hal_irq_state_t)irq_fake_cpu_masked;
    irq_fake_cpu_masked = 1;
    return state;
}

void hal_irq_restore(hal_irq_state_t state)
{
    irq_fake_cpu_masked = (int)state;
}

int hal_irq_disabled(void)
{
    return irq_fake_cpu_masked;
}

/*
 * The interrupt controller's lines: a mask bit per INTID and a count of
 * every mask and unmask call, so tests see what the kernel asked for and
 * in which order. Lines start masked, as a GIC's do at reset.
 */
static uint32_t irq_fake_lines = IRQ_FAKE_DEFAULT_LINES;
static uint8_t irq_fake_line_unmasked[IRQ_FAKE_MAX_LINES]; /* 0: masked */
static uint32_t irq_fake_masks;
static uint32_t irq_fake_unmasks;

void irq_fake_reset(uint32_t lines)
{
    irq_fake_lines = lines > IRQ_FAKE_MAX_LINES ? IRQ_FAKE_MAX_LINES : lines;
    for (uint32_t i = 0; i < IRQ_FAKE_MAX_LINES; i++) {
        irq_fake_line_unmasked[i] = 0;
    }
    irq_fake_masks = 0;
    irq_fake_unmasks = 0;
}

int irq_fake_masked(uint32_t intid)
{
    return intid >= IRQ_FAKE_MAX_LINES || irq_fake_line_unmasked[intid] == 0;
}

uint32_t irq_fake_mask_calls(void)
{
    return irq_fake_masks;
}

uint32_t irq_fake_unmask_calls(void)
{
    return irq_fake_unmasks;
}

uint32_t hal_irq_line_count(void)
{
    return irq_fake_lines;
}

void hal_irq_line_mask(uint32_t intid)
{
    irq_fake_masks++;
    if (intid < irq_fake_lines) {
        irq_fake_line_unmasked[intid] = 0;
    }
}

void hal_irq_line_unmask(uint32_t intid)
{
    irq_fake_unmasks++;
    if (intid < irq_fake_lines) {
        irq_fake_line_unmasked[intid] = 1;
    }
}
