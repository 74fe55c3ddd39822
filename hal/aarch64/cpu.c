#include "hal/cpu.h"

#include "hal/aarch64/smp.h"

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

uint64_t hal_cpu_instructions(void)
{
    /* ID_AA64DFR0_EL1.PMUVer, bits [11:8]: 0 no PMU, 0xf an IMPLEMENTATION
     * DEFINED one; either way PMEVCNTR0_EL0 is not the architected counter. */
    uint64_t dfr0;
    __asm__ volatile("mrs %0, id_aa64dfr0_el1" : "=r"(dfr0));
    uint64_t pmuver = (dfr0 >> 8) & 0xfu;
    if (pmuver == 0 || pmuver == 0xfu) {
        return 0;
    }
    uint64_t count;
    __asm__ volatile("mrs %0, pmevcntr0_el0" : "=r"(count)::"memory");
    return count;
}

uint32_t hal_cpu_index(void)
{
    return aarch64_cpu_slot();
}
