#pragma once

/**
 * Capability tables and the derivation tree.
 *
 * A capability names a kernel object (struct obj_ref) with a set of rights.
 * Each task has one table of CAP_TABLE_SLOTS slots; a handle
 * (kernel/abi/handle.h) is a slot index and the slot's generation. A slot's
 * generation starts at 1 and goes up (UINT32_MAX wraps to 1) each time the
 * slot is emptied, so handles to a deleted, moved or revoked capability go
 * stale.
 *
 * All tables live in one struct cap_space, with the object arena, so that
 * the derivation tree can cross tables. A capability's position is
 * table * CAP_TABLE_SLOTS + slot, and CAP_NIL (-1) is no position. Each
 * capability records its parent and its children form a doubly linked list
 * (first_child, next_sibling, prev_sibling). Roots (capabilities made by
 * cap_insert_new, or orphaned by a delete) have no siblings.
 *
 * Tree invariants (cap_check_invariants checks them all):
 *  - a child's rights are a subset of its parent's (rights only narrow);
 *  - only endpoint capabilities carry a badge (not 0), and a child of a
 *    badged capability carries its parent's badge (a badge is fixed once
 *    set: derive, copy and move keep it, cap_badge sets it only on an
 *    unbadged one);
 *  - links are consistent and name used slots, and the tree has no cycle:
 *    a new capability is only ever added as a leaf, and moves and deletes
 *    only splice links, so no operation can make one;
 *  - each object's reference count equals the capabilities naming it, and
 *    each capability names a live object or a zombie (obj.h).
 *
 * Policies:
 *  - cap_delete removes one capability and re-parents its children to its
 *    parent (in its place among the siblings), or makes them roots; only
 *    cap_revoke deletes a subtree.
 *  - Deleting the last capability naming an object destroys the object.
 *  - A capability whose object was destroyed (a zombie's) can still be
 *    deleted, revoked and its table emptied, but not looked up, derived or
 *    transferred (STATUS_STALE_HANDLE).
 *
 * What depends on a capability: the kernel makes records through a
 * capability that must live exactly as long as it (a mapping made through a
 * frame capability, a watch made through a task or notification
 * capability). kernel/cap knows nothing of them; it tells its caller each
 * capability it removes (cap_delete, cap_revoke, cap_delete_table) and each
 * one it moves (cap_transfer with move), through the hooks the caller set
 * with cap_space_set_hooks, so that the caller ends or rehomes those
 * records before the call returns. A copy (cap_transfer without move) and a
 * derive make a new capability, on which nothing depends yet.
 *
 * Every operation checks everything first and then changes state in a step
 * that cannot fail: on error nothing changes. Walks are iterative and
 * bounded by the number of slots. No global state, no allocation, no
 * locking: the caller serialises calls on one space.
 */

#include <stdbool.h>
#include <stdint.h>

#include "kernel/obj/obj.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CAP_TABLE_SLOTS
#define CAP_TABLE_SLOTS 64
#endif
#ifndef CAP_MAX_TABLES
#define CAP_MAX_TABLES 64
#endif
/** Capability slots in a space. */
#define CAP_TOTAL_SLOTS (CAP_TABLE_SLOTS * CAP_MAX_TABLES)
/** No position (no parent, no child, no sibling). */
#define CAP_NIL (-1)

_Static_assert(CAP_TABLE_SLOTS <= HANDLE_SLOT_MASK + 1, "a slot index must fit in a handle");
_Static_assert(CAP_TOTAL_SLOTS <= UINT16_MAX, "capability counts are kept in 16 bits");

/** One capability slot. Every field but generation is 0 / CAP_NIL when the slot is empty. */
struct cap {
    struct obj_ref object;
    rights_t rights;
    /** Handle generation of the slot; never 0. */
    uint32_t generation;
    /** 1 when the slot holds a capability, else 0. */
    uint32_t used;
    /** Positions (table * CAP_TABLE_SLOTS + slot) or CAP_NIL. */
    int32_t parent;
    int32_t first_child;
    int32_t next_sibling;
    int32_t prev_sibling;
    /** The badge (endpoints only; cap_badge), 0 for none. */
    uint64_t badge;
};

_Static_assert(sizeof(struct cap) == 48, "struct cap has no padding");

/** A task's capability table. */
struct cap_table {
    struct cap slots[CAP_TABLE_SLOTS];
    /** Used slots. */
    uint32_t used;
};

struct cap_space;

/**
 * What kernel/cap reports to its caller. Function pointers, not link-time
 * symbols: kernel/cap is used alone (its tests, the IPC tests, the fuzzer)
 * as well as under kernel/syscall, and only the latter has records to end.
 * Each hook gets the space (the caller finds its own state from it) and
 * must not change the space; it cannot fail.
 */
struct cap_hooks {
    /**
     * The capability at pos is about to be removed: called while it is
     * still in place (object and rights readable with cap_at_pos), before
     * its object reference is dropped.
     */
    void (*removed)(struct cap_space *space, int32_t pos);
    /** The capability at from now lies at to (from is already empty). */
    void (*moved)(struct cap_space *space, int32_t from, int32_t to);
};

/** Every capability table and the object arena. Fields private to kernel/cap. */
struct cap_space {
    struct cap_table tables[CAP_MAX_TABLES];
    struct obj_arena objects;
    /** What to tell the caller (cap_space_set_hooks), or NULL: nothing. */
    const struct cap_hooks *hooks;
};

