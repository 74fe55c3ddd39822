/** Capability calls: derive, delete, revoke. */

#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/notification.h"
#include "kernel/obj/obj.h"
#include "kernel/syscall/syscall_priv.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

/** x0 handle, x1 rights -> x1 new handle. */
status_t syscall_cap_derive(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    // Decode: rights wider than rights_t would be truncated; refuse them.
    if (regs->x[1] > (uint64_t)UINT32_MAX) {
        return STATUS_INVALID_ARGUMENT;
    }
    // cap_derive checks the handle, RIGHT_DERIVE, the subset and the room
    // before it changes anything.
    handle_t out = HANDLE_NONE;
    status_t st = cap_derive(&k->caps, task, (handle_t)regs->x[0], (rights_t)regs->x[1], &out);
    if (st == STATUS_OK) {
        regs->x[1] = out;
    }
    return st;
}

/**
 * Tears down the IPC state of an object whose last capability was just
 * deleted: its waiters wake with STATUS_OBJECT_DESTROYED. Cannot fail (the
 * index is below the arena's capacity, which fits the ipc arrays).
 */
static void destroy_ipc_object(struct kernel_state *k, struct obj_ref ref)
{
    if (ref.kind == OBJECT_ENDPOINT) {
        CHECK(ipc_endpoint_destroy(&k->ipc, &k->sched, ref.index) == STATUS_OK);
    } else if (ref.kind == OBJECT_NOTIFICATION) {
        CHECK(ipc_notify_destroy(&k->ipc, &k->sched, ref.index) == STATUS_OK);
    }
}

/** x0 handle. Deleting the last capability of an object destroys it. */
status_t syscall_cap_delete(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs)
{
    handle_t h = (handle_t)regs->x[0];
    // Decode: will this delete destroy a live object? A capability whose
    // object is gone already (a zombie's: cap_lookup says stale) may still
    // be deleted, and then there is no IPC state left to tear down.
    struct cap *c = 0;
    struct obj_ref ref = {OBJECT_NONE, 0, 0};
    int last = 0;
    if (cap_lookup(&k->caps, task, h, OBJECT_NONE, 0, &c) == STATUS_OK) {
        ref = c->object;
        const struct obj_slot *slot = obj_slot_of(&k->caps.objects, ref);
        CHECK(slot != 0 && slot->refs > 0);
        last = slot->refs == 1;
    }
    status_t st = cap_delete(&k->caps, task, h);
    if (st != STATUS_OK) {
        return st;
    }
    if (last) {
        CHECK(obj_check(&k->caps.objects, ref, OBJECT_NONE) == STATUS_STALE_HANDLE);
        destroy_ipc_object(k, ref);
    }
    return STATUS_OK;
}

/**
 * x0 handle (RIGHT_REVOKE). Every capability derived from one names the
 * same object (derive and transfer keep it), and the revoked capability
 * itself stays, so revoke never destroys an object: no IPC state changes.
 */
status_t syscall_cap_revoke(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs)
{
    return cap_revoke(&k->caps, task, (handle_t)regs->x[0]);
}
