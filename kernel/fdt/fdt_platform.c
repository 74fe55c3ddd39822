/*
 * fdt_parse_platform: the platform description, read in linear passes over
 * the structure block with no recursion and no allocation.
 *
 *   1. fdt_blob_open: header and layout.
 *   2. /chosen stdout-path, then (if it names an alias) /aliases: the path
 *      of the console node. /chosen usually comes last, so this needs its
 *      own pass before the nodes are read. That pass walks every token to
 *      FDT_END, so it is also fdt_check's check of the structure block.
 *   3. The memory reservation block.
 *   4. Every node (fdt_node.c, fdt_node_read_all): a fixed stack holds, for each open depth,
 *      what that node's properties said so far. Properties precede child
 *      nodes (5.4.2, enforced by the walker), so a node's properties are
 *      complete at its first child or its END_NODE; it is then "finished":
 *      its reg is decoded with its parent's cells and it is recorded if it
 *      is memory, reserved memory, a pl011, the GIC, the timer, PSCI or a
 *      CPU.
 */

#include "kernel/fdt/fdt.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt_priv.h"

/**
 * Finds, in the root's child named node, the first property whose name is
 * key (a literal) or, when key is NULL, the bytes of key_span. *value is
 * absent when there is none.
 */
static fdt_error find_top_prop(const struct fdt_blob *b, const char *node, const char *key,
                               struct fdt_span key_span, struct fdt_span *value)
{
    struct fdt_walk w;
    struct fdt_token t;
    bool in_node = false;
    value->off = 0;
    value->len = 0;
    fdt_walk_init(&w, b);
    for (;;) {
        fdt_error e = fdt_walk_next(&w, &t);
        if (e != FDT_OK || t.kind == FDT_END) {
            return e;
        }
        if (t.kind == FDT_BEGIN_NODE && w.depth == 2) {
            in_node = fdt_span_is(b, t.name, node);
        }
        /* Depth 2 properties belong to the last node begun at depth 2. */
        if (t.kind == FDT_PROP && w.depth == 2 && in_node &&
            (key != NULL ? fdt_name_is(b, t.prop_name, key)
                         : fdt_name_equal(b, t.prop_name, key_span))) {
            *value = t.value;
            return FDT_OK;
        }
    }
}

/**
 * /chosen's stdout-path and bootargs in one walk (the tree is walked once
 * for both: each walk of a real tree costs tens of thousands of
 * instructions at boot). Each is absent when /chosen lacks it; the first of
 * each name counts.
 */
static fdt_error find_chosen(const struct fdt_blob *b, struct fdt_span *stdout_path,
                             struct fdt_span *bootargs)
{
    struct fdt_walk w;
    struct fdt_token t;
    bool in_node = false;
    struct fdt_span none = {0, 0};
    *stdout_path = none;
    *bootargs = none;
    fdt_walk_init(&w, b);
    for (;;) {
        fdt_error e = fdt_walk_next(&w, &t);
        if (e != FDT_OK || t.kind == FDT_END) {
            return e;
        }
        if (t.kind == FDT_BEGIN_NODE && w.depth == 2) {
            in_node = fdt_span_is(b, t.name, "chosen");
        }
        if (t.kind != FDT_PROP || w.depth != 2 || !in_node) {
            continue;
        }
        if (stdout_path->off == 0 && fdt_name_is(b, t.prop_name, "stdout-path")) {
            *stdout_path = t.value;
        } else if (bootargs->off == 0 && fdt_name_is(b, t.prop_name, "bootargs")) {
            *bootargs = t.value;
        }
    }
}

/** find_top_prop, then checks that the value found (if any) is a string. */
static fdt_error find_top_string(const struct fdt_blob *b, const char *node, const char *key,
                                 struct fdt_span key_span, struct fdt_span *value)
{
    fdt_error e = find_top_prop(b, node, key, key_span, value);
    if (e == FDT_OK && value->off != 0) {
        e = fdt_prop_check_string(b, *value);
    }
    return e;
}

/** The checked string v up to (not including) its first NUL or stop byte. */
static struct fdt_span string_until(const struct fdt_blob *b, struct fdt_span v, uint8_t stop)
{
    struct fdt_span s = {v.off, 0};
    while (s.len < v.len && b->base[v.off + s.len] != 0 && b->base[v.off + s.len] != stop) {
        s.len++;
    }
    return s;
}

/** Whether the span s is a path: non-empty and starting with '/'. */
static bool is_path(const struct fdt_blob *b, struct fdt_span s)
{
    return s.len > 0 && b->base[s.off] == '/';
}

/**
 * Finds the console's node path (3.6): /chosen stdout-path up to ':', a
 * full path or the name of a property of /aliases (3.3) whose value is the
 * path. *path is left empty when there is none or it does not resolve; a
 * stdout-path or alias value that is not a string is BAD_PROPERTY.
 */
