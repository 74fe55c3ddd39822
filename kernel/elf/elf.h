#pragma once

/**
 * ELF64 parser and validator for user programs: checks that an image held
 * in memory is a static AArch64 executable this kernel can load, and
 * describes its loadable segments for the loader (which is not here: this
 * module maps nothing and allocates nothing).
 *
 * References: "ELF-64 Object File Format" 1.5 (header 3, program header 7),
 * the System V gABI (e_ident, PT_* and PF_* values) and "ELF for the Arm
 * 64-bit Architecture" (AAELF64: EM_AARCH64 = 183, little-endian).
 *
 * What is accepted: ELFCLASS64, ELFDATA2LSB, EV_CURRENT in both version
 * fields, EI_OSABI ELFOSABI_NONE (0, the System V ABI; AAELF64 asks for 0
 * when no OS extension is used, and lld writes 0 for aarch64-none-elf) with
 * EI_ABIVERSION 0, e_machine EM_AARCH64, e_type ET_EXEC (ET_DYN is refused:
 * static, non-PIE programs only), the 64-bit header and program header
 * sizes. Section headers are not read at all (loading needs none). e_flags
 * and the EI_PAD bytes are ignored. Program headers other than PT_LOAD,
 * PT_INTERP, PT_DYNAMIC and PT_GNU_STACK (PT_NOTE, PT_PHDR, PT_TLS,
 * PT_GNU_PROPERTY, PT_GNU_RELRO, PT_AARCH64_*, ...) are ignored.
 *
 * Execution context: freestanding C11 that uses no C library, allocates
 * nothing and keeps no state between calls; it may run in any context that
 * can read the image. Stack use is a few hundred bytes (one struct elf_image).
 *
 * Safety: whatever the image holds, no byte outside [image, image + size) is
 * read and nothing but *out is written, only on success. Every offset, size
 * and count is checked against the image, every sum is checked for overflow
 * before it is used, and the image may be at any alignment: fields are read
 * one byte at a time, little-endian.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Capacity of elf_image.segments: an image with more PT_LOAD entries is refused. */
#define ELF_MAX_SEGMENTS 8

/** The page size segments are checked against (the translation granule of hal/mmu). */
#define ELF_PAGE_SIZE 4096u

/** Segment permissions in elf_segment.perms; the same bits as the ELF PF_X, PF_W, PF_R. */
#define ELF_PERM_X 1u
#define ELF_PERM_W 2u
#define ELF_PERM_R 4u

/**
 * Why an image was refused. 0 is success; one code per rule, the set is
 * closed. The checks run in the order listed here: the header (e_ident,
 * then e_version, e_machine, e_type, e_ehsize, e_phentsize), the program
 * header table, then each program header in table order (for a PT_LOAD, its
 * rules in the order listed), then the whole-image rules (NO_LOAD,
 * ENTRY_MISALIGNED, ENTRY_NOT_EXEC); the first failure is returned.
 */
