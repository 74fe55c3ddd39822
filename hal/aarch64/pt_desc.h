#pragma once

/**
 * VMSAv8-64 descriptor formats, 4 KiB granule, 48-bit output addresses
 * (Arm ARM DDI 0487 K.a, D8.3 "Translation table descriptor formats";
 * D5.3 in issues F and G, D4.3 in issue A). Private to hal/aarch64:pt.
 *
 * Bits [1:0] say what a descriptor is:
 *   x0  invalid: the walk stops with a translation fault; the other 63 bits
 *       are ignored by the hardware.
 *   11  at L0, L1, L2: a table descriptor; at L3: a page descriptor.
 *   01  at L1, L2: a block descriptor; at L3: reserved (it faults like an
 *       invalid entry); at L0: not allowed with this granule and output
 *       size (a translation fault too).
 *
 * Table descriptor (L0..L2):
 *
 *   63  62 61  60  59  58     52 51  48 47                       12 11     2 1 0
 *  +---+-----+---+---+---------+------+---------------------------+--------+-+-+
 *  |NST| APT |UXT|PXT| ignored | RES0 | next-level table PA[47:12]| ignored|1|1|
 *  +---+-----+---+---+---------+------+---------------------------+--------+-+-+
 *   NSTable, APTable, UXNTable, PXNTable limit everything below the entry
 *   ("hierarchical permissions"). All 0 here: no limit, each leaf alone
 *   says what is allowed.
 *
 * Block (L1: 1 GiB, L2: 2 MiB) and page (L3: 4 KiB) descriptors, the
 * leaves. Upper half, attributes and output address:
 *
 *   63   59 58  55  54   53   52   51   50  49 48 47              n n-1   12
 *  +-------+-----+----+----+----+----+----+-----+-----------------+--------+
 *  |ignored| SW  | UXN| PXN|Cont| DBM| GP | RES0| output PA[47:n] |  RES0  |
 *  +-------+-----+----+----+----+----+----+-----+-----------------+--------+
 *   n = 30 for an L1 block, 21 for an L2 block, 12 for an L3 page.
 *
 * Lower half, attributes and type:
 *
 *   11   10   9   8   7   6    5    4        2    1   0
 *  +----+----+-------+-------+----+----------+----+---+
 *  | nG | AF |  SH   |  AP   | NS | AttrIndx | 0/1| 1 |   0 block, 1 page
 *  +----+----+-------+-------+----+----------+----+---+
 *
 * The fields this code sets (all others are 0: no contiguous hint, no
 * dirty-bit management, no BTI guarded pages, no software bits):
 *   AttrIndx[4:2] MAIR_EL1 index: PT_MAIR_NORMAL_WB or PT_MAIR_DEVICE_nGnRE.
 *   NS[5]      0. Ignored when the access comes from Non-secure state, as
 *              all of ours do.
 *   AP[7:6]    AP[2:1], data access permissions (Arm ARM D8.4 "Memory
 *              access control"): AP[2] (bit 7) = read-only, AP[1] (bit 6)
 *              = EL0 has the same access as EL1:
 *                00 EL1 RW, EL0 none     kernel RW
 *                01 EL1 RW, EL0 RW       user RW
 *                10 EL1 RO, EL0 none     kernel RO
 *                11 EL1 RO, EL0 RO       user RO
 *              No encoding denies reading, hence PT_PERM_READ is required.
 *              The hardware treats a region writable at EL0 as PXN anyway.
 *   SH[9:8]    0b11 (Inner Shareable) for Normal memory: every core of the
 *              system sees it coherently. 0b00 for Device memory, where the
 *              field means nothing: Device (and Normal Non-cacheable)
 *              memory is always treated as Outer Shareable (Arm ARM B2.7
 *              "Memory types and attributes").
 *   AF[10]     1 always. An entry with AF = 0 faults on first use (unless
 *              the hardware manages the flag); we do not track accesses.
 *   nG[11]     1 for user mappings: their TLB entries are tagged with the
 *              ASID, so switching address spaces needs no TLB flush. 0 for
 *              kernel mappings, which are the same in every address space.
 *   PXN[53]    EL1 may not execute. 1 for every user mapping and every
 *              kernel mapping without PT_PERM_EXEC.
 *   UXN[54]    EL0 may not execute. 1 unless PT_PERM_USER_EXEC.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/aarch64/pt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PT_DESC_VALID 0x1ull         /* bit 0 */
