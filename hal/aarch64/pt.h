#pragma once

/**
 * VMSAv8-64 stage 1 translation tables: building, changing and walking them.
 *
 * Configuration (the boot code sets TCR_EL1 to match): 4 KiB granule,
 * 48-bit virtual addresses in both halves (T0SZ = T1SZ = 16), four levels,
 * 48-bit output addresses. A table is one 4 KiB frame of 512 descriptors
 * of 8 bytes; each level resolves 9 bits of the virtual address:
 *
 *   63      48 47     39 38     30 29     21 20     12 11          0
 *  +----------+---------+---------+---------+---------+-------------+
 *  | all 0/1  | L0 index| L1 index| L2 index| L3 index| page offset |
 *  +----------+---------+---------+---------+---------+-------------+
 *  VA[63:48] all 0: the lower half, 0 .. 0x0000ffffffffffff, via TTBR0;
 *  all 1: the upper half, 0xffff000000000000 .. ~0, via TTBR1; anything
 *  else is not canonical (the hardware faults on it).
 *
 * One L0 entry spans 512 GiB, one L1 entry 1 GiB (a block may end the walk
 * there), one L2 entry 2 MiB (a block may end it there), one L3 entry a
 * 4 KiB page. The descriptor bits are drawn in pt_desc.h.
 *
 * Every function here indexes with VA[47:12] and accepts either canonical
 * half: which TTBR a root belongs to is the caller's business.
 *
 * Calling context. The code is pure arithmetic on the addresses it is
 * given: no global or static data, no function pointers, no jump tables,
 * no library calls. It is called with the MMU off (the boot path, running
 * at the physical load address while linked high) and with the MMU on.
 * Tables are never dereferenced by their physical address: each access goes
 * through the pointer (pa + phys_to_virt), with phys_to_virt = 0 while the
 * MMU is off. Pointers passed in (pool, frames array, out parameters) must
 * be valid in the regime the call runs in.
 *
 * No TLB maintenance here, and no barrier for the caller's sake. After a
 * pt_unmap or pt_protect of a live table the caller issues
 * DSB ISHST; TLBI ...; DSB ISH; ISB (and after pt_map, DSB ISHST; ISB before
 * using the new mappings). The one barrier inside is a DMB ISHST, on
 * aarch64 only, between zeroing a new table and linking it into its
 * parent: the hardware walker may read a live tree at any time, and must
 * never see a table before it has been cleared. The caller serializes all
 * calls on one tree (no locking here).
 *
 * Errors follow the decode-then-invoke rule: every check is done before
 * the first write, so a call that fails has changed no table and taken no
 * frame from the pool.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Granule, table and block sizes of this configuration. */
#define PT_PAGE_SIZE 0x1000ull
#define PT_TABLE_SIZE 0x1000ull
#define PT_ENTRIES 512u
#define PT_L2_BLOCK_SIZE 0x200000ull
#define PT_L1_BLOCK_SIZE 0x40000000ull

/**
 * MAIR_EL1 attribute indices (descriptor AttrIndx) and the value the boot
 * code writes to MAIR_EL1 (Arm ARM, register description "MAIR_EL1"; one
 * byte Attr<n> per index n, bits [8n+7:8n]):
 *   Attr0 = 0x04  Device-nGnRE: no gathering, no reordering, early write
 *                 acknowledgement allowed (what MMIO wants).
 *   Attr1 = 0xff  Normal, inner and outer write-back non-transient, read
 *                 and write allocate.
 */
#define PT_MAIR_DEVICE_nGnRE 0u
#define PT_MAIR_NORMAL_WB 1u
#define PT_MAIR_ATTR_DEVICE_nGnRE 0x04ull
#define PT_MAIR_ATTR_NORMAL_WB 0xffull
#define PT_MAIR_VALUE                                                                              \
    ((PT_MAIR_ATTR_DEVICE_nGnRE << (8 * PT_MAIR_DEVICE_nGnRE)) |                                   \
     (PT_MAIR_ATTR_NORMAL_WB << (8 * PT_MAIR_NORMAL_WB)))

