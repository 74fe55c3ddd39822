#pragma once

/**
 * Whether user tasks may read the PMU counters (PMUSERENR_EL0). Each kernel
 * links one implementation: pmu_user_off.c (the default: no access, so
 * tasks cannot time each other) or pmu_user_on.c (benchmark kernels: EL0
 * may read the cycle and event counters; the board's entry counts
 * instructions retired in event counter 0 from the kernel's entry at EL1
 * on).
 */

/** Called once by the board before the first task runs. */
void aarch64_pmu_user_setup(void);
