#pragma once

/**
 * Private to kernel/elf: field offsets and values of the ELF64 header and
 * program header, the byte-wise little-endian readers, and the program
 * header walk shared by elf.c and elf_phdr.c.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/elf/elf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ELF64 header (ELF-64 3): e_ident[16], then the fields at these offsets. */
#define ELF_EHDR_SIZE 64u
#define ELF_EI_CLASS 4u
#define ELF_EI_DATA 5u
#define ELF_EI_VERSION 6u
#define ELF_EI_OSABI 7u
#define ELF_EI_ABIVERSION 8u
#define ELF_E_TYPE 16u      /* uint16 */
#define ELF_E_MACHINE 18u   /* uint16 */
#define ELF_E_VERSION 20u   /* uint32 */
#define ELF_E_ENTRY 24u     /* uint64 */
#define ELF_E_PHOFF 32u     /* uint64 */
#define ELF_E_EHSIZE 52u    /* uint16 */
#define ELF_E_PHENTSIZE 54u /* uint16 */
#define ELF_E_PHNUM 56u     /* uint16 */

#define ELF_CLASS64 2u
#define ELF_DATA2LSB 1u
#define ELF_EV_CURRENT 1u
#define ELF_OSABI_NONE 0u
#define ELF_ET_EXEC 2u
#define ELF_EM_AARCH64 183u
/** e_phnum value meaning "the count is in section 0's sh_info" (gABI); not supported. */
#define ELF_PN_XNUM 0xffffu

/* ELF64 program header (ELF-64 7): 56 bytes, fields at these offsets. */
#define ELF_PHDR_SIZE 56u
#define ELF_P_TYPE 0u    /* uint32 */
#define ELF_P_FLAGS 4u   /* uint32 */
#define ELF_P_OFFSET 8u  /* uint64 */
#define ELF_P_VADDR 16u  /* uint64 */
#define ELF_P_FILESZ 32u /* uint64 */
#define ELF_P_MEMSZ 40u  /* uint64 */
#define ELF_P_ALIGN 48u  /* uint64 */

#define ELF_PT_LOAD 1u
#define ELF_PT_DYNAMIC 2u
#define ELF_PT_INTERP 3u
#define ELF_PT_GNU_STACK 0x6474e551u

#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

/** Reads a little-endian uint16 at p, one byte at a time (any alignment). */
static inline uint16_t elf_read_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

/** Reads a little-endian uint32 at p, one byte at a time (any alignment). */
static inline uint32_t elf_read_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/** Reads a little-endian uint64 at p, one byte at a time (any alignment). */
static inline uint64_t elf_read_le64(const uint8_t *p)
{
    return (uint64_t)elf_read_le32(p) | (uint64_t)elf_read_le32(p + 4) << 32;
}

/**
 * Checks the program header table of the image [image, image + size), whose
 * phnum entries start at phoff (the caller checked that they lie inside the
 * image), and fills img->segments and img->segment_count from its PT_LOAD
 * entries. img must be zeroed by the caller. Returns ELF_OK or the first
 * broken rule of a program header (INTERP through OVERLAP, in elf_result
 * order for each entry); img is then partly filled.
 */
elf_result elf_phdr_walk(const uint8_t *image, size_t size, uint64_t phoff, uint32_t phnum,
                         uint64_t user_top, struct elf_image *img);

#ifdef __cplusplus
}
#endif
