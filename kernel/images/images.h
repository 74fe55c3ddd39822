#pragma once

/**
 * The table of user images embedded in the kernel, and the one way to read
 * it: image_find.
 *
 * //bsp/embed generates the table at build time (a read-only section that
 * .incbin's each user ELF file, see bsp/embed/images.bzl); images_linked.h
 * gives the copy linked into the kernel. The table holds offsets from the
 * blob start, never addresses, so it needs no relocation wherever the kernel
 * runs (the high half included). Its contents are treated as input from
 * outside: image_find checks the table and the image's sha256 before it
 * hands the image out, and never panics on bad data.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/status.h"
#include "kernel/crypto/sha256.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of an image name, its terminating NUL included (so names are 1..31 chars). */
#define IMAGE_NAME_MAX 32
/** Alignment of each image from the blob start (and of the blob itself), in bytes. */
#define IMAGE_ALIGN 4096
/** Magic of a table of this layout: "BIM1" read as a little-endian uint32_t. */
#define IMAGE_TABLE_MAGIC 0x314d4942u

/**
 * One image, as the generator writes it: 80 bytes, no padding. The layout is
 * fixed (the generated assembly writes it with .byte and .quad), hence the
 * static assertions below.
 */
struct image_entry {
    /** Name, NUL-terminated and NUL-padded; entries are sorted by name, bytewise. */
    char name[IMAGE_NAME_MAX];
    /** Offset of the image from the blob start. */
    uint64_t offset;
    /** Size of the image in bytes. */
    uint64_t size;
    /** SHA-256 of the image's size bytes. */
    uint8_t sha256[32];
};

#define IMAGE_ENTRY_OFFSET_OFFSET 32
#define IMAGE_ENTRY_SIZE_OFFSET 40
#define IMAGE_ENTRY_SHA256_OFFSET 48
#define IMAGE_ENTRY_SIZE 80

_Static_assert(offsetof(struct image_entry, offset) == IMAGE_ENTRY_OFFSET_OFFSET, "entry offset");
_Static_assert(offsetof(struct image_entry, size) == IMAGE_ENTRY_SIZE_OFFSET, "entry size");
_Static_assert(offsetof(struct image_entry, sha256) == IMAGE_ENTRY_SHA256_OFFSET, "entry sha256");
_Static_assert(sizeof(struct image_entry) == IMAGE_ENTRY_SIZE, "entry has no tail padding");

/** A table to search: where the entries and the blob are, and how big. */
struct image_table {
    /** IMAGE_TABLE_MAGIC, or the table is refused. */
    uint32_t magic;
    /** Number of entries. */
    uint32_t count;
    /** count entries (may be NULL when count is 0). */
    const struct image_entry *entries;
    /** The blob that the entries' offsets count from (may be NULL when blob_size is 0). */
    const uint8_t *blob;
    /** Size of the blob in bytes. */
    uint64_t blob_size;
};

/**
 * Finds the image called name in t and checks it.
 *
 * First the whole table is checked, whatever the name asked for: the magic,
 * every entry's name (NUL-terminated within IMAGE_NAME_MAX, not empty,
 * names strictly ascending so none repeats) and bounds (offset + size within
 * the blob, computed without overflow). Then the entry is looked up and the
 * SHA-256 of its bytes compared with the recorded one.
 *
 * On success sets *data to the image's first byte and *size to its size and
 * returns STATUS_OK; on failure leaves *data and *size alone and returns:
 *   STATUS_INVALID_ARGUMENT  t, name, data or size is NULL;
 *   STATUS_BAD_FORMAT        the table is malformed (as above);
 *   STATUS_NOT_FOUND         no entry has this name (a name of IMAGE_NAME_MAX
 *                            characters or more is never found);
 *   STATUS_PERMISSION        the image's bytes do not match its recorded
 *                            SHA-256. status.h has no integrity code; this is
 *                            the closest: the kernel refuses to hand out an
 *                            image that fails verification, as an integrity
 *                            check denies access (cf. EACCES from Linux IMA).
 * Runs in time linear in the table size plus one hash of the image found.
 */
status_t image_find(const struct image_table *t, const char *name, const uint8_t **data,
                    size_t *size);

/**
 * image_find with the image's whole blocks hashed by hash_blocks first (the
 * CPU's SHA-256 instructions, hal_sha256_blocks; NULL: portable code only).
 * The check is the same; only its cost differs.
 */
status_t image_find_with(const struct image_table *t, const char *name,
                         sha256_blocks_fn *hash_blocks, const uint8_t **data, size_t *size);

#ifdef __cplusplus
}
#endif
