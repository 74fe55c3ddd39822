/*
 * The blob's header and block layout (DT spec 5.1-5.3):
 *
 *   0              header (40 bytes in version 17, 36 in version 16)
 *   off_mem_rsvmap memory reservation block, 8-byte aligned, entries of
 *                  {uint64 address, uint64 size} ending with {0, 0}
 *   off_dt_struct  structure block, size_dt_struct bytes, 4-byte aligned
 *   off_dt_strings strings block, size_dt_strings bytes
 *   totalsize      end of the blob (free space may precede it)
 *
 * The order of the blocks is not fixed by the format; they must only lie
 * inside totalsize and not overlap the header or each other.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt.h"
#include "kernel/fdt/fdt_priv.h"

/* Header field offsets (5.2). */
#define HDR_MAGIC 0u
#define HDR_TOTALSIZE 4u
#define HDR_OFF_DT_STRUCT 8u
#define HDR_OFF_DT_STRINGS 12u
#define HDR_OFF_MEM_RSVMAP 16u
#define HDR_VERSION 20u
#define HDR_LAST_COMP_VERSION 24u
#define HDR_SIZE_DT_STRINGS 32u
#define HDR_SIZE_DT_STRUCT 36u /* version 17 only */

/**
 * The header field at off. Out of line: the header's eleven reads share one
 * copy of the byte loads.
 */
__attribute__((noinline)) static uint32_t header_word(const uint8_t *base, uint32_t off)
{
    return fdt_read_be32(base + off);
}

/**
 * Checks magic, versions and totalsize against the caller's size.
 * Requires base to hold at least FDT_HEADER_SIZE bytes.
 */
static fdt_error check_header(const uint8_t *base, size_t size)
{
    if (header_word(base, HDR_MAGIC) != FDT_MAGIC) {
        return FDT_ERR_BAD_MAGIC;
    }
    if (header_word(base, HDR_VERSION) < FDT_VERSION_MIN ||
        header_word(base, HDR_LAST_COMP_VERSION) > FDT_VERSION_MAX) {
        return FDT_ERR_BAD_VERSION;
    }
    if ((uint64_t)header_word(base, HDR_TOTALSIZE) > (uint64_t)size) {
        return FDT_ERR_TRUNCATED;
    }
    return FDT_OK;
}

/** Whether the block [off, off + len) starts after the header, is aligned and ends in the blob. */
static bool block_fits(const struct fdt_blob *b, uint32_t header_size, uint32_t off, uint32_t len,
                       uint32_t align)
{
    return off >= header_size && off % align == 0 && (uint64_t)off + len <= b->totalsize;
}

/** Whether [a, a + a_len) and [c, c + c_len) share a byte. */
static bool blocks_overlap(uint32_t a, uint32_t a_len, uint32_t c, uint32_t c_len)
{
    if (a_len == 0 || c_len == 0) {
        return false;
    }
    return a < (uint64_t)c + c_len && c < (uint64_t)a + a_len;
}

/**
 * Version 16 has no size_dt_struct: the structure block ends with its
 * FDT_END token. Walks it, allowing everything up to totalsize, to find
 * that end.
 */
static fdt_error find_struct_size_v16(struct fdt_blob *b)
{
    struct fdt_walk w;
    struct fdt_token t;
    b->struct_size = b->totalsize - b->struct_off;
    fdt_walk_init(&w, b);
    do {
        fdt_error e = fdt_walk_next(&w, &t);
        if (e != FDT_OK) {
            return e;
        }
    } while (t.kind != FDT_END);
    b->struct_size = w.pos - b->struct_off;
    return FDT_OK;
}

/** Where the reservation block must end at the latest: the next non-empty block, or totalsize. */
static uint32_t rsv_limit(const struct fdt_blob *b)
{
    uint32_t limit = b->totalsize;
    if (b->struct_size != 0 && b->struct_off > b->rsv_off && b->struct_off < limit) {
        limit = b->struct_off;
    }
    if (b->strings_size != 0 && b->strings_off > b->rsv_off && b->strings_off < limit) {
        limit = b->strings_off;
    }
    return limit;
}

