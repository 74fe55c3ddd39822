#pragma once

/** Helpers shared by the files of kernel/ipc. */

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

/** Whether id names a task that may start an IPC call: READY or RUNNING, waiting on nothing. */
bool ipc_task_can_act(const struct ipc *ipc, const struct sched *s, uint32_t id);

/** Whether task id's deadline is set (not 0) and at or before ipc->now: it has passed. */
bool ipc_deadline_passed(const struct ipc *ipc, uint32_t id);

/** The queue waiting task t is in, or NULL (not waiting, or waiting for a reply). */
struct ipc_queue *ipc_queue_of(struct ipc *ipc, const struct ipc_task *t);

/** Appends task id at the tail of q (a plain FIFO). */
void ipc_queue_push(struct ipc *ipc, struct ipc_queue *q, uint32_t id);

/** Inserts task id after every task of its priority or higher (FIFO per priority). */
void ipc_queue_push_prio(struct ipc *ipc, const struct sched *s, struct ipc_queue *q, uint32_t id);

/** Unlinks task id from q, which holds it. */
void ipc_queue_remove(struct ipc *ipc, struct ipc_queue *q, uint32_t id);

/**
 * ipc_queue_remove, inlined into its caller by force: for the measured hot
 * path only (a notification's signal, ipc_notify_signal). Every other
 * caller calls ipc_queue_remove.
 */
void ipc_queue_remove_inline(struct ipc *ipc, struct ipc_queue *q, uint32_t id);

/**
 * Blocks task id (READY or RUNNING, checked by the caller) waiting on
 * wait/object. The caller queues it if the wait needs a queue.
 */
void ipc_block(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t wait, uint32_t object);

/**
 * ipc_block, inlined into its caller by force: for the measured hot path
 * only (a notification's wait, ipc_notify_wait). Every other caller calls
 * ipc_block.
 */
void ipc_block_inline(struct ipc *ipc, struct sched *s, uint32_t id, uint32_t wait,
                      uint32_t object);

/** Wakes BLOCKED task id, out of any queue already, with a status. */
void ipc_wake(struct ipc *ipc, struct sched *s, uint32_t id, status_t status);

/**
 * ipc_wake, inlined into its caller by force: for the measured hot path
 * only (a notification's signal, ipc_notify_signal: the notification round
 * trip and a device interrupt). Every other waker calls ipc_wake.
 */
void ipc_wake_inline(struct ipc *ipc, struct sched *s, uint32_t id, status_t status);

/** Wakes every task of q with a status, emptying q. */
void ipc_wake_all(struct ipc *ipc, struct sched *s, struct ipc_queue *q, status_t status);

/**
 * Checks the sender's side of task from's message: word and cap counts in
 * range, caps not null when cap_count > 0 or via is set, the capability
 * via names (if not HANDLE_NONE) a live endpoint capability with
 * RIGHT_SEND in table from, and every capability distinct, live and with
 * RIGHT_GRANT in table from. Returns STATUS_OK or the error
 * (STATUS_INVALID_ARGUMENT, cap_lookup's). Changes nothing.
 */
status_t ipc_msg_check_sender(struct ipc *ipc, struct cap_space *caps, uint32_t from);

/**
 * Checks the receiver's side of task from's message, whose sender's side
 * passed: its capabilities within task to's receive slots and the free
 * slots of table to (nothing needed when to is from). Returns STATUS_OK or
 * STATUS_TABLE_FULL. Changes nothing.
 */
status_t ipc_msg_check_room(const struct ipc *ipc, const struct cap_space *caps, uint32_t from,
                            uint32_t to);

/**
 * Checks that task from's message may go to task to: ipc_msg_check_sender,
 * then ipc_msg_check_room. Returns STATUS_OK or the first error. Changes
 * nothing.
 */
status_t ipc_msg_check(struct ipc *ipc, struct cap_space *caps, uint32_t from, uint32_t to);

/** Copies task from's message to task to, moving its capabilities; ipc_msg_check passed. */
void ipc_msg_transfer(struct ipc *ipc, struct cap_space *caps, uint32_t from, uint32_t to);
