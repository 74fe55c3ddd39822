/*
 * Translation table walks: map, unmap, protect, translate (contracts in
 * pt.h, descriptor bits in pt_desc.h).
 *
 * Each range operation runs twice over the tree, as STYLE.md's
 * decode-then-invoke asks: a check walk that reads only and finds every
 * reason to fail (and, for pt_map, counts the new tables), then a write
 * walk that cannot fail. Both walks split the range the same way, level by
 * level: at each level the range is cut at entry boundaries into pieces,
 * and a piece either ends at this level (a leaf, or an error) or is
 * handed to the next level's table. Recursion is at most four deep.
 * pt_take_tables walks the whole tree instead, iteratively.
 */

#include "hal/aarch64/pt.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/pt_desc.h"
#include "hal/addr.h"

/* A broken internal invariant halts here: the HAL cannot use the kernel's
 * CHECK, and __builtin_trap is a single instruction (BRK), no call. */
#define PT_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

/** What a range operation carries down the levels. */
struct pt_op {
    uint64_t p2v;         /* added to a table's physical address */
    struct pt_pool *pool; /* map: where new tables come from */
    uint64_t attrs;       /* map: attribute bits of every new leaf */
    bool blocks;          /* map: 1 GiB / 2 MiB blocks allowed */
    bool protect;         /* unmap or protect: which one */
    uint32_t perm;        /* protect: the new permissions */
};

/* ---- Table memory --------------------------------------------------- */

/*
 * Tables are accessed only through volatile 64-bit loads and stores: the
 * hardware walker may read a live table at any moment, so a descriptor
 * must be written in one single-copy-atomic store (never torn, merged or
 * turned into a library call such as memset).
 */
static volatile uint64_t *pt_table(paddr_t table, uint64_t p2v)
{
    return (volatile uint64_t *)(uintptr_t)(table.value + p2v);
}

/** The descriptor for va in the table of level at table. */
static uint64_t entry_get(paddr_t table, uint32_t level, uint64_t va, uint64_t p2v)
{
    return pt_table(table, p2v)[pt_level_index(level, va)];
}

/** Stores desc as the descriptor for va in the table of level at table. */
static void entry_set(paddr_t table, uint32_t level, uint64_t va, uint64_t p2v, uint64_t desc)
{
    pt_table(table, p2v)[pt_level_index(level, va)] = desc;
}

/** Takes the next pool frame (the check walk counted it) as a zeroed table. */
static paddr_t table_take(struct pt_pool *pool)
{
    PT_ASSERT(pool->used < pool->count);
    paddr_t table = pool->frames[pool->used++];
    volatile uint64_t *t = pt_table(table, pool->phys_to_virt);
    // Eight entries per iteration; volatile, or clang calls memset.
    for (uint32_t i = 0; i < PT_ENTRIES; i += 8) {
        t[i] = 0;
        t[i + 1] = 0;
        t[i + 2] = 0;
        t[i + 3] = 0;
        t[i + 4] = 0;
        t[i + 5] = 0;
        t[i + 6] = 0;
        t[i + 7] = 0;
    }
#if defined(__aarch64__)
    /* The zeroes must reach memory before the descriptor that links the
     * table does: a speculative walk could otherwise read stale entries
     * through the new link (pt.h). Harmless with the MMU off. */
    __asm__ volatile("dmb ishst" ::: "memory");
#endif
    return table;
}

/* ---- Argument checks ------------------------------------------------ */

/** Whether value is a multiple of 4 KiB. */
static bool page_aligned(uint64_t value)
{
    return (value & (PT_PAGE_SIZE - 1)) == 0;
}

/** VA[63:48] all zeros (lower half) or all ones (upper half). */
static bool canonical(uint64_t va)
{
    uint64_t top = va >> 48;
    return top == 0 || top == 0xffff;
}

/** Checks root, va and size as every range operation needs them. */
static pt_result check_range(paddr_t root, uint64_t va, uint64_t size)
{
    if (!page_aligned(root.value) || !page_aligned(va) || !page_aligned(size)) {
        return PT_ERR_MISALIGNED;
    }
    if (size == 0) {
        return PT_ERR_RANGE;
    }
    if (!canonical(va)) {
        return PT_ERR_NON_CANONICAL;
    }
    /* The last byte, va + size - 1, must not wrap and must stay in va's
     * half (the upper half may end exactly at 2^64). */
    if (size - 1 > UINT64_MAX - va || ((va + size - 1) >> 48) != (va >> 48)) {
        return PT_ERR_RANGE;
    }
    return PT_OK;
}

