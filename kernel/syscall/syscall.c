/** System call dispatch: the checks every call shares, then one handler per number. */

#include "kernel/syscall/syscall.h"

#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/ipc.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall_priv.h"

#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

void kernel_state_init(struct kernel_state *k)
{
    CHECK(k != 0);
    cap_space_init(&k->caps);
    sched_init(&k->sched);
    ipc_init(&k->ipc);
    k->current = KERNEL_NO_TASK;
}

/** Whether k->current names a task that can be making a call: READY or RUNNING. */
static int current_task(const struct kernel_state *k, uint32_t *task)
{
    if (k->current < 0 || k->current >= SCHED_MAX_ENTITIES) {
        return 0;
    }
    enum sched_entity_state st = sched_state(&k->sched, (uint32_t)k->current);
    if (st != SCHED_READY && st != SCHED_RUNNING) {
        return 0;
    }
    *task = (uint32_t)k->current;
    return 1;
}

/** SYS_YIELD: the running task goes to the tail of its queue. Cannot fail. */
static status_t syscall_yield(struct kernel_state *k, uint32_t task)
{
    // A READY (not running) current task is already queued: nothing to do.
    if (sched_current(&k->sched) == (int32_t)task) {
        sched_yield_current(&k->sched);
    }
    return STATUS_OK;
}

/**
 * SYS_EXIT: the task leaves every IPC relation (a caller waiting for its
 * reply is woken with STATUS_OBJECT_DESTROYED) and becomes EXITED. Its
 * capability table stays until the task object is torn down (later issue).
 */
static status_t syscall_exit(struct kernel_state *k, uint32_t task)
{
    CHECK(ipc_task_destroy(&k->ipc, &k->sched, task) == STATUS_OK);
    CHECK(sched_set_exited(&k->sched, task) == STATUS_OK);
    return STATUS_OK;
}

/*
 * Privileged calls (task and address-space creation, mapping, power-off)
 * are not here yet. They will take numbers from a separate, compile-time
 * whitelist (a const table of allowed numbers checked with _Static_assert),
 * reached only through a capability with RIGHT_CONTROL on the kernel.
 */

/**
 * Runs the handler of a checked number. A switch, not a table of function
 * pointers (STYLE rule 9): the set of calls is fixed at link time.
 */
static status_t syscall_invoke(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    switch (regs->number) {
    case SYS_YIELD:
        return syscall_yield(k, task);
    case SYS_EXIT:
        return syscall_exit(k, task);
    case SYS_CAP_DERIVE:
        return syscall_cap_derive(k, task, regs);
    case SYS_CAP_DELETE:
        return syscall_cap_delete(k, task, regs);
    case SYS_CAP_REVOKE:
        return syscall_cap_revoke(k, task, regs);
    case SYS_NOTIFY_SIGNAL:
        return syscall_notify_signal(k, task, regs);
    case SYS_NOTIFY_WAIT:
        return syscall_notify_wait(k, task, regs);
    case SYS_NOTIFY_POLL:
        return syscall_notify_poll(k, task, regs);
    case SYS_SEND:
        return syscall_ipc_send(k, task, regs);
    case SYS_CALL:
        return syscall_ipc_call(k, task, regs);
    case SYS_RECV:
        return syscall_ipc_recv(k, task, regs);
    case SYS_REPLY:
        return syscall_ipc_reply(k, task, regs);
    case SYS_REPLY_RECV:
        return syscall_ipc_reply_recv(k, task, regs);
    default:
        return STATUS_UNKNOWN_SYSCALL;
    }
}

void syscall_dispatch(struct kernel_state *k, struct syscall_regs *regs)
{
    CHECK(k != 0 && regs != 0);
    status_t st;
    uint32_t task = 0;
    if (regs->number >= SYS_COUNT) {
        st = STATUS_UNKNOWN_SYSCALL;
    } else if (!current_task(k, &task)) {
        st = STATUS_NO_CURRENT_TASK;
    } else {
        st = syscall_invoke(k, task, regs);
    }
    // status_t is signed; the register holds its zero-extended 32-bit value.
    regs->x[0] = (uint64_t)(uint32_t)st;
}

status_t syscall_lookup_index(struct kernel_state *k, uint32_t task, uint64_t handle, uint32_t kind,
                              rights_t needed, uint32_t *index)
{
    struct cap *c = 0;
    status_t st = cap_lookup(&k->caps, task, (handle_t)handle, kind, needed, &c);
    if (st != STATUS_OK) {
        return st;
    }
    *index = c->object.index;
    return STATUS_OK;
}
