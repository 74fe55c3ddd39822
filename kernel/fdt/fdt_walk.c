/*
 * The structure block (DT spec 5.4): a sequence of big-endian uint32 tokens,
 * each at a 4-byte-aligned offset.
 *
 *   FDT_BEGIN_NODE  name (NUL-terminated), zero-padded to 4 bytes
 *   FDT_PROP        uint32 len, uint32 nameoff (into the strings block),
 *                   len bytes of value, zero-padded to 4 bytes
 *   FDT_END_NODE, FDT_NOP, FDT_END   no data
 *
 * A node is BEGIN_NODE, its properties, its child nodes, END_NODE (5.4.2:
 * properties precede children); the block holds exactly one root node and
 * ends with FDT_END.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt.h"
#include "kernel/fdt/fdt_priv.h"

/** The offset just past the structure block (fits in 32 bits: it is <= totalsize). */
static uint32_t struct_end(const struct fdt_blob *b)
{
    return b->struct_off + b->struct_size;
}

/** x rounded up to the next multiple of 4 (token alignment, 5.4.1). */
static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~(uint64_t)3;
}

/**
 * Reads the name of a BEGIN_NODE whose data starts at off (<= end, the
 * block's end): it must end with a NUL, padded to 4 bytes, inside the block.
 * *next gets the following token.
 */
static fdt_error read_node(const struct fdt_blob *b, uint32_t off, uint32_t end,
                           struct fdt_token *t, uint32_t *next)
{
    const uint8_t *name = b->base + off;
    uint32_t room = end - off;
    uint32_t len = 0;
    /* An aligned blob's name is tested a word at a time while a whole word
     * fits before end: (w - 0x01010101) & ~w & 0x80808080 is nonzero
     * exactly when a byte of w is zero. The bytes finish the search. */
    while (b->aligned && room - len >= 4) {
        uint32_t w = fdt_read_be32_aligned(name + len);
        if (((w - 0x01010101u) & ~w & 0x80808080u) != 0) {
            break;
        }
        len += 4;
    }
    while (len < room && name[len] != 0) {
        len++;
    }
    /* Without a NUL, len == room and after > end. */
    uint64_t after = align4((uint64_t)off + len + 1);
    if (after > end) {
        return FDT_ERR_BAD_STRUCTURE;
    }
    t->name.off = off;
    t->name.len = len;
    *next = (uint32_t)after;
    return FDT_OK;
}

/**
 * Reads a PROP whose data (len, nameoff, value) starts at off (<= end);
 * *next gets the following token. The name's NUL must lie in the strings
 * block (5.5): nameoff below strings_nul_end, no scan needed.
 */
static fdt_error read_prop(const struct fdt_blob *b, uint32_t off, uint32_t end,
                           struct fdt_token *t, uint32_t *next)
{
    if (end - off < 8) {
        return FDT_ERR_BAD_STRUCTURE;
    }
    uint32_t len = fdt_struct_word(b, off);
    uint32_t nameoff = fdt_struct_word(b, off + 4);
    uint64_t value = (uint64_t)off + 8;
    uint64_t after = align4(value + len);
    if (after > end) {
        return FDT_ERR_BAD_STRUCTURE;
    }
    if (nameoff >= b->strings_nul_end) {
        return FDT_ERR_BAD_STRING;
    }
    t->prop_name = b->strings_off + nameoff;
    t->value.off = (uint32_t)value;
    t->value.len = len;
    *next = (uint32_t)after;
    return FDT_OK;
}

/** Reads and checks the token at pos (<= end), whatever its place in the grammar. */
static fdt_error read_token(const struct fdt_blob *b, uint32_t pos, struct fdt_token *t,
                            uint32_t *next)
{
    uint32_t end = struct_end(b);
    t->name.off = 0;
    t->name.len = 0;
    t->prop_name = 0;
    t->value.off = 0;
    t->value.len = 0;
    if (end - pos < 4) {
        return FDT_ERR_BAD_STRUCTURE; /* ran off the block without FDT_END */
    }
    t->kind = fdt_struct_word(b, pos);
    if (t->kind == FDT_PROP) {
        return read_prop(b, pos + 4, end, t, next);
    }
    if (t->kind == FDT_BEGIN_NODE) {
        return read_node(b, pos + 4, end, t, next);
    }
    if (t->kind == FDT_END_NODE || t->kind == FDT_NOP || t->kind == FDT_END) {
        *next = pos + 4;
        return FDT_OK;
    }
    return FDT_ERR_BAD_STRUCTURE;
}

/** Opens a node: the root, or a child of the open node. */
static fdt_error begin_node(struct fdt_walk *w)
{
    if ((w->depth == 0 && w->root_done) || w->depth >= FDT_MAX_DEPTH) {
        return FDT_ERR_BAD_STRUCTURE; /* a second root, or too deep */
    }
    if (w->depth > 0) {
        w->had_child |= 1u << (w->depth - 1);
    }
    w->depth++;
    w->had_child &= ~(1u << (w->depth - 1));
    return FDT_OK;
}

/** Checks a token's place in the grammar and tracks depth. */
static fdt_error apply_grammar(struct fdt_walk *w, uint32_t kind)
{
    switch (kind) {
    case FDT_BEGIN_NODE:
        return begin_node(w);
    case FDT_PROP:
        /* Outside any node, or after a child node (5.4.2). */
        if (w->depth == 0 || (w->had_child & (1u << (w->depth - 1))) != 0) {
            return FDT_ERR_BAD_STRUCTURE;
        }
        return FDT_OK;
    case FDT_END_NODE:
        if (w->depth == 0) {
            return FDT_ERR_BAD_STRUCTURE;
        }
        w->depth--;
        w->root_done = w->depth == 0;
        return FDT_OK;
    default: /* FDT_END: only after the root closed */
        if (w->depth != 0 || !w->root_done) {
            return FDT_ERR_BAD_STRUCTURE;
        }
        w->ended = true;
        return FDT_OK;
    }
}

void fdt_walk_init(struct fdt_walk *w, const struct fdt_blob *b)
{
    w->blob = b;
    w->pos = b->struct_off;
    w->depth = 0;
    w->had_child = 0;
    w->root_done = false;
    w->ended = false;
}

fdt_error fdt_walk_next(struct fdt_walk *w, struct fdt_token *tok)
{
    /* Each round moves pos forward by at least 4 inside the block: the loop
     * ends. pos never passes the block's end (read_token checks each next). */
    for (;;) {
        if (w->ended) {
            tok->kind = FDT_END;
            tok->name.off = 0;
            tok->name.len = 0;
            tok->prop_name = 0;
            tok->value.off = 0;
            tok->value.len = 0;
            return FDT_OK;
        }
        uint32_t next;
        fdt_error e = read_token(w->blob, w->pos, tok, &next);
        if (e != FDT_OK) {
            return e;
        }
        w->pos = next;
        if (tok->kind != FDT_NOP) {
            return apply_grammar(w, tok->kind);
        }
    }
}
