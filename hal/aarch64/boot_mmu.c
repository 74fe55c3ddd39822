#include "hal/aarch64/boot_mmu.h"

#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/cache.h"
#include "hal/aarch64/idreg.h"
#include "hal/aarch64/pt.h"
#include "hal/aarch64/smp.h"
#include "hal/addr.h"

/*
 * Everything here runs with the MMU off, at the physical address the image
 * was loaded at, while the code is linked in the upper half (boot_mmu.h).
 */

extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char __stack_bottom[], __stack_top[];

/* TCR_EL1 (Arm ARM D17.2.131): 48-bit regions (T0SZ = T1SZ = 16), 4 KiB
 * granules (TG0 = 0b00, TG1 = 0b10), walks cacheable write-back
 * write-allocate (IRGN/ORGN = 0b01) and inner shareable (SH = 0b11).
 * IPS is filled in from ID_AA64MMFR0_EL1.PARange, AS (16-bit ASIDs) from
 * its ASIDBits (hal/aarch64/idreg.h). */
#define TCR_T0SZ(n) ((uint64_t)(n) << 0)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_WALK0 ((1ull << 8) | (1ull << 10) | (3ull << 12))
#define TCR_WALK1 ((1ull << 24) | (1ull << 26) | (3ull << 28))
#define TCR_TG1_4K (2ull << 30)
#define TCR_IPS_SHIFT 32
#define TCR_EPD0 (1ull << 7)
#define TCR_VALUE (TCR_T0SZ(16) | TCR_T1SZ(16) | TCR_WALK0 | TCR_WALK1 | TCR_TG1_4K)

static uint64_t boot_pa(const char *symbol)
{
    return (uint64_t)(uintptr_t)symbol;
}

/*
 * Hides a pointer's value from the optimizer. Without it, an aggregate
 * initialized with &global may be emitted as a constant in .rodata holding
 * the global's absolute (upper-half) address, which is not mapped yet.
 * Through this, the pointer is computed in code, PC-relative.
 */
static void *boot_launder(void *pointer)
{
    __asm__("" : "+r"(pointer));
    return pointer;
}

static uint64_t boot_page_up(uint64_t value)
{
    return (value + 4095) & ~4095ull;
}

/* The physical address of table page i (t->capacity: the end). */
static uint64_t boot_table_pa(const struct aarch64_boot_tables *t, size_t i)
{
    return t->first + (uint64_t)i * 4096;
}

/*
 * Invalidates the data cache lines of [start, end) to the point of
 * coherency, then waits for that to complete: boot_entry.inc's
 * DCACHE_INVAL_POC (the reasons are there), for table pages. DC IVAC per
 * line of the smallest data cache line size (CTR_EL0.DminLine); with the
 * MMU off a virtual address is the physical one. DSB SY: the invalidation
 * completes before any access after it (Arm ARM, "Ordering and completion
 * of data and instruction cache instructions").
 */
void aarch64_boot_dcache_inval_poc(uint64_t start, uint64_t end)
{
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uint64_t line = cache_dline(ctr);
    for (uint64_t va = start & ~(uint64_t)(line - 1); va < end; va += line) {
        __asm__ volatile("dc ivac, %0" ::"r"(va) : "memory");
    }
    __asm__ volatile("dsb sy" ::: "memory");
}

/*
 * Lets the pool hand out at least `needed` more pages, invalidating them
 * first. The tables are written with the MMU off, Non-cacheable, so no
 * data cache may hold a line of a page by then: a dirty one (firmware's,
 * an earlier kernel's) could be written back over the tables at any
 * moment. pt takes pool pages in order, so pages [0, pool->count) are the
 * invalidated ones; keeping pool->count there means pt cannot take any
 * other, and only the pages the tables can use are invalidated (plus the
 * slack of pt_tables_needed, an upper bound), not all t->capacity.
 * Past t->capacity, pt_map reports PT_ERR_NO_TABLES.
 */
static void boot_tables_prepare(struct aarch64_boot_tables *t, size_t needed)
{
    struct pt_pool *pool = &t->pool;
    size_t want = needed < t->capacity - pool->used ? pool->used + needed : t->capacity;
    if (want > pool->count) {
        aarch64_boot_dcache_inval_poc(boot_table_pa(t, pool->count), boot_table_pa(t, want));
        pool->count = want;
    }
}

pt_result aarch64_boot_tables_init(struct aarch64_boot_tables *t, paddr_t *frames, uint64_t first,
                                   size_t pages)
{
    for (size_t i = 0; i < pages; i++) {
        frames[i] = paddr_make(first + (uint64_t)i * 4096);
    }
    t->pool.frames = boot_launder(frames);
    t->pool.count = 0; /* none invalidated yet: boot_tables_prepare */
    t->pool.used = 0;
    t->pool.phys_to_virt = 0;
    t->first = first;
    t->capacity = pages;
    if (pages < 2) {
        return PT_ERR_NO_TABLES;
    }
    boot_tables_prepare(t, 2);
    pt_result r = pt_new_root(&t->pool, &t->root1);
    if (r != PT_OK) {
        return r;
    }
    return pt_new_root(&t->pool, &t->root0);
}

