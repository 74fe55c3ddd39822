#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/cap/cap_priv.h"
#include "kernel/obj/obj.h"

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

/** Whether a link is CAP_NIL or names a used slot. */
static bool link_ok(const struct cap_space *space, int32_t link)
{
    return link == CAP_NIL || (cap_pos_valid(link) && cap_at_const(space, link)->used);
}

/** An empty slot: every field cleared, generation still valid. */
static bool empty_ok(const struct cap *c)
{
    return c->generation != 0 && c->rights == 0 && c->badge == 0 && c->object.kind == OBJECT_NONE &&
           c->parent == CAP_NIL && c->first_child == CAP_NIL && c->next_sibling == CAP_NIL &&
           c->prev_sibling == CAP_NIL;
}

/** The links of the used capability at pos agree with their targets' links back. */
static bool links_ok(const struct cap_space *space, int32_t pos)
{
    const struct cap *c = cap_at_const(space, pos);
    if (!link_ok(space, c->parent) || !link_ok(space, c->first_child) ||
        !link_ok(space, c->next_sibling) || !link_ok(space, c->prev_sibling)) {
        return false;
    }
    if (c->parent == CAP_NIL && (c->prev_sibling != CAP_NIL || c->next_sibling != CAP_NIL)) {
        return false; /* roots have no siblings */
    }
    if (c->prev_sibling != CAP_NIL) {
        const struct cap *p = cap_at_const(space, c->prev_sibling);
        if (p->next_sibling != pos || p->parent != c->parent) {
            return false;
        }
    } else if (c->parent != CAP_NIL && cap_at_const(space, c->parent)->first_child != pos) {
        return false;
    }
    if (c->next_sibling != CAP_NIL && cap_at_const(space, c->next_sibling)->prev_sibling != pos) {
        return false;
    }
    if (c->first_child != CAP_NIL) {
        const struct cap *k = cap_at_const(space, c->first_child);
        if (k->parent != pos || k->prev_sibling != CAP_NIL) {
            return false;
        }
    }
    return true;
}

/** A badge only on an endpoint, and a badged parent's badge on each child. */
static bool badge_ok(const struct cap_space *space, const struct cap *c)
{
    if (c->badge != 0 && c->object.kind != OBJECT_ENDPOINT) {
        return false;
    }
    if (c->parent == CAP_NIL) {
        return true;
    }
    uint64_t inherited = cap_at_const(space, c->parent)->badge;
    return inherited == 0 || inherited == c->badge;
}

/** Checks one used capability: rights, object, links, attenuation, badge. */
static bool cap_ok(const struct cap_space *space, int32_t pos)
{
    const struct cap *c = cap_at_const(space, pos);
    if (c->generation == 0 || (c->rights & ~RIGHTS_ALL) != 0 ||
        !obj_ref_held(&space->objects, c->object) || !links_ok(space, pos) || !badge_ok(space, c)) {
        return false;
    }
    return c->parent == CAP_NIL || (c->rights & ~cap_at_const(space, c->parent)->rights) == 0;
}

/** Checks every slot on its own and the tables' counts; *used is the total of used slots. */
static bool slots_ok(const struct cap_space *space, uint32_t *used)
{
    *used = 0;
    for (uint32_t t = 0; t < CAP_MAX_TABLES; t++) {
        uint32_t count = 0;
        for (uint32_t s = 0; s < CAP_TABLE_SLOTS; s++) {
            const struct cap *c = &space->tables[t].slots[s];
            if (c->used > 1 || (c->used && !cap_ok(space, cap_pos(t, s))) ||
                (!c->used && !empty_ok(c))) {
                return false;
            }
            count += c->used;
        }
        if (count != space->tables[t].used) {
            return false;
        }
        *used += count;
    }
    return true;
}

/**
 * Counts the capabilities reachable from the root at pos, pre-order, with
 * no recursion: down first children, else on to the next sibling of the
 * nearest ancestor that has one. Stops (returning more than *budget) when
 * the budget runs out, which only a cycle can cause.
 */
static uint32_t subtree_size(const struct cap_space *space, int32_t root, uint32_t budget)
{
    uint32_t seen = 0;
    int32_t cur = root;
    while (seen <= budget) {
        seen++;
        const struct cap *c = cap_at_const(space, cur);
        if (c->first_child != CAP_NIL) {
            cur = c->first_child;
            continue;
        }
        uint32_t climb = 0;
        while (cur != root && cap_at_const(space, cur)->next_sibling == CAP_NIL &&
               climb <= budget) {
            cur = cap_at_const(space, cur)->parent;
            climb++;
        }
        if (cur == root || climb > budget) {
            break;
        }
        cur = cap_at_const(space, cur)->next_sibling;
    }
    return seen;
}

/** Every used capability is reached exactly once from the roots: the links form no cycle. */
static bool acyclic(const struct cap_space *space, uint32_t used)
{
    uint32_t reached = 0;
    for (int32_t pos = 0; pos < CAP_TOTAL_SLOTS; pos++) {
        const struct cap *c = cap_at_const(space, pos);
        if (c->used && c->parent == CAP_NIL) {
            reached += subtree_size(space, pos, used - reached);
            if (reached > used) {
                return false;
            }
        }
    }
    return reached == used;
}

/** named[p] = the capabilities naming the object in arena position p (all in range). */
static void count_names(const struct cap_space *space, uint16_t named[OBJ_TOTAL_SLOTS])
{
    /* A plain loop, not an initialiser: no memset in the freestanding kernel. */
    for (uint32_t i = 0; i < OBJ_TOTAL_SLOTS; i++) {
        named[i] = 0;
    }
    for (int32_t pos = 0; pos < CAP_TOTAL_SLOTS; pos++) {
        const struct cap *c = cap_at_const(space, pos);
        if (c->used) {
            named[obj_position(c->object)]++;
        }
    }
}

/** Object reference counts equal the capabilities naming each object; arena counts agree. */
static bool refs_ok(const struct cap_space *space)
{
    /* At most CAP_TOTAL_SLOTS capabilities name one object: fits in 16 bits (cap.h). */
    uint16_t named[OBJ_TOTAL_SLOTS];
    count_names(space, named);
    for (uint32_t kind = 0; kind < OBJECT_KIND_COUNT; kind++) {
        uint32_t live = 0;
        for (uint32_t i = 0; i < obj_capacity(kind); i++) {
            struct obj_ref ref = {.kind = kind, .index = i, .generation = 0};
            const struct obj_slot *s = obj_slot_of(&space->objects, ref);
            bool zombie = s->state == OBJ_SLOT_ZOMBIE;
            if (s->generation == 0 || s->state > OBJ_SLOT_ZOMBIE ||
                s->refs != named[obj_position(ref)] || (zombie && s->refs == 0) ||
                (s->state == OBJ_SLOT_FREE && s->refs != 0)) {
                return false;
            }
            live += s->state == OBJ_SLOT_LIVE;
        }
        if (live != obj_count(&space->objects, kind)) {
            return false;
        }
    }
    return true;
}

status_t cap_check_invariants(const struct cap_space *space)
{
    uint32_t used = 0;
    if (space == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (!slots_ok(space, &used) || !acyclic(space, used) || !refs_ok(space)) {
        return STATUS_BAD_FORMAT;
    }
    return STATUS_OK;
}
