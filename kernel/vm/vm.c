/* Address spaces, frames and mappings: decode (check, take), then invoke (cannot fail). */

#include "kernel/vm/vm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/cache.h"
#include "hal/mmu.h"
#include "kernel/check/check.h"
#include "kernel/mm/frame_alloc.h"

#include "kernel/abi/status.h"

/** Tables one page can need: a level-1, level-2 and level-3 table under the root. */
#define VM_MAP_MAX_TABLES 3
/** Tables given back per hal_mmu_space_destroy batch. */
#define VM_DESTROY_BATCH 8
/** Every permission bit hal/mmu.h defines. */
#define VM_PERMS_ALL (HAL_MMU_READ | HAL_MMU_WRITE | HAL_MMU_EXEC)

/*
 * Field by field throughout: a struct assignment or initialiser may become
 * a call to memset or memcpy, which the freestanding kernel does not have.
 */

/** Makes a space slot unused. */
static void space_clear(struct vm_space *s)
{
    s->root = paddr_make(0);
    s->first = VM_NIL;
    s->mappings = 0;
    s->tables = 0;
    s->quota = 0;
    s->used = 0;
    s->record_pages = 0;
    for (uint32_t i = 0; i < VM_RECORD_PAGES_MAX; i++) {
        s->pages[i] = paddr_make(0);
    }
    s->free = VM_NIL;
}

/** Makes a frame slot unused. */
static void frame_clear(struct vm_frame *f)
{
    f->pa = paddr_make(0);
    f->first = VM_NIL;
    f->mappings = 0;
    f->used = 0;
    f->writable = 0;
    f->executable = 0;
    f->device = 0;
}

/** Makes a record free, next on the free list. */
static void record_clear(struct vm_mapping *r, int32_t next)
{
    r->va = 0;
    r->pa = paddr_make(0);
    r->space = 0;
    r->frame = 0;
    r->perms = 0;
    r->max_perms = 0;
    r->used = 0;
    r->next_in_space = next;
    r->prev_in_space = VM_NIL;
    r->next_in_frame = VM_NIL;
    r->prev_in_frame = VM_NIL;
    r->owner = VM_NIL;
    r->pad[0] = 0;
    r->pad[1] = 0;
}

/** Record m (in a record page of a space in use: the caller knows). */
/* Out of line (noinline): nine callers share one copy. */
__attribute__((noinline)) static struct vm_mapping *rec(const struct vm *vm, int32_t m)
{
    const struct vm_space *s = &vm->spaces[VM_RECORD_SPACE(m)];
    struct vm_mapping *page = hal_mmu_phys_to_virt(s->pages[VM_RECORD_PAGE(m)]);
    return &page[VM_RECORD_SLOT(m)];
}

void vm_init(struct vm *vm)
{
    CHECK(vm != 0);
    for (uint32_t i = 0; i < OBJ_MAX_ADDRESS_SPACES; i++) {
        space_clear(&vm->spaces[i]);
    }
    for (uint32_t i = 0; i < OBJ_MAX_FRAMES; i++) {
        frame_clear(&vm->frames[i]);
    }
    vm->used = 0;
    vm->anon = 0;
}

uint32_t vm_space_asid(uint32_t space)
{
    return space + 1;
}

/** The status for a hal_mmu_ result. */
static status_t mmu_status(hal_mmu_result r)
{
    switch (r) {
    case HAL_MMU_OK:
        return STATUS_OK;
    case HAL_MMU_ERR_MISALIGNED:
        return STATUS_MISALIGNED;
    case HAL_MMU_ERR_RANGE:
        return STATUS_OUT_OF_RANGE;
    case HAL_MMU_ERR_PERMISSION:
        return STATUS_PERMISSION;
    case HAL_MMU_ERR_ALREADY_MAPPED:
        return STATUS_ALREADY_MAPPED;
    case HAL_MMU_ERR_NOT_MAPPED:
        return STATUS_NOT_MAPPED;
    default:
        return STATUS_NO_MEMORY;
    }
}