/** Checks pa and size: aligned, and [pa, pa + size) below 2^48. */
static pt_result check_pa(uint64_t pa, uint64_t size)
{
    if (!page_aligned(pa)) {
        return PT_ERR_MISALIGNED;
    }
    if (pa >= PT_ADDR_LIMIT || size > PT_ADDR_LIMIT - pa) {
        return PT_ERR_RANGE;
    }
    return PT_OK;
}

/** Checks that the pool's next `needed` frames exist and are usable. */
static pt_result check_pool(const struct pt_pool *pool, size_t needed)
{
    if (pool->used > pool->count || needed > pool->count - pool->used) {
        return PT_ERR_NO_TABLES;
    }
    for (size_t i = 0; i < needed; i++) {
        uint64_t frame = pool->frames[pool->used + i].value;
        if (!page_aligned(frame)) {
            return PT_ERR_MISALIGNED;
        }
        if (frame >= PT_ADDR_LIMIT) {
            return PT_ERR_RANGE;
        }
    }
    return PT_OK;
}

/* ---- Shared by the walks ---------------------------------------------- */

/** The bytes of [va, va + size) that lie inside va's entry at level. */
static uint64_t piece_size(uint32_t level, uint64_t va, uint64_t size)
{
    uint64_t span = pt_level_size(level);
    uint64_t rest = span - (va & (span - 1));
    return rest < size ? rest : size;
}

/**
 * Whether the piece [va, va + size) of one entry of level is mapped by a
 * leaf at this level (given the entry is empty): always at L3; at L1 and
 * L2 only with blocks, when the piece is the whole entry and pa is aligned
 * like va (a block maps PA[47:n] plus VA[n-1:0]).
 */
static bool leaf_fits(bool blocks, uint32_t level, uint64_t va, uint64_t pa, uint64_t size)
{
    if (level == 3) {
        return true;
    }
    uint64_t span = pt_level_size(level);
    return blocks && level > 0 && size == span && ((va | pa) & (span - 1)) == 0;
}

/**
 * The number of tables a map of [va, va + size), lying inside one empty
 * table of level, adds below it. Runs of whole entries are all alike (same
 * alignment of va and pa within them), so each run is counted once and
 * multiplied: at most three pieces per level, whatever the size.
 */
static size_t tables_below_empty(bool blocks, uint32_t level, uint64_t va, uint64_t pa,
                                 uint64_t size)
{
    size_t total = 0;

    while (level < 3 && size > 0) {
        uint64_t span = pt_level_size(level);
        uint64_t piece = piece_size(level, va, size);
        uint64_t count = piece == span ? size / span : 1;
        if (!leaf_fits(blocks, level, va, pa, piece)) {
            total += count * (1 + tables_below_empty(blocks, level + 1, va, pa, piece));
        }
        va += count * piece;
        pa += count * piece;
        size -= count * piece;
    }
    return total;
}

/* ---- pt_map ------------------------------------------------------------ */

/**
 * Check walk of pt_map below table (of level): fails on any leaf in the
 * range, adds to *needed the tables the write walk will take.
 */
static pt_result map_check(const struct pt_op *op, uint32_t level, paddr_t table, uint64_t va,
                           uint64_t pa, uint64_t size, size_t *needed)
{
    while (size > 0) {
        uint64_t piece = piece_size(level, va, size);
        uint64_t desc = entry_get(table, level, va, op->p2v);
        enum pt_kind kind = pt_desc_kind(level, desc);
        if (kind == PT_KIND_TABLE) {
            paddr_t next = pt_desc_next(desc);
            pt_result r = map_check(op, level + 1, next, va, pa, piece, needed);
            if (r != PT_OK) {
                return r;
            }
        } else if (kind != PT_KIND_INVALID) {
            return PT_ERR_ALREADY_MAPPED;
        } else if (!leaf_fits(op->blocks, level, va, pa, piece)) {
            *needed += 1 + tables_below_empty(op->blocks, level + 1, va, pa, piece);
        }
        va += piece;
        pa += piece;
        size -= piece;
    }
    return PT_OK;
}

