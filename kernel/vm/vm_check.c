/* Bookkeeping checks for tests and fuzzers: see vm_check_invariants in vm.h. */

#include <stdbool.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/mmu.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/status.h"

/** Records a space can hold at most: a bound for walks over its lists. */
#define VM_SPACE_RECORDS_MAX (VM_RECORD_PAGES_MAX * VM_RECORDS_PER_PAGE)

/** Record m if it lies in a record page of a space in use (used or free), else NULL. */
static const struct vm_mapping *at(const struct vm *vm, int32_t m)
{
    if (m < 0 || VM_RECORD_SPACE(m) >= OBJ_MAX_ADDRESS_SPACES) {
        return 0;
    }
    const struct vm_space *s = &vm->spaces[VM_RECORD_SPACE(m)];
    if (!s->used || VM_RECORD_PAGE(m) >= s->record_pages) {
        return 0;
    }
    const struct vm_mapping *page = hal_mmu_phys_to_virt(s->pages[VM_RECORD_PAGE(m)]);
    return &page[VM_RECORD_SLOT(m)];
}

/** Checks one space's list: links, owner, count, no duplicate address. Bounded by its pages. */
static bool space_list_ok(const struct vm *vm, uint32_t space)
{
    const struct vm_space *s = &vm->spaces[space];
    uint32_t n = 0;
    int32_t prev = VM_NIL;
    for (int32_t m = s->first; m != VM_NIL; m = at(vm, m)->next_in_space) {
        const struct vm_mapping *r = at(vm, m);
        if (r == 0 || VM_RECORD_SPACE(m) != space || n >= VM_SPACE_RECORDS_MAX) {
            return false;
        }
        if (!r->used || r->space != space || r->prev_in_space != prev) {
            return false;
        }
        for (int32_t o = s->first; o != m; o = at(vm, o)->next_in_space) {
            if (at(vm, o)->va == r->va) {
                return false;
            }
        }
        prev = m;
        n++;
    }
    return n == s->mappings;
}

/** Checks one frame's list: links, owner, count. */
static bool frame_list_ok(const struct vm *vm, uint32_t frame)
{
    const struct vm_frame *f = &vm->frames[frame];
    uint32_t n = 0;
    uint32_t writable = 0;
    uint32_t executable = 0;
    int32_t prev = VM_NIL;
    for (int32_t m = f->first; m != VM_NIL; m = at(vm, m)->next_in_frame) {
        const struct vm_mapping *r = at(vm, m);
        if (r == 0 || n >= OBJ_MAX_ADDRESS_SPACES * VM_SPACE_RECORDS_MAX) {
            return false;
        }
        if (!r->used || r->frame != frame || r->prev_in_frame != prev) {
            return false;
        }
        writable += (r->perms & HAL_MMU_WRITE) != 0;
        executable += (r->perms & HAL_MMU_EXEC) != 0;
        prev = m;
        n++;
    }
    // W^X across the frame's mappings.
    return n == f->mappings && writable == f->writable && executable == f->executable &&
           (writable == 0 || executable == 0);
}

/** Checks a used record against its space, its frame and the page tables. */
static bool record_ok(const struct vm *vm, const struct vm_mapping *r)
{
    if (r->space >= OBJ_MAX_ADDRESS_SPACES || !vm->spaces[r->space].used) {
        return false;
    }
    bool anon = r->frame == VM_ANON;
    if (!anon && (r->frame >= OBJ_MAX_FRAMES || !vm->frames[r->frame].used ||
                  r->pa.value != vm->frames[r->frame].pa.value)) {
        return false;
    }
    if (anon && (r->next_in_frame != VM_NIL || r->prev_in_frame != VM_NIL || r->owner != VM_NIL)) {
        return false;
    }
    if ((r->perms & ~r->max_perms) != 0 || (r->perms & HAL_MMU_READ) == 0 ||
        ((r->perms & HAL_MMU_WRITE) != 0 && (r->perms & HAL_MMU_EXEC) != 0)) {
        return false;
    }
    paddr_t pa = {0};
    paddr_t root = vm->spaces[r->space].root;
    if (hal_mmu_user_translate(root, r->va, false, &pa) != HAL_MMU_OK || pa.value != r->pa.value) {
        return false;
    }
    hal_mmu_result w = hal_mmu_user_translate(root, r->va, true, &pa);
    return (r->perms & HAL_MMU_WRITE) != 0 ? w == HAL_MMU_OK : w == HAL_MMU_ERR_PERMISSION;
}

