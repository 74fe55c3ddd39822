#include "hal/cache.h"

#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/cache.h"
#include "hal/aarch64/cache_ops.h"
#include "hal/addr.h"
#include "hal/mmu.h"

/*
 * hal_cache_sync_icache follows the Arm ARM's sequence for instruction
 * modification (B2.4.4, "Concurrent modification and execution of
 * instructions", and D7.5.9 on cache maintenance): clean each data line to
 * the point of unification, DSB ISH so the cleans complete everywhere,
 * invalidate the instruction lines (or the whole instruction cache where
 * invalidating through the direct-map address would not reach the user
 * address's lines), DSB ISH, then ISB so this CPU fetches afresh. CTR_EL0's
 * IDC and DIC bits say when a CPU needs no clean or no invalidation.
 */
void hal_cache_sync_icache(paddr_t pa, size_t size)
{
    if (size == 0) {
        return;
    }
    uint64_t ctr = cache_ctr();
    uintptr_t start = (uintptr_t)hal_mmu_phys_to_virt(pa);
    uintptr_t end = start + size;
    if ((ctr & CACHE_CTR_IDC) == 0) {
        size_t line = cache_dline(ctr);
        for (uintptr_t a = start & ~(uintptr_t)(line - 1); a < end; a += line) {
            cache_dc_cvau(a);
        }
    }
    cache_dsb_ish();
    if ((ctr & CACHE_CTR_DIC) == 0) {
        if (cache_icache_by_line(ctr)) {
            size_t line = cache_iline(ctr);
            for (uintptr_t a = start & ~(uintptr_t)(line - 1); a < end; a += line) {
                cache_ic_ivau(a);
            }
        } else {
            cache_ic_ialluis();
        }
        cache_dsb_ish();
    }
    cache_isb();
}
