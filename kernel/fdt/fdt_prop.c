/*
 * Decoding property values (DT spec 2.2.4): strings and string lists,
 * u32 cells, reg (2.3.6), ranges (2.3.8) and interrupts of the GIC and
 * BCM2836 bindings. Every span passed in
 * comes from fdt_walk_next, so it lies inside the blob; these functions
 * never look past its end.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt.h"
#include "kernel/fdt/fdt_priv.h"

/** GIC binding interrupt types, and the first INTID and largest number of each. */
#define IRQ_TYPE_SPI 0u
#define IRQ_TYPE_PPI 1u
#define SPI_FIRST_INTID 32u
#define SPI_MAX_NUM 987u /* INTID 1019, the last SPI (GIC architecture, 2.2) */
#define PPI_FIRST_INTID 16u
#define PPI_MAX_NUM 15u /* INTID 31 */

/*
 * BCM2836 bindings (Linux: brcm,bcm2836-l1-intc.txt, brcm,bcm2835-armctrl-ic.txt):
 * the local controller's sources are the bits 0-11 of a core's IRQ source
 * register (QA7 rev 3.4, 4.10); the peripheral controller has bank 0 (basic
 * pending, interrupts 0-7) and banks 1 and 2 (pending 1 and 2, 0-31 each).
 */
#define BCM_LOCAL_SOURCES 12u
#define BCM_ARMCTRL_BANKS 3u
#define BCM_ARMCTRL_BASIC_COUNT 8u
#define BCM_ARMCTRL_BANK_COUNT 32u
/** Line of bank 0 number 0: banks follow each other 32 lines apart from here (hal/irq.h). */
#define BCM_ARMCTRL_FIRST_LINE 32u

/* Out of line (noinline): inlined, each call with a literal became its own unrolled copy. */
__attribute__((noinline)) bool fdt_span_is(const struct fdt_blob *b, struct fdt_span s,
                                           const char *lit)
{
    uint32_t i = 0;
    for (; i < s.len; i++) {
        if (lit[i] == '\0' || b->base[s.off + i] != (uint8_t)lit[i]) {
            return false;
        }
    }
    return lit[i] == '\0';
}

/* Out of line (noinline): inlined, each call with a literal became its own unrolled copy. */
__attribute__((noinline)) bool fdt_name_is(const struct fdt_blob *b, uint32_t off, const char *lit)
{
    /* Stops at the first difference: at the latest the name's NUL (a
     * mismatch, or the end of lit as well). */
    const uint8_t *name = b->base + off;
    for (uint32_t i = 0;; i++) {
        if (name[i] != (uint8_t)lit[i]) {
            return false;
        }
        if (name[i] == 0) {
            return true;
        }
    }
}

bool fdt_name_equal(const struct fdt_blob *b, uint32_t off, struct fdt_span s)
{
    const uint8_t *name = b->base + off;
    for (uint32_t i = 0; i < s.len; i++) {
        if (name[i] == 0 || name[i] != b->base[s.off + i]) {
            return false;
        }
    }
    return name[s.len] == 0; /* bytes 0 .. s.len - 1 are not its NUL: it lies at s.len or later */
}

bool fdt_span_equal(const struct fdt_blob *b, struct fdt_span a, struct fdt_span c)
{
    if (a.len != c.len) {
        return false;
    }
    for (uint32_t i = 0; i < a.len; i++) {
        if (b->base[a.off + i] != b->base[c.off + i]) {
            return false;
        }
    }
    return true;
}

fdt_error fdt_prop_check_string(const struct fdt_blob *b, struct fdt_span v)
{
    if (v.len == 0 || b->base[v.off + v.len - 1] != 0) {
        return FDT_ERR_BAD_PROPERTY;
    }
    return FDT_OK;
}

struct fdt_span fdt_prop_first_string(const struct fdt_blob *b, struct fdt_span v)
{
    struct fdt_span s = {v.off, 0};
    while (s.len < v.len && b->base[v.off + s.len] != 0) {
        s.len++;
    }
    return s;
}

/* Out of line (noinline): three callers share one copy. */
__attribute__((noinline)) fdt_error fdt_prop_u32(const struct fdt_blob *b, struct fdt_span v,
                                                 uint32_t *out)
{
    if (v.len != 4) {
        return FDT_ERR_BAD_PROPERTY;
    }
    *out = fdt_read_be32(b->base + v.off);
    return FDT_OK;
}

fdt_error fdt_prop_reg_count(struct fdt_span v, uint32_t address_cells, uint32_t size_cells,
                             uint32_t *count)
{
    if (address_cells > 2 || size_cells > 2 || address_cells + size_cells == 0) {
        return FDT_ERR_BAD_PROPERTY;
    }
    uint32_t entry = (address_cells + size_cells) * 4;
    if (v.len % entry != 0) {
        return FDT_ERR_BAD_PROPERTY;
    }
    *count = v.len / entry;
    return FDT_OK;
}

/** The number of cells (0, 1 or 2) at p as one big-endian value. */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
    if (cells == 0) {
        return 0;
    }
    return cells == 1 ? fdt_read_be32(p) : fdt_read_be64(p);
}

