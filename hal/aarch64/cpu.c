#include "hal/cpu.h"

_Noreturn void hal_cpu_halt(void)
{
    /* DAIF all set: no debug, SError, IRQ or FIQ can wake this CPU into
     * code. WFI may still return spuriously (Arm ARM D1.6.2), hence the
     * loop. */
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi" ::: "memory");
    }
}

void hal_cpu_wait_for_interrupt(void)
{
    __asm__ volatile("wfi" ::: "memory");
}
