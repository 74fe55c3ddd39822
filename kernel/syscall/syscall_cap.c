/** Capability calls: derive, badge, delete, revoke. */

#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/syscall/syscall_priv.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/** x0 handle, x1 rights -> x1 new handle. */
SYSCALL_COLD status_t syscall_cap_derive(struct kernel_state *k, uint32_t task,
                                         struct syscall_regs *regs)
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

/** x0 endpoint handle, x1 rights, x2 badge (not 0) -> x1 new badged handle. */
SYSCALL_COLD status_t syscall_cap_badge(struct kernel_state *k, uint32_t task,
                                        struct syscall_regs *regs)
{
    if (regs->x[1] > (uint64_t)UINT32_MAX) {
        return STATUS_INVALID_ARGUMENT;
    }
    // cap_badge checks the badge, the handle, its kind, RIGHT_DERIVE, the
    // subset, that it has no badge yet and the room before it changes
    // anything.
    handle_t out = HANDLE_NONE;
    status_t st =
        cap_badge(&k->caps, task, (handle_t)regs->x[0], (rights_t)regs->x[1], regs->x[2], &out);
    if (st == STATUS_OK) {
        regs->x[1] = out;
    }
    return st;
}

/**
 * x0 handle. Deleting the last capability of an object destroys it; the
 * dispatcher's kernel_reap then tears down its state (an endpoint's waiters
 * wake with STATUS_OBJECT_DESTROYED, a frame is unmapped, ...).
 */
SYSCALL_COLD status_t syscall_cap_delete(struct kernel_state *k, uint32_t task,
                                         const struct syscall_regs *regs)
{
    return cap_delete(&k->caps, task, (handle_t)regs->x[0]);
}

/**
 * x0 handle (RIGHT_REVOKE). Every capability derived from one names the
 * same object (derive and transfer keep it), and the revoked capability
 * itself stays, so revoke never destroys an object: no IPC state changes.
 */
SYSCALL_COLD status_t syscall_cap_revoke(struct kernel_state *k, uint32_t task,
                                         const struct syscall_regs *regs)
{
    return cap_revoke(&k->caps, task, (handle_t)regs->x[0]);
}