void aarch64_boot_map(struct aarch64_boot_tables *t, paddr_t root, uint64_t va, uint64_t pa,
                      uint64_t size, uint32_t perm, uint32_t mem, const char *what)
{
    if (size == 0) {
        return;
    }
    uint64_t bytes = boot_page_up(size);
    boot_tables_prepare(t, pt_tables_needed(vaddr_make(va), paddr_make(pa), bytes, true));
    pt_result r = pt_map(&t->pool, root, vaddr_make(va), paddr_make(pa), bytes, perm, mem, true);
    if (r != PT_OK) {
        aarch64_boot_map_failed(what, va, size, r);
    }
}

void aarch64_boot_map_image(struct aarch64_boot_tables *t, uint64_t offset, uint32_t cpus)
{
    uint64_t text = boot_pa(__text_start), rodata = boot_pa(__rodata_start);
    uint64_t data = boot_pa(__data_start), stack = boot_pa(__stack_bottom);
    paddr_t root = t->root1;
    aarch64_boot_map(t, root, text + offset, text, boot_pa(__text_end) - text,
                     PT_PERM_READ | PT_PERM_EXEC, PT_MEM_NORMAL, "kernel text");
    aarch64_boot_map(t, root, rodata + offset, rodata, boot_pa(__rodata_end) - rodata, PT_PERM_READ,
                     PT_MEM_NORMAL, "kernel rodata");
    aarch64_boot_map(t, root, data + offset, data, boot_pa(__data_end) - data,
                     PT_PERM_READ | PT_PERM_WRITE, PT_MEM_NORMAL, "kernel data");
    /* One stack per CPU (smp.h), 32 KiB apart, unmapped between. */
    uint32_t n = cpus < 1 ? 1 : cpus > AARCH64_MAX_CPUS ? AARCH64_MAX_CPUS : cpus;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t base = stack + i * AARCH64_STACK_STRIDE;
        aarch64_boot_map(t, root, base + offset, base, boot_pa(__stack_top) - stack,
                         PT_PERM_READ | PT_PERM_WRITE, PT_MEM_NORMAL, "kernel stack");
    }
}

void aarch64_boot_map_identity(struct aarch64_boot_tables *t)
{
    uint64_t text = boot_pa(__text_start);
    aarch64_boot_map(t, t->root0, text, text, boot_pa(__text_end) - text,
                     PT_PERM_READ | PT_PERM_EXEC, PT_MEM_NORMAL, "boot identity map");
}

static uint64_t boot_tcr(void)
{
    uint64_t mmfr0;
    __asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
    uint64_t parange = mmfr0 & 0xf;
    if (parange > 5) {
        parange = 5; /* 48 bits: what the tables here encode */
    }
    return TCR_VALUE | (parange << TCR_IPS_SHIFT) | aarch64_tcr_as(mmfr0);
}

void aarch64_boot_mmu_load(const struct aarch64_boot_tables *t)
{
    /* Tables are written with the MMU and caches off, straight to memory:
     * the walker reads them from there once the MMU is on (TCR_EL1 makes
     * its reads cacheable), so no line of them may be in a data cache
     * then, not even a clean one loaded since boot_tables_prepare. Only the
     * pages the tables use: pool.used. DMB SY first: with the MMU off the
     * stores are to Device memory, which DC IVAC is ordered after only
     * through a barrier (Arm ARM, "Ordering and completion of data and
     * instruction cache instructions"). */
    __asm__ volatile("dmb sy" ::: "memory");
    aarch64_boot_dcache_inval_poc(boot_table_pa(t, 0), boot_table_pa(t, t->pool.used));
    __asm__ volatile("msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "msr ttbr1_el1, %3\n\t"
                     "dsb ish\n\t"
                     "isb" ::"r"((uint64_t)PT_MAIR_VALUE),
                     "r"(boot_tcr()), "r"(t->root0.value), "r"(t->root1.value)
                     : "memory");
}

void aarch64_boot_mmu_finish(void)
{
    uint64_t tcr;
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(tcr));
    /* EPD0: no more walks through TTBR0; then drop any TLB entry the boot
     * identity map left (Arm ARM D8.13, TLB maintenance). */
    __asm__ volatile("msr tcr_el1, %0\n\t"
                     "isb\n\t"
                     "tlbi vmalle1\n\t"
                     "dsb ish\n\t"
                     "isb" ::"r"(tcr | TCR_EPD0)
                     : "memory");
}
