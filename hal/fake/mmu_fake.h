#pragma once

/**
 * Host fake of hal/mmu.h: the real translation-table code
 * (hal/aarch64/mmu.c and pt.c) over a test's fake RAM, with the TLB
 * maintenance recorded instead of performed.
 */

#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Makes ram (size bytes) the fake physical memory at base: afterwards
 * hal_mmu_phys_to_virt(pa) is ram + (pa - base). Also clears the record.
 */
void mmu_fake_init(void *ram, paddr_t base, size_t size);

/** Pages invalidated in the TLB since the last reset. */
uint64_t mmu_fake_tlb_pages(void);

/** TLB invalidations by range (one per successful unmap or protect). */
uint32_t mmu_fake_invalidations(void);

/** The ASID of the last invalidation by range. */
uint32_t mmu_fake_last_asid(void);

/** ASID-wide invalidations (one per hal_mmu_asid_invalidate and per
 * hal_mmu_space_destroy batch) since the last reset; not counted above. */
uint32_t mmu_fake_asid_invalidations(void);

/** The ASID of the last ASID-wide invalidation. */
uint32_t mmu_fake_last_asid_invalidated(void);

/** What TTBR0_EL1 would hold (root | asid << 48; 0 with no user space). */
uint64_t mmu_fake_ttbr0(void);

/** Clears the record. */
void mmu_fake_reset(void);

#ifdef __cplusplus
}
#endif