/**
 * Permissions, a bit set. Rules (checked by pt_perm_check, refused with
 * PT_ERR_PERMISSION):
 *  - READ is required: AArch64 stage 1 has no write-only and no
 *    execute-only-without-read encoding (AP[2:1] only chooses between
 *    read/write and read-only, for EL1 and for EL0).
 *  - WRITE with EXEC or USER_EXEC is refused (W^X).
 *  - USER_EXEC requires USER.
 *  - USER with EXEC is refused: the kernel never executes user pages
 *    (every USER mapping has PXN = 1).
 *  - Device memory is never executable (EXEC and USER_EXEC refused).
 *  - Unknown bits are refused.
 * USER gives EL0 the same read/write rights as EL1; without USER, EL0 has
 * no access at all.
 */
#define PT_PERM_READ 0x01u      /**< EL1 (and EL0 with USER) may read */
#define PT_PERM_WRITE 0x02u     /**< EL1 (and EL0 with USER) may write */
#define PT_PERM_EXEC 0x04u      /**< EL1 may execute (kernel mappings only) */
#define PT_PERM_USER 0x08u      /**< EL0 may access, with the same R/W */
#define PT_PERM_USER_EXEC 0x10u /**< EL0 may execute (needs USER) */

/** Memory types (each selects a MAIR index). */
#define PT_MEM_NORMAL 1u /**< RAM: MAIR index PT_MAIR_NORMAL_WB */
#define PT_MEM_DEVICE 2u /**< MMIO: MAIR index PT_MAIR_DEVICE_nGnRE */

/** The result of every pt_ call that can fail. */
typedef enum {
    PT_OK = 0,
    /** va, pa, size, root or a pool frame not 4 KiB aligned (pt_desc_leaf:
     * pa not aligned to its level's block size). */
    PT_ERR_MISALIGNED,
    /** va is neither in the lower (VA[63:48] all 0) nor upper (all 1) half. */
    PT_ERR_NON_CANONICAL,
    /** size 0, va + size or pa + size overflows, the range crosses from one
     * half into the gap, or pa + size reaches above 48 bits. */
    PT_ERR_RANGE,
    /** Permissions or memory type break a rule listed with PT_PERM_*. */
    PT_ERR_PERMISSION,
    /** Some page of the range is mapped already. */
    PT_ERR_ALREADY_MAPPED,
    /** Some page of the range is not mapped. */
    PT_ERR_NOT_MAPPED,
    /** The pool holds fewer free frames than the call needs tables. */
    PT_ERR_NO_TABLES,
    /** The range covers only part of an existing 2 MiB or 1 GiB block. */
    PT_ERR_BLOCK_SPLIT,
} pt_result;

/**
 * Where new tables come from: the caller's list of free frames (the HAL
 * does not know the kernel's frame allocator). A new table is taken from
 * frames[used++] and zeroed here. Frames must be 4 KiB aligned and lie
 * below 2^48 (checked before use: PT_ERR_MISALIGNED / PT_ERR_RANGE).
 * phys_to_virt is added to a physical address to reach it (0 with the MMU
 * off). pt_unmap gives no frame back (tables it empties stay linked until
 * pt_reclaim unlinks them); pt_take_tables hands every table back when the
 * tree is torn down.
 */
struct pt_pool {
    paddr_t *frames;
    size_t count;
    size_t used;
    uint64_t phys_to_virt;
};

/** What pt_translate finds for one virtual address. */
struct pt_mapping {
    paddr_t pa;          /**< the physical address of va itself */
    uint32_t perm;       /**< PT_PERM_* as encoded (always READ) */
    uint32_t mem;        /**< PT_MEM_*, or 0 for an AttrIndx not ours */
    uint32_t level;      /**< level of the leaf: 1, 2 (blocks) or 3 */
    uint64_t block_size; /**< bytes the leaf maps: 1 GiB, 2 MiB or 4 KiB */
};

