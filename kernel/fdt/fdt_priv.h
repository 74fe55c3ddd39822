#pragma once

/**
 * Private to kernel/fdt: the checked view of a blob, the token walker and
 * the property decoders shared by fdt.c and fdt_platform.c.
 *
 * Every offset here is a byte offset from the start of the blob, held in 32
 * bits (a blob's totalsize is a 32-bit field); sums of two offsets or
 * lengths are formed in 64 bits, where they cannot overflow, before they are
 * compared with a bound.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Header magic (5.2). */
#define FDT_MAGIC 0xd00dfeedu
/** Header size of version 17, which added size_dt_struct (5.2). */
#define FDT_HEADER_SIZE 40u
/** Header size of version 16, without size_dt_struct. */
#define FDT_HEADER_SIZE_V16 36u
/** Oldest version we read, newest last_comp_version we can read (5.2). */
#define FDT_VERSION_MIN 16u
#define FDT_VERSION_MAX 17u
/** One memory reservation entry: two big-endian uint64 (5.3). */
#define FDT_RSV_ENTRY_SIZE 16u

/* Structure block tokens (5.4.1), each a big-endian uint32 at a 4-byte-aligned offset. */
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE 0x2u
#define FDT_PROP 0x3u
#define FDT_NOP 0x4u
#define FDT_END 0x9u

/**
 * A blob whose header and block layout were checked by fdt_blob_open.
 * Invariants: every block lies inside [0, totalsize), totalsize <= the
 * caller's size, no block overlaps the header or another block.
 */
struct fdt_blob {
    const uint8_t *base;
    bool aligned; /* base is 4-byte aligned: structure block words load whole (fdt_struct_word) */
    uint32_t totalsize;
    uint32_t rsv_off; /* memory reservation block */
    uint32_t rsv_end; /* just past its terminating entry */
    uint32_t struct_off;
    uint32_t struct_size; /* version 16: up to the end of FDT_END, found by walking */
    uint32_t strings_off;
    uint32_t strings_size;
    /*
     * Offset in the strings block just past its last NUL (0 without one):
     * a name offset below it starts a string whose NUL lies inside the
     * block, one at or above it does not (5.5). Found once, so that a
     * property's name is checked without scanning it.
     */
    uint32_t strings_nul_end;
};

/**
 * A run of bytes in the blob: a name or a property value. off == 0 means
 * absent (offset 0 is the magic, never a name or a value), so a present
 * but empty value is {off != 0, len == 0}.
 */
struct fdt_span {
    uint32_t off;
    uint32_t len;
};

/** One token of the structure block, as fdt_walk_next returns it. */
struct fdt_token {
    uint32_t kind; /* FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP or FDT_END */
    /* BEGIN_NODE only: the node's name in the structure block, without the NUL. */
    struct fdt_span name;
    /*
     * PROP only: the offset of the property's name, a string in the strings
     * block whose NUL lies inside the block (its length is not measured:
     * compare it with fdt_name_is / fdt_name_equal, which stop at its NUL).
     */
    uint32_t prop_name;
    struct fdt_span value; /* PROP only: the value in the structure block */
};

/**
 * A walk over the structure block that enforces its grammar (5.4.2): one
 * root node, properties before child nodes, balanced nodes no deeper than
 * FDT_MAX_DEPTH, FDT_END last.
 */
struct fdt_walk {
    const struct fdt_blob *blob;
    uint32_t pos;       /* offset of the next token */
    uint32_t depth;     /* nodes open: the root is depth 1 */
    uint32_t had_child; /* bit d - 1: the open node at depth d has begun a child */
    bool root_done;     /* the root node has ended */
    bool ended;         /* FDT_END was read */
};

/** The big-endian uint32 at p, read a byte at a time (any alignment). */
static inline uint32_t fdt_read_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

/**
 * The big-endian uint32 at p, which must be 4-byte aligned: one load, and a
 * byte swap on a little-endian machine.
 */
static inline uint32_t fdt_read_be32_aligned(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, __builtin_assume_aligned(p, 4), sizeof v);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

/**
 * The big-endian uint32 at off in b, where off is 4-byte aligned relative to
 * the blob (every word of the structure block is: the block is): one load
 * when the blob itself is aligned, as it is at boot; byte loads otherwise.
 */
static inline uint32_t fdt_struct_word(const struct fdt_blob *b, uint32_t off)
{
    return b->aligned ? fdt_read_be32_aligned(b->base + off) : fdt_read_be32(b->base + off);
}

/** The big-endian uint64 at p, read a byte at a time (any alignment). */
static inline uint64_t fdt_read_be64(const uint8_t *p)
{
    return ((uint64_t)fdt_read_be32(p) << 32) | fdt_read_be32(p + 4);
}