/** Finds the reservation block's terminating {0, 0} entry (5.3) and sets b->rsv_end. */
static fdt_error find_rsv_end(struct fdt_blob *b)
{
    uint64_t limit = rsv_limit(b);
    for (uint64_t off = b->rsv_off; off + FDT_RSV_ENTRY_SIZE <= limit; off += FDT_RSV_ENTRY_SIZE) {
        if (fdt_read_be64(b->base + off) == 0 && fdt_read_be64(b->base + off + 8) == 0) {
            b->rsv_end = (uint32_t)(off + FDT_RSV_ENTRY_SIZE);
            return FDT_OK;
        }
    }
    return FDT_ERR_BAD_LAYOUT;
}

/** Reads the layout fields of the header into *b. */
static void read_layout(const uint8_t *base, struct fdt_blob *b)
{
    b->base = base;
    b->aligned = ((uintptr_t)base & 3u) == 0;
    b->totalsize = header_word(base, HDR_TOTALSIZE);
    b->rsv_off = header_word(base, HDR_OFF_MEM_RSVMAP);
    b->rsv_end = b->rsv_off;
    b->struct_off = header_word(base, HDR_OFF_DT_STRUCT);
    b->struct_size = header_word(base, HDR_SIZE_DT_STRUCT);
    b->strings_off = header_word(base, HDR_OFF_DT_STRINGS);
    b->strings_size = header_word(base, HDR_SIZE_DT_STRINGS);
}

/** Sets b->strings_nul_end: the strings block's last NUL, sought from its end. */
static void find_strings_nul_end(struct fdt_blob *b)
{
    uint32_t end = b->strings_size;
    while (end > 0 && b->base[b->strings_off + end - 1] != 0) {
        end--;
    }
    b->strings_nul_end = end;
}

/** Checks that every block lies in the blob, aligned, apart from the header and each other. */
static fdt_error check_layout(struct fdt_blob *b, uint32_t version)
{
    uint32_t header_size = version >= 17 ? FDT_HEADER_SIZE : FDT_HEADER_SIZE_V16;
    uint32_t struct_size = version >= 17 ? b->struct_size : 0;
    if (b->totalsize < header_size ||
        !block_fits(b, header_size, b->rsv_off, FDT_RSV_ENTRY_SIZE, 8) ||
        !block_fits(b, header_size, b->struct_off, struct_size, 4) ||
        !block_fits(b, header_size, b->strings_off, b->strings_size, 1)) {
        return FDT_ERR_BAD_LAYOUT;
    }
    find_strings_nul_end(b); /* before the walk of a version 16 blob reads names */
    if (version < 17) {
        fdt_error e = find_struct_size_v16(b);
        if (e != FDT_OK) {
            return e;
        }
    }
    if (blocks_overlap(b->struct_off, b->struct_size, b->strings_off, b->strings_size)) {
        return FDT_ERR_BAD_LAYOUT;
    }
    fdt_error e = find_rsv_end(b);
    if (e != FDT_OK) {
        return e;
    }
    uint32_t rsv_size = b->rsv_end - b->rsv_off;
    if (blocks_overlap(b->rsv_off, rsv_size, b->struct_off, b->struct_size) ||
        blocks_overlap(b->rsv_off, rsv_size, b->strings_off, b->strings_size)) {
        return FDT_ERR_BAD_LAYOUT;
    }
    return FDT_OK;
}

fdt_error fdt_blob_open(const void *blob, size_t size, struct fdt_blob *out)
{
    if (blob == NULL) {
        return FDT_ERR_NULL;
    }
    /* Every valid blob is longer than the version 17 header: a version 16
     * one still needs an 8-byte-aligned reservation block after its 36. */
    if (size < FDT_HEADER_SIZE) {
        return FDT_ERR_TRUNCATED;
    }
    const uint8_t *base = (const uint8_t *)blob;
    fdt_error e = check_header(base, size);
    if (e != FDT_OK) {
        return e;
    }
    read_layout(base, out);
    return check_layout(out, header_word(base, HDR_VERSION));
}
