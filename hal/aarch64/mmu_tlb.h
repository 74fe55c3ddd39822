#pragma once

/**
 * TLB maintenance for hal/aarch64/mmu.c, split out so that mmu.c is plain C
 * that also builds and runs on the host: mmu_tlb.c issues the real
 * instructions on the target, hal/fake/mmu_fake.c records the calls.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * After new entries were written: makes the table writes visible to the
 * walker before the new mappings are used. New entries replace invalid
 * ones, so no TLB entry can be stale (Arm ARM D8.13).
 */
void mmu_tlb_after_map(void);

/**
 * After entries of [va, va + size) under asid were changed or removed:
 * invalidates each page's TLB entries on every CPU in the inner shareable
 * domain and waits for completion.
 */
void mmu_tlb_invalidate(uint32_t asid, uint64_t va, uint64_t size);

/**
 * After table entries under asid were changed or removed, wherever they
 * lie: invalidates every TLB entry tagged with asid (walk caches included)
 * on every CPU in the inner shareable domain and waits for completion.
 * Requires asid < HAL_MMU_ASID_LIMIT.
 */
void mmu_tlb_invalidate_asid(uint32_t asid);

/**
 * Loads TTBR0_EL1 with ttbr0 (root | asid << 48) and enables walks of the
 * lower half (clears TCR_EL1.EPD0), or, with enable false, disables them
 * (sets EPD0) and clears TTBR0_EL1.
 */
void mmu_tlb_activate(uint64_t ttbr0, int enable);

#ifdef __cplusplus
}
#endif
