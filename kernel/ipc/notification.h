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
 * Destroys notification id: every waiter is woken with
 * STATUS_OBJECT_DESTROYED, pending bits are dropped; the index is free for
 * reuse. Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT.
 */
status_t ipc_notify_destroy(struct ipc *ipc, struct sched *s, uint32_t id);

#ifdef __cplusplus
}
#endif
