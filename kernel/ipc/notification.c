/* Notifications: signal bits and waiters. */

#include "kernel/ipc/notification.h"

#include <stdint.h>

#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_priv.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

/** Signals: see notification.h. */
status_t ipc_notify_signal(struct ipc *ipc, struct sched *s, uint32_t id, uint64_t bits)
{
    if (ipc == 0 || s == 0 || id >= IPC_MAX_NOTIFICATIONS) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct ipc_notification *n = &ipc->notifications[id];
    n->pending |= bits;
    if (n->pending == 0 || n->waiters.head == IPC_NO_TASK) {
        return STATUS_OK;
    }
    uint32_t waiter = (uint32_t)n->waiters.head;
    ipc_queue_remove_inline(ipc, &n->waiters, waiter);
    ipc->tasks[waiter].bits = n->pending;
    n->pending = 0;
    ipc_wake_inline(ipc, s, waiter, STATUS_OK);
    return STATUS_OK;
}

/** The checks ipc_notify_wait and ipc_notify_poll share. */
static status_t wait_check(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t task)
{
    if (ipc == 0 || s == 0 || id >= IPC_MAX_NOTIFICATIONS || !ipc_task_can_act(ipc, s, task)) {
        return STATUS_INVALID_ARGUMENT;
    }
    return STATUS_OK;
}

/** Hands every pending bit of n to task. */
static void take_bits(struct ipc *ipc, struct ipc_notification *n, uint32_t task)
{
    ipc->tasks[task].bits = n->pending;
    n->pending = 0;
}

/** Waits: see notification.h. */
status_t ipc_notify_wait(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t task)
{
    status_t st = wait_check(ipc, s, id, task);
    if (st != STATUS_OK) {
        return st;
    }
    struct ipc_notification *n = &ipc->notifications[id];
    if (n->pending != 0) {
        take_bits(ipc, n, task);
        return STATUS_OK;
    }
    if (ipc_deadline_passed(ipc, task)) {
        return STATUS_TIMED_OUT; // it would wait, and its deadline has passed: no effect
    }
    ipc_block_inline(ipc, s, task, IPC_WAIT_NOTIFY, id);
    ipc_queue_push(ipc, &n->waiters, task);
    return STATUS_OK;
}

/** Polls: see notification.h. */
status_t ipc_notify_poll(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t task)
{
    status_t st = wait_check(ipc, s, id, task);
    if (st != STATUS_OK) {
        return st;
    }
    struct ipc_notification *n = &ipc->notifications[id];
    if (n->pending == 0) {
        return STATUS_WOULD_BLOCK;
    }
    take_bits(ipc, n, task);
    return STATUS_OK;
}

/**
 * Signal fast path: see notification.h. The checks, then ipc_notify_signal's
 * effects with sched_preempt_to for sched_unblock and the pick. Inlined
 * into its caller, as the endpoint fast paths.
 */
__attribute__((always_inline)) int32_t ipc_notify_signal_fast(struct ipc *ipc, struct sched *s,
                                                              uint32_t id, uint64_t bits,
                                                              uint32_t task)
{
    if (id >= IPC_MAX_NOTIFICATIONS) {
        return IPC_NO_TASK;
    }
    struct ipc_notification *n = &ipc->notifications[id];
    int32_t w = n->waiters.head;
    uint64_t pending = n->pending | bits;
    if (w == IPC_NO_TASK || pending == 0 || sched_preempt_to(s, task, (uint32_t)w) != STATUS_OK) {
        return IPC_NO_TASK;
    }
    struct ipc_task *t = &ipc->tasks[w];
    /* w is the head: unlinking it is taking the next one up. */
    n->waiters.head = t->next;
    if (t->next == IPC_NO_TASK) {
        n->waiters.tail = IPC_NO_TASK;
    } else {
        ipc->tasks[t->next].prev = IPC_NO_TASK;
    }
    t->next = IPC_NO_TASK;
    t->bits = pending;
    n->pending = 0;
    /* As ipc_wake, but for the scheduler: sched_preempt_to woke it. */
    t->wait = IPC_WAIT_NONE;
    t->wait_object = 0;
    t->wake_status = STATUS_OK;
    t->deadline = 0;
    return w;
}

/** Wait fast path: see notification.h. The checks, then ipc_notify_wait's effects. */
__attribute__((always_inline)) int32_t ipc_notify_wait_fast(struct ipc *ipc, struct sched *s,
                                                            uint32_t id, uint32_t task)
{
    if (id >= IPC_MAX_NOTIFICATIONS || task >= SCHED_MAX_ENTITIES ||
        ipc->tasks[task].wait != IPC_WAIT_NONE || ipc->tasks[task].deadline != 0) {
        return IPC_NO_TASK;
    }
    struct ipc_notification *n = &ipc->notifications[id];
    if (n->pending != 0) {
        if (!sched_keeps(s, task)) {
            return IPC_NO_TASK;
        }
        take_bits(ipc, n, task);
        return (int32_t)task;
    }
    int32_t next = sched_block_next(s, task);
    if (next == SCHED_IDLE_ID) {
        return IPC_NO_TASK;
    }
    /* As ipc_block, but for the scheduler: sched_block_next blocked it. */
    ipc->tasks[task].wait = IPC_WAIT_NOTIFY;
    ipc->tasks[task].wait_object = id;
    ipc->tasks[task].wake_status = STATUS_OK;
    ipc_queue_push(ipc, &n->waiters, task);
    return next;
}

/** Destroys: see notification.h. */
status_t ipc_notify_destroy(struct ipc *ipc, struct sched *s, uint32_t id)
{
    if (ipc == 0 || s == 0 || id >= IPC_MAX_NOTIFICATIONS) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct ipc_notification *n = &ipc->notifications[id];
    ipc_wake_all(ipc, s, &n->waiters, STATUS_OBJECT_DESTROYED);
    n->pending = 0;
    return STATUS_OK;
}