/**
 * Zeroes the page at pa through the direct map, 64 bytes per iteration.
 * Volatile stores: without them clang turns the loop into a call to
 * memset, which a freestanding kernel does not have.
 */
static void page_zero(paddr_t pa)
{
    volatile uint64_t *p = hal_mmu_phys_to_virt(pa);
    for (uint32_t i = 0; i < HAL_MMU_PAGE_SIZE / sizeof(uint64_t); i += 8) {
        p[i] = 0;
        p[i + 1] = 0;
        p[i + 2] = 0;
        p[i + 3] = 0;
        p[i + 4] = 0;
        p[i + 5] = 0;
        p[i + 6] = 0;
        p[i + 7] = 0;
    }
}

status_t vm_frame_create(struct vm *vm, struct frame_alloc *fa, uint32_t frame)
{
    if (vm == 0 || fa == 0 || frame >= OBJ_MAX_FRAMES || vm->frames[frame].used) {
        return STATUS_INVALID_ARGUMENT;
    }
    paddr_t pa = {0};
    status_t st = frame_alloc_one(fa, &pa);
    if (st != STATUS_OK) {
        return st;
    }
    page_zero(pa);
    vm->frames[frame].pa = pa;
    vm->frames[frame].used = 1;
    return STATUS_OK;
}

status_t vm_frame_create_device(struct vm *vm, uint32_t frame, paddr_t pa)
{
    if (vm == 0 || frame >= OBJ_MAX_FRAMES || vm->frames[frame].used) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (pa.value % HAL_MMU_PAGE_SIZE != 0) {
        return STATUS_MISALIGNED;
    }
    vm->frames[frame].pa = pa;
    vm->frames[frame].used = 1;
    vm->frames[frame].device = 1;
    return STATUS_OK;
}

status_t vm_space_create(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint32_t quota)
{
    if (vm == 0 || fa == 0 || space >= OBJ_MAX_ADDRESS_SPACES || vm->spaces[space].used ||
        quota > VM_QUOTA_MAX) {
        return STATUS_INVALID_ARGUMENT;
    }
    // The whole quota is reserved now, the root first spent from it: the
    // space's later tables can only come out of its own reservation.
    uint32_t q = quota == 0 ? VM_QUOTA_DEFAULT : quota;
    status_t st = frame_alloc_reserve(fa, q);
    if (st != STATUS_OK) {
        return st;
    }
    paddr_t table = {0};
    CHECK(frame_alloc_one_reserved(fa, &table) == STATUS_OK);
    struct hal_mmu_frames f = {&table, 1, 0};
    paddr_t root = {0};
    hal_mmu_result r = hal_mmu_space_create(&f, &root);
    if (r != HAL_MMU_OK) {
        CHECK(frame_alloc_free_reserved(fa, table) == STATUS_OK);
        CHECK(frame_alloc_unreserve(fa, q) == STATUS_OK);
        return mmu_status(r);
    }
    vm->spaces[space].root = root;
    vm->spaces[space].tables = 1;
    vm->spaces[space].quota = q;
    vm->spaces[space].used = 1;
    return STATUS_OK;
}

/** Takes record m out of its space's list. */
static void unlink_space(struct vm *vm, int32_t m)
{
    struct vm_mapping *r = rec(vm, m);
    struct vm_space *s = &vm->spaces[r->space];
    if (r->prev_in_space == VM_NIL) {
        s->first = r->next_in_space;
    } else {
        rec(vm, r->prev_in_space)->next_in_space = r->next_in_space;
    }
    if (r->next_in_space != VM_NIL) {
        rec(vm, r->next_in_space)->prev_in_space = r->prev_in_space;
    }
    s->mappings--;
}

/** Adds (delta 1) or takes away (-1) a mapping with perms from a frame's W and X counts. */
static void frame_count_perms(struct vm_frame *f, uint32_t perms, int delta)
{
    if ((perms & HAL_MMU_WRITE) != 0) {
        f->writable += (uint32_t)delta;
    }
    if ((perms & HAL_MMU_EXEC) != 0) {
        f->executable += (uint32_t)delta;
    }
}

