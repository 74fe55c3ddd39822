/*
 * The program header walk: every entry of the table is read once, in table
 * order. PT_LOAD entries become segments after their own checks and the
 * checks against the previous PT_LOAD; PT_INTERP, PT_DYNAMIC and an
 * executable PT_GNU_STACK refuse the image; every other type is ignored.
 *
 * Each sum below is compared with its bound in a form that cannot wrap
 * (a > bound - b rather than a + b > bound), so no check relies on
 * unsigned overflow.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/elf/elf.h"
#include "kernel/elf/elf_priv.h"

/** One program header, decoded. */
struct elf_phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};

/** Decodes the 56-byte program header at p (which the caller checked lies in the image). */
static void read_phdr(const uint8_t *p, struct elf_phdr *h)
{
    h->type = elf_read_le32(p + ELF_P_TYPE);
    h->flags = elf_read_le32(p + ELF_P_FLAGS);
    h->offset = elf_read_le64(p + ELF_P_OFFSET);
    h->vaddr = elf_read_le64(p + ELF_P_VADDR);
    h->filesz = elf_read_le64(p + ELF_P_FILESZ);
    h->memsz = elf_read_le64(p + ELF_P_MEMSZ);
    h->align = elf_read_le64(p + ELF_P_ALIGN);
}

/** Index of the last page [vaddr, vaddr + memsz) touches. Requires memsz > 0 and no overflow. */
static uint64_t last_page(uint64_t vaddr, uint64_t memsz)
{
    return (vaddr + (memsz - 1)) / ELF_PAGE_SIZE;
}

/** Checks sizes, the file range and the address range of a PT_LOAD. */
static elf_result check_ranges(const struct elf_phdr *h, size_t size, uint64_t user_top)
{
    if (h->filesz > h->memsz) {
        return ELF_ERR_FILESZ;
    }
    if (h->memsz == 0) {
        return ELF_ERR_EMPTY_SEGMENT;
    }
    if (h->offset > (uint64_t)size || h->filesz > (uint64_t)size - h->offset) {
        return ELF_ERR_FILE_RANGE;
    }
    /* The last page must lie wholly below user_top: a page straddling it is refused too. */
    if (h->memsz - 1 > UINT64_MAX - h->vaddr ||
        last_page(h->vaddr, h->memsz) >= user_top / ELF_PAGE_SIZE) {
        return ELF_ERR_ADDRESS_RANGE;
    }
    return ELF_OK;
}

/** Checks alignment and permissions of a PT_LOAD. */
static elf_result check_layout(const struct elf_phdr *h)
{
    /* gABI: 0 and 1 mean no alignment; otherwise a power of two. */
    if ((h->align & (h->align - 1)) != 0) {
        return ELF_ERR_ALIGN;
    }
    /* A page of the file maps onto a page of memory only if both sit at the same page offset. */
    if (h->vaddr % ELF_PAGE_SIZE != h->offset % ELF_PAGE_SIZE) {
        return ELF_ERR_CONGRUENCE;
    }
    if ((h->flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X)) == 0) {
        return ELF_ERR_NO_PERM;
    }
    if ((h->flags & ELF_PF_W) != 0 && (h->flags & ELF_PF_X) != 0) {
        return ELF_ERR_WX;
    }
    return ELF_OK;
}

/** Checks a PT_LOAD against the previous one, prev (NULL for the first). */
static elf_result check_order(const struct elf_phdr *h, const struct elf_segment *prev)
{
    if (prev == NULL) {
        return ELF_OK;
    }
    if (h->vaddr < prev->vaddr) {
        return ELF_ERR_ORDER;
    }
    if (h->vaddr / ELF_PAGE_SIZE <= last_page(prev->vaddr, prev->mem_size)) {
        return ELF_ERR_OVERLAP;
    }
    return ELF_OK;
}

/** Checks a PT_LOAD and appends it to img->segments. */
static elf_result add_load(const struct elf_phdr *h, size_t size, uint64_t user_top,
                           struct elf_image *img)
{
    if (img->segment_count == ELF_MAX_SEGMENTS) {
        return ELF_ERR_TOO_MANY_SEGMENTS;
    }
    elf_result r = check_ranges(h, size, user_top);
    if (r == ELF_OK) {
        r = check_layout(h);
    }
    if (r == ELF_OK) {
        const struct elf_segment *prev =
            img->segment_count == 0 ? NULL : &img->segments[img->segment_count - 1];
        r = check_order(h, prev);
    }
    if (r != ELF_OK) {
        return r;
    }
    struct elf_segment *s = &img->segments[img->segment_count];
    s->vaddr = h->vaddr;
    s->mem_size = h->memsz;
    s->file_offset = h->offset;
    s->file_size = h->filesz;
    s->perms = h->flags & (ELF_PERM_R | ELF_PERM_W | ELF_PERM_X);
    img->segment_count++;
    return ELF_OK;
}

/** Checks one program header of any type; PT_LOAD entries go to add_load. */
static elf_result check_phdr(const struct elf_phdr *h, size_t size, uint64_t user_top,
                             struct elf_image *img)
{
    switch (h->type) {
    case ELF_PT_LOAD:
        return add_load(h, size, user_top, img);
    case ELF_PT_INTERP:
        return ELF_ERR_INTERP;
    case ELF_PT_DYNAMIC:
        return ELF_ERR_DYNAMIC;
    case ELF_PT_GNU_STACK:
        return (h->flags & ELF_PF_X) != 0 ? ELF_ERR_EXEC_STACK : ELF_OK;
    default:
        return ELF_OK;
    }
}

elf_result elf_phdr_walk(const uint8_t *image, size_t size, uint64_t phoff, uint32_t phnum,
                         uint64_t user_top, struct elf_image *img)
{
    for (uint32_t i = 0; i < phnum; i++) {
        struct elf_phdr h;
        read_phdr(image + phoff + (uint64_t)i * ELF_PHDR_SIZE, &h);
        elf_result r = check_phdr(&h, size, user_top, img);
        if (r != ELF_OK) {
            return r;
        }
    }
    return ELF_OK;
}
