/** Notification calls: signal, wait, poll. */

#include <stdint.h>

#include "kernel/check/check.h"
#include "kernel/ipc/notification.h"
#include "kernel/syscall/syscall_priv.h"

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

/** x0 notification handle (RIGHT_SEND), x1 bits. */
status_t syscall_notify_signal(struct kernel_state *k, uint32_t task,
                               const struct syscall_regs *regs)
{
    uint32_t id = 0;
    status_t st = syscall_lookup_index(k, task, regs->x[0], OBJECT_NOTIFICATION, RIGHT_SEND, &id);
    if (st != STATUS_OK) {
        return st;
    }
    CHECK(ipc_notify_signal(&k->ipc, &k->sched, id, regs->x[1]) == STATUS_OK);
    return STATUS_OK;
}

/** x0 notification handle (RIGHT_RECV) -> x1 bits, unless the task blocked. */
status_t syscall_notify_wait(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    uint32_t id = 0;
    status_t st = syscall_lookup_index(k, task, regs->x[0], OBJECT_NOTIFICATION, RIGHT_RECV, &id);
    if (st != STATUS_OK) {
        return st;
    }
    // The current task is READY or RUNNING, so it waits on nothing: the
    // only errors left are INVALID_ARGUMENT, which cannot happen, and a
    // deadline that has passed (x9).
    syscall_deadline_begin(k, task, regs);
    st = ipc_notify_wait(&k->ipc, &k->sched, id, task);
    syscall_deadline_end(k, task);
    CHECK(st == STATUS_OK || st == STATUS_TIMED_OUT);
    if (st == STATUS_OK && k->ipc.tasks[task].wait == IPC_WAIT_NONE) {
        regs->x[1] = k->ipc.tasks[task].bits;
    }
    return st;
}

/** x0 notification handle (RIGHT_RECV) -> x1 bits; STATUS_WOULD_BLOCK when none. */
status_t syscall_notify_poll(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    uint32_t id = 0;
    status_t st =
        syscall_lookup_index_slow(k, task, regs->x[0], OBJECT_NOTIFICATION, RIGHT_RECV, &id);
    if (st != STATUS_OK) {
        return st;
    }
    st = ipc_notify_poll(&k->ipc, &k->sched, id, task);
    CHECK(st == STATUS_OK || st == STATUS_WOULD_BLOCK);
    if (st == STATUS_OK) {
        regs->x[1] = k->ipc.tasks[task].bits;
    }
    return st;
}
