#include "kernel/images/images.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/status.h"
#include "kernel/crypto/sha256.h"

_Static_assert(sizeof(size_t) == sizeof(uint64_t), "image sizes fit size_t");

/** Length of a NUL-terminated name in IMAGE_NAME_MAX bytes, or IMAGE_NAME_MAX if unterminated. */
static size_t name_length(const char *name)
{
    size_t n = 0;
    while (n < IMAGE_NAME_MAX && name[n] != '\0') {
        n++;
    }
    return n;
}

/** strcmp of two terminated entry names: <0, 0 or >0, comparing bytes as unsigned. */
static int name_compare(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] != '\0' && a[i] == b[i]) {
        i++;
    }
    return (int)(unsigned char)a[i] - (int)(unsigned char)b[i];
}

/** Whether entry e is well formed in a blob of blob_size bytes. */
static bool entry_valid(const struct image_entry *e, uint64_t blob_size)
{
    size_t len = name_length(e->name);
    if (len == 0 || len == IMAGE_NAME_MAX) {
        return false;
    }
    // offset + size <= blob_size, written so that nothing can overflow.
    return e->offset <= blob_size && e->size <= blob_size - e->offset;
}

/** Checks the whole table (magic, pointers, every entry, name order); STATUS_OK or BAD_FORMAT. */
static status_t table_check(const struct image_table *t)
{
    if (t->magic != IMAGE_TABLE_MAGIC || (t->count != 0 && t->entries == NULL) ||
        (t->blob_size != 0 && t->blob == NULL)) {
        return STATUS_BAD_FORMAT;
    }
    for (uint32_t i = 0; i < t->count; i++) {
        if (!entry_valid(&t->entries[i], t->blob_size)) {
            return STATUS_BAD_FORMAT;
        }
        // Strictly ascending: sorted, and no name twice.
        if (i > 0 && name_compare(t->entries[i - 1].name, t->entries[i].name) >= 0) {
            return STATUS_BAD_FORMAT;
        }
    }
    return STATUS_OK;
}

/** Whether the caller's name equals the terminated entry name (bounded by IMAGE_NAME_MAX). */
static bool name_equal(const char *entry, const char *name)
{
    for (size_t i = 0; i < IMAGE_NAME_MAX; i++) {
        if (entry[i] != name[i]) {
            return false;
        }
        if (entry[i] == '\0') {
            return true;
        }
    }
    return false;
}

status_t image_find(const struct image_table *t, const char *name, const uint8_t **data,
                    size_t *size)
{
    return image_find_with(t, name, NULL, data, size);
}

status_t image_find_with(const struct image_table *t, const char *name,
                         sha256_blocks_fn *hash_blocks, const uint8_t **data, size_t *size)
{
    if (t == NULL || name == NULL || data == NULL || size == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t status = table_check(t);
    if (status != STATUS_OK) {
        return status;
    }
    const struct image_entry *found = NULL;
    for (uint32_t i = 0; i < t->count && found == NULL; i++) {
        if (name_equal(t->entries[i].name, name)) {
            found = &t->entries[i];
        }
    }
    if (found == NULL) {
        return STATUS_NOT_FOUND;
    }
    const uint8_t *bytes = t->blob_size == 0 ? t->blob : t->blob + found->offset;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_with(bytes, (size_t)found->size, digest, hash_blocks);
    // Not constant-time: the recorded digest is no secret.
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        if (digest[i] != found->sha256[i]) {
            return STATUS_PERMISSION;
        }
    }
    *data = bytes;
    *size = (size_t)found->size;
    return STATUS_OK;
}