/** Whether [r.base, r.base + r.size) wraps past 2^64 (an empty range never does). */
static inline bool fdt_range_wraps(struct fdt_range r)
{
    return r.size != 0 && r.size - 1 > UINT64_MAX - r.base;
}

/**
 * Checks the header and layout of the blob at blob (size readable bytes)
 * and fills *out. For a version 16 blob, walks the structure block to find
 * its size.
 * Returns FDT_OK or NULL, TRUNCATED, BAD_MAGIC, BAD_VERSION, BAD_LAYOUT
 * (or, for version 16, the structure errors of that walk).
 */
fdt_error fdt_blob_open(const void *blob, size_t size, struct fdt_blob *out);

/** Starts a walk at the beginning of b's structure block. b must outlive the walk. */
void fdt_walk_init(struct fdt_walk *w, const struct fdt_blob *b);

/**
 * Reads the next token other than FDT_NOP into *tok, checking it and the
 * grammar. After BEGIN_NODE, w->depth is the new node's depth; after
 * END_NODE, its parent's. Every span in *tok lies inside the blob.
 * Returns FDT_OK, BAD_STRUCTURE or BAD_STRING. After FDT_END, further calls
 * return FDT_END again.
 */
fdt_error fdt_walk_next(struct fdt_walk *w, struct fdt_token *tok);

/** Whether the bytes of s are exactly those of the string lit (without its NUL). */
bool fdt_span_is(const struct fdt_blob *b, struct fdt_span s, const char *lit);

/**
 * Whether the property name at off (fdt_token.prop_name) is the string lit.
 * Reads no further than the name's NUL.
 */
bool fdt_name_is(const struct fdt_blob *b, uint32_t off, const char *lit);

/** Whether the property name at off (fdt_token.prop_name) has exactly the bytes of s. */
bool fdt_name_equal(const struct fdt_blob *b, uint32_t off, struct fdt_span s);

/** Whether the bytes of a and c are the same. */
bool fdt_span_equal(const struct fdt_blob *b, struct fdt_span a, struct fdt_span c);

/**
 * Checks that v is a string or string list (2.2.4.3): non-empty and ending
 * with a NUL. Returns FDT_OK or BAD_PROPERTY.
 */
fdt_error fdt_prop_check_string(const struct fdt_blob *b, struct fdt_span v);

/** The first string of the checked string list v, without its NUL. */
struct fdt_span fdt_prop_first_string(const struct fdt_blob *b, struct fdt_span v);

/** Reads the u32 value v into *out. Returns FDT_OK, or BAD_PROPERTY unless v is 4 bytes. */
fdt_error fdt_prop_u32(const struct fdt_blob *b, struct fdt_span v, uint32_t *out);

/**
 * Counts the (address, size) entries of the reg value v (2.3.6) under the
 * given cell counts into *count. Returns FDT_OK, or BAD_PROPERTY when a cell
 * count is over 2, both are 0, or v is not a whole number of entries.
 */
fdt_error fdt_prop_reg_count(struct fdt_span v, uint32_t address_cells, uint32_t size_cells,
                             uint32_t *count);

/**
 * Decodes entry index of the reg value v into *out. Requires index below
 * the count fdt_prop_reg_count accepted. Returns FDT_OK, or BAD_PROPERTY
 * when the range wraps past 2^64.
 */
fdt_error fdt_prop_reg(const struct fdt_blob *b, struct fdt_span v, uint32_t address_cells,
                       uint32_t size_cells, uint32_t index, struct fdt_range *out);

/** #interrupt-cells a GIC may have: <type num flags>, or with a PPI partition cell. */
#define FDT_GIC_IRQ_CELLS_MIN 3u
#define FDT_GIC_IRQ_CELLS_MAX 4u

/**
 * Decodes entry index of the interrupts value v, GIC binding with cells
 * (3 or 4) cells per entry <type num flags [partition]>, into an INTID in
 * *intid: SPI (0) -> 32 + num (num <= 987), PPI (1) -> 16 + num
 * (num <= 15). Returns FDT_OK, or BAD_PROPERTY when cells is not 3 or 4, v
 * is not a whole number of entries, has no entry index, or the entry is out
 * of range.
 */
fdt_error fdt_prop_irq(const struct fdt_blob *b, struct fdt_span v, uint32_t cells, uint32_t index,
                       uint32_t *intid);

/** #interrupt-cells of both BCM2836 controllers: <source flags> and <bank number>. */
#define FDT_BCM_IRQ_CELLS 2u