/**
 * Decode: whether a mapping of frame f may have perms, given that one
 * mapping with old perms (0: none) is replaced: STATUS_WX_CONFLICT if the
 * frame would be writable and executable at once across its mappings.
 */
static status_t frame_wx_check(const struct vm_frame *f, uint32_t perms, uint32_t old)
{
    uint32_t writable = f->writable - ((old & HAL_MMU_WRITE) != 0 ? 1u : 0u);
    uint32_t executable = f->executable - ((old & HAL_MMU_EXEC) != 0 ? 1u : 0u);
    if (((perms & HAL_MMU_WRITE) != 0 && executable > 0) ||
        ((perms & HAL_MMU_EXEC) != 0 && writable > 0)) {
        return STATUS_WX_CONFLICT;
    }
    return STATUS_OK;
}

/** Takes record m out of its frame's list. */
static void unlink_frame(struct vm *vm, int32_t m)
{
    struct vm_mapping *r = rec(vm, m);
    if (r->frame == VM_ANON) {
        return;
    }
    struct vm_frame *f = &vm->frames[r->frame];
    if (r->prev_in_frame == VM_NIL) {
        f->first = r->next_in_frame;
    } else {
        rec(vm, r->prev_in_frame)->next_in_frame = r->next_in_frame;
    }
    if (r->next_in_frame != VM_NIL) {
        rec(vm, r->next_in_frame)->prev_in_frame = r->prev_in_frame;
    }
    f->mappings--;
    frame_count_perms(f, r->perms, -1);
}

/** Puts an unlinked record back on its space's free list; an anonymous page goes back to fa. */
static void record_free(struct vm *vm, struct frame_alloc *fa, int32_t m)
{
    struct vm_mapping *r = rec(vm, m);
    struct vm_space *s = &vm->spaces[r->space];
    if (r->frame == VM_ANON) {
        CHECK(fa != 0 && frame_alloc_free(fa, r->pa) == STATUS_OK);
        vm->anon--;
    }
    record_clear(r, s->free);
    s->free = m;
    vm->used--;
}

/**
 * Adds a record page to space, taken from its reservation (the caller
 * checked there is room): its records go on the space's free list.
 */
static void record_page_add(struct vm *vm, struct frame_alloc *fa, uint32_t space)
{
    struct vm_space *s = &vm->spaces[space];
    CHECK(s->free == VM_NIL && s->record_pages < VM_RECORD_PAGES_MAX &&
          s->tables + s->record_pages < s->quota);
    paddr_t pa = {0};
    CHECK(frame_alloc_one_reserved(fa, &pa) == STATUS_OK);
    uint32_t page = s->record_pages++;
    s->pages[page] = pa;
    for (uint32_t slot = VM_RECORDS_PER_PAGE; slot-- > 0;) {
        record_clear(rec(vm, VM_RECORD_INDEX(space, page, slot)), s->free);
        s->free = VM_RECORD_INDEX(space, page, slot);
    }
}

/**
 * After the page at va of space was unmapped: the tables on its path that
 * map nothing any more go back to fa, into the space's reservation, and
 * the space is charged less.
 */
static void tables_reclaim(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint64_t va)
{
    if (fa == 0) {
        return; // no allocator to give them to: they stay linked, charged, reused by later maps
    }
    struct vm_space *s = &vm->spaces[space];
    paddr_t out[HAL_MMU_RECLAIM_MAX];
    size_t n = hal_mmu_reclaim(s->root, vm_space_asid(space), va, out);
    CHECK(n <= HAL_MMU_RECLAIM_MAX && n < s->tables);
    for (size_t i = 0; i < n; i++) {
        CHECK(frame_alloc_free_reserved(fa, out[i]) == STATUS_OK);
    }
    s->tables -= (uint32_t)n;
}

