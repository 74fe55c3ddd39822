#pragma once

/**
 * Whether user tasks may read the PMU counters. Each kernel links one
 * implementation: counters_off.c (the default: no access, so tasks cannot
 * time each other) or counters_user.c (benchmark kernels: EL0 may read the
 * cycle and event counters; start.S counts instructions retired in event
 * counter 0 from the kernel's entry at EL1 on).
 */

/** Called once before the first task runs. */
void bsp_counters_setup(void);