/**
 * Write walk of pt_map: the same decisions as map_check, now carried out.
 * An existing table is always descended into, even where a block would
 * fit: it may hold tables emptied by pt_unmap, and they stay in use.
 */
static void map_write(const struct pt_op *op, uint32_t level, paddr_t table, uint64_t va,
                      uint64_t pa, uint64_t size)
{
    while (size > 0) {
        uint64_t piece = piece_size(level, va, size);
        uint64_t desc = entry_get(table, level, va, op->p2v);
        enum pt_kind kind = pt_desc_kind(level, desc);
        if (kind == PT_KIND_INVALID && leaf_fits(op->blocks, level, va, pa, piece)) {
            entry_set(table, level, va, op->p2v,
                      pt_desc_make_leaf(level, paddr_make(pa), op->attrs));
        } else {
            paddr_t next;
            if (kind == PT_KIND_INVALID) {
                next = table_take(op->pool);
                entry_set(table, level, va, op->p2v, pt_desc_table(next));
            } else {
                PT_ASSERT(kind == PT_KIND_TABLE);
                next = pt_desc_next(desc);
            }
            map_write(op, level + 1, next, va, pa, piece);
        }
        va += piece;
        pa += piece;
        size -= piece;
    }
}

size_t pt_tables_needed(vaddr_t va, paddr_t pa, uint64_t size, bool allow_blocks)
{
    if (check_range(paddr_make(0), va.value, size) != PT_OK || check_pa(pa.value, size) != PT_OK) {
        return 0;
    }
    return tables_below_empty(allow_blocks, 0, va.value, pa.value, size);
}

pt_result pt_new_root(struct pt_pool *pool, paddr_t *root)
{
    pt_result r = check_pool(pool, 1);

    if (r != PT_OK) {
        return r;
    }
    *root = table_take(pool);
    return PT_OK;
}

pt_result pt_map(struct pt_pool *pool, paddr_t root, vaddr_t va, paddr_t pa, uint64_t size,
                 uint32_t perm, uint32_t mem, bool allow_blocks)
{
    pt_result r = check_range(root, va.value, size);
    if (r == PT_OK) {
        r = check_pa(pa.value, size);
    }
    if (r == PT_OK) {
        r = pt_perm_check(perm, mem);
    }
    if (r != PT_OK) {
        return r;
    }
    struct pt_op op = {.p2v = pool->phys_to_virt,
                       .pool = pool,
                       .attrs = pt_desc_attrs(perm, mem),
                       .blocks = allow_blocks};
    size_t needed = 0;
    r = map_check(&op, 0, root, va.value, pa.value, size, &needed);
    if (r == PT_OK) {
        r = check_pool(pool, needed);
    }
    if (r != PT_OK) {
        return r;
    }
    size_t first = pool->used;
    map_write(&op, 0, root, va.value, pa.value, size);
    PT_ASSERT(pool->used - first == needed);
    return PT_OK;
}

/* ---- pt_unmap and pt_protect ------------------------------------------ */

/** Whether protect may give perm to the leaf desc (rules in pt.h). */
static pt_result protect_leaf_check(uint32_t perm, uint64_t desc)
{
    if (((pt_desc_perm(desc) ^ perm) & PT_PERM_USER) != 0) {
        return PT_ERR_PERMISSION; /* would change nG: break-before-make */
    }
    return pt_perm_check(perm, pt_desc_mem(desc));
}

/**
 * Check walk of pt_unmap and pt_protect below table (of level): every page
 * of the range must be mapped, by leaves lying wholly inside the range.
 */
