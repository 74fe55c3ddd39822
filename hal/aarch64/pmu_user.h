#pragma once

/**
 * Whether user tasks may read the PMU counters (PMUSERENR_EL0). Each kernel
 * links one implementation: pmu_user_off.c (the default: no access, so
 * tasks cannot time each other) or pmu_user_on.c (benchmark kernels: EL0
 * may read the cycle and event counters; the board's entry counts
 * instructions retired in event counter 0 from the kernel's entry at EL1
 * on).
 */

/**
 * Called by the board on every CPU before it runs a task: the register is
 * each CPU's own, and its reset value is UNKNOWN on real hardware.
 */
void aarch64_pmu_user_setup(void);
