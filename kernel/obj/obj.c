#include "kernel/obj/obj.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

_Static_assert(OBJECT_KIND_COUNT == 10, "a new kind needs an OBJ_MAX_* define and a row below");

/** Slots per kind, indexed by kind (OBJECT_NONE has none). */
static const uint32_t kind_capacity[OBJECT_KIND_COUNT] = {
    [OBJECT_NONE] = 0,
    [OBJECT_TASK] = OBJ_MAX_TASKS,
    [OBJECT_ENDPOINT] = OBJ_MAX_ENDPOINTS,
    [OBJECT_NOTIFICATION] = OBJ_MAX_NOTIFICATIONS,
    [OBJECT_ADDRESS_SPACE] = OBJ_MAX_ADDRESS_SPACES,
    [OBJECT_FRAME] = OBJ_MAX_FRAMES,
    [OBJECT_IRQ_HANDLER] = OBJ_MAX_IRQ_HANDLERS,
    [OBJECT_REPLY] = OBJ_MAX_REPLIES,
    [OBJECT_KERNEL] = OBJ_MAX_KERNELS,
    [OBJECT_CONSOLE] = OBJ_MAX_CONSOLES,
};

/** First slot of each kind in obj_arena.slots: the kinds lie in the order above. */
static const uint32_t kind_base[OBJECT_KIND_COUNT] = {
    [OBJECT_NONE] = 0,
    [OBJECT_TASK] = 0,
    [OBJECT_ENDPOINT] = OBJ_MAX_TASKS,
    [OBJECT_NOTIFICATION] = OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS,
    [OBJECT_ADDRESS_SPACE] = OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS + OBJ_MAX_NOTIFICATIONS,
    [OBJECT_FRAME] =
        OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS + OBJ_MAX_NOTIFICATIONS + OBJ_MAX_ADDRESS_SPACES,
    [OBJECT_IRQ_HANDLER] = OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS + OBJ_MAX_NOTIFICATIONS +
                           OBJ_MAX_ADDRESS_SPACES + OBJ_MAX_FRAMES,
    [OBJECT_REPLY] = OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS + OBJ_MAX_NOTIFICATIONS +
                     OBJ_MAX_ADDRESS_SPACES + OBJ_MAX_FRAMES + OBJ_MAX_IRQ_HANDLERS,
    [OBJECT_KERNEL] = OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS + OBJ_MAX_NOTIFICATIONS +
                      OBJ_MAX_ADDRESS_SPACES + OBJ_MAX_FRAMES + OBJ_MAX_IRQ_HANDLERS +
                      OBJ_MAX_REPLIES,
    [OBJECT_CONSOLE] = OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS + OBJ_MAX_NOTIFICATIONS +
                       OBJ_MAX_ADDRESS_SPACES + OBJ_MAX_FRAMES + OBJ_MAX_IRQ_HANDLERS +
                       OBJ_MAX_REPLIES + OBJ_MAX_KERNELS,
};

/** The generation after g: 0 is skipped, so UINT32_MAX is followed by 1. */
static uint32_t generation_next(uint32_t g)
{
    return g == UINT32_MAX ? 1u : g + 1u;
}

/** The generation before g (the inverse of generation_next). */
static uint32_t generation_prev(uint32_t g)
{
    return g == 1u ? UINT32_MAX : g - 1u;
}

void obj_arena_init(struct obj_arena *a)
{
    for (uint32_t i = 0; i < OBJ_TOTAL_SLOTS; i++) {
        a->slots[i].generation = 1;
        a->slots[i].refs = 0;
        a->slots[i].state = OBJ_SLOT_FREE;
    }
    for (uint32_t k = 0; k < OBJECT_KIND_COUNT; k++) {
        a->live[k] = 0;
    }
    a->destroyed = 0;
}

uint32_t obj_capacity(uint32_t kind)
{
    return kind < OBJECT_KIND_COUNT ? kind_capacity[kind] : 0;
}

uint32_t obj_position(struct obj_ref ref)
{
    return kind_base[ref.kind] + ref.index;
}

const struct obj_slot *obj_slot_of(const struct obj_arena *a, struct obj_ref ref)
{
    if (a == NULL || ref.index >= obj_capacity(ref.kind)) {
        return NULL;
    }
    return &a->slots[obj_position(ref)];
}

/** The writable slot ref names, or NULL (see obj_slot_of). */
static struct obj_slot *slot_of(struct obj_arena *a, struct obj_ref ref)
{
    if (a == NULL || ref.index >= obj_capacity(ref.kind)) {
        return NULL;
    }
    return &a->slots[obj_position(ref)];
}

