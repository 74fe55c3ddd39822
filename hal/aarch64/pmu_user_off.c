#include "hal/aarch64/pmu_user.h"

void aarch64_pmu_user_setup(void)
{
    /* PMUSERENR_EL0 resets to 0 on the CPUs here: EL0 has no access. Make sure. */
    __asm__ volatile("msr pmuserenr_el0, xzr\n\tisb" ::: "memory");
}