static fdt_error find_stdout_path(const struct fdt_blob *b, struct fdt_span v,
                                  struct fdt_span *path)
{
    struct fdt_span none = {0, 0};
    *path = none;
    if (v.off == 0) {
        return FDT_OK;
    }
    fdt_error e = fdt_prop_check_string(b, v);
    if (e != FDT_OK) {
        return e;
    }
    struct fdt_span p = string_until(b, v, ':');
    if (p.len > 0 && !is_path(b, p)) { /* an alias */
        e = find_top_string(b, "aliases", NULL, p, &v);
        if (e != FDT_OK || v.off == 0) {
            return e;
        }
        p = string_until(b, v, 0);
    }
    if (is_path(b, p)) {
        *path = p;
    }
    return FDT_OK;
}

/** Copies /chosen bootargs v (if any) into out->bootargs, cut at FDT_BOOTARGS_MAX - 1 bytes. */
static fdt_error read_bootargs(const struct fdt_blob *b, struct fdt_span v,
                               struct fdt_platform *out)
{
    if (v.off == 0) {
        return FDT_OK;
    }
    fdt_error e = fdt_prop_check_string(b, v);
    if (e != FDT_OK) {
        return e;
    }
    struct fdt_span s = string_until(b, v, 0);
    uint32_t n = 0;
    for (; n < s.len && n < FDT_BOOTARGS_MAX - 1; n++) {
        out->bootargs[n] = (char)b->base[s.off + n];
    }
    out->bootargs[n] = 0;
    out->bootargs_truncated = s.len > n ? 1u : 0u;
    return FDT_OK;
}

/** Adds the memory reservation block's entries (5.3), empty ones skipped, to out->reserved. */
static fdt_error read_rsvmap(const struct fdt_blob *b, struct fdt_platform *out)
{
    /* rsv_end is just past the {0, 0} terminator, which is not an entry. */
    for (uint32_t off = b->rsv_off; off + FDT_RSV_ENTRY_SIZE < b->rsv_end;
         off += FDT_RSV_ENTRY_SIZE) {
        struct fdt_range r = {fdt_read_be64(b->base + off), fdt_read_be64(b->base + off + 8)};
        if (r.size == 0) {
            continue;
        }
        if (fdt_range_wraps(r)) {
            return FDT_ERR_BAD_PROPERTY;
        }
        if (out->reserved_count >= FDT_MAX_RESERVED) {
            return FDT_ERR_TOO_MANY;
        }
        out->reserved[out->reserved_count++] = r;
    }
    return FDT_OK;
}

_Static_assert(sizeof(struct fdt_platform) % 8 == 0 && _Alignof(struct fdt_platform) == 8,
               "platform_zero clears fdt_platform 8 bytes at a time");

/**
 * Sets every byte of *out to zero (a plain loop: no memset in the
 * freestanding kernel). Eight byte stores to an 8-aligned group, which the
 * compiler merges into one 64-bit store: a byte at a time it made 2-byte
 * stores, 10,000 instructions for this 5 KiB struct at boot.
 */
static void platform_zero(struct fdt_platform *out)
{
    unsigned char *p = (unsigned char *)__builtin_assume_aligned(out, 8);
    for (size_t i = 0; i < sizeof *out; i += 8) {
        for (size_t j = 0; j < 8; j++) {
            p[i + j] = 0;
        }
    }
}

/* noinline: called once per boot, where inlining gains nothing; kept whole,
 * the boot profile (bsp/profile_boot.sh) counts the parser's instructions
 * under its own names rather than its caller's. */
__attribute__((noinline)) fdt_error fdt_parse_platform(const void *blob, size_t size,
                                                       struct fdt_platform *out)
{
    if (out == NULL) {
        return FDT_ERR_NULL;
    }
    platform_zero(out);
    struct fdt_blob b;
    struct fdt_span stdout_value;
    struct fdt_span bootargs;
    struct fdt_span stdout_path;
    /* find_chosen walks every token to FDT_END with the same walker as
     * fdt_check and stops at the first error: together with fdt_blob_open
     * it is fdt_check, with the same result for every blob. */
    fdt_error e = fdt_blob_open(blob, size, &b);
    if (e == FDT_OK) {
        e = find_chosen(&b, &stdout_value, &bootargs);
    }
    if (e == FDT_OK) {
        out->totalsize = b.totalsize;
    }
    if (e == FDT_OK) {
        e = find_stdout_path(&b, stdout_value, &stdout_path);
    }
    if (e == FDT_OK) {
        e = read_bootargs(&b, bootargs, out);
    }
    if (e == FDT_OK) {
        e = read_rsvmap(&b, out);
    }
    if (e == FDT_OK) {
        e = fdt_node_read_all(&b, stdout_path, out);
    }
    return e;
}
