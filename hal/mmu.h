#pragma once

/**
 * The MMU as the kernel sees it: user address spaces.
 *
 * A user address space is an opaque root (the physical address of its top
 * translation table, what TTBR0_EL1 will hold) plus an ASID that tags its
 * TLB entries. The kernel builds and changes spaces only through this
 * header; descriptor formats, table levels and TLB maintenance stay in the
 * implementation (hal/aarch64/mmu.c on the target, hal/fake/mmu_fake.c in
 * host tests).
 *
 * Only user mappings are made here: page granularity (no blocks), every
 * page accessible to EL0 and never executable by EL1. User addresses are
 * [0, HAL_MMU_USER_TOP).
 *
 * Errors follow decode-then-invoke: a call that fails has changed no table
 * and taken no frame.
 *
 * Calling context: the caller serializes all calls on one space (no
 * locking here). Physical memory reached through hal_mmu_phys_to_virt must
 * be RAM the direct map covers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The page size: the unit of every user mapping. */
#define HAL_MMU_PAGE_SIZE 4096u
/** User addresses are [0, HAL_MMU_USER_TOP): the lower half, 48 bits. */
#define HAL_MMU_USER_TOP 0x0001000000000000ull
/**
 * ASIDs are [0, HAL_MMU_ASID_LIMIT): 8 bits, the width every AArch64 CPU
 * has. The board sets TCR_EL1.AS (16-bit ASIDs) only where
 * ID_AA64MMFR0_EL1.ASIDBits says the CPU has them; an 8-bit value means
 * the same with either setting.
 */
#define HAL_MMU_ASID_LIMIT 0x100u

/**
 * Permissions of a user mapping, a bit set. READ is required (the
 * architecture has no write-only or execute-only user encoding here);
 * WRITE with EXEC is refused (W^X); unknown bits are refused.
 */
#define HAL_MMU_READ 0x1u
#define HAL_MMU_WRITE 0x2u
#define HAL_MMU_EXEC 0x4u
/**
 * hal_mmu_map only: the page is device memory (MMIO), mapped Device-nGnRE
 * (Arm ARM B2.7.2), never executable (with HAL_MMU_EXEC: PERMISSION);
 * without it, Normal write-back cacheable RAM. hal_mmu_protect keeps the
 * memory type a page was mapped with and refuses this bit.
 */
#define HAL_MMU_DEVICE 0x80000000u

/** The result of every hal_mmu_ call that can fail: 0 or HAL_MMU_ERR_*. */
typedef int hal_mmu_result;

#define HAL_MMU_OK 0
/** va, pa, size or a frame not page aligned. */
#define HAL_MMU_ERR_MISALIGNED 1
/** size 0, va + size wraps or passes HAL_MMU_USER_TOP, pa too high, or
 * asid at or above HAL_MMU_ASID_LIMIT. */
#define HAL_MMU_ERR_RANGE 2
/** Permissions break the rules above, or (hal_mmu_user_translate) EL0 may
 * not access the byte as asked. */
#define HAL_MMU_ERR_PERMISSION 3
/** Some page of the range is mapped already. */
#define HAL_MMU_ERR_ALREADY_MAPPED 4
/** Some page of the range is not mapped. */
#define HAL_MMU_ERR_NOT_MAPPED 5
/** The frame list holds fewer free frames than the call needs tables. */
#define HAL_MMU_ERR_NO_TABLES 6

/**
 * Free frames the caller provides for new translation tables (the HAL does
 * not know the kernel's allocator). A table is taken from frames[used++]
 * and zeroed by the HAL; frames[used..count) are still free after the call.
 * An unmap gives no frame back (tables it empties stay linked, and later
 * maps reuse them) until hal_mmu_reclaim unlinks them;
 * hal_mmu_space_destroy gives back every table frame of the space, the
 * root included.
 */
struct hal_mmu_frames {
    paddr_t *frames;
    size_t count;
    size_t used;
};

/**
 * Sets the direct-map offset: RAM at physical pa is at kernel virtual
 * pa + phys_to_virt. Called once by the board before any other hal_mmu_
 * call, from the boot CPU.
 */
void hal_mmu_init(uint64_t phys_to_virt);

/** A kernel pointer to the RAM at physical pa (through the direct map). */
void *hal_mmu_phys_to_virt(paddr_t pa);

/**
 * An upper bound on the new tables hal_mmu_map(.., va, .., size, ..) takes
 * (exact for an empty space), not counting the root. 0 for arguments
 * hal_mmu_map rejects before allocating.
 */
size_t hal_mmu_tables_needed(uint64_t va, uint64_t size);

/**
 * Makes an empty address space: takes one frame from f for its root table
 * and returns it in *root. Requires f and root non-NULL. Returns
 * HAL_MMU_OK, HAL_MMU_ERR_NO_TABLES (f empty), HAL_MMU_ERR_MISALIGNED or
 * HAL_MMU_ERR_RANGE (a bad frame; f untouched).
 */
hal_mmu_result hal_mmu_space_create(struct hal_mmu_frames *f, paddr_t *root);

/**
 * Maps user [va, va + size) to physical [pa, pa + size) with perms
 * (HAL_MMU_*) in the space at root, new tables from f (non-NULL). The new
 * mappings are visible to this CPU's table walks on return. Returns
 * HAL_MMU_OK, or with nothing changed: MISALIGNED, RANGE, PERMISSION,
 * ALREADY_MAPPED (any page of the range), NO_TABLES.
 */
