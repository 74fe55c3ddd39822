#include "hal/fake/mmu_fake.h"

#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/mmu_tlb.h"
#include "hal/addr.h"
#include "hal/mmu.h"

/*
 * The host fake of hal/mmu.h is the real hal/aarch64/mmu.c over fake RAM;
 * only the TLB maintenance below is fake: it records what the real code
 * would have invalidated.
 */

static uint64_t mmu_tlb_pages;
static uint32_t mmu_invalidations;
static uint32_t mmu_last_asid;
static uint32_t mmu_asid_invalidations;
static uint32_t mmu_last_asid_invalidated;

void mmu_fake_init(void *ram, paddr_t base, size_t size)
{
    (void)size;
    hal_mmu_init((uint64_t)(uintptr_t)ram - base.value);
    mmu_fake_reset();
}

uint64_t mmu_fake_tlb_pages(void)
{
    return mmu_tlb_pages;
}

uint32_t mmu_fake_invalidations(void)
{
    return mmu_invalidations;
}

uint32_t mmu_fake_last_asid(void)
{
    return mmu_last_asid;
}

uint32_t mmu_fake_asid_invalidations(void)
{
    return mmu_asid_invalidations;
}

uint32_t mmu_fake_last_asid_invalidated(void)
{
    return mmu_last_asid_invalidated;
}

void mmu_fake_reset(void)
{
    mmu_tlb_pages = 0;
    mmu_invalidations = 0;
    mmu_last_asid = 0;
    mmu_asid_invalidations = 0;
    mmu_last_asid_invalidated = 0;
}

void mmu_tlb_after_map(void) {}

void mmu_tlb_invalidate(uint32_t asid, uint64_t va, uint64_t size)
{
    (void)va;
    mmu_tlb_pages += size / HAL_MMU_PAGE_SIZE;
    mmu_invalidations++;
    mmu_last_asid = asid;
}

static uint64_t mmu_ttbr0;

void mmu_tlb_activate(uint64_t ttbr0, int enable)
{
    mmu_ttbr0 = enable ? ttbr0 : 0;
}

uint64_t mmu_fake_ttbr0(void)
{
    return mmu_ttbr0;
}

void mmu_tlb_invalidate_asid(uint32_t asid)
{
    mmu_asid_invalidations++;
    mmu_last_asid_invalidated = asid;
}