static pt_result leaves_check(const struct pt_op *op, uint32_t level, paddr_t table, uint64_t va,
                              uint64_t size)
{
    while (size > 0) {
        uint64_t piece = piece_size(level, va, size);
        uint64_t desc = entry_get(table, level, va, op->p2v);
        enum pt_kind kind = pt_desc_kind(level, desc);
        pt_result r = PT_OK;
        if (kind == PT_KIND_TABLE) {
            r = leaves_check(op, level + 1, pt_desc_next(desc), va, piece);
        } else if (kind == PT_KIND_INVALID) {
            r = PT_ERR_NOT_MAPPED;
        } else if (piece != pt_level_size(level)) {
            r = PT_ERR_BLOCK_SPLIT;
        } else if (op->protect) {
            r = protect_leaf_check(op->perm, desc);
        }
        if (r != PT_OK) {
            return r;
        }
        va += piece;
        size -= piece;
    }
    return PT_OK;
}

/** Write walk of pt_unmap (leaves cleared) and pt_protect (rewritten). */
static void leaves_write(const struct pt_op *op, uint32_t level, paddr_t table, uint64_t va,
                         uint64_t size)
{
    while (size > 0) {
        uint64_t piece = piece_size(level, va, size);
        uint64_t desc = entry_get(table, level, va, op->p2v);
        enum pt_kind kind = pt_desc_kind(level, desc);
        if (kind == PT_KIND_TABLE) {
            leaves_write(op, level + 1, pt_desc_next(desc), va, piece);
        } else {
            PT_ASSERT(kind != PT_KIND_INVALID && piece == pt_level_size(level));
            uint64_t leaf = 0;
            if (op->protect) {
                uint64_t attrs = pt_desc_attrs(op->perm, pt_desc_mem(desc));
                leaf = pt_desc_make_leaf(level, pt_desc_addr(level, desc), attrs);
            }
            entry_set(table, level, va, op->p2v, leaf);
        }
        va += piece;
        size -= piece;
    }
}

/** pt_unmap and pt_protect: argument checks, check walk, write walk. */
static pt_result leaves_change(const struct pt_op *op, paddr_t root, vaddr_t va, uint64_t size)
{
    pt_result r = check_range(root, va.value, size);

    if (r == PT_OK && op->protect) {
        /* The rules that do not depend on a leaf's memory type, first. */
        r = pt_perm_check(op->perm, PT_MEM_NORMAL);
    }
    if (r == PT_OK) {
        r = leaves_check(op, 0, root, va.value, size);
    }
    if (r != PT_OK) {
        return r;
    }
    leaves_write(op, 0, root, va.value, size);
    return PT_OK;
}

pt_result pt_unmap(struct pt_pool *pool, paddr_t root, vaddr_t va, uint64_t size)
{
    struct pt_op op = {.p2v = pool->phys_to_virt, .protect = false};

    return leaves_change(&op, root, va, size);
}

pt_result pt_protect(paddr_t root, vaddr_t va, uint64_t size, uint32_t perm, uint64_t phys_to_virt)
{
    struct pt_op op = {.p2v = phys_to_virt, .protect = true, .perm = perm};

    return leaves_change(&op, root, va, size);
}

/* ---- pt_take_tables ------------------------------------------------------ */

/** One table on the path of pt_take_tables, and the entry reached in it. */
struct take_step {
    paddr_t table;
    uint32_t index; /* entries [0, index) hold no table any more */
};

/**
 * The index of the first table descriptor at or after from in the table
 * of level, PT_ENTRIES when there is none. An L3 table never holds one.
 */
static uint32_t next_table_entry(paddr_t table, uint32_t level, uint32_t from, uint64_t p2v)
{
    if (level == 3) {
        return PT_ENTRIES;
    }
    volatile uint64_t *t = pt_table(table, p2v);
    uint32_t i = from;
    while (i < PT_ENTRIES && pt_desc_kind(level, t[i]) != PT_KIND_TABLE) {
        i++;
    }
    return i;
}

size_t pt_take_tables(paddr_t root, uint64_t phys_to_virt, paddr_t *out, size_t max, bool *done)
{
    PT_ASSERT(page_aligned(root.value) && out != NULL && done != NULL && max >= 1);
    /* path[0..level]: the root and the tables below it being emptied, each
     * linked from its parent's entry path[level - 1].index. */
    struct take_step path[4] = {{root, 0}};
    uint32_t level = 0;
    size_t n = 0;

    *done = false;
    while (n < max) {
        struct take_step *step = &path[level];
        step->index = next_table_entry(step->table, level, step->index, phys_to_virt);
        if (step->index < PT_ENTRIES) {
            /* A table below: empty it first (post-order, deepest first). */
            uint64_t desc = pt_table(step->table, phys_to_virt)[step->index];
            PT_ASSERT(level < 3);
            level++;
            path[level] = (struct take_step){pt_desc_next(desc), 0};
            continue;
        }
        /* No table left under this one: it is taken. */
        out[n++] = step->table;
        if (level == 0) {
            *done = true;
            break;
        }
        level--;
        pt_table(path[level].table, phys_to_virt)[path[level].index] = 0;
        path[level].index++;
    }
    return n;
}

