#include "hal/irq.h"

#include <stdint.h>

/* The host fake of hal/irq.h: a flag, no real interrupts. Starts masked,
 * as the kernel is entered. */
static int irq_fake_masked = 1;

void hal_irq_enable(void)
{
    irq_fake_masked = 0;
}

void hal_irq_disable(void)
{
    irq_fake_masked = 1;
}

hal_irq_state_t hal_irq_save_disable(void)
{
    hal_irq_state_t state = (hal_irq_state_t)irq_fake_masked;
    irq_fake_masked = 1;
    return state;
}

void hal_irq_restore(hal_irq_state_t state)
{
    irq_fake_masked = (int)state;
}

int hal_irq_disabled(void)
{
    return irq_fake_masked;
}