/** Unmaps frame record m (not anonymous) from its space, invalidating it in the TLB, gives back
 * the tables it emptied, and frees the record. */
static void frame_record_unmap(struct vm *vm, struct frame_alloc *fa, int32_t m)
{
    const struct vm_mapping *r = rec(vm, m);
    CHECK(r->frame != VM_ANON);
    CHECK(hal_mmu_unmap(vm->spaces[r->space].root, vm_space_asid(r->space), r->va,
                        HAL_MMU_PAGE_SIZE) == HAL_MMU_OK);
    tables_reclaim(vm, fa, r->space, r->va);
    unlink_space(vm, m);
    unlink_frame(vm, m);
    record_free(vm, 0, m);
}

status_t vm_frame_destroy(struct vm *vm, struct frame_alloc *fa, uint32_t frame)
{
    if (vm == 0 || fa == 0 || frame >= OBJ_MAX_FRAMES || !vm->frames[frame].used) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct vm_frame *f = &vm->frames[frame];
    while (f->first != VM_NIL) {
        frame_record_unmap(vm, fa, f->first);
    }
    if (!f->device) {
        CHECK(frame_alloc_free(fa, f->pa) == STATUS_OK);
    }
    frame_clear(f);
    return STATUS_OK;
}

status_t vm_space_destroy(struct vm *vm, struct frame_alloc *fa, uint32_t space)
{
    if (vm == 0 || fa == 0 || space >= OBJ_MAX_ADDRESS_SPACES || !vm->spaces[space].used) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct vm_space *s = &vm->spaces[space];
    // No CPU may translate through the tables while they go (hal/mmu.h):
    // leave this CPU without a user space; the board activates the next.
    if (hal_mmu_active().value == s->root.value) {
        hal_mmu_activate(paddr_make(0), 0);
    }
    // The leaf entries go with the tables: no per-page unmap is needed, the
    // ASID-wide invalidation in hal_mmu_space_destroy covers them.
    while (s->first != VM_NIL) {
        int32_t m = s->first;
        unlink_space(vm, m);
        unlink_frame(vm, m);
        record_free(vm, fa, m);
    }
    for (uint32_t i = 0; i < s->record_pages; i++) {
        CHECK(frame_alloc_free_reserved(fa, s->pages[i]) == STATUS_OK);
    }
    uint32_t returned = 0;
    bool done = false;
    while (!done) {
        paddr_t batch[VM_DESTROY_BATCH];
        size_t n =
            hal_mmu_space_destroy(s->root, vm_space_asid(space), batch, VM_DESTROY_BATCH, &done);
        CHECK(n > 0 || done);
        for (size_t i = 0; i < n; i++) {
            CHECK(frame_alloc_free_reserved(fa, batch[i]) == STATUS_OK);
        }
        returned += (uint32_t)n;
        CHECK(returned <= s->tables);
    }
    CHECK(returned == s->tables);
    // Its tables and record pages are back in its reservation, which now is
    // the whole quota: end it.
    CHECK(frame_alloc_unreserve(fa, s->quota) == STATUS_OK);
    space_clear(s);
    return STATUS_OK;
}

/** Checks user page address va: STATUS_MISALIGNED or STATUS_OUT_OF_RANGE. */
static status_t va_check(uint64_t va)
{
    if ((va & (HAL_MMU_PAGE_SIZE - 1)) != 0) {
        return STATUS_MISALIGNED;
    }
    if (va >= HAL_MMU_USER_TOP) {
        return STATUS_OUT_OF_RANGE;
    }
    return STATUS_OK;
}

