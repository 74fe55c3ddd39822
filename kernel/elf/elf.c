/*
 * elf_parse: the ELF64 header, the bounds of the program header table, the
 * walk over it (elf_phdr.c), then the entry point. Everything is decoded
 * into a local elf_image; *out is written only once every check passed.
 */

#include "kernel/elf/elf.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/elf/elf_priv.h"

/** Checks e_ident: magic, class, data encoding, version, OS ABI. Requires 64 readable bytes. */
static elf_result check_ident(const uint8_t *ident)
{
    if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
        return ELF_ERR_MAGIC;
    }
    if (ident[ELF_EI_CLASS] != ELF_CLASS64) {
        return ELF_ERR_CLASS;
    }
    if (ident[ELF_EI_DATA] != ELF_DATA2LSB) {
        return ELF_ERR_DATA;
    }
    if (ident[ELF_EI_VERSION] != ELF_EV_CURRENT) {
        return ELF_ERR_VERSION;
    }
    if (ident[ELF_EI_OSABI] != ELF_OSABI_NONE || ident[ELF_EI_ABIVERSION] != 0) {
        return ELF_ERR_OSABI;
    }
    return ELF_OK;
}

/** Checks the header fields after e_ident. Requires 64 readable bytes. */
static elf_result check_header(const uint8_t *ehdr)
{
    if (elf_read_le32(ehdr + ELF_E_VERSION) != ELF_EV_CURRENT) {
        return ELF_ERR_VERSION;
    }
    if (elf_read_le16(ehdr + ELF_E_MACHINE) != ELF_EM_AARCH64) {
        return ELF_ERR_MACHINE;
    }
    if (elf_read_le16(ehdr + ELF_E_TYPE) != ELF_ET_EXEC) {
        return ELF_ERR_TYPE;
    }
    if (elf_read_le16(ehdr + ELF_E_EHSIZE) != ELF_EHDR_SIZE) {
        return ELF_ERR_EHSIZE;
    }
    if (elf_read_le16(ehdr + ELF_E_PHENTSIZE) != ELF_PHDR_SIZE) {
        return ELF_ERR_PHENTSIZE;
    }
    return ELF_OK;
}

/**
 * Checks that the phnum entries at phoff lie in the image, after the ELF
 * header. phnum * 56 < 2^22 cannot overflow; phoff + that sum can, hence the
 * subtraction.
 */
static elf_result check_phdr_table(size_t size, uint64_t phoff, uint32_t phnum)
{
    uint64_t table_size = (uint64_t)phnum * ELF_PHDR_SIZE;
    if (phnum == ELF_PN_XNUM || phoff < ELF_EHDR_SIZE || phoff > (uint64_t)size ||
        table_size > (uint64_t)size - phoff) {
        return ELF_ERR_PHDR_TABLE;
    }
    return ELF_OK;
}

/** Checks that the instruction at entry lies in the file-backed part of an executable segment. */
static elf_result check_entry(const struct elf_image *img)
{
    if (img->entry % 4 != 0) {
        return ELF_ERR_ENTRY_MISALIGNED;
    }
    for (uint32_t i = 0; i < img->segment_count; i++) {
        const struct elf_segment *s = &img->segments[i];
        /* entry >= vaddr first, so entry - vaddr cannot wrap. */
        if ((s->perms & ELF_PERM_X) != 0 && img->entry >= s->vaddr && s->file_size >= 4 &&
            img->entry - s->vaddr <= s->file_size - 4) {
            return ELF_OK;
        }
    }
    return ELF_ERR_ENTRY_NOT_EXEC;
}

/** Sets every field of *img to zero (a plain loop: no memset in the freestanding kernel). */
static void zero_image(struct elf_image *img)
{
    img->entry = 0;
    img->segment_count = 0;
    for (uint32_t i = 0; i < ELF_MAX_SEGMENTS; i++) {
        struct elf_segment *s = &img->segments[i];
        s->vaddr = 0;
        s->mem_size = 0;
        s->file_offset = 0;
        s->file_size = 0;
        s->perms = 0;
    }
}

/** Copies *src to *dst field by field (a struct assignment could become memcpy). */
static void copy_image(struct elf_image *dst, const struct elf_image *src)
{
    dst->entry = src->entry;
    dst->segment_count = src->segment_count;
    for (uint32_t i = 0; i < ELF_MAX_SEGMENTS; i++) {
        dst->segments[i].vaddr = src->segments[i].vaddr;
        dst->segments[i].mem_size = src->segments[i].mem_size;
        dst->segments[i].file_offset = src->segments[i].file_offset;
        dst->segments[i].file_size = src->segments[i].file_size;
        dst->segments[i].perms = src->segments[i].perms;
    }
}

/** Runs every check on the image and decodes it into *img (zeroed here). */
static elf_result decode(const uint8_t *image, size_t size, uint64_t user_top,
                         struct elf_image *img)
{
    if (size < ELF_EHDR_SIZE) {
        return ELF_ERR_TRUNCATED;
    }
    elf_result r = check_ident(image);
    if (r == ELF_OK) {
        r = check_header(image);
    }
    uint64_t phoff = elf_read_le64(image + ELF_E_PHOFF);
    uint32_t phnum = elf_read_le16(image + ELF_E_PHNUM);
    if (r == ELF_OK) {
        r = check_phdr_table(size, phoff, phnum);
    }
    zero_image(img);
    if (r == ELF_OK) {
        r = elf_phdr_walk(image, size, phoff, phnum, user_top, img);
    }
    if (r == ELF_OK && img->segment_count == 0) {
        r = ELF_ERR_NO_LOAD;
    }
    img->entry = elf_read_le64(image + ELF_E_ENTRY);
    if (r == ELF_OK) {
        r = check_entry(img);
    }
    return r;
}

elf_result elf_parse(const uint8_t *image, size_t size, uint64_t user_top, struct elf_image *out)
{
    if (image == NULL || out == NULL) {
        return ELF_ERR_NULL;
    }
    struct elf_image img;
    elf_result r = decode(image, size, user_top, &img);
    if (r == ELF_OK) {
        copy_image(out, &img);
    }
    return r;
}
