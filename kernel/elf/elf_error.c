/*
 * Names of elf_result values and the status_t each maps to. The mapping:
 * - STATUS_BAD_FORMAT: the bytes are not a well-formed ELF (magic, version,
 *   header sizes, filesz > memsz, an empty segment, p_align, segment order
 *   or overlap), or the image is shorter than its header.
 * - STATUS_UNSUPPORTED: a well-formed ELF of a kind this kernel does not
 *   run (class, byte order, OS ABI, machine, type, dynamic linking, more
 *   segments than ELF_MAX_SEGMENTS).
 * - STATUS_OUT_OF_RANGE: an offset or address outside what it must lie in
 *   (program header table or segment bytes outside the image, a segment
 *   outside user space, an entry outside executable code).
 * - STATUS_MISALIGNED: vaddr / offset incongruent, entry not 4-aligned.
 * - STATUS_PERMISSION: W^X, a segment with no permission, an executable stack.
 * - STATUS_NOT_FOUND: no loadable segment.
 * - STATUS_INVALID_ARGUMENT: a NULL argument, or a value outside elf_result.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/elf/elf.h"

#include "kernel/abi/status.h"

_Static_assert(ELF_ERR_ENTRY_NOT_EXEC + 1 == ELF_RESULT_COUNT, "ELF_RESULT_COUNT is stale");

/** What elf_error_name and elf_status report for one value. */
struct elf_error_info {
    const char *name;
    status_t status;
};

/** A literal pair; a switch, not a table of pointers, so no absolute address sits in data. */
static struct elf_error_info info(const char *name, status_t status)
{
    struct elf_error_info i = {name, status};
    return i;
}

/** The name and status of r. */
static struct elf_error_info describe(elf_result r)
{
    switch (r) {
    case ELF_OK:
        return info("ELF_OK", STATUS_OK);
    case ELF_ERR_NULL:
        return info("ELF_ERR_NULL", STATUS_INVALID_ARGUMENT);
    case ELF_ERR_TRUNCATED:
        return info("ELF_ERR_TRUNCATED", STATUS_BAD_FORMAT);
    case ELF_ERR_MAGIC:
        return info("ELF_ERR_MAGIC", STATUS_BAD_FORMAT);
    case ELF_ERR_CLASS:
        return info("ELF_ERR_CLASS", STATUS_UNSUPPORTED);
    case ELF_ERR_DATA:
        return info("ELF_ERR_DATA", STATUS_UNSUPPORTED);
    case ELF_ERR_VERSION:
        return info("ELF_ERR_VERSION", STATUS_BAD_FORMAT);
    case ELF_ERR_OSABI:
        return info("ELF_ERR_OSABI", STATUS_UNSUPPORTED);
    case ELF_ERR_MACHINE:
        return info("ELF_ERR_MACHINE", STATUS_UNSUPPORTED);
    case ELF_ERR_TYPE:
        return info("ELF_ERR_TYPE", STATUS_UNSUPPORTED);
    case ELF_ERR_EHSIZE:
        return info("ELF_ERR_EHSIZE", STATUS_BAD_FORMAT);
    case ELF_ERR_PHENTSIZE:
        return info("ELF_ERR_PHENTSIZE", STATUS_BAD_FORMAT);
    case ELF_ERR_PHDR_TABLE:
        return info("ELF_ERR_PHDR_TABLE", STATUS_OUT_OF_RANGE);
    case ELF_ERR_INTERP:
        return info("ELF_ERR_INTERP", STATUS_UNSUPPORTED);
    case ELF_ERR_DYNAMIC:
        return info("ELF_ERR_DYNAMIC", STATUS_UNSUPPORTED);
    case ELF_ERR_EXEC_STACK:
        return info("ELF_ERR_EXEC_STACK", STATUS_PERMISSION);
    case ELF_ERR_TOO_MANY_SEGMENTS:
        return info("ELF_ERR_TOO_MANY_SEGMENTS", STATUS_UNSUPPORTED);
    case ELF_ERR_FILESZ:
        return info("ELF_ERR_FILESZ", STATUS_BAD_FORMAT);
    case ELF_ERR_EMPTY_SEGMENT:
        return info("ELF_ERR_EMPTY_SEGMENT", STATUS_BAD_FORMAT);
    case ELF_ERR_FILE_RANGE:
        return info("ELF_ERR_FILE_RANGE", STATUS_OUT_OF_RANGE);
    case ELF_ERR_ADDRESS_RANGE:
        return info("ELF_ERR_ADDRESS_RANGE", STATUS_OUT_OF_RANGE);
    case ELF_ERR_ALIGN:
        return info("ELF_ERR_ALIGN", STATUS_BAD_FORMAT);
    case ELF_ERR_CONGRUENCE:
        return info("ELF_ERR_CONGRUENCE", STATUS_MISALIGNED);
    case ELF_ERR_NO_PERM:
        return info("ELF_ERR_NO_PERM", STATUS_PERMISSION);
    case ELF_ERR_WX:
        return info("ELF_ERR_WX", STATUS_PERMISSION);
    case ELF_ERR_ORDER:
        return info("ELF_ERR_ORDER", STATUS_BAD_FORMAT);
    case ELF_ERR_OVERLAP:
        return info("ELF_ERR_OVERLAP", STATUS_BAD_FORMAT);
    case ELF_ERR_NO_LOAD:
        return info("ELF_ERR_NO_LOAD", STATUS_NOT_FOUND);
    case ELF_ERR_ENTRY_MISALIGNED:
        return info("ELF_ERR_ENTRY_MISALIGNED", STATUS_MISALIGNED);
    case ELF_ERR_ENTRY_NOT_EXEC:
        return info("ELF_ERR_ENTRY_NOT_EXEC", STATUS_OUT_OF_RANGE);
    }
    return info("ELF_ERR_UNKNOWN", STATUS_INVALID_ARGUMENT);
}

status_t elf_status(elf_result r)
{
    return describe(r).status;
}

const char *elf_error_name(elf_result r)
{
    return describe(r).name;
}
