#pragma once

/**
 * Kernel object arenas: the identity and lifetime of every kernel object.
 *
 * Each object kind (kernel/abi/object.h) has a fixed number of slots, set by
 * the OBJ_MAX_* defines below (overridable with -D, for tests). The arena
 * only says which slots hold an object, of which generation, and how many
 * capabilities name it; the payloads (task state, endpoint queues, ...)
 * live in arrays of the modules that own each kind, indexed by the same
 * slot index.
 *
 * A slot is in one of three states:
 *  - free: holds nothing; obj_alloc may take it.
 *  - live: holds an object. A ref {kind, index, generation} names it while
 *    generation equals the slot's generation.
 *  - zombie: the object was destroyed (obj_destroy) while capabilities still
 *    named it. Its generation was bumped, so every ref to it is stale, but
 *    the slot is not reused until those capabilities are gone (each drops its
 *    reference with obj_ref_put), so a reference count always belongs to one
 *    object.
 *
 * Reference policy: the count is the number of capabilities naming the
 * object. obj_alloc returns an object with no reference; the caller either
 * gives it a first capability (obj_ref_get) or destroys it. When the last
 * reference of a live object is dropped, the object is destroyed; when the
 * last reference of a zombie is dropped, its slot becomes free.
 *
 * Generations start at 1 and go up by one when an object is destroyed,
 * wrapping from UINT32_MAX to 1: 0 is never a valid generation.
 *
 * No global state, no allocation, no locking: the caller serialises calls
 * on one arena.
 */

#include <stdbool.h>
#include <stdint.h>

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef OBJ_MAX_TASKS
#define OBJ_MAX_TASKS 64
#endif
#ifndef OBJ_MAX_ENDPOINTS
#define OBJ_MAX_ENDPOINTS 128
#endif
#ifndef OBJ_MAX_NOTIFICATIONS
#define OBJ_MAX_NOTIFICATIONS 128
#endif
#ifndef OBJ_MAX_ADDRESS_SPACES
#define OBJ_MAX_ADDRESS_SPACES 64
#endif
#ifndef OBJ_MAX_FRAMES
#define OBJ_MAX_FRAMES 1024
#endif
#ifndef OBJ_MAX_IRQ_HANDLERS
#define OBJ_MAX_IRQ_HANDLERS 32
#endif
#ifndef OBJ_MAX_REPLIES
#define OBJ_MAX_REPLIES 64
#endif
/** There is one kernel, and one console. */
#define OBJ_MAX_KERNELS 1
#define OBJ_MAX_CONSOLES 1

/** Slots of all kinds together. */
#define OBJ_TOTAL_SLOTS                                                                            \
    (OBJ_MAX_TASKS + OBJ_MAX_ENDPOINTS + OBJ_MAX_NOTIFICATIONS + OBJ_MAX_ADDRESS_SPACES +          \
     OBJ_MAX_FRAMES + OBJ_MAX_IRQ_HANDLERS + OBJ_MAX_REPLIES + OBJ_MAX_KERNELS + OBJ_MAX_CONSOLES)

/** Slot states (uint32_t, see struct obj_slot). */
#define OBJ_SLOT_FREE 0u
#define OBJ_SLOT_LIVE 1u
#define OBJ_SLOT_ZOMBIE 2u

/** How the kernel names an object: its kind, its slot and the slot's generation. */
struct obj_ref {
    uint32_t kind;
    uint32_t index;
    uint32_t generation;
};

/** One slot of an arena. */
struct obj_slot {
    /** Generation of the live object; for a zombie, one more than its refs'. Never 0. */
    uint32_t generation;
    /** Capabilities naming the object. 0 when free; never 0 for a zombie. */
    uint32_t refs;
    /** OBJ_SLOT_FREE, OBJ_SLOT_LIVE or OBJ_SLOT_ZOMBIE. */
    uint32_t state;
};