hal_mmu_result hal_mmu_map(paddr_t root, uint32_t asid, uint64_t va, paddr_t pa, uint64_t size,
                           uint32_t perms, struct hal_mmu_frames *f);

/**
 * Removes the mappings of user [va, va + size) from the space at root, then
 * invalidates them in every CPU's TLB for asid. Every page must be mapped.
 * Returns HAL_MMU_OK, or with nothing changed: MISALIGNED, RANGE,
 * NOT_MAPPED.
 */
hal_mmu_result hal_mmu_unmap(paddr_t root, uint32_t asid, uint64_t va, uint64_t size);

/** The most tables one hal_mmu_reclaim gives back. */
#define HAL_MMU_RECLAIM_MAX 3

/**
 * Gives back the tables on user address va's path in the space at root
 * that map nothing any more (after hal_mmu_unmap), the root never: unlinks
 * them deepest first, invalidates va's cached walk in every CPU's TLB for
 * asid (TLBI by ASID and address, which covers table entries, then DSB
 * ISH), and stores their physical addresses in out[0..n), n at most
 * HAL_MMU_RECLAIM_MAX; the frames may be reused at once. Returns n (0 when
 * every table on the path still maps something). Requires out with room
 * for HAL_MMU_RECLAIM_MAX, va below HAL_MMU_USER_TOP, asid below
 * HAL_MMU_ASID_LIMIT and root a space (a broken requirement halts).
 */
size_t hal_mmu_reclaim(paddr_t root, uint32_t asid, uint64_t va, paddr_t *out);

/**
 * The translation tables of the space at root, the root included (for
 * invariant checks: reads every table, 512 descriptors each).
 */
size_t hal_mmu_table_count(paddr_t root);

/**
 * Changes the permissions of the mapped user range [va, va + size) to perms
 * and invalidates the range in every CPU's TLB for asid. Returns
 * HAL_MMU_OK, or with nothing changed: MISALIGNED, RANGE, PERMISSION,
 * NOT_MAPPED.
 */
hal_mmu_result hal_mmu_protect(paddr_t root, uint32_t asid, uint64_t va, uint64_t size,
                               uint32_t perms);

/**
 * Tears down the space at root a batch at a time, so the caller needs no
 * buffer as large as the space: unlinks up to max translation tables,
 * deepest first (the root only once nothing is left under it), and stores
 * their physical addresses in out[0..n). Leaf mappings still present are
 * dropped (the mapped frames belong to the caller, untouched). Before
 * returning, every CPU's TLB entries (and cached walks) for asid are
 * invalidated, so the frames in out may be reused at once; a returned
 * frame keeps its old contents. *done is set true when the batch included
 * the root (always out[n - 1]): the space is gone and root must not be
 * used again. Returns n: at least 1, and max unless *done; each table
 * frame hal_mmu_space_create and hal_mmu_map took for the space comes back
 * exactly once over the batches.
 *
 * Requires max >= 1, out and done non-NULL, asid < HAL_MMU_ASID_LIMIT and
 * root a space made by hal_mmu_space_create (a broken requirement halts);
 * and that no CPU has root in TTBR0_EL1 any more, nor will again: the
 * invalidation drops what the TLBs hold, but a CPU still translating
 * through root would walk the tables while they go, the root last. Bounded
 * work per call: at most 512 * (n + 3) descriptors read, no recursion, no
 * allocation.
 */
size_t hal_mmu_space_destroy(paddr_t root, uint32_t asid, paddr_t *out, size_t max, bool *done);

/**
 * Invalidates every TLB entry tagged with asid (walk caches included) on
 * every CPU, and waits for it to complete. For the kernel when it gives an
 * ASID to a new space: entries the old owner left must not translate for
 * the new one. Requires asid < HAL_MMU_ASID_LIMIT (a broken requirement
 * halts).
 */
void hal_mmu_asid_invalidate(uint32_t asid);

/**
 * Makes the space at root, its TLB entries tagged asid, the user half of
 * this CPU's address space (TTBR0_EL1), from the next return to EL0 on.
 * root 0 leaves the CPU with no user space at all: walks of the lower
 * half stop (TCR_EL1.EPD0), as at boot. Requires asid < HAL_MMU_ASID_LIMIT
 * (a broken requirement halts). No TLB maintenance is needed on a switch:
 * entries of different spaces carry different ASIDs.
 */
void hal_mmu_activate(paddr_t root, uint32_t asid);

/** The root hal_mmu_activate last made current on this CPU, or 0. */
paddr_t hal_mmu_active(void);

/**
 * Whether EL0 may read (write false) or write (write true) the user byte at
 * va (any alignment) in the space at root, as the tables say; on
 * HAL_MMU_OK stores its physical address in *pa (non-NULL). Returns
 * HAL_MMU_ERR_RANGE (va at or above HAL_MMU_USER_TOP), HAL_MMU_ERR_NOT_MAPPED
 * (a hole) or HAL_MMU_ERR_PERMISSION (EL0 may not access it so).
 */
hal_mmu_result hal_mmu_user_translate(paddr_t root, uint64_t va, bool write, paddr_t *pa);

#ifdef __cplusplus
}
#endif