/* Out of line (noinline): the object-creation calls share one copy. */
__attribute__((noinline)) bool obj_can_alloc(const struct obj_arena *a, uint32_t kind)
{
    uint32_t capacity = obj_capacity(kind);
    if (a == NULL) {
        return false;
    }
    for (uint32_t i = 0; i < capacity; i++) {
        if (a->slots[kind_base[kind] + i].state == OBJ_SLOT_FREE) {
            return true;
        }
    }
    return false;
}

status_t obj_alloc(struct obj_arena *a, uint32_t kind, struct obj_ref *out)
{
    uint32_t capacity = obj_capacity(kind);
    if (a == NULL || out == NULL || capacity == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    for (uint32_t i = 0; i < capacity; i++) {
        struct obj_slot *s = &a->slots[kind_base[kind] + i];
        if (s->state == OBJ_SLOT_FREE) {
            s->state = OBJ_SLOT_LIVE;
            s->refs = 0;
            a->live[kind]++;
            *out = (struct obj_ref){.kind = kind, .index = i, .generation = s->generation};
            return STATUS_OK;
        }
    }
    return STATUS_NO_MEMORY;
}

/** The checks of obj_check on the slot ref names (NULL when out of range), kind aside. */
static inline status_t slot_check(const struct obj_slot *s, struct obj_ref ref)
{
    if (s == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (s->state != OBJ_SLOT_LIVE || s->generation != ref.generation) {
        return STATUS_STALE_HANDLE;
    }
    return STATUS_OK;
}

__attribute__((always_inline)) status_t obj_check(const struct obj_arena *a, struct obj_ref ref,
                                                  uint32_t kind)
{
    if (kind != OBJECT_NONE && kind == ref.kind) {
        // The checks below, for the kind expected: kind, unlike ref.kind, is
        // a constant where this is inlined into a caller that expects one
        // kind (the IPC fast path), and the slot's place folds with it.
        ref.kind = kind;
        return slot_check(obj_slot_of(a, ref), ref);
    }
    status_t st = slot_check(obj_slot_of(a, ref), ref);
    if (st != STATUS_OK) {
        return st;
    }
    if (kind != OBJECT_NONE && kind != ref.kind) {
        return STATUS_WRONG_KIND;
    }
    return STATUS_OK;
}

/** Invoke step of destroy: the live object in s (of ref.kind) ends. Cannot fail. */
static void destroy_live(struct obj_arena *a, struct obj_slot *s, uint32_t kind)
{
    s->generation = generation_next(s->generation);
    s->state = s->refs == 0 ? OBJ_SLOT_FREE : OBJ_SLOT_ZOMBIE;
    a->live[kind]--;
    a->destroyed++;
}

status_t obj_destroy(struct obj_arena *a, struct obj_ref ref)
{
    status_t st = obj_check(a, ref, OBJECT_NONE);
    if (st != STATUS_OK) {
        return st;
    }
    destroy_live(a, slot_of(a, ref), ref.kind);
    return STATUS_OK;
}

/* Out of line (noinline): capability insertion and derives share one copy. */
__attribute__((noinline)) status_t obj_ref_get(struct obj_arena *a, struct obj_ref ref)
{
    status_t st = obj_check(a, ref, OBJECT_NONE);
    if (st != STATUS_OK) {
        return st;
    }
    struct obj_slot *s = slot_of(a, ref);
    if (s->refs == UINT32_MAX) {
        return STATUS_NO_MEMORY;
    }
    s->refs++;
    return STATUS_OK;
}

bool obj_ref_held(const struct obj_arena *a, struct obj_ref ref)
{
    const struct obj_slot *s = obj_slot_of(a, ref);
    if (s == NULL) {
        return false;
    }
    if (s->state == OBJ_SLOT_LIVE) {
        return s->generation == ref.generation;
    }
    return s->state == OBJ_SLOT_ZOMBIE && generation_prev(s->generation) == ref.generation;
}

status_t obj_ref_put(struct obj_arena *a, struct obj_ref ref)
{
    struct obj_slot *s = slot_of(a, ref);
    if (s == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (!obj_ref_held(a, ref)) {
        return STATUS_STALE_HANDLE;
    }
    if (s->refs == 0) {
        return STATUS_NOT_ALLOCATED;
    }
    s->refs--;
    if (s->refs == 0) {
        if (s->state == OBJ_SLOT_LIVE) {
            destroy_live(a, s, ref.kind);
        } else {
            s->state = OBJ_SLOT_FREE;
        }
    }
    return STATUS_OK;
}

uint32_t obj_count(const struct obj_arena *a, uint32_t kind)
{
    if (a == NULL || kind >= OBJECT_KIND_COUNT) {
        return 0;
    }
    return a->live[kind];
}

uint32_t obj_destroyed_count(const struct obj_arena *a)
{
    return a == NULL ? 0 : a->destroyed;
}