typedef enum {
    ELF_OK = 0,
    /** image or out is NULL. */
    ELF_ERR_NULL,
    /** The image is smaller than the 64-byte ELF64 header. */
    ELF_ERR_TRUNCATED,
    /** e_ident does not start with 0x7f 'E' 'L' 'F'. */
    ELF_ERR_MAGIC,
    /** EI_CLASS is not ELFCLASS64 (2). */
    ELF_ERR_CLASS,
    /** EI_DATA is not ELFDATA2LSB (1): AArch64 programs here are little-endian. */
    ELF_ERR_DATA,
    /** EI_VERSION or e_version is not EV_CURRENT (1). */
    ELF_ERR_VERSION,
    /** EI_OSABI is not ELFOSABI_NONE (0, System V), or EI_ABIVERSION is not 0. */
    ELF_ERR_OSABI,
    /** e_machine is not EM_AARCH64 (183). */
    ELF_ERR_MACHINE,
    /** e_type is not ET_EXEC (2); ET_DYN (PIE, shared objects) included. */
    ELF_ERR_TYPE,
    /** e_ehsize is not 64. */
    ELF_ERR_EHSIZE,
    /** e_phentsize is not 56. */
    ELF_ERR_PHENTSIZE,
    /**
     * The program header table does not lie inside the image (e_phoff +
     * e_phnum * 56 overflowing or past the end), starts inside the ELF
     * header, or e_phnum is PN_XNUM (0xffff, extended numbering through
     * section 0: not supported).
     */
    ELF_ERR_PHDR_TABLE,
    /** A PT_INTERP entry: the program asks for a dynamic linker. */
    ELF_ERR_INTERP,
    /** A PT_DYNAMIC entry: the program is dynamically linked. */
    ELF_ERR_DYNAMIC,
    /** A PT_GNU_STACK entry with PF_X: the program asks for an executable stack. */
    ELF_ERR_EXEC_STACK,
    /** More than ELF_MAX_SEGMENTS PT_LOAD entries. */
    ELF_ERR_TOO_MANY_SEGMENTS,
    /** A PT_LOAD with p_filesz > p_memsz. */
    ELF_ERR_FILESZ,
    /**
     * A PT_LOAD with p_memsz 0. Refused rather than skipped: no linker emits
     * one for a program with content, and every segment described in
     * elf_image is then a real, non-empty mapping.
     */
    ELF_ERR_EMPTY_SEGMENT,
    /** A PT_LOAD whose file bytes [p_offset, p_offset + p_filesz) overflow or pass the image's end.
     */
    ELF_ERR_FILE_RANGE,
    /**
     * A PT_LOAD whose pages do not all lie below user_top: p_vaddr +
     * p_memsz overflows, or the page-rounded end passes user_top rounded
     * down to a page.
     */
    ELF_ERR_ADDRESS_RANGE,
    /** A PT_LOAD whose p_align is neither 0 nor a power of two. */
    ELF_ERR_ALIGN,
    /** A PT_LOAD whose p_vaddr and p_offset differ modulo ELF_PAGE_SIZE: it cannot be mapped. */
    ELF_ERR_CONGRUENCE,
    /** A PT_LOAD with none of PF_R, PF_W, PF_X. */
    ELF_ERR_NO_PERM,
    /** A PT_LOAD with both PF_W and PF_X (W^X: each page is writable or executable, not both). */
    ELF_ERR_WX,
    /** A PT_LOAD whose p_vaddr is below the previous PT_LOAD's (the gABI requires ascending order).
     */
    ELF_ERR_ORDER,
    /** A PT_LOAD that shares a page with the previous one (each page gets one permission). */
    ELF_ERR_OVERLAP,
    /** No PT_LOAD entry at all. */
    ELF_ERR_NO_LOAD,
    /** e_entry is not a multiple of 4 (the size of an A64 instruction). */
    ELF_ERR_ENTRY_MISALIGNED,
    /**
     * The 4 bytes at e_entry do not lie inside the file-backed part
     * [p_vaddr, p_vaddr + p_filesz) of an executable PT_LOAD.
     */
    ELF_ERR_ENTRY_NOT_EXEC,
} elf_result;

/** Number of elf_result values; every value is below it. */
#define ELF_RESULT_COUNT 30

/**
 * One loadable segment: the loader maps the pages of [vaddr, vaddr +
 * mem_size) with perms, fills [vaddr, vaddr + file_size) from the image's
 * bytes [file_offset, file_offset + file_size) and zeroes the rest.
 * Guaranteed on success: 0 < mem_size, file_size <= mem_size, the file
 * range lies inside the image, every page lies below user_top, vaddr and
 * file_offset are congruent modulo ELF_PAGE_SIZE, perms is a non-empty
 * subset of R|W|X without both W and X.
 */
struct elf_segment {
    uint64_t vaddr;
    uint64_t mem_size;
    uint64_t file_offset;
    uint64_t file_size;
    /** ELF_PERM_* bits. */
    uint32_t perms;
};

/**
 * A validated image. segments[0 .. segment_count) are the PT_LOAD entries
 * in table order, which is ascending vaddr; no two share a page. entry lies
 * in the file-backed part of an executable segment and is 4-byte aligned.
 * Entries past segment_count are zero.
 */
struct elf_image {
    uint64_t entry;
    uint32_t segment_count;
    struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/**
 * Validates the ELF64 image [image, image + size) and describes it.
 * Requires: image points to size readable bytes (its content is untrusted;
 * it must not change during the call); out points to writable storage.
 * user_top is the exclusive end of user space: every page of every segment
 * must lie below it (rounded down to a page).
 * Returns ELF_OK with *out filled, or the first rule broken (see
 * elf_result for the order); on error *out is left unchanged.
 */
elf_result elf_parse(const uint8_t *image, size_t size, uint64_t user_top, struct elf_image *out);

/**
 * The status_t closest to r, for system call results: ELF_OK is STATUS_OK,
 * every error maps to a non-zero code, a value outside elf_result to
 * STATUS_INVALID_ARGUMENT.
 */
status_t elf_status(elf_result r);

/**
 * The name of r's enumerator ("ELF_ERR_MAGIC", ...), for reports and logs;
 * "ELF_ERR_UNKNOWN" for a value outside elf_result. The string is a literal.
 */
const char *elf_error_name(elf_result r);

#ifdef __cplusplus
}
#endif
