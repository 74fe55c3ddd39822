/* Starting the other CPUs, the architecture's half: see smp.h. */

#include "hal/aarch64/smp.h"

#include <stdbool.h>
#include <stdint.h>

/* The secondaries' entry (the board's start.S) and kernel.ld's stacks:
 * slot s's stack is [__stack_bottom + s * 32 KiB, + 16 KiB), each over 16
 * KiB left unmapped (the boot stack is slot 0's). */
extern char aarch64_secondary_entry[];
extern char __stack_bottom[], __stacks_end[];

/* TCR_EL1.EPD0, bit 7: no walks through TTBR0. */
#define TCR_EPD0 (1ull << 7)

static struct aarch64_secondary_boot boot_records[AARCH64_MAX_CPUS] __attribute__((aligned(64)));
static struct {
    uint64_t mair, tcr, ttbr0, ttbr1;
} boot_regs;

/* The link address minus the load address (kernel.ld): a virtual address
 * in the image less this is its physical address. */
static uint64_t kimage_offset(void)
{
    uint64_t off;
    __asm__("movz %0, #:abs_g3:KIMAGE_OFFSET\n\t"
            "movk %0, #:abs_g2_nc:KIMAGE_OFFSET\n\t"
            "movk %0, #:abs_g1_nc:KIMAGE_OFFSET\n\t"
            "movk %0, #:abs_g0_nc:KIMAGE_OFFSET"
            : "=r"(off));
    return off;
}

void aarch64_secondary_record(void)
{
    __asm__ volatile("mrs %0, mair_el1\n\t"
                     "mrs %1, tcr_el1\n\t"
                     "mrs %2, ttbr0_el1\n\t"
                     "mrs %3, ttbr1_el1"
                     : "=r"(boot_regs.mair), "=r"(boot_regs.tcr), "=r"(boot_regs.ttbr0),
                       "=r"(boot_regs.ttbr1));
    boot_regs.tcr &= ~TCR_EPD0;
}

uint64_t aarch64_image_pa(const void *va)
{
    return (uint64_t)(uintptr_t)va - kimage_offset();
}

uint64_t aarch64_secondary_entry_pa(void)
{
    return aarch64_image_pa(aarch64_secondary_entry);
}

uint64_t aarch64_secondary_prepare(uint32_t slot)
{
    if (slot == 0 || slot >= AARCH64_MAX_CPUS) {
        return 0;
    }
    uint64_t top =
        (uint64_t)(uintptr_t)__stack_bottom + slot * AARCH64_STACK_STRIDE + AARCH64_STACK_SIZE;
    if (top > (uint64_t)(uintptr_t)__stacks_end) {
        return 0; /* kernel.ld reserves fewer stacks than AARCH64_MAX_CPUS */
    }
    struct aarch64_secondary_boot *b = &boot_records[slot];
    b->mair = boot_regs.mair;
    b->tcr = boot_regs.tcr;
    b->ttbr0 = boot_regs.ttbr0;
    b->ttbr1 = boot_regs.ttbr1;
    b->stack_top = top;
    b->slot = slot;
    b->online = 0;
    /* The secondary reads the record with its MMU off, from memory: clean
     * its lines to the point of coherency (DC CVAC per line of the smallest
     * data cache line, CTR_EL0.DminLine), complete before the call that
     * starts it (DSB SY). */
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uint64_t line = 4ull << ((ctr >> 16) & 0xf);
    for (uint64_t a = (uint64_t)(uintptr_t)b; a < (uint64_t)(uintptr_t)(b + 1); a += line) {
        __asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
    }
    __asm__ volatile("dsb sy" ::: "memory");
    return (uint64_t)(uintptr_t)b - kimage_offset();
}

static uint64_t counter(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v));
    return v;
}

enum aarch64_secondary_report aarch64_secondary_wait(uint32_t slot, uint64_t timeout_ticks)
{
    if (slot == 0 || slot >= AARCH64_MAX_CPUS) {
        return AARCH64_SECONDARY_SILENT;
    }
    const uint64_t *online = &boot_records[slot].online;
    uint64_t start = counter();
    for (;;) {
        uint64_t v;
        __asm__ volatile("ldar %0, [%1]" : "=r"(v) : "r"(online) : "memory");
        if (v != 0) {
            return v == AARCH64_SECONDARY_UP ? AARCH64_SECONDARY_UP : AARCH64_SECONDARY_FAILED;
        }
        if (counter() - start > timeout_ticks) {
            return AARCH64_SECONDARY_SILENT;
        }
    }
}

void aarch64_secondary_online(uint32_t slot, bool ok)
{
    if (slot == 0 || slot >= AARCH64_MAX_CPUS) {
        return;
    }
    uint64_t report = ok ? AARCH64_SECONDARY_UP : AARCH64_SECONDARY_FAILED;
    __asm__ volatile("stlr %0, [%1]" ::"r"(report), "r"(&boot_records[slot].online) : "memory");
}

uint32_t aarch64_cpu_slot(void)
{
    uint64_t top;
    __asm__ volatile("mrs %0, tpidr_el1" : "=r"(top));
    return (uint32_t)((top - (uint64_t)(uintptr_t)__stack_bottom) / AARCH64_STACK_STRIDE);
}

uint64_t aarch64_cpu_mpidr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
    return v & AARCH64_MPIDR_AFFINITY;
}