/** Checks permissions against a ceiling: unknown bits, beyond the ceiling, no READ, W+X. */
static status_t perms_check(uint32_t perms, uint32_t max_perms)
{
    if ((perms & ~VM_PERMS_ALL) != 0 || (max_perms & ~VM_PERMS_ALL) != 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    if ((perms & ~max_perms) != 0 || (perms & HAL_MMU_READ) == 0 ||
        ((perms & HAL_MMU_WRITE) != 0 && (perms & HAL_MMU_EXEC) != 0)) {
        return STATUS_PERMISSION;
    }
    return STATUS_OK;
}

/**
 * Maps page pa (of frame object `frame`, or VM_ANON) at va of space: checks
 * perms, the address and a free record, takes the tables the walk needs,
 * maps, links the record. space and frame are checked by the caller. On
 * error nothing changed.
 */
static status_t map_page(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint32_t frame,
                         paddr_t pa, uint64_t va, uint32_t perms, uint32_t max_perms, int32_t owner)
{
    status_t st = perms_check(perms, max_perms);
    if (st == STATUS_OK && frame != VM_ANON) {
        st = frame_wx_check(&vm->frames[frame], perms, 0);
    }
    if (st == STATUS_OK) {
        st = va_check(va);
    }
    // No free record: a record page must come out of the quota too, after
    // the tables (so it is set aside from what the walk may take).
    struct vm_space *s = &vm->spaces[space];
    CHECK(s->tables + s->record_pages <= s->quota);
    size_t allowed = s->quota - s->tables - s->record_pages;
    bool new_page = s->free == VM_NIL;
    if (st == STATUS_OK && new_page && (s->record_pages == VM_RECORD_PAGES_MAX || allowed == 0)) {
        st = STATUS_QUOTA;
    }
    if (st != STATUS_OK) {
        return st;
    }
    allowed -= new_page ? 1u : 0u;
    // Take every table the walk may need, so the map itself cannot run
    // short, from the space's own reservation (quota - tables frames, set
    // aside when it was made): never from the shared pool, never more than
    // the quota has room for. need is an upper bound: a path shared with
    // earlier mappings needs fewer, and hal_mmu_map refuses with nothing
    // changed if the quota's room is short.
    size_t need = hal_mmu_tables_needed(va, HAL_MMU_PAGE_SIZE);
    CHECK(need <= VM_MAP_MAX_TABLES);
    size_t take = need < allowed ? need : allowed;
    paddr_t tables[VM_MAP_MAX_TABLES];
    for (size_t i = 0; i < take; i++) {
        CHECK(frame_alloc_one_reserved(fa, &tables[i]) == STATUS_OK);
    }
    struct hal_mmu_frames f = {tables, take, 0};
    bool device = frame != VM_ANON && vm->frames[frame].device;
    hal_mmu_result r = hal_mmu_map(s->root, vm_space_asid(space), va, pa, HAL_MMU_PAGE_SIZE,
                                   perms | (device ? HAL_MMU_DEVICE : 0u), &f);
    // Give back what the walk did not use (everything on failure).
    size_t used = r == HAL_MMU_OK ? f.used : 0;
    for (size_t i = used; i < take; i++) {
        CHECK(frame_alloc_free_reserved(fa, tables[i]) == STATUS_OK);
    }
    if (r == HAL_MMU_ERR_NO_TABLES) {
        return STATUS_QUOTA; // only the quota can be short: its room is reserved
    }
    if (r != HAL_MMU_OK) {
        return mmu_status(r);
    }
    if ((perms & HAL_MMU_EXEC) != 0) {
        hal_cache_sync_icache(pa, HAL_MMU_PAGE_SIZE); // before the call returns to any task
    }
    s->tables += (uint32_t)used;
    if (new_page) {
        record_page_add(vm, fa, space); // room was set aside above
    }
    int32_t m = s->free;
    struct vm_mapping *rc = rec(vm, m);
    s->free = rc->next_in_space;
    vm->used++;
    rc->va = va;
    rc->pa = pa;
    rc->space = space;
    rc->frame = frame;
    rc->perms = perms;
    rc->max_perms = max_perms;
    rc->owner = owner;
    rc->used = 1;
    rc->next_in_space = s->first;
    rc->prev_in_space = VM_NIL;
    rc->next_in_frame = VM_NIL;
    rc->prev_in_frame = VM_NIL;
    if (s->first != VM_NIL) {
        rec(vm, s->first)->prev_in_space = m;
    }
    s->first = m;
    s->mappings++;
    if (frame != VM_ANON) {
        struct vm_frame *fr = &vm->frames[frame];
        rc->next_in_frame = fr->first;
        if (fr->first != VM_NIL) {
            rec(vm, fr->first)->prev_in_frame = m;
        }
        fr->first = m;
        fr->mappings++;
        frame_count_perms(fr, perms, 1);
    }
    return STATUS_OK;
}

status_t vm_map(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint32_t frame, uint64_t va,
                uint32_t perms, uint32_t max_perms, int32_t owner)
{
    if (vm == 0 || fa == 0 || space >= OBJ_MAX_ADDRESS_SPACES || !vm->spaces[space].used ||
        frame >= OBJ_MAX_FRAMES || !vm->frames[frame].used) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (vm->frames[frame].device) {
        max_perms &= ~HAL_MMU_EXEC; // MMIO is never executable, whatever was allowed
    }
    return map_page(vm, fa, space, frame, vm->frames[frame].pa, va, perms, max_perms, owner);
}

status_t vm_map_anon(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint64_t va,
                     uint32_t perms, paddr_t *pa)
{
    if (vm == 0 || fa == 0 || pa == 0 || space >= OBJ_MAX_ADDRESS_SPACES ||
        !vm->spaces[space].used) {
        return STATUS_INVALID_ARGUMENT;
    }
    paddr_t page = {0};
    status_t st = frame_alloc_one(fa, &page);
    if (st != STATUS_OK) {
        return st;
    }
    // Zeroed before it is mapped: no task ever sees an earlier user's data.
    page_zero(page);
    // Its permissions are its ceiling: a loaded segment keeps its ELF permissions.
    st = map_page(vm, fa, space, VM_ANON, page, va, perms, perms, VM_NIL);
    if (st != STATUS_OK) {
        CHECK(frame_alloc_free(fa, page) == STATUS_OK);
        return st;
    }
    vm->anon++;
    *pa = page;
    return STATUS_OK;
}

/** Finds the record of va in space (checked in use): its index or VM_NIL. */
static int32_t find_mapping(const struct vm *vm, uint32_t space, uint64_t va)
{
    for (int32_t m = vm->spaces[space].first; m != VM_NIL; m = rec(vm, m)->next_in_space) {
        if (rec(vm, m)->va == va) {
            return m;
        }
    }
    return VM_NIL;
}

/** Decodes unmap and protect: the record of va in space, or an error. */
static status_t mapping_lookup(const struct vm *vm, uint32_t space, uint64_t va, int32_t *out)
{
    if (vm == 0 || space >= OBJ_MAX_ADDRESS_SPACES || !vm->spaces[space].used) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = va_check(va);
    if (st != STATUS_OK) {
        return st;
    }
    *out = find_mapping(vm, space, va);
    return *out == VM_NIL ? STATUS_NOT_MAPPED : STATUS_OK;
}

status_t vm_unmap(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint64_t va)
{
    int32_t m = VM_NIL;
    status_t st = mapping_lookup(vm, space, va, &m);
    if (st != STATUS_OK) {
        return st;
    }
    if (fa == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    CHECK(hal_mmu_unmap(vm->spaces[space].root, vm_space_asid(space), va, HAL_MMU_PAGE_SIZE) ==
          HAL_MMU_OK);
    tables_reclaim(vm, fa, space, va);
    unlink_space(vm, m);
    unlink_frame(vm, m);
    record_free(vm, fa, m);
    return STATUS_OK;
}

status_t vm_protect(struct vm *vm, uint32_t space, uint64_t va, uint32_t perms)
{
    int32_t m = VM_NIL;
    status_t st = mapping_lookup(vm, space, va, &m);
    if (st == STATUS_OK) {
        st = perms_check(perms, rec(vm, m)->max_perms);
    }
    struct vm_mapping *r = st == STATUS_OK ? rec(vm, m) : 0;
    if (r != 0 && r->frame != VM_ANON) {
        st = frame_wx_check(&vm->frames[r->frame], perms, r->perms);
    }
    if (st != STATUS_OK) {
        return st;
    }
    if ((perms & HAL_MMU_EXEC) != 0 && (r->perms & HAL_MMU_EXEC) == 0) {
        hal_cache_sync_icache(r->pa, HAL_MMU_PAGE_SIZE); // becomes executable
    }
    if (r->frame != VM_ANON) {
        frame_count_perms(&vm->frames[r->frame], r->perms, -1);
        frame_count_perms(&vm->frames[r->frame], perms, 1);
    }
    CHECK(hal_mmu_protect(vm->spaces[space].root, vm_space_asid(space), va, HAL_MMU_PAGE_SIZE,
                          perms) == HAL_MMU_OK);
    r->perms = perms;
    return STATUS_OK;
}

paddr_t vm_space_root(const struct vm *vm, uint32_t space)
{
    if (vm == 0 || space >= OBJ_MAX_ADDRESS_SPACES || !vm->spaces[space].used) {
        return paddr_make(0);
    }
    return vm->spaces[space].root;
}

uint32_t vm_mapping_count(const struct vm *vm)
{
    return vm == 0 ? 0 : vm->used;
}

uint64_t vm_reserved_count(const struct vm *vm)
{
    uint64_t n = 0;
    for (uint32_t i = 0; vm != 0 && i < OBJ_MAX_ADDRESS_SPACES; i++) {
        const struct vm_space *s = &vm->spaces[i];
        if (s->used && s->tables + s->record_pages <= s->quota) {
            n += s->quota - s->tables - s->record_pages;
        }
    }
    return n;
}

uint32_t vm_anon_count(const struct vm *vm)
{
    return vm == 0 ? 0 : vm->anon;
}

uint32_t vm_unmap_owner(struct vm *vm, struct frame_alloc *fa, uint32_t frame, int32_t owner)
{
    if (vm == 0 || frame >= OBJ_MAX_FRAMES || !vm->frames[frame].used || owner == VM_NIL) {
        return 0;
    }
    uint32_t n = 0;
    int32_t m = vm->frames[frame].first;
    while (m != VM_NIL) {
        int32_t next = rec(vm, m)->next_in_frame;
        if (rec(vm, m)->owner == owner) {
            frame_record_unmap(vm, fa, m);
            n++;
        }
        m = next;
    }
    return n;
}

uint32_t vm_rehome(struct vm *vm, uint32_t frame, int32_t from, int32_t to)
{
    if (vm == 0 || frame >= OBJ_MAX_FRAMES || !vm->frames[frame].used || from == VM_NIL) {
        return 0;
    }
    uint32_t n = 0;
    for (int32_t m = vm->frames[frame].first; m != VM_NIL; m = rec(vm, m)->next_in_frame) {
        struct vm_mapping *r = rec(vm, m);
        if (r->owner == from) {
            r->owner = to;
            n++;
        }
    }
    return n;
}

const struct vm_mapping *vm_mapping_at(const struct vm *vm, int32_t m)
{
    if (vm == 0 || m < 0 || VM_RECORD_SPACE(m) >= OBJ_MAX_ADDRESS_SPACES ||
        !vm->spaces[VM_RECORD_SPACE(m)].used ||
        VM_RECORD_PAGE(m) >= vm->spaces[VM_RECORD_SPACE(m)].record_pages) {
        return 0;
    }
    const struct vm_mapping *r = rec(vm, m);
    return r->used ? r : 0;
}

int32_t vm_space_first_mapping(const struct vm *vm, uint32_t space)
{
    if (vm == 0 || space >= OBJ_MAX_ADDRESS_SPACES || !vm->spaces[space].used) {
        return VM_NIL;
    }
    return vm->spaces[space].first;
}
