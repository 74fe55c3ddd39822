#pragma once

/**
 * Notifications: asynchronous signal bits (also how interrupts reach user
 * drivers). Each of the IPC_MAX_NOTIFICATIONS notifications in a struct ipc
 * holds pending bits and a plain FIFO of waiting tasks. Signalling ORs bits
 * in; a waiter takes every pending bit at once and clears them. Results go
 * to tasks[id].bits (see ipc.h). On error nothing changes.
 */

#include <stdint.h>

#include "kernel/ipc/ipc.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * ORs bits into notification id. If the result is not 0 and a task waits,
 * the first waiter receives every pending bit (tasks[w].bits, pending
 * cleared, wake_status STATUS_OK) and is unblocked. Returns STATUS_OK; with
 * no effect: STATUS_INVALID_ARGUMENT (null pointer, id out of range).
 */
status_t ipc_notify_signal(struct ipc *ipc, struct sched *s, uint32_t id, uint64_t bits);

/**
 * Task waits on notification id. Bits pending: they go to tasks[task].bits
 * at once and are cleared, the task keeps running. Otherwise the task
 * blocks at the tail of the waiters (ipc.h: the outcome arrives on wake).
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT (null pointer,
 * id or task out of range, task not READY or RUNNING, or already waiting),
 * STATUS_TIMED_OUT (no bit pending and the task's deadline, ipc.h, has
 * passed).
 */
status_t ipc_notify_wait(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t task);

/**
 * As ipc_notify_wait without blocking: returns STATUS_WOULD_BLOCK, with no
 * effect, when no bit is pending.
 */
status_t ipc_notify_poll(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t task);

/**
 * The fast path of ipc_notify_signal (kernel/syscall/run.h): the current
 * task task signals bits on notification id, a task waits there, and the
 * first waiter is more urgent than task and than every READY task, so the
 * scheduler would switch to it at once. Then it does what
 * ipc_notify_signal, sched_pick_next would: the waiter leaves the queue
 * with every pending bit (tasks[w].bits, pending cleared), woken with
 * STATUS_OK, and runs; task is preempted, READY (sched_preempt_to). Returns
 * the waiter; with no effect: IPC_NO_TASK, when any of that does not hold
 * (no waiter, no bit, the scheduler would not switch).
 */
int32_t ipc_notify_signal_fast(struct ipc *ipc, struct sched *s, uint32_t id, uint64_t bits,
                               uint32_t task);

/**
 * The fast path of ipc_notify_wait for the current task task, which waits
 * on nothing and has no deadline (0), when the scheduler would then leave
 * it running or pick another task at once. Bits pending: they go to
 * tasks[task].bits and are cleared, when sched_keeps(task): returns task.
 * No bit pending: task blocks at the tail of the waiters, as
 * ipc_notify_wait, and the next task runs (sched_block_next), when one is
 * READY: returns it. Otherwise IPC_NO_TASK, with no effect.
 */
int32_t ipc_notify_wait_fast(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t task);

/**
 * Destroys notification id: every waiter is woken with
 * STATUS_OBJECT_DESTROYED, pending bits are dropped; the index is free for
 * reuse. Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT.
 */
status_t ipc_notify_destroy(struct ipc *ipc, struct sched *s, uint32_t id);

#ifdef __cplusplus
}
#endif
