#include "hal/irq.h"

#include <stdint.h>

/* PSTATE.I is DAIF bit 7 (Arm ARM C5.2.2 "DAIF"); daifset/daifclr take
 * the four bits D, A, I, F as an immediate, I being 0b0010. */
#define DAIF_I (1u << 7)

void hal_irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void hal_irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

hal_irq_state_t hal_irq_save_disable(void)
{
    uint64_t daif;
    __asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif)::"memory");
    return daif;
}

void hal_irq_restore(hal_irq_state_t state)
{
    __asm__ volatile("msr daif, %0" ::"r"(state) : "memory");
}

int hal_irq_disabled(void)
{
    uint64_t daif;
    __asm__ volatile("mrs %0, daif" : "=r"(daif));
    return (daif & DAIF_I) != 0;
}
