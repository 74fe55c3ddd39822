#pragma once

/**
 * The program loader: a static ELF64 AArch64 executable (kernel/elf) into
 * an address space (kernel/vm), with a user stack.
 *
 * Every page of every PT_LOAD segment becomes an anonymous page of the
 * space (vm_map_anon: owned by the space, freed with it), mapped with the
 * segment's permissions plus READ (the MMU has no execute-only or
 * write-only user pages); the file bytes are copied in and the rest of the
 * page, the bss included, is zero. The stack is stack_pages read-write
 * pages ending at stack_top, and the page below them stays unmapped: a
 * guard, so an overflow faults instead of running into the program.
 *
 * Everything that can be checked before memory is taken is checked first:
 * a malformed image (every rule of elf_parse), a stack that is misaligned,
 * empty or outside user space, or a segment that overlaps the stack or its
 * guard page is refused with nothing allocated. Running out of memory
 * half way unmaps (and frees) every page the call mapped; translation
 * tables it built stay with the space, as vm_unmap leaves them, and go back
 * when the space is destroyed.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/elf/elf.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a loaded program starts. */
struct loader_result {
    /** The entry point (the ELF header's e_entry). */
    uint64_t entry;
    /** The initial stack pointer (stack_top). */
    uint64_t stack;
    /** Pages mapped: the program's and the stack's. */
    uint32_t pages;
    uint32_t pad;
};

/**
 * Loads image[0..size) into space (in use in vm) with a stack of
 * stack_pages pages ending at stack_top. On success fills *out. Returns
 * STATUS_OK or, with no page left mapped by the call: elf_status of the
 * parse error (its elf_result in *why, which is ELF_OK for any other
 * error), STATUS_INVALID_ARGUMENT (null pointer, space not in use,
 * stack_pages 0 or more than LOADER_MAX_STACK_PAGES), STATUS_MISALIGNED
 * (stack_top not page aligned), STATUS_OUT_OF_RANGE (the stack, or its
 * guard page, outside user space), STATUS_ALREADY_MAPPED (a segment
 * overlaps the stack or its guard page, or a page is mapped in the space
 * already), STATUS_NO_MEMORY.
 */
status_t loader_load(struct vm *vm, struct frame_alloc *fa, uint32_t space, const uint8_t *image,
                     size_t size, uint64_t stack_top, uint32_t stack_pages,
                     struct loader_result *out, elf_result *why);

/**
 * Decodes a load without touching any space: every refusal loader_load can
 * make that does not depend on the space's contents or on memory. Parses
 * image[0..size) into *elf and checks the stack against it. Returns
 * STATUS_OK or (*elf then describes the image only if it parsed, that is
 * for STATUS_ALREADY_MAPPED): elf_status of the
 * parse error (its elf_result in *why, which is ELF_OK for any other
 * error), STATUS_INVALID_ARGUMENT (null pointer, stack_pages 0 or more
 * than LOADER_MAX_STACK_PAGES), STATUS_MISALIGNED (stack_top not page
 * aligned), STATUS_OUT_OF_RANGE (the stack, or its guard page, outside user
 * space), STATUS_ALREADY_MAPPED (a segment overlaps the stack or its guard
 * page). Segments never overlap each other: elf_parse refuses that
 * (ELF_ERR_OVERLAP). So loading into an empty space with enough memory
 * (loader_pages pages, their tables and records) cannot fail once this
 * returned STATUS_OK: a caller that must not fail half way checks here first.
 */
status_t loader_check(const uint8_t *image, size_t size, uint64_t stack_top, uint32_t stack_pages,
                      struct elf_image *elf, elf_result *why);

/** Most stack pages loader_load maps (64 KiB). */
#define LOADER_MAX_STACK_PAGES 16

#ifdef __cplusplus
}
#endif
