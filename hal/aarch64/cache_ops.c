#include "hal/aarch64/cache_ops.h"

#include <stdint.h>

uint64_t cache_ctr(void)
{
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    return ctr;
}

void cache_dc_cvau(uintptr_t va)
{
    __asm__ volatile("dc cvau, %0" ::"r"(va) : "memory");
}

void cache_ic_ivau(uintptr_t va)
{
    __asm__ volatile("ic ivau, %0" ::"r"(va) : "memory");
}

void cache_ic_ialluis(void)
{
    __asm__ volatile("ic ialluis" ::: "memory");
}

void cache_dsb_ish(void)
{
    __asm__ volatile("dsb ish" ::: "memory");
}

void cache_isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}
