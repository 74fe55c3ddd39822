#include "hal/aarch64/mmu_tlb.h"

#include <stdint.h>

#include "hal/mmu.h"

void mmu_tlb_after_map(void)
{
    __asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}

void mmu_tlb_invalidate(uint32_t asid, uint64_t va, uint64_t size)
{
    /* DSB ISHST: the table writes complete before the invalidation; TLBI
     * VAE1IS by VA and ASID (operand ASID[63:48], VA[55:12] in [43:0]);
     * DSB ISH waits for it everywhere; ISB resynchronizes this CPU
     * (Arm ARM D8.13, "TLB maintenance"). */
    __asm__ volatile("dsb ishst" ::: "memory");
    for (uint64_t off = 0; off < size; off += HAL_MMU_PAGE_SIZE) {
        uint64_t operand = ((uint64_t)asid << 48) | ((va + off) >> 12);
        __asm__ volatile("tlbi vae1is, %0" ::"r"(operand) : "memory");
    }
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

void mmu_tlb_invalidate_asid(uint32_t asid)
{
    /* DSB ISHST: the table writes complete first, so no walk after the
     * invalidation can read an old descriptor; TLBI ASIDE1IS invalidates
     * every entry for the ASID in operand bits [63:48], cached copies of
     * table descriptors (walk caches) included; DSB ISH waits for it on
     * every CPU; ISB resynchronizes this CPU (Arm ARM D8.13, "TLB
     * maintenance", and the TLBI ASIDE1IS description). */
    uint64_t operand = (uint64_t)asid << 48;
    __asm__ volatile("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb" ::"r"(operand) : "memory");
}

/* TCR_EL1.EPD0: no walks through TTBR0_EL1. */
#define MMU_TCR_EPD0 (1ull << 7)

void mmu_tlb_activate(uint64_t ttbr0, int enable)
{
    uint64_t tcr;
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(tcr));
    if (enable) {
        /* The new root and ASID first, then walks on (Arm ARM D8.2). */
        __asm__ volatile("msr ttbr0_el1, %0\n\tisb" ::"r"(ttbr0) : "memory");
        if ((tcr & MMU_TCR_EPD0) != 0) {
            __asm__ volatile("msr tcr_el1, %0\n\tisb" ::"r"(tcr & ~MMU_TCR_EPD0) : "memory");
        }
    } else {
        __asm__ volatile(
            "msr tcr_el1, %0\n\tisb\n\tmsr ttbr0_el1, xzr\n\tisb" ::"r"(tcr | MMU_TCR_EPD0)
            : "memory");
    }
}