#define PT_DESC_TABLE_OR_PAGE 0x2ull /* bit 1: table at L0..L2, page at L3 */
#define PT_DESC_TYPE_MASK 0x3ull
#define PT_DESC_TYPE_TABLE 0x3ull
#define PT_DESC_TYPE_BLOCK 0x1ull
#define PT_DESC_TYPE_PAGE 0x3ull
#define PT_DESC_ATTRINDX_SHIFT 2
#define PT_DESC_ATTRINDX_MASK (0x7ull << PT_DESC_ATTRINDX_SHIFT)
#define PT_DESC_AP_EL0 (1ull << 6) /* AP[1] */
#define PT_DESC_AP_RO (1ull << 7)  /* AP[2] */
#define PT_DESC_SH_INNER (0x3ull << 8)
#define PT_DESC_AF (1ull << 10)
#define PT_DESC_NG (1ull << 11)
#define PT_DESC_PXN (1ull << 53)
#define PT_DESC_UXN (1ull << 54)
/* Output address (or next-table address) bits [47:12]. */
#define PT_DESC_OA_MASK 0x0000fffffffff000ull
/* 2^48: the first address beyond the output (and per-half input) space. */
#define PT_ADDR_LIMIT 0x0001000000000000ull

/** The kinds of entry, as the hardware reads them at a given level. */
enum pt_kind {
    PT_KIND_INVALID,
    PT_KIND_TABLE,
    PT_KIND_BLOCK,
    PT_KIND_PAGE,
};

/** log2 of the bytes one entry of level (0..3) spans: 39, 30, 21, 12. */
static inline uint32_t pt_level_shift(uint32_t level)
{
    return 39 - 9 * level;
}

/** Bytes one entry of level (0..3) spans. */
static inline uint64_t pt_level_size(uint32_t level)
{
    return 1ull << pt_level_shift(level);
}

/** The index of va's entry in a table of level: VA[47:39], ..., VA[20:12]. */
static inline uint32_t pt_level_index(uint32_t level, uint64_t va)
{
    return (uint32_t)(va >> pt_level_shift(level)) & (PT_ENTRIES - 1);
}

/** What descriptor desc is when read at level (see the top of this file). */
static inline enum pt_kind pt_desc_kind(uint32_t level, uint64_t desc)
{
    if ((desc & PT_DESC_VALID) == 0) {
        return PT_KIND_INVALID;
    }
    bool bit1 = (desc & PT_DESC_TABLE_OR_PAGE) != 0;
    if (level == 3) {
        return bit1 ? PT_KIND_PAGE : PT_KIND_INVALID;
    }
    if (bit1) {
        return PT_KIND_TABLE;
    }
    return level == 0 ? PT_KIND_INVALID : PT_KIND_BLOCK;
}

/** A table descriptor pointing to the table at pa (4 KiB aligned). */
static inline uint64_t pt_desc_table(paddr_t pa)
{
    return (pa.value & PT_DESC_OA_MASK) | PT_DESC_TYPE_TABLE;
}

/** The next-level table a table descriptor points to (bits [47:12]). */
static inline paddr_t pt_desc_next(uint64_t desc)
{
    return paddr_make(desc & PT_DESC_OA_MASK);
}

/** The output address of a leaf descriptor of level 1..3 (PA[47:n]). */
static inline paddr_t pt_desc_addr(uint32_t level, uint64_t desc)
{
    return paddr_make(desc & PT_DESC_OA_MASK & ~(pt_level_size(level) - 1));
}

/**
 * The attribute bits (everything but the output address and bits [1:0])
 * of a leaf with perm and mem. Requires pt_perm_check(perm, mem) == PT_OK.
 */
uint64_t pt_desc_attrs(uint32_t perm, uint32_t mem);

/**
 * A leaf descriptor of level (1..3) for pa (aligned to the level) with the
 * attribute bits attrs from pt_desc_attrs.
 */
static inline uint64_t pt_desc_make_leaf(uint32_t level, paddr_t pa, uint64_t attrs)
{
    uint64_t type = level == 3 ? PT_DESC_TYPE_PAGE : PT_DESC_TYPE_BLOCK;
    return (pa.value & PT_DESC_OA_MASK) | attrs | type;
}

/** The PT_PERM_* set a leaf descriptor grants (inverse of pt_desc_attrs). */
uint32_t pt_desc_perm(uint64_t desc);

/** The PT_MEM_* type of a leaf descriptor, 0 for an AttrIndx not ours. */
uint32_t pt_desc_mem(uint64_t desc);

#ifdef __cplusplus
}
#endif
