#include "bsp/qemu_virt/boot_mmu.h"

#include <stdbool.h>
#include <stdint.h>

#include "bsp/qemu_virt/board.h"
#include "bsp/qemu_virt/memory_map.h"
#include "bsp/qemu_virt/mmu_off.h"
#include "bsp/qemu_virt/pl011.h"
#include "hal/aarch64/cache.h"
#include "hal/aarch64/idreg.h"
#include "hal/aarch64/pt.h"
#include "hal/addr.h"
#include "hal/cpu.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/main/boot_markers.h"

/*
 * Everything here runs with the MMU off, at the physical address the image
 * was loaded at, while the code is linked in the upper half. C compiles
 * global accesses to PC-relative adrp/add pairs, so &symbol yields the
 * PHYSICAL address here; a virtual address is that plus kimage_offset.
 * Every static this code (and all it calls) touches is MMU_OFF_BSS
 * (mmu_off.h): .bss proper is zeroed only once the MMU is on.
 */

/* Pages for the boot tables: kernel.ld's .boot_tables, as many pages as
 * it reserves, neither zeroed nor maintained by start.S (see
 * boot_tables_prepare). */
#define BOOT_TABLE_PAGES 64
extern char __boot_tables_start[], __boot_tables_end[];
static paddr_t boot_table_frames[BOOT_TABLE_PAGES] MMU_OFF_BSS;

struct fdt_platform boot_platform MMU_OFF_BSS;
uint64_t boot_dtb_phys MMU_OFF_BSS;
uint64_t boot_kimage_offset MMU_OFF_BSS;

extern char __image_start[], __image_end[];
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

_Noreturn void boot_fail(const char *what, const char *why)
{
    kprintf("basalt: boot failed: %s: %s\n", what, why);
    kprintf("%s\n", BOOT_MARKER_HALTED);
    hal_cpu_halt();
}

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

/* The physical address of boot table page i (BOOT_TABLE_PAGES: the end). */
static uint64_t boot_table_pa(size_t i)
{
    return boot_pa(__boot_tables_start) + (uint64_t)i * 4096;
}

/*
 * Invalidates the data cache lines of [start, end) to the point of
 * coherency, then waits for that to complete: start.S's DCACHE_INVAL_POC
 * (the reasons are there), for table pages. DC IVAC per line of the
 * smallest data cache line size (CTR_EL0.DminLine); with the MMU off a
 * virtual address is the physical one. DSB SY: the invalidation completes
 * before any access after it (Arm ARM, "Ordering and completion of data
 * and instruction cache instructions").
 */
static void boot_dcache_inval_poc(uint64_t start, uint64_t end)
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
 * slack of pt_tables_needed, an upper bound), not all BOOT_TABLE_PAGES.
 * Past BOOT_TABLE_PAGES, pt_map reports PT_ERR_NO_TABLES.
 */
static void boot_tables_prepare(struct pt_pool *pool, size_t needed)
{
    size_t want = needed < BOOT_TABLE_PAGES - pool->used ? pool->used + needed : BOOT_TABLE_PAGES;
    if (want > pool->count) {
        boot_dcache_inval_poc(boot_table_pa(pool->count), boot_table_pa(want));
        pool->count = want;
    }
}

/* The blob QEMU generates lies below the image; read no further. */
static uint64_t boot_dtb_readable(uint64_t dtb)
{
    uint64_t image = boot_pa(__image_start);
    if (dtb < image && image - dtb < BOARD_DTB_MAX_SIZE) {
        return image - dtb;
    }
    return BOARD_DTB_MAX_SIZE;
}

static void boot_read_device_tree(uint64_t dtb)
{
    boot_dtb_phys = dtb != 0 ? dtb : BOARD_RAM_BASE;
    fdt_error err = fdt_parse_platform((const void *)(uintptr_t)boot_dtb_phys,
                                       boot_dtb_readable(boot_dtb_phys), &boot_platform);
    if (err != FDT_OK) {
        kprintf("basalt: no usable device tree at 0x%016llx\n", (unsigned long long)boot_dtb_phys);
        boot_fail("device tree", fdt_error_string(err));
    }
}

static void boot_map(struct pt_pool *pool, paddr_t root, uint64_t va, uint64_t pa, uint64_t size,
                     uint32_t perm, uint32_t mem, const char *what)
{
    if (size == 0) {
        return;
    }
    uint64_t bytes = boot_page_up(size);
    boot_tables_prepare(pool, pt_tables_needed(vaddr_make(va), paddr_make(pa), bytes, true));
    pt_result r = pt_map(pool, root, vaddr_make(va), paddr_make(pa), bytes, perm, mem, true);
    if (r != PT_OK) {
        kprintf("basalt: cannot map %s at 0x%016llx (0x%llx bytes)\n", what, (unsigned long long)va,
                (unsigned long long)size);
        boot_fail("boot page tables", pt_result_string(r));
    }
}

