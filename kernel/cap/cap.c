#include "kernel/cap/cap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/cap/cap_priv.h"
#include "kernel/check/check.h"
#include "kernel/obj/obj.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

/** The slot generation after g: 0 is skipped (HANDLE_NONE names nothing). */
static uint32_t generation_next(uint32_t g)
{
    return g == UINT32_MAX ? 1u : g + 1u;
}

/** Makes a slot empty with the given generation. */
static void slot_clear(struct cap *c, uint32_t generation)
{
    c->object = (struct obj_ref){.kind = OBJECT_NONE, .index = 0, .generation = 0};
    c->rights = 0;
    c->generation = generation;
    c->used = 0;
    c->parent = CAP_NIL;
    c->first_child = CAP_NIL;
    c->next_sibling = CAP_NIL;
    c->prev_sibling = CAP_NIL;
    c->badge = 0;
}

void cap_space_init(struct cap_space *space)
{
    for (uint32_t t = 0; t < CAP_MAX_TABLES; t++) {
        for (uint32_t s = 0; s < CAP_TABLE_SLOTS; s++) {
            slot_clear(&space->tables[t].slots[s], 1);
        }
        space->tables[t].used = 0;
    }
    obj_arena_init(&space->objects);
    space->hooks = NULL;
}

void cap_space_set_hooks(struct cap_space *space, const struct cap_hooks *hooks)
{
    CHECK(space != NULL);
    space->hooks = hooks;
}

int32_t cap_position(const struct cap_space *space, const struct cap *c)
{
    if (space == NULL || c == NULL) {
        return CAP_NIL;
    }
    // Compared as addresses: c must be a slot of the space's tables.
    uintptr_t base = (uintptr_t)&space->tables[0];
    uintptr_t addr = (uintptr_t)c;
    if (addr < base) {
        return CAP_NIL;
    }
    uintptr_t table = (addr - base) / sizeof(struct cap_table);
    uintptr_t in_table = (addr - base) % sizeof(struct cap_table);
    if (table >= CAP_MAX_TABLES || in_table % sizeof(struct cap) != 0 ||
        in_table / sizeof(struct cap) >= CAP_TABLE_SLOTS) {
        return CAP_NIL;
    }
    int32_t pos = cap_pos((uint32_t)table, (uint32_t)(in_table / sizeof(struct cap)));
    return cap_at_const(space, pos)->used ? pos : CAP_NIL;
}

const struct cap *cap_at_pos(const struct cap_space *space, int32_t pos)
{
    if (space == NULL || !cap_pos_valid(pos) || !cap_at_const(space, pos)->used) {
        return NULL;
    }
    return cap_at_const(space, pos);
}

uint32_t cap_table_count(const struct cap_space *space, uint32_t table)
{
    if (space == NULL || table >= CAP_MAX_TABLES) {
        return 0;
    }
    return space->tables[table].used;
}

/**
 * Decode: finds the used slot a handle names, without looking at its object
 * or rights. Returns STATUS_INVALID_ARGUMENT, STATUS_BAD_HANDLE or
 * STATUS_STALE_HANDLE as cap_lookup; *pos is its position.
 */
static status_t slot_find(const struct cap_space *space, uint32_t table, handle_t handle,
                          int32_t *pos)
{
    if (space == NULL || table >= CAP_MAX_TABLES) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint32_t slot = handle_slot(handle);
    uint32_t generation = handle_generation(handle);
    if (!handle_well_formed(handle) || generation == 0 || slot >= CAP_TABLE_SLOTS) {
        return STATUS_BAD_HANDLE;
    }
    const struct cap *c = &space->tables[table].slots[slot];
    /* Generation first: an emptied slot's old handles are stale, not bad. */
    if (c->generation != generation) {
        return STATUS_STALE_HANDLE;
    }
    if (!c->used) {
        return STATUS_BAD_HANDLE;
    }
    *pos = cap_pos(table, slot);
    return STATUS_OK;
}

/** Decode: slot_find, then the capability's rights must include needed. */
static status_t slot_find_rights(const struct cap_space *space, uint32_t table, handle_t handle,
                                 rights_t needed, int32_t *pos)
{
    status_t st = slot_find(space, table, handle, pos);
    if (st != STATUS_OK) {
        return st;
    }
    if ((cap_at_const(space, *pos)->rights & needed) != needed) {
        return STATUS_MISSING_RIGHT;
    }
    return STATUS_OK;
}

/**
 * Decode: slot_find, then the object must be live and of kind, and the rights include needed.
 * Inlined by force into cap_lookup_inline (the hot paths); everything else calls usable_find.
 */