/** A short English description of r, e.g. "already mapped". Never NULL. */
const char *pt_result_string(pt_result r);

/**
 * Checks permissions perm (PT_PERM_*) for memory type mem (PT_MEM_*)
 * against the rules listed with PT_PERM_*. Returns PT_OK or
 * PT_ERR_PERMISSION.
 */
pt_result pt_perm_check(uint32_t perm, uint32_t mem);

/**
 * Encodes the leaf descriptor mapping pa at level (1 or 2: a block; 3: a
 * page) with perm and mem, into *desc. Requires desc non-NULL. Returns
 * PT_ERR_PERMISSION (rules above), PT_ERR_RANGE (level not 1..3, pa at or
 * above 2^48) or PT_ERR_MISALIGNED (pa not aligned to the level's block
 * size); *desc is written only on PT_OK.
 */
pt_result pt_desc_leaf(paddr_t pa, uint32_t level, uint32_t perm, uint32_t mem, uint64_t *desc);

/**
 * The number of new tables pt_map(pool, root, va, pa, size, ...,
 * allow_blocks) takes from the pool at most: exact for an empty root, an
 * upper bound for any root (existing tables are reused, never added to).
 * The root itself is not counted. pa is needed because a block is only
 * possible where va and pa agree modulo the block size. Returns 0 for
 * arguments pt_map rejects before allocating (misaligned, bad range).
 */
size_t pt_tables_needed(vaddr_t va, paddr_t pa, uint64_t size, bool allow_blocks);

/**
 * Takes one frame from the pool, zeroes it and returns it in *root: an
 * empty L0 table. Requires pool and root non-NULL. Returns PT_ERR_NO_TABLES
 * when the pool is empty, PT_ERR_MISALIGNED / PT_ERR_RANGE for a bad
 * frame (the pool is then untouched).
 */
pt_result pt_new_root(struct pt_pool *pool, paddr_t *root);

/**
 * Maps [va, va + size) to [pa, pa + size) with perm and mem under the L0
 * table at root (zeroed by the caller or made by pt_new_root). va, pa,
 * size and root 4 KiB aligned; va canonical and the range inside one half;
 * pa + size at most 2^48. With allow_blocks, uses a 1 GiB (L1) or 2 MiB
 * (L2) block wherever va and pa are aligned to it, the rest of the range
 * covers it and no table exists there yet; pages otherwise. New tables
 * come from pool (pool->phys_to_virt reaches all tables).
 * Returns PT_OK, or with nothing changed (no table written, pool->used
 * unchanged): PT_ERR_MISALIGNED, PT_ERR_RANGE, PT_ERR_NON_CANONICAL,
 * PT_ERR_PERMISSION, PT_ERR_ALREADY_MAPPED (any page of the range mapped),
 * PT_ERR_NO_TABLES (the pool has fewer free frames than needed).
 */
pt_result pt_map(struct pt_pool *pool, paddr_t root, vaddr_t va, paddr_t pa, uint64_t size,
                 uint32_t perm, uint32_t mem, bool allow_blocks);

/**
 * Removes the mappings of [va, va + size) under root. Every page of the
 * range must be mapped; a block lying wholly inside the range is removed
 * whole. Tables that become empty stay linked (and their frames are not
 * returned to the pool): a later pt_map reuses them. Only
 * pool->phys_to_virt is used. Returns PT_OK, or with nothing changed:
 * PT_ERR_MISALIGNED, PT_ERR_RANGE, PT_ERR_NON_CANONICAL,
 * PT_ERR_NOT_MAPPED (some page is not mapped), PT_ERR_BLOCK_SPLIT (the
 * range covers only part of a block). The caller then invalidates the TLB.
 */
pt_result pt_unmap(struct pt_pool *pool, paddr_t root, vaddr_t va, uint64_t size);