/**
 * All arenas. Declared here so that the kernel can place it statically; the
 * fields are private to obj.c. The slots of kind k are
 * slots[base(k) .. base(k) + capacity(k)), kinds in the order of object.h.
 */
struct obj_arena {
    struct obj_slot slots[OBJ_TOTAL_SLOTS];
    /** Live objects of each kind (zombies not counted). */
    uint32_t live[OBJECT_KIND_COUNT];
    /**
     * Objects destroyed since init (wrapping). The kernel compares it with
     * the value it last saw to know when some object's own state (queues,
     * frames, tables) is left to tear down.
     */
    uint32_t destroyed;
};

/** Empties every arena; every generation becomes 1. */
void obj_arena_init(struct obj_arena *a);

/** Slots of a kind: its OBJ_MAX_* define, or 0 for OBJECT_NONE or an unknown kind. */
uint32_t obj_capacity(uint32_t kind);

/**
 * Creates an object of a kind in a free slot, with no reference; *out names it.
 * Returns STATUS_INVALID_ARGUMENT (null pointer, OBJECT_NONE, unknown kind)
 * or STATUS_NO_MEMORY (no free slot of that kind). On error nothing changes.
 */
status_t obj_alloc(struct obj_arena *a, uint32_t kind, struct obj_ref *out);

/**
 * Whether obj_alloc(a, kind, ..) would succeed now: kind is known and has a
 * free slot. Lets a caller check every step of a multi-step operation
 * before it takes anything. Changes nothing.
 */
bool obj_can_alloc(const struct obj_arena *a, uint32_t kind);

/**
 * Checks that ref names a live object, of the given kind unless kind is
 * OBJECT_NONE. Returns STATUS_INVALID_ARGUMENT (ref.kind unknown, index out
 * of range), STATUS_STALE_HANDLE (the object was destroyed, or its slot
 * reused) or STATUS_WRONG_KIND. Changes nothing.
 */
status_t obj_check(const struct obj_arena *a, struct obj_ref ref, uint32_t kind);

/**
 * Destroys a live object: its refs become stale. With no reference its slot
 * is free again at once; otherwise it stays a zombie until the last
 * capability naming it drops its reference. Errors as obj_check (with
 * OBJECT_NONE); on error nothing changes.
 */
status_t obj_destroy(struct obj_arena *a, struct obj_ref ref);

/**
 * Adds one reference (a new capability) to a live object.
 * Errors as obj_check (with OBJECT_NONE), or STATUS_NO_MEMORY if the count
 * would overflow. On error nothing changes.
 */
status_t obj_ref_get(struct obj_arena *a, struct obj_ref ref);

/**
 * Drops one reference (a capability deleted). ref may name a live object or
 * a zombie (ref.generation one below the slot's). The last reference of a
 * live object destroys it; the last of a zombie frees its slot.
 * Returns STATUS_INVALID_ARGUMENT (bad kind or index), STATUS_STALE_HANDLE
 * (ref names neither) or STATUS_NOT_ALLOCATED (no reference to drop). On
 * error nothing changes.
 */
status_t obj_ref_put(struct obj_arena *a, struct obj_ref ref);

/** Whether ref names a live object or a zombie: an object a capability may still name. */
bool obj_ref_held(const struct obj_arena *a, struct obj_ref ref);

/** The slot ref names, or NULL if ref.kind or ref.index is out of range. For invariant checks. */
const struct obj_slot *obj_slot_of(const struct obj_arena *a, struct obj_ref ref);

/** Position of ref's slot in a->slots (below OBJ_TOTAL_SLOTS); ref must be in range. */
uint32_t obj_position(struct obj_ref ref);

/** Live objects of a kind (0 for an unknown kind). */
uint32_t obj_count(const struct obj_arena *a, uint32_t kind);

/** Objects destroyed since obj_arena_init (wrapping at 2^32); 0 for a null arena. */
uint32_t obj_destroyed_count(const struct obj_arena *a);

#ifdef __cplusplus
}
#endif
