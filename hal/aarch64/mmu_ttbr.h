#pragma once

/**
 * hal_mmu_activate in two halves, for the context switch (hal/aarch64/
 * trap.c): the TTBR0 value of a space is made, and its ASID checked, once
 * when the kernel records the task's space (hal_context_set_space), and
 * each switch only loads it.
 */

#include <stdint.h>

#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/** root | asid << 48; asid < HAL_MMU_ASID_LIMIT (else it traps, as hal_mmu_activate). */
uint64_t aarch64_mmu_ttbr(paddr_t root, uint32_t asid);

/** hal_mmu_activate(root, asid) for ttbr0 = aarch64_mmu_ttbr(root, asid). */
void aarch64_mmu_activate_ttbr(paddr_t root, uint64_t ttbr0);

/**
 * The active root is each CPU's own (TTBR0_EL1 is): cpu's is taken back
 * when it enters the kernel (entering 1) and kept when it leaves (0).
 */
void aarch64_mmu_cpu_swap(uint32_t cpu, int entering);

#ifdef __cplusplus
}
#endif
