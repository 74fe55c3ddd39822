#include "hal/aarch64/pmu_user.h"

void aarch64_pmu_user_setup(void)
{
    /* PMUSERENR_EL0.EN: EL0 may read (and write) the PMU counters. For
     * benchmark kernels only (pmu_user.h). */
    __asm__ volatile("msr pmuserenr_el0, %0\n\tisb" ::"r"(1ull) : "memory");
}
