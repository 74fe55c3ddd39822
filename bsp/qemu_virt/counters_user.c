#include "bsp/qemu_virt/counters.h"

void bsp_counters_setup(void)
{
    /* PMUSERENR_EL0.EN: EL0 may read (and write) the PMU counters. For
     * benchmark kernels only (counters.h). */
    __asm__ volatile("msr pmuserenr_el0, %0\n\tisb" ::"r"(1ull) : "memory");
}