/**
 * Checks a space's record pages: each record used (and then sound) or on
 * the free list, which holds only its own free records, once each. Adds
 * its used and anonymous records to *used and *anon.
 */
static bool space_records_ok(const struct vm *vm, uint32_t space, uint32_t *used, uint32_t *anon)
{
    const struct vm_space *s = &vm->spaces[space];
    uint32_t in_use = 0;
    for (uint32_t p = 0; p < s->record_pages; p++) {
        for (uint32_t slot = 0; slot < VM_RECORDS_PER_PAGE; slot++) {
            const struct vm_mapping *r = at(vm, VM_RECORD_INDEX(space, p, slot));
            if (r->used) {
                if (!record_ok(vm, r) || r->space != space) {
                    return false;
                }
                in_use++;
                *anon += r->frame == VM_ANON;
            }
        }
    }
    uint32_t free_count = 0;
    for (int32_t m = s->free; m != VM_NIL; m = at(vm, m)->next_in_space) {
        const struct vm_mapping *r = at(vm, m);
        if (r == 0 || VM_RECORD_SPACE(m) != space || r->used ||
            free_count >= s->record_pages * VM_RECORDS_PER_PAGE) {
            return false;
        }
        free_count++;
    }
    *used += in_use;
    return in_use == s->mappings && free_count + in_use == s->record_pages * VM_RECORDS_PER_PAGE;
}

status_t vm_check_invariants(const struct vm *vm)
{
    if (vm == 0) {
        return STATUS_BAD_FORMAT;
    }
    uint32_t listed = 0;
    uint32_t used = 0;
    uint32_t anon = 0;
    for (uint32_t s = 0; s < OBJ_MAX_ADDRESS_SPACES; s++) {
        const struct vm_space *sp = &vm->spaces[s];
        bool unused_ok = sp->first == VM_NIL && sp->mappings == 0 && sp->tables == 0 &&
                         sp->quota == 0 && sp->record_pages == 0 && sp->free == VM_NIL;
        // A space in use holds exactly the tables it is charged for, and
        // with its record pages stays within its quota.
        bool tables_ok = sp->used && sp->tables >= 1 && sp->record_pages <= VM_RECORD_PAGES_MAX &&
                         sp->tables + sp->record_pages <= sp->quota && sp->quota <= VM_QUOTA_MAX &&
                         hal_mmu_table_count(sp->root) == sp->tables;
        if (sp->used ? !(tables_ok && space_list_ok(vm, s) && space_records_ok(vm, s, &used, &anon))
                     : !unused_ok) {
            return STATUS_BAD_FORMAT;
        }
        listed += sp->mappings;
    }
    uint32_t in_frames = 0;
    for (uint32_t f = 0; f < OBJ_MAX_FRAMES; f++) {
        const struct vm_frame *fr = &vm->frames[f];
        bool unused_ok =
            fr->first == VM_NIL && fr->mappings == 0 && fr->writable == 0 && fr->executable == 0;
        if (fr->used ? !frame_list_ok(vm, f) : !unused_ok) {
            return STATUS_BAD_FORMAT;
        }
        in_frames += fr->mappings;
    }
    if (used != vm->used || listed != used || in_frames + anon != used || anon != vm->anon) {
        return STATUS_BAD_FORMAT;
    }
    return STATUS_OK;
}