/* The kernel image: each section with its own permissions. */
static void boot_map_image(struct pt_pool *pool, paddr_t root, uint64_t offset)
{
    uint64_t text = boot_pa(__text_start), rodata = boot_pa(__rodata_start);
    uint64_t data = boot_pa(__data_start), stack = boot_pa(__stack_bottom);
    boot_map(pool, root, text + offset, text, boot_pa(__text_end) - text,
             PT_PERM_READ | PT_PERM_EXEC, PT_MEM_NORMAL, "kernel text");
    boot_map(pool, root, rodata + offset, rodata, boot_pa(__rodata_end) - rodata, PT_PERM_READ,
             PT_MEM_NORMAL, "kernel rodata");
    boot_map(pool, root, data + offset, data, boot_pa(__data_end) - data,
             PT_PERM_READ | PT_PERM_WRITE, PT_MEM_NORMAL, "kernel data");
    boot_map(pool, root, stack + offset, stack, boot_pa(__stack_top) - stack,
             PT_PERM_READ | PT_PERM_WRITE, PT_MEM_NORMAL, "kernel stack");
}

/* Maps [base, end) of RAM into the direct map, minus the kernel image. */
static void boot_map_ram(struct pt_pool *pool, paddr_t root, uint64_t base, uint64_t end)
{
    uint64_t image = boot_pa(__image_start) & ~4095ull;
    uint64_t image_end = boot_page_up(boot_pa(__image_end));
    uint32_t rw = PT_PERM_READ | PT_PERM_WRITE;
    if (end <= image || base >= image_end) {
        boot_map(pool, root, PHYS_MAP_BASE + base, base, end - base, rw, PT_MEM_NORMAL, "RAM");
        return;
    }
    if (base < image) {
        boot_map(pool, root, PHYS_MAP_BASE + base, base, image - base, rw, PT_MEM_NORMAL, "RAM");
    }
    if (end > image_end) {
        boot_map(pool, root, PHYS_MAP_BASE + image_end, image_end, end - image_end, rw,
                 PT_MEM_NORMAL, "RAM");
    }
}

static void boot_map_device(struct pt_pool *pool, paddr_t root, struct fdt_range r,
                            const char *what)
{
    uint64_t base = r.base & ~4095ull;
    uint64_t size = boot_page_up(r.base + r.size) - base;
    boot_map(pool, root, PHYS_MAP_BASE + base, base, size, PT_PERM_READ | PT_PERM_WRITE,
             PT_MEM_DEVICE, what);
}

static void boot_map_kernel_space(struct pt_pool *pool, paddr_t root, uint64_t offset)
{
    const struct fdt_platform *p = &boot_platform;
    boot_map_image(pool, root, offset);
    for (uint32_t i = 0; i < p->ram_count; i++) {
        boot_map_ram(pool, root, p->ram[i].base, p->ram[i].base + p->ram[i].size);
    }
    boot_map_device(pool, root, p->uart, "UART");
    boot_map_device(pool, root, p->gicd, "GIC distributor");
    if (p->gic_version == FDT_GIC_V2) {
        boot_map_device(pool, root, p->gicc, "GIC CPU interface");
    }
    for (uint32_t i = 0; i < p->gicr_count; i++) {
        boot_map_device(pool, root, p->gicr[i], "GIC redistributors");
    }
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

void boot_mmu_setup(uint64_t dtb, uint64_t kimage_offset)
{
    pl011_init(BOARD_EARLY_UART_BASE);
    boot_kimage_offset = kimage_offset;
    boot_read_device_tree(dtb);

    if (boot_table_pa(BOOT_TABLE_PAGES) != boot_pa(__boot_tables_end)) {
        boot_fail("boot page tables", "kernel.ld reserves other than BOOT_TABLE_PAGES pages");
    }
    for (uint32_t i = 0; i < BOOT_TABLE_PAGES; i++) {
        boot_table_frames[i] = paddr_make(boot_table_pa(i));
    }
    struct pt_pool pool;
    pool.frames = boot_launder(boot_table_frames);
    pool.count = 0; /* none invalidated yet: boot_tables_prepare */
    pool.used = 0;
    pool.phys_to_virt = 0;
    paddr_t root1, root0;
    boot_tables_prepare(&pool, 2);
    if (pt_new_root(&pool, &root1) != PT_OK || pt_new_root(&pool, &root0) != PT_OK) {
        boot_fail("boot page tables", "no table pages");
    }
    boot_map_kernel_space(&pool, root1, kimage_offset);
    /* The identity map of the text alone lets the instructions that turn
     * the MMU on keep running until they branch to the upper half. */
    uint64_t text = boot_pa(__text_start);
    boot_map(&pool, root0, text, text, boot_pa(__text_end) - text, PT_PERM_READ | PT_PERM_EXEC,
             PT_MEM_NORMAL, "boot identity map");

    /* Tables are written with the MMU and caches off, straight to memory:
     * the walker reads them from there once the MMU is on (TCR_EL1 makes
     * its reads cacheable), so no line of them may be in a data cache
     * then, not even a clean one loaded since boot_tables_prepare. Only the
     * pages the tables use: pool.used. DMB SY first: with the MMU off the
     * stores are to Device memory, which DC IVAC is ordered after only
     * through a barrier (Arm ARM, "Ordering and completion of data and
     * instruction cache instructions"). */
    __asm__ volatile("dmb sy" ::: "memory");
    boot_dcache_inval_poc(boot_table_pa(0), boot_table_pa(pool.used));
    __asm__ volatile("msr mair_el1, %0\n\t"
                     "msr tcr_el1, %1\n\t"
                     "msr ttbr0_el1, %2\n\t"
                     "msr ttbr1_el1, %3\n\t"
                     "dsb ish\n\t"
                     "isb" ::"r"((uint64_t)PT_MAIR_VALUE),
                     "r"(boot_tcr()), "r"(root0.value), "r"(root1.value)
                     : "memory");
}

void boot_mmu_finish(void)
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
