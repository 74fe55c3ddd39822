/* The program loader: check everything, then map page by page, undoing it all on a failure. */

#include "kernel/loader/loader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/cache.h"
#include "hal/mmu.h"
#include "kernel/check/check.h"
#include "kernel/elf/elf.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/status.h"

#define PAGE HAL_MMU_PAGE_SIZE

/** The page that holds va. */
static uint64_t page_down(uint64_t va)
{
    return va & ~(uint64_t)(PAGE - 1);
}

/** The HAL permissions of an ELF segment: READ always (see loader.h). */
static uint32_t segment_perms(uint32_t elf_perms)
{
    uint32_t perms = HAL_MMU_READ;
    if ((elf_perms & ELF_PERM_W) != 0) {
        perms |= HAL_MMU_WRITE;
    }
    if ((elf_perms & ELF_PERM_X) != 0) {
        perms |= HAL_MMU_EXEC;
    }
    return perms;
}

/** Whether the pages of a segment meet [low, high) (page aligned). */
static bool segment_meets(const struct elf_segment *s, uint64_t low, uint64_t high)
{
    uint64_t first = page_down(s->vaddr);
    // elf_parse checked vaddr + mem_size does not wrap and stays below user_top.
    uint64_t end = page_down(s->vaddr + s->mem_size - 1) + PAGE;
    return first < high && low < end;
}

/**
 * Copies n bytes from src to dst: 8 at a time where both are 8-byte aligned
 * alike (an ELF's offsets and addresses agree modulo its alignment), byte by
 * byte around that. Volatile stores: without them clang calls memcpy, which
 * a freestanding kernel does not have (__builtin_memcpy of 8 bytes is a load).
 */
static void copy_bytes(volatile uint8_t *dst, const uint8_t *src, uint64_t n)
{
    uint64_t i = 0;
    if ((((uintptr_t)dst ^ (uintptr_t)src) & 7u) == 0) {
        for (; i < n && ((uintptr_t)(src + i) & 7u) != 0; i++) {
            dst[i] = src[i];
        }
        for (; n - i >= 8; i += 8) {
            // One aligned load (the kernel is built -mstrict-align), not a call.
            uint64_t word;
            __builtin_memcpy(&word, __builtin_assume_aligned(src + i, 8), sizeof word);
            *(volatile uint64_t *)(uintptr_t)(dst + i) = word;
        }
    }
    for (; i < n; i++) {
        dst[i] = src[i];
    }
}

/** Copies the file bytes of segment s that fall in the page at va into that page (at pa). */
static void page_fill(const uint8_t *image, const struct elf_segment *s, uint64_t va, paddr_t pa)
{
    uint64_t from = va > s->vaddr ? va : s->vaddr;
    uint64_t file_end = s->vaddr + s->file_size;
    uint64_t to = va + PAGE < file_end ? va + PAGE : file_end;
    if (from >= to) {
        return;
    }
    volatile uint8_t *page = hal_mmu_phys_to_virt(pa);
    copy_bytes(page + (from - va), image + s->file_offset + (from - s->vaddr), to - from);
}

/** Unmaps the first `count` pages the load mapped, in the order it mapped them. */
static void undo(struct vm *vm, struct frame_alloc *fa, uint32_t space, const struct elf_image *elf,
                 uint64_t stack_base, uint32_t count)
{
    for (uint32_t i = 0; i < elf->segment_count && count > 0; i++) {
        const struct elf_segment *s = &elf->segments[i];
        uint64_t end = page_down(s->vaddr + s->mem_size - 1) + PAGE;
        for (uint64_t va = page_down(s->vaddr); va < end && count > 0; va += PAGE, count--) {
            CHECK(vm_unmap(vm, fa, space, va) == STATUS_OK);
        }
    }
    for (uint64_t va = stack_base; count > 0; va += PAGE, count--) {
        CHECK(vm_unmap(vm, fa, space, va) == STATUS_OK);
    }
}

/** Checks the stack: see loader_check in loader.h. */
static status_t stack_check(uint64_t stack_top, uint32_t stack_pages)
{
    if (stack_pages == 0 || stack_pages > LOADER_MAX_STACK_PAGES) {
        return STATUS_INVALID_ARGUMENT;
    }
    if ((stack_top & (PAGE - 1)) != 0) {
        return STATUS_MISALIGNED;
    }
    // The stack and the guard page below it lie in user space.
    if (stack_top > HAL_MMU_USER_TOP || stack_top < (uint64_t)(stack_pages + 1) * PAGE) {
        return STATUS_OUT_OF_RANGE;
    }
    return STATUS_OK;
}

status_t loader_check(const uint8_t *image, size_t size, uint64_t stack_top, uint32_t stack_pages,
                      struct elf_image *elf, elf_result *why)
{
    if (why == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    *why = ELF_OK;
    if (image == 0 || elf == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = stack_check(stack_top, stack_pages);
    if (st != STATUS_OK) {
        return st;
    }
    elf_result er = elf_parse(image, size, HAL_MMU_USER_TOP, elf);
    if (er != ELF_OK) {
        *why = er;
        return elf_status(er);
    }
    uint64_t stack_base = stack_top - (uint64_t)stack_pages * PAGE;
    for (uint32_t i = 0; i < elf->segment_count; i++) {
        if (segment_meets(&elf->segments[i], stack_base - PAGE, stack_top)) {
            return STATUS_ALREADY_MAPPED;
        }
    }
    return STATUS_OK;
}

status_t loader_load(struct vm *vm, struct frame_alloc *fa, uint32_t space, const uint8_t *image,
                     size_t size, uint64_t stack_top, uint32_t stack_pages,
                     struct loader_result *out, elf_result *why)
{
    if (why == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    *why = ELF_OK;
    if (vm == 0 || fa == 0 || image == 0 || out == 0 || vm_space_root(vm, space).value == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct elf_image elf;
    status_t st = loader_check(image, size, stack_top, stack_pages, &elf, why);
    if (st != STATUS_OK) {
        return st;
    }
    uint64_t stack_base = stack_top - (uint64_t)stack_pages * PAGE;
    // Map: every failure from here is a full page (or record, or table) shortage, or a
    // page the space had mapped already; either way undo what was mapped.
    uint32_t mapped = 0;
    for (uint32_t i = 0; i < elf.segment_count && st == STATUS_OK; i++) {
        const struct elf_segment *s = &elf.segments[i];
        uint64_t end = page_down(s->vaddr + s->mem_size - 1) + PAGE;
        for (uint64_t va = page_down(s->vaddr); va < end && st == STATUS_OK; va += PAGE) {
            paddr_t pa = {0};
            st = vm_map_anon(vm, fa, space, va, segment_perms(s->perms), &pa);
            if (st == STATUS_OK) {
                page_fill(image, s, va, pa);
                if ((s->perms & ELF_PERM_X) != 0) {
                    hal_cache_sync_icache(pa, PAGE); // its text, as written
                }
                mapped++;
            }
        }
    }
    for (uint64_t va = stack_base; va < stack_top && st == STATUS_OK; va += PAGE) {
        paddr_t pa = {0};
        st = vm_map_anon(vm, fa, space, va, HAL_MMU_READ | HAL_MMU_WRITE, &pa);
        if (st == STATUS_OK) {
            mapped++;
        }
    }
    if (st != STATUS_OK) {
        undo(vm, fa, space, &elf, stack_base, mapped);
        return st;
    }
    out->entry = elf.entry;
    out->stack = stack_top;
    out->pages = mapped;
    out->pad = 0;
    return STATUS_OK;
}