/* ---- pt_reclaim ---------------------------------------------------------- */

/** Whether the table at table holds no valid descriptor. */
static bool table_empty(paddr_t table, uint64_t p2v)
{
    volatile uint64_t *t = pt_table(table, p2v);
    for (uint32_t i = 0; i < PT_ENTRIES; i++) {
        if ((t[i] & 1u) != 0) {
            return false;
        }
    }
    return true;
}

size_t pt_reclaim(paddr_t root, vaddr_t va, uint64_t phys_to_virt, paddr_t *out)
{
    PT_ASSERT(page_aligned(root.value) && canonical(va.value) && out != NULL);
    /* path[l]: the table of level l on va's path; depth: how many exist. */
    paddr_t path[4] = {root};
    uint32_t depth = 1;
    while (depth < 4) {
        uint64_t desc = entry_get(path[depth - 1], depth - 1, va.value, phys_to_virt);
        if (pt_desc_kind(depth - 1, desc) != PT_KIND_TABLE) {
            break;
        }
        path[depth++] = pt_desc_next(desc);
    }
    size_t n = 0;
    for (uint32_t level = depth - 1; level > 0 && table_empty(path[level], phys_to_virt); level--) {
        entry_set(path[level - 1], level - 1, va.value, phys_to_virt, 0);
        out[n++] = path[level];
    }
    return n;
}

size_t pt_count_tables(paddr_t table, uint32_t level, uint64_t phys_to_virt)
{
    PT_ASSERT(page_aligned(table.value) && level <= 3);
    size_t n = 1;
    for (uint32_t i = 0; level < 3 && i < PT_ENTRIES; i++) {
        uint64_t desc = pt_table(table, phys_to_virt)[i];
        if (pt_desc_kind(level, desc) == PT_KIND_TABLE) {
            n += pt_count_tables(pt_desc_next(desc), level + 1, phys_to_virt);
        }
    }
    return n;
}

/* ---- Lookups ------------------------------------------------------------ */

pt_result pt_translate(paddr_t root, vaddr_t va, uint64_t phys_to_virt, struct pt_mapping *out)
{
    if (!canonical(va.value)) {
        return PT_ERR_NON_CANONICAL;
    }
    if (!page_aligned(root.value)) {
        return PT_ERR_MISALIGNED;
    }
    paddr_t table = root;
    for (uint32_t level = 0; level <= 3; level++) {
        uint64_t desc = entry_get(table, level, va.value, phys_to_virt);
        enum pt_kind kind = pt_desc_kind(level, desc);
        if (kind == PT_KIND_INVALID) {
            return PT_ERR_NOT_MAPPED;
        }
        if (kind == PT_KIND_TABLE) {
            table = pt_desc_next(desc);
            continue;
        }
        uint64_t span = pt_level_size(level);
        out->pa = paddr_make(pt_desc_addr(level, desc).value | (va.value & (span - 1)));
        out->perm = pt_desc_perm(desc);
        out->mem = pt_desc_mem(desc);
        out->level = level;
        out->block_size = span;
        return PT_OK;
    }
    return PT_ERR_NOT_MAPPED; /* not reached: an L3 entry is never a table */
}

bool pt_user_access_ok(paddr_t root, vaddr_t va, uint64_t phys_to_virt, bool write)
{
    struct pt_mapping m;

    if ((va.value >> 48) != 0 || pt_translate(root, va, phys_to_virt, &m) != PT_OK) {
        return false;
    }
    if ((m.perm & PT_PERM_USER) == 0) {
        return false;
    }
    return !write || (m.perm & PT_PERM_WRITE) != 0;
}