/**
 * Changes the permissions of the fully mapped range [va, va + size) under
 * root to perm; memory types and output addresses stay. perm is checked
 * against each leaf's memory type (so device pages cannot become
 * executable), and may not add or remove PT_PERM_USER: that changes nG,
 * which needs break-before-make (Arm ARM D8, "Using break-before-make when
 * updating translation table entries"): unmap, invalidate, map.
 * Returns PT_OK, or with nothing changed: PT_ERR_MISALIGNED, PT_ERR_RANGE,
 * PT_ERR_NON_CANONICAL, PT_ERR_PERMISSION, PT_ERR_NOT_MAPPED,
 * PT_ERR_BLOCK_SPLIT. The caller then invalidates the TLB.
 */
pt_result pt_protect(paddr_t root, vaddr_t va, uint64_t size, uint32_t perm, uint64_t phys_to_virt);

/**
 * Tears the tree at root down a batch at a time: unlinks up to max tables,
 * deepest first (a table only once no table is left under it; the root
 * last, once nothing is left under it), and stores their physical
 * addresses in out[0..n). Leaves (pages and blocks) are dropped with the
 * table holding them; the frames they map are the caller's, and are
 * neither touched nor returned. A returned table is unlinked from its
 * parent but keeps its contents (pt_new_root and pt_map zero a table they
 * take). *done is set true when out holds the root: the tree is gone and
 * root must not be used again. Returns n: at least 1, and max unless *done.
 * Requires root 4 KiB aligned, max >= 1, out and done non-NULL (a broken
 * requirement halts).
 *
 * Bounded work and stack: the walk is iterative, with a fixed path of four
 * tables, and each call starts again from root (the entries it has already
 * cleared are skipped): one call reads at most 512 * (n + 3) descriptors
 * and writes n - 1 (or n, without the root). The caller then makes the unlinks
 * visible and invalidates the TLB (walk caches included) before reusing a
 * returned frame.
 */
size_t pt_take_tables(paddr_t root, uint64_t phys_to_virt, paddr_t *out, size_t max, bool *done);

/**
 * Unlinks the tables on va's path that hold no valid entry, deepest first
 * (an L3 table, then its L2 table if that became empty, then the L1
 * table), never the root, and stores their physical addresses in
 * out[0..n); returns n (0 to 3). Stops at the first table on the way up
 * that still holds an entry. Requires out to have room for 3 and root and
 * va as for pt_unmap (a broken requirement halts). Like pt_unmap it does
 * no TLB maintenance: the caller invalidates va's walk (TLBI VAE1IS, which
 * covers cached table entries) before reusing a returned frame.
 */
size_t pt_reclaim(paddr_t root, vaddr_t va, uint64_t phys_to_virt, paddr_t *out);

/**
 * The number of tables in the tree whose table of level (0 for a root) is
 * at table, that table included. Recursion at most four deep; reads only.
 */
size_t pt_count_tables(paddr_t table, uint32_t level, uint64_t phys_to_virt);

/**
 * Walks the tables under root for va (any alignment) as the hardware would
 * and fills *out (required non-NULL; written only on PT_OK). Returns
 * PT_ERR_NON_CANONICAL, PT_ERR_MISALIGNED (root) or PT_ERR_NOT_MAPPED for
 * a hole.
 */
pt_result pt_translate(paddr_t root, vaddr_t va, uint64_t phys_to_virt, struct pt_mapping *out);

/**
 * Whether EL0 may read (write false) or write (write true) the byte at va
 * under root, as the tables say (PAN and TLB contents play no part). False
 * for holes, kernel-only pages, a write to a read-only page, and for any
 * va outside the lower half: user addresses live in TTBR0, so an upper
 * half va is never a user address whatever root is passed.
 */
bool pt_user_access_ok(paddr_t root, vaddr_t va, uint64_t phys_to_virt, bool write);

#ifdef __cplusplus
}
#endif
