#include "kernel/images/images_linked.h"

#include <stdint.h>

#include "kernel/images/images.h"

void image_table_linked(struct image_table *out)
{
    out->magic = basalt_images_magic;
    out->count = basalt_images_count;
    out->entries = basalt_images_table;
    out->blob = basalt_images_blob_start;
    out->blob_size = (uint64_t)(basalt_images_blob_end - basalt_images_blob_start);
}
