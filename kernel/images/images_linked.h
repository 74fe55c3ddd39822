#pragma once

/**
 * The image table linked into this program.
 *
 * The symbols below are defined by the assembly that //bsp/embed generates
 * (the basalt_images macro in bsp/embed/images.bzl); a program that links
 * :linked must also link exactly one such generated library, or the link
 * fails on these names. This header is the whole interface between the
 * kernel and the board's choice of images: the kernel names no bsp symbol
 * other than these.
 *
 * All of them lie in the read-only section .rodata.basalt_images. The blob
 * starts IMAGE_ALIGN-aligned; the entries hold offsets from its start.
 */

#include <stdint.h>

#include "kernel/images/images.h"

#ifdef __cplusplus
extern "C" {
#endif

/** IMAGE_TABLE_MAGIC as the generator wrote it. */
extern const uint32_t basalt_images_magic;
/** Number of entries in basalt_images_table. */
extern const uint32_t basalt_images_count;
/** The entries, sorted by name. */
extern const struct image_entry basalt_images_table[];
/** First byte of the blob that holds the images. */
extern const uint8_t basalt_images_blob_start[];
/** One past the last byte of the blob. */
extern const uint8_t basalt_images_blob_end[];

/** Fills *out with the linked-in table, ready for image_find. */
void image_table_linked(struct image_table *out);

#ifdef __cplusplus
}
#endif