/**
 * Decodes entry index of the interrupts value v, a BCM2836 binding with
 * cells cells per entry, into a line in *line: for the local controller
 * (armctrl false) <source flags> -> source (0-11); for the BCM2835
 * peripheral controller <bank number> -> 32 + 32 * bank + number (bank 0:
 * number 0-7; banks 1 and 2: 0-31). Returns FDT_OK, or BAD_PROPERTY when
 * cells is not 2, v is not a whole number of entries, has no entry index,
 * or the entry is out of range (then *line is left alone).
 */
fdt_error fdt_prop_irq_bcm(const struct fdt_blob *b, struct fdt_span v, bool armctrl,
                           uint32_t cells, uint32_t index, uint32_t *line);

/**
 * Translates *r, an address range in the child address space of a bus, to
 * the bus's parent address space through the bus's ranges value (2.3.8):
 * entries <child-address parent-address length> of child_cells (the bus's
 * #address-cells), parent_cells (its parent's #address-cells) and
 * size_cells (the bus's #size-cells) cells.
 * Returns FDT_OK with *r translated (unchanged for an empty ranges: the
 * identity); NO_RANGES when ranges is absent (r not translatable);
 * NOT_IN_RANGES when r->base lies in no entry, or r runs past the end of
 * the entry it starts in; BAD_PROPERTY for a cell count other than 1 or 2
 * (non-empty ranges only), a value not a whole number of entries, or a
 * result that wraps past 2^64. *r is changed only on success.
 */
fdt_error fdt_prop_translate(const struct fdt_blob *b, struct fdt_span ranges, uint32_t child_cells,
                             uint32_t parent_cells, uint32_t size_cells, struct fdt_range *r);

/**
 * node_state.irq_parent and fdt_irq_node.irq_parent values that are not
 * phandles (0 and 0xffffffff never are, 2.3.3): no node on the path names
 * an interrupt parent (on a GIC platform taken to be the GIC, as on QEMU
 * virt); or one that is not identified by a phandle, or a malformed
 * interrupt-parent (taken to be something else).
 */
#define FDT_IRQ_PARENT_DEFAULT 0u
#define FDT_IRQ_PARENT_OTHER 0xffffffffu

/** An interrupt controller the node pass found (the first available of its compatible). */
struct fdt_irq_ctrl {
    bool found;
    uint32_t phandle;      /* 0 when it has none */
    struct fdt_span cells; /* its #interrupt-cells; absent when it has none */
};

/** The platform's interrupt controllers, as the node pass found them. */
struct fdt_irq_ctrls {
    struct fdt_irq_ctrl gic;
    struct fdt_irq_ctrl bcm_local;
    struct fdt_irq_ctrl bcm_armctrl;
};

/** A node's interrupts and its interrupt parent (a phandle or FDT_IRQ_PARENT_*). */
struct fdt_irq_node {
    struct fdt_span interrupts;
    uint32_t irq_parent;
};

/**
 * Decodes, once the walk is over and out->irq_controller is set
 * (fdt_irq.c): the timer's four lines (timer_irq_*) from timer, the
 * console's (uart_irq) from uart_interrupts or, without them,
 * uart_extended, and the device nodes' lines (device_irqs) from
 * devices[0 .. device_count), each by the binding of its interrupt parent.
 * Returns FDT_OK, BAD_IRQ_PARENT (the timer's parent is not the platform's
 * controller) or BAD_PROPERTY (the timer's or console's interrupts do not
 * decode); devices that do not decode are left out.
 */
fdt_error fdt_irq_decode_all(const struct fdt_blob *b, const struct fdt_irq_ctrls *ctrls,
                             const struct fdt_irq_node *timer, const struct fdt_irq_node *uart,
                             struct fdt_span uart_extended, const struct fdt_irq_node *devices,
                             uint32_t device_count, struct fdt_platform *out);

/**
 * Reads every node of b into *out (fdt_node.c): RAM, /reserved-memory
 * children (appended to out->reserved), the UART (preferring the available
 * pl011 whose path is stdout_path, when stdout_path.len > 0), interrupt
 * controller, timer, power device and CPUs, with every address used translated through the
 * ranges above it. Requires b checked by fdt_check.
 * Returns FDT_OK, BAD_PROPERTY, TOO_MANY, NO_RANGES, NOT_IN_RANGES, then
 * NO_MEMORY_NODE, NO_UART (or the chosen UART's reg error),
 * NO_IRQ_CONTROLLER, NO_TIMER for a missing part, then the console's and
 * timer's interrupt errors (fdt_irq_decode_all; or a walker error).
 */
fdt_error fdt_node_read_all(const struct fdt_blob *b, struct fdt_span stdout_path,
                            struct fdt_platform *out);

#ifdef __cplusplus
}
#endif