fdt_error fdt_prop_reg(const struct fdt_blob *b, struct fdt_span v, uint32_t address_cells,
                       uint32_t size_cells, uint32_t index, struct fdt_range *out)
{
    uint64_t off = v.off + (uint64_t)index * (address_cells + size_cells) * 4;
    out->base = read_cells(b->base + off, address_cells);
    out->size = read_cells(b->base + off + address_cells * 4, size_cells);
    return fdt_range_wraps(*out) ? FDT_ERR_BAD_PROPERTY : FDT_OK;
}

fdt_error fdt_prop_irq(const struct fdt_blob *b, struct fdt_span v, uint32_t cells, uint32_t index,
                       uint32_t *intid)
{
    if (cells < FDT_GIC_IRQ_CELLS_MIN || cells > FDT_GIC_IRQ_CELLS_MAX) {
        return FDT_ERR_BAD_PROPERTY;
    }
    uint32_t entry = cells * 4;
    if (v.len % entry != 0 || ((uint64_t)index + 1) * entry > v.len) {
        return FDT_ERR_BAD_PROPERTY;
    }
    /* The cells after <type num flags> (a PPI partition) do not change the INTID. */
    const uint8_t *p = b->base + v.off + (uint64_t)index * entry;
    uint32_t type = fdt_read_be32(p);
    uint32_t num = fdt_read_be32(p + 4);
    if (type == IRQ_TYPE_SPI && num <= SPI_MAX_NUM) {
        *intid = SPI_FIRST_INTID + num;
        return FDT_OK;
    }
    if (type == IRQ_TYPE_PPI && num <= PPI_MAX_NUM) {
        *intid = PPI_FIRST_INTID + num;
        return FDT_OK;
    }
    return FDT_ERR_BAD_PROPERTY;
}

fdt_error fdt_prop_irq_bcm(const struct fdt_blob *b, struct fdt_span v, bool armctrl,
                           uint32_t cells, uint32_t index, uint32_t *line)
{
    if (cells != FDT_BCM_IRQ_CELLS || v.len % 8 != 0 || ((uint64_t)index + 1) * 8 > v.len) {
        return FDT_ERR_BAD_PROPERTY;
    }
    const uint8_t *p = b->base + v.off + (uint64_t)index * 8;
    uint32_t first = fdt_read_be32(p); /* local: the source; armctrl: the bank */
    uint32_t num = fdt_read_be32(p + 4);
    if (!armctrl) {
        if (first >= BCM_LOCAL_SOURCES) {
            return FDT_ERR_BAD_PROPERTY;
        }
        *line = first; /* the second cell holds flags */
        return FDT_OK;
    }
    uint32_t count = first == 0 ? BCM_ARMCTRL_BASIC_COUNT : BCM_ARMCTRL_BANK_COUNT;
    if (first >= BCM_ARMCTRL_BANKS || num >= count) {
        return FDT_ERR_BAD_PROPERTY;
    }
    *line = BCM_ARMCTRL_FIRST_LINE + BCM_ARMCTRL_BANK_COUNT * first + num;
    return FDT_OK;
}

/** Whether a cell count is one ranges can use for an address or length (1 or 2). */
static bool ranges_cells_ok(uint32_t cells)
{
    return cells == 1 || cells == 2;
}

fdt_error fdt_prop_translate(const struct fdt_blob *b, struct fdt_span ranges, uint32_t child_cells,
                             uint32_t parent_cells, uint32_t size_cells, struct fdt_range *r)
{
    if (ranges.off == 0) {
        return FDT_ERR_NO_RANGES;
    }
    if (ranges.len == 0) {
        return FDT_OK; /* identity */
    }
    if (!ranges_cells_ok(child_cells) || !ranges_cells_ok(parent_cells) ||
        !ranges_cells_ok(size_cells)) {
        return FDT_ERR_BAD_PROPERTY;
    }
    uint32_t entry = (child_cells + parent_cells + size_cells) * 4;
    if (ranges.len % entry != 0) {
        return FDT_ERR_BAD_PROPERTY;
    }
    for (uint32_t off = 0; off < ranges.len; off += entry) {
        const uint8_t *p = b->base + ranges.off + off;
        uint64_t child = read_cells(p, child_cells);
        uint64_t parent = read_cells(p + child_cells * 4, parent_cells);
        uint64_t len = read_cells(p + (child_cells + parent_cells) * 4, size_cells);
        if (r->base < child || r->base - child >= len) {
            continue; /* not in this window */
        }
        uint64_t offset = r->base - child;
        if (r->size > len - offset) {
            return FDT_ERR_NOT_IN_RANGES; /* runs past the window's end */
        }
        if (offset > UINT64_MAX - parent) {
            return FDT_ERR_BAD_PROPERTY;
        }
        struct fdt_range t = {parent + offset, r->size};
        if (fdt_range_wraps(t)) {
            return FDT_ERR_BAD_PROPERTY;
        }
        *r = t;
        return FDT_OK;
    }
    return FDT_ERR_NOT_IN_RANGES;
}
