#pragma once

/**
 * The architecture's part of the boot path's address-space set-up, for a
 * board's MMU set-up (called from hal/aarch64/boot_entry.inc with the MMU
 * off): the boot translation tables over the linker script's table pages,
 * the kernel image's mappings, MAIR_EL1, TCR_EL1 and the TTBRs, with the
 * cache maintenance that writing tables with the MMU off needs. What is
 * mapped besides the image (RAM, devices) is the board's.
 *
 * Everything here runs with the MMU off, at the physical address the image
 * was loaded at, while linked in the upper half: C compiles global
 * accesses to PC-relative adrp/add pairs, so &symbol is the PHYSICAL
 * address here. Nothing here has a static of its own; no function
 * pointers (//tests/image:mmu_off_test follows direct calls only).
 */

#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/pt.h"
#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The boot tables being built: a pool of pages and the two roots. */
struct aarch64_boot_tables {
    /** Pages [0, pool.count) are invalidated; pt takes them in order. */
    struct pt_pool pool;
    /** The first page's physical address, and how many pages there are. */
    uint64_t first;
    size_t capacity;
    /** TTBR0's root (the boot identity map) and TTBR1's (the kernel). */
    paddr_t root0, root1;
};

/**
 * Provided by the board: reports that mapping `what` ([va, va + size))
 * failed with r, on the early console, and halts. Called with the MMU off
 * from the functions below, which return only on success; the board
 * decides how a boot failure is reported.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void aarch64_boot_map_failed(const char *what, uint64_t va, uint64_t size, pt_result r);

/**
 * Sets up t over the pages [first, first + pages * 4096) (physical,
 * 4 KiB aligned), with frames an array of `pages` entries that the caller
 * keeps in .bss.mmu-off, and takes the two roots. Returns PT_OK, or
 * PT_ERR_NO_TABLES if fewer than two pages were given.
 */
pt_result aarch64_boot_tables_init(struct aarch64_boot_tables *t, paddr_t *frames, uint64_t first,
                                   size_t pages);

/**
 * Maps [pa, pa + size) at va in the tree at root (size rounded up to
 * pages; 0 maps nothing), invalidating each table page before pt first
 * writes it. On failure (PT_ERR_NO_TABLES once the pages run out) calls
 * aarch64_boot_map_failed with `what`.
 */
void aarch64_boot_map(struct aarch64_boot_tables *t, paddr_t root, uint64_t va, uint64_t pa,
                      uint64_t size, uint32_t perm, uint32_t mem, const char *what);

/**
 * Maps the kernel image in root1 at its link address (physical +
 * kimage_offset), each section with its own permissions (text RX, rodata
 * R, data RW: the linker script's __text_start .. __data_end), and the
 * kernel stacks of the first cpus CPUs RW (1 to AARCH64_MAX_CPUS, smp.h;
 * the boot CPU's is the first). Failures as aarch64_boot_map's.
 */
void aarch64_boot_map_image(struct aarch64_boot_tables *t, uint64_t kimage_offset, uint32_t cpus);

/**
 * Maps the kernel's text alone in root0 at its physical address, so that
 * the instructions that turn the MMU on keep running until they branch to
 * the upper half. Failures as aarch64_boot_map's.
 */
void aarch64_boot_map_identity(struct aarch64_boot_tables *t);

/**
 * Invalidates the tables' pages to the point of coherency and loads
 * MAIR_EL1, TCR_EL1 (48-bit regions, 4 KiB granules, IPS and AS from the
 * ID registers), TTBR0_EL1 = root0 and TTBR1_EL1 = root1. The MMU stays
 * off: boot_entry.inc turns it on.
 */
void aarch64_boot_mmu_load(const struct aarch64_boot_tables *t);

/**
 * Once running in the upper half: stops translation through TTBR0 (the
 * boot identity map, TCR_EL1.EPD0) and drops its TLB entries, so that
 * TTBR0 is free for user address spaces.
 */
void aarch64_boot_mmu_finish(void);

/**
 * Invalidates the data cache lines of [start, end) (physical, MMU off) to
 * the point of coherency and waits for that to complete.
 */
void aarch64_boot_dcache_inval_poc(uint64_t start, uint64_t end);

#ifdef __cplusplus
}
#endif