/** Empties every table and the object arena; no hooks. */
void cap_space_init(struct cap_space *space);

/**
 * Sets the hooks every later removal and move reports to (NULL: none). The
 * hooks struct must outlive the space (a static const one).
 */
void cap_space_set_hooks(struct cap_space *space, const struct cap_hooks *hooks);

/** The position of a used capability (one cap_lookup returned), or CAP_NIL. */
int32_t cap_position(const struct cap_space *space, const struct cap *c);

/** The used capability at a position, or NULL (out of range, empty slot). */
const struct cap *cap_at_pos(const struct cap_space *space, int32_t pos);

/**
 * Finds the capability handle names in a table and checks that it may be
 * used: its object is live, of the given kind (any kind for OBJECT_NONE),
 * and it has every right in needed. Returns STATUS_INVALID_ARGUMENT (null
 * pointer, table out of range), STATUS_BAD_HANDLE (reserved bits set,
 * generation 0, slot out of range, empty slot), STATUS_STALE_HANDLE
 * (generation older than the slot's, or the object was destroyed),
 * STATUS_WRONG_KIND or STATUS_MISSING_RIGHT. Changes nothing.
 */
status_t cap_lookup(struct cap_space *space, uint32_t table, handle_t handle, uint32_t kind,
                    rights_t needed, struct cap **out);

/**
 * cap_lookup, inlined into its caller by force: for the measured hot paths
 * only (the IPC fast path and the notification calls reach it through
 * syscall_lookup_index and syscall_lookup_endpoint). Everything else calls
 * cap_lookup, one copy out of line.
 */
status_t cap_lookup_inline(struct cap_space *space, uint32_t table, handle_t handle, uint32_t kind,
                           rights_t needed, struct cap **out);

/**
 * Puts a root capability for a live object in a table, taking a reference
 * on the object; *out is its handle. Returns STATUS_INVALID_ARGUMENT (null
 * pointer, table out of range, rights outside RIGHTS_ALL, object reference
 * out of range), STATUS_STALE_HANDLE (the object is not live) or
 * STATUS_TABLE_FULL. On error nothing changes.
 */
status_t cap_insert_new(struct cap_space *space, uint32_t table, struct obj_ref obj,
                        rights_t rights, handle_t *out);

/**
 * Derives a child with new_rights from a capability with RIGHT_DERIVE, in
 * the same table. Errors as cap_lookup, STATUS_MISSING_RIGHT also when
 * new_rights is not a subset of the source's rights, and STATUS_TABLE_FULL.
 * On error nothing changes.
 */
status_t cap_derive(struct cap_space *space, uint32_t table, handle_t handle, rights_t new_rights,
                    handle_t *out);

/**
 * Derives a badged child of an unbadged endpoint capability with
 * RIGHT_DERIVE, as cap_derive does (same table, new_rights a subset): the
 * child carries badge, which nothing changes afterwards. Errors as
 * cap_derive, with STATUS_WRONG_KIND for any other kind than an endpoint,
 * STATUS_INVALID_ARGUMENT for badge 0, and STATUS_BAD_STATE when the
 * capability carries a badge already. On error nothing changes.
 */
status_t cap_badge(struct cap_space *space, uint32_t table, handle_t handle, rights_t new_rights,
                   uint64_t badge, handle_t *out);

/**
 * Passes a capability with RIGHT_GRANT to another table (the IPC
 * primitive). A copy is a new child of the source with the same rights; a
 * move empties the source slot (its handle goes stale) and keeps the
 * capability's place in the derivation tree; it is reported to the moved
 * hook, since what depended on the capability lives on with it. *out is the handle in
 * to_table. Errors as cap_lookup, or STATUS_INVALID_ARGUMENT (to_table out
 * of range), STATUS_TABLE_FULL (to_table full). On error nothing changes.
 */
status_t cap_transfer(struct cap_space *space, uint32_t from_table, handle_t handle,
                      uint32_t to_table, bool move, handle_t *out);

/**
 * Deletes one capability (whose object may be destroyed already); its
 * children move to its parent. Reported to the removed hook. Drops its object reference, destroying
 * the object if it was the last. Errors as cap_lookup's first three. On error nothing changes.
 */
status_t cap_delete(struct cap_space *space, uint32_t table, handle_t handle);

/**
 * Deletes every capability derived from one with RIGHT_REVOKE, transitively
 * and in every table; the capability itself stays. Each one deleted is
 * reported to the removed hook, leaves first. Errors as cap_lookup
 * (except that the object may be destroyed). On error nothing changes.
 */
status_t cap_revoke(struct cap_space *space, uint32_t table, handle_t handle);

/**
 * Deletes every capability of a table, as cap_delete would one by one (for
 * task destruction). Returns STATUS_INVALID_ARGUMENT for a null space or a
 * table out of range.
 */
status_t cap_delete_table(struct cap_space *space, uint32_t table);

/** Used slots of a table (0 for a table out of range). */
uint32_t cap_table_count(const struct cap_space *space, uint32_t table);

/**
 * Checks every invariant listed above, and the object arena's own counts.
 * Returns STATUS_OK, or STATUS_BAD_FORMAT on the first broken one.
 * For tests and the fuzzer: it walks the whole space. Uses about
 * 2 * OBJ_TOTAL_SLOTS bytes of stack.
 */
status_t cap_check_invariants(const struct cap_space *space);

#ifdef __cplusplus
}
#endif
