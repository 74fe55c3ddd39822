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
/* Lines raised and not yet acknowledged, oldest first; acknowledged and ended counts. */
static uint32_t irq_fake_pending[IRQ_FAKE_MAX_PENDING];
static uint32_t irq_fake_pending_count;
static uint32_t irq_fake_acks;
static uint32_t irq_fake_ends;
static uint32_t irq_fake_last_end = HAL_IRQ_NONE;

void irq_fake_reset(uint32_t lines)
{
    irq_fake_lines = lines > IRQ_FAKE_MAX_LINES ? IRQ_FAKE_MAX_LINES : lines;
    for (uint32_t i = 0; i < IRQ_FAKE_MAX_LINES; i++) {
        irq_fake_line_unmasked[i] = 0;
    }
    irq_fake_masks = 0;
    irq_fake_unmasks = 0;
    irq_fake_pending_count = 0;
    irq_fake_acks = 0;
    irq_fake_ends = 0;
    irq_fake_last_end = HAL_IRQ_NONE;
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

int irq_fake_raise(uint32_t line)
{
    if (irq_fake_pending_count == IRQ_FAKE_MAX_PENDING) {
        return -1;
    }
    irq_fake_pending[irq_fake_pending_count++] = line;
    return 0;
}

uint32_t irq_fake_acknowledged(void)
{
    return irq_fake_acks;
}

uint32_t irq_fake_ended(void)
{
    return irq_fake_ends;
}

uint32_t irq_fake_last_ended(void)
{
    return irq_fake_last_end;
}

uint32_t hal_irq_acknowledge(void)
{
    if (irq_fake_pending_count == 0) {
        return HAL_IRQ_NONE;
    }
    uint32_t line = irq_fake_pending[0];
    for (uint32_t i = 1; i < irq_fake_pending_count; i++) {
        irq_fake_pending[i - 1] = irq_fake_pending[i];
    }
    irq_fake_pending_count--;
    irq_fake_acks++;
    return line;
}

void hal_irq_end(uint32_t line)
{
    irq_fake_ends++;
    irq_fake_last_end = line;
}