__attribute__((always_inline)) static inline status_t
usable_find_inline(const struct cap_space *space, uint32_t table, handle_t handle, uint32_t kind,
                   rights_t needed, int32_t *pos)
{
    status_t st = slot_find(space, table, handle, pos);
    if (st != STATUS_OK) {
        return st;
    }
    const struct cap *c = cap_at_const(space, *pos);
    st = obj_check(&space->objects, c->object, kind);
    if (st != STATUS_OK) {
        return st;
    }
    if ((c->rights & needed) != needed) {
        return STATUS_MISSING_RIGHT;
    }
    return STATUS_OK;
}

/** usable_find_inline out of line: one copy for derives and transfers. */
__attribute__((noinline)) static status_t usable_find(const struct cap_space *space, uint32_t table,
                                                      handle_t handle, uint32_t kind,
                                                      rights_t needed, int32_t *pos)
{
    return usable_find_inline(space, table, handle, kind, needed, pos);
}

__attribute__((always_inline)) status_t cap_lookup_inline(struct cap_space *space, uint32_t table,
                                                          handle_t handle, uint32_t kind,
                                                          rights_t needed, struct cap **out)
{
    int32_t pos = CAP_NIL;
    if (out == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = usable_find_inline(space, table, handle, kind, needed, &pos);
    if (st != STATUS_OK) {
        return st;
    }
    *out = cap_at(space, pos);
    return STATUS_OK;
}

/* Out of line: every caller but the IPC fast path shares one copy of the checks. */
__attribute__((noinline)) status_t cap_lookup(struct cap_space *space, uint32_t table,
                                              handle_t handle, uint32_t kind, rights_t needed,
                                              struct cap **out)
{
    return cap_lookup_inline(space, table, handle, kind, needed, out);
}

/** Decode: the position of the lowest free slot of a table, or STATUS_TABLE_FULL. */
static status_t free_slot(const struct cap_space *space, uint32_t table, int32_t *pos)
{
    for (uint32_t s = 0; s < CAP_TABLE_SLOTS; s++) {
        if (!space->tables[table].slots[s].used) {
            *pos = cap_pos(table, s);
            return STATUS_OK;
        }
    }
    return STATUS_TABLE_FULL;
}

/** The handle of a used position. */
static handle_t handle_of(const struct cap_space *space, int32_t pos)
{
    return handle_make((uint32_t)pos % CAP_TABLE_SLOTS, cap_at_const(space, pos)->generation);
}

/**
 * Invoke: fills the free slot at pos, as the first child of parent (or a
 * root for CAP_NIL), with badge, and takes a reference on obj, which
 * decode found live.
 */
/* Out of line (noinline): four callers, none on a measured path. */
__attribute__((noinline)) static void fill(struct cap_space *space, int32_t pos, struct obj_ref obj,
                                           rights_t rights, uint64_t badge, int32_t parent)
{
    struct cap *c = cap_at(space, pos);
    c->object = obj;
    c->rights = rights;
    c->badge = badge;
    c->used = 1;
    c->parent = parent;
    c->first_child = CAP_NIL;
    c->prev_sibling = CAP_NIL;
    c->next_sibling = CAP_NIL;
    if (parent != CAP_NIL) {
        struct cap *p = cap_at(space, parent);
        c->next_sibling = p->first_child;
        if (p->first_child != CAP_NIL) {
            cap_at(space, p->first_child)->prev_sibling = pos;
        }
        p->first_child = pos;
    }
    space->tables[cap_pos_table(pos)].used++;
    /* Cannot fail: decode found obj live, and there are fewer capabilities than UINT32_MAX. */
    CHECK(obj_ref_get(&space->objects, obj) == STATUS_OK);
}

/* Out of line (noinline): the creation calls and the root task share one copy. */
__attribute__((noinline)) status_t cap_insert_new(struct cap_space *space, uint32_t table,
                                                  struct obj_ref obj, rights_t rights,
                                                  handle_t *out)
{
    int32_t pos = CAP_NIL;
    if (space == NULL || out == NULL || table >= CAP_MAX_TABLES || (rights & ~RIGHTS_ALL) != 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = obj_check(&space->objects, obj, OBJECT_NONE);
    if (st == STATUS_OK) {
        st = free_slot(space, table, &pos);
    }
    if (st != STATUS_OK) {
        return st;
    }
    fill(space, pos, obj, rights, 0, CAP_NIL);
    *out = handle_of(space, pos);
    return STATUS_OK;
}

/**
 * Decode for a derive: the capability handle names is usable as kind with
 * RIGHT_DERIVE, new_rights are a subset of its rights, it carries no badge
 * if to_badge (STATUS_BAD_STATE: a badge is fixed once set), and the table
 * has a free slot. *src is its position, *pos the free slot's.
 */
static status_t derive_find(const struct cap_space *space, uint32_t table, handle_t handle,
                            uint32_t kind, rights_t new_rights, bool to_badge, int32_t *src,
                            int32_t *pos)
{
    status_t st = usable_find(space, table, handle, kind, RIGHT_DERIVE, src);
    if (st != STATUS_OK) {
        return st;
    }
    const struct cap *c = cap_at_const(space, *src);
    if ((new_rights & ~c->rights) != 0) {
        return STATUS_MISSING_RIGHT;
    }
    if (to_badge && c->badge != 0) {
        return STATUS_BAD_STATE;
    }
    return free_slot(space, table, pos);
}

status_t cap_derive(struct cap_space *space, uint32_t table, handle_t handle, rights_t new_rights,
                    handle_t *out)
{
    int32_t src = CAP_NIL;
    int32_t pos = CAP_NIL;
    if (out == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = derive_find(space, table, handle, OBJECT_NONE, new_rights, false, &src, &pos);
    if (st != STATUS_OK) {
        return st;
    }
    const struct cap *c = cap_at(space, src);
    fill(space, pos, c->object, new_rights, c->badge, src);
    *out = handle_of(space, pos);
    return STATUS_OK;
}

status_t cap_badge(struct cap_space *space, uint32_t table, handle_t handle, rights_t new_rights,
                   uint64_t badge, handle_t *out)
{
    int32_t src = CAP_NIL;
    int32_t pos = CAP_NIL;
    if (out == NULL || badge == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = derive_find(space, table, handle, OBJECT_ENDPOINT, new_rights, true, &src, &pos);
    if (st != STATUS_OK) {
        return st;
    }
    const struct cap *c = cap_at(space, src);
    fill(space, pos, c->object, new_rights, badge, src);
    *out = handle_of(space, pos);
    return STATUS_OK;
}

/** Makes the slot at pos empty (its handles go stale); links must be detached already. */
static void slot_release(struct cap_space *space, int32_t pos)
{
    struct cap *c = cap_at(space, pos);
    slot_clear(c, generation_next(c->generation));
    space->tables[cap_pos_table(pos)].used--;
}

/**
 * Invoke: moves the capability at from into the free slot at to, keeping its
 * place in the tree: every link to it is rewritten. Its reference moves too.
 */
static void move_to(struct cap_space *space, int32_t from, int32_t to)
{
    struct cap *src = cap_at(space, from);
    struct cap *dst = cap_at(space, to);
    /* Field by field, generation excepted (a struct copy could become memcpy, which the
     * freestanding kernel does not have). */
    dst->object = src->object;
    dst->rights = src->rights;
    dst->badge = src->badge;
    dst->used = 1;
    dst->parent = src->parent;
    dst->first_child = src->first_child;
    dst->next_sibling = src->next_sibling;
    dst->prev_sibling = src->prev_sibling;
    if (dst->prev_sibling != CAP_NIL) {
        cap_at(space, dst->prev_sibling)->next_sibling = to;
    } else if (dst->parent != CAP_NIL) {
        cap_at(space, dst->parent)->first_child = to;
    }
    if (dst->next_sibling != CAP_NIL) {
        cap_at(space, dst->next_sibling)->prev_sibling = to;
    }
    for (int32_t c = dst->first_child; c != CAP_NIL; c = cap_at(space, c)->next_sibling) {
        cap_at(space, c)->parent = to;
    }
    space->tables[cap_pos_table(to)].used++;
    slot_release(space, from);
    if (space->hooks != NULL && space->hooks->moved != NULL) {
        space->hooks->moved(space, from, to);
    }
}

status_t cap_transfer(struct cap_space *space, uint32_t from_table, handle_t handle,
                      uint32_t to_table, bool move_cap, handle_t *out)
{
    int32_t src = CAP_NIL;
    int32_t pos = CAP_NIL;
    if (out == NULL || to_table >= CAP_MAX_TABLES) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = usable_find(space, from_table, handle, OBJECT_NONE, RIGHT_GRANT, &src);
    if (st == STATUS_OK) {
        st = free_slot(space, to_table, &pos);
    }
    if (st != STATUS_OK) {
        return st;
    }
    if (move_cap) {
        move_to(space, src, pos);
    } else {
        const struct cap *c = cap_at(space, src);
        fill(space, pos, c->object, c->rights, c->badge, src);
    }
    *out = handle_of(space, pos);
    return STATUS_OK;
}

/** Invoke: detaches pos from its parent's child list (nothing for a root). */
static void detach(struct cap_space *space, int32_t pos)
{
    struct cap *c = cap_at(space, pos);
    if (c->prev_sibling != CAP_NIL) {
        cap_at(space, c->prev_sibling)->next_sibling = c->next_sibling;
    } else if (c->parent != CAP_NIL) {
        cap_at(space, c->parent)->first_child = c->next_sibling;
    }
    if (c->next_sibling != CAP_NIL) {
        cap_at(space, c->next_sibling)->prev_sibling = c->prev_sibling;
    }
    c->parent = CAP_NIL;
    c->prev_sibling = CAP_NIL;
    c->next_sibling = CAP_NIL;
}

/** Invoke: makes each child of pos a root; pos keeps no children. */
static void orphan_children(struct cap_space *space, int32_t pos)
{
    int32_t child = cap_at(space, pos)->first_child;
    while (child != CAP_NIL) {
        struct cap *c = cap_at(space, child);
        int32_t next = c->next_sibling;
        c->parent = CAP_NIL;
        c->prev_sibling = CAP_NIL;
        c->next_sibling = CAP_NIL;
        child = next;
    }
    cap_at(space, pos)->first_child = CAP_NIL;
}

/**
 * Invoke: hands the children of pos to pos's parent, in pos's place among
 * its siblings (so their order is kept), and detaches pos. A root's children
 * become roots.
 */
static void reparent_children(struct cap_space *space, int32_t pos)
{
    struct cap *c = cap_at(space, pos);
    int32_t first = c->first_child;
    if (c->parent == CAP_NIL || first == CAP_NIL) {
        orphan_children(space, pos);
        detach(space, pos);
        return;
    }
    int32_t last = first;
    for (int32_t k = first; k != CAP_NIL; k = cap_at(space, k)->next_sibling) {
        cap_at(space, k)->parent = c->parent;
        last = k;
    }
    cap_at(space, first)->prev_sibling = c->prev_sibling;
    cap_at(space, last)->next_sibling = c->next_sibling;
    if (c->prev_sibling != CAP_NIL) {
        cap_at(space, c->prev_sibling)->next_sibling = first;
    } else {
        cap_at(space, c->parent)->first_child = first;
    }
    if (c->next_sibling != CAP_NIL) {
        cap_at(space, c->next_sibling)->prev_sibling = last;
    }
    c->first_child = CAP_NIL;
    c->parent = CAP_NIL;
    c->prev_sibling = CAP_NIL;
    c->next_sibling = CAP_NIL;
}

/** Invoke: deletes the used capability at pos, re-parenting its children, dropping its reference.
 */
static void delete_one(struct cap_space *space, int32_t pos)
{
    // First, while the capability is whole: what was made through it ends with it.
    if (space->hooks != NULL && space->hooks->removed != NULL) {
        space->hooks->removed(space, pos);
    }
    struct obj_ref obj = cap_at(space, pos)->object;
    reparent_children(space, pos);
    slot_release(space, pos);
    /* Cannot fail: every capability names a live object or a zombie and holds a reference. */
    CHECK(obj_ref_put(&space->objects, obj) == STATUS_OK);
}

status_t cap_delete(struct cap_space *space, uint32_t table, handle_t handle)
{
    int32_t pos = CAP_NIL;
    status_t st = slot_find(space, table, handle, &pos);
    if (st != STATUS_OK) {
        return st;
    }
    delete_one(space, pos);
    return STATUS_OK;
}

/**
 * Invoke: deletes every descendant of root, leaves first (post-order), with
 * no recursion: go down first children to a leaf, delete it, continue at its
 * next sibling or else at its parent, which has then lost all its children.
 * Each step deletes one capability or goes down one level, so the walk is
 * bounded by twice the slots; the tree has no cycle (cap_check_invariants).
 */
static void delete_descendants(struct cap_space *space, int32_t root)
{
    int32_t cur = cap_at(space, root)->first_child;
    uint32_t budget = 2u * CAP_TOTAL_SLOTS;
    while (cur != CAP_NIL && cur != root && budget > 0) {
        budget--;
        struct cap *c = cap_at(space, cur);
        if (c->first_child != CAP_NIL) {
            cur = c->first_child;
            continue;
        }
        int32_t next = c->next_sibling != CAP_NIL ? c->next_sibling : c->parent;
        delete_one(space, cur);
        cur = next;
    }
}

status_t cap_revoke(struct cap_space *space, uint32_t table, handle_t handle)
{
    int32_t pos = CAP_NIL;
    status_t st = slot_find_rights(space, table, handle, RIGHT_REVOKE, &pos);
    if (st != STATUS_OK) {
        return st;
    }
    delete_descendants(space, pos);
    return STATUS_OK;
}

status_t cap_delete_table(struct cap_space *space, uint32_t table)
{
    if (space == NULL || table >= CAP_MAX_TABLES) {
        return STATUS_INVALID_ARGUMENT;
    }
    for (uint32_t s = 0; s < CAP_TABLE_SLOTS; s++) {
        if (space->tables[table].slots[s].used) {
            delete_one(space, cap_pos(table, s));
        }
    }
    return STATUS_OK;
}
