#pragma once

/**
 * IPC state shared by endpoints (endpoint.h) and notifications
 * (notification.h): each task's message buffer and what it waits on.
 *
 * Tasks are named by their scheduler id (0 .. SCHED_MAX_ENTITIES-1), which
 * is also the index of their capability table in the struct cap_space. A
 * task waits on at most one thing at a time, so one pair of queue links per
 * task serves every wait queue (an endpoint's senders or receivers, a
 * notification's waiters); queues are linked by id, -1 at the ends.
 *
 * Invariant (ipc_check_invariants): a task whose wait is not IPC_WAIT_NONE
 * is BLOCKED in the scheduler, and a waiting task is in exactly the queue of
 * what it waits on (a task waiting for a reply is in no queue: the replier's
 * reply_to names it). Whoever takes a BLOCKED task out of the scheduler by
 * another path (fault, exit, removal) calls ipc_task_destroy first.
 *
 * A blocking call returns STATUS_OK when it blocked; the outcome arrives
 * when the task is woken: tasks[id].wake_status (STATUS_OK,
 * STATUS_OBJECT_DESTROYED, or for a sender or caller the error its queued
 * message met when a receiver came: endpoint.h) and, on success, the
 * message in tasks[id].msg or the signal bits in tasks[id].bits.
 *
 * Deadlines: a blocking call whose tasks[id].deadline is not 0 waits at
 * most until the counter reaches it (ipc_timeouts_expire, which the caller
 * runs as time passes); a deadline at or before ipc.now makes the call
 * return STATUS_TIMED_OUT at once, with no effect, where it would block
 * (endpoint.h, notification.h say where). No global
 * state, no allocation, no locking: the caller serialises calls (IRQs
 * masked).
 */

#include <stdint.h>

#include "kernel/sched/sched.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Endpoints, indexed 0 .. IPC_MAX_ENDPOINTS-1. */
#define IPC_MAX_ENDPOINTS 128
/** Notifications, indexed 0 .. IPC_MAX_NOTIFICATIONS-1. */
#define IPC_MAX_NOTIFICATIONS 128
/** Data words a message carries (x2-x5 at the system call ABI). */
#define IPC_MSG_WORDS 4
/** Capabilities a message carries (x6-x7 at the system call ABI). */
#define IPC_MSG_CAPS 2
/** No task (queue ends, no reply target). */
#define IPC_NO_TASK (-1)

/** What a task waits on (uint32_t in struct ipc_task). */
enum ipc_wait {
    IPC_WAIT_NONE = 0,
    /** Queued as a sender on endpoint wait_object (ipc_send). */
    IPC_WAIT_SEND,
    /** Queued as a sender on endpoint wait_object, then waits for a reply (ipc_call). */
    IPC_WAIT_CALL,
    /** Queued as a receiver on endpoint wait_object. */
    IPC_WAIT_RECV,
    /** Received by task wait_object, waiting for its reply. */
    IPC_WAIT_REPLY,
    /** Queued as a waiter on notification wait_object. */
    IPC_WAIT_NOTIFY,
    IPC_WAIT_COUNT,
};

/**
 * A message: a label, word_count data words and cap_count capability
 * handles (in the sender's table when sent, in the receiver's when
 * received), and the badge of the endpoint capability it was sent
 * through. The label is opaque here; messages from the system call ABI
 * carry 48 bits of it. No padding, so messages compare with memcmp.
 */
struct ipc_msg {
    uint64_t label;
    uint64_t words[IPC_MSG_WORDS];
    uint32_t word_count;
    uint32_t cap_count;
    handle_t caps[IPC_MSG_CAPS];
    /**
     * Sent: the badge of the capability `via` names (0 for none), which
     * the sender's caller (kernel/syscall) read from it; received: the
     * sender's, passed on as it is. The sender never chooses it.
     */
    uint64_t badge;
    /**
     * Sent: the endpoint capability (a handle in the sender's table) the
     * message goes through, checked again (kind endpoint, RIGHT_SEND) when
     * a receiver takes a queued message, as its capabilities are; or
     * HANDLE_NONE: nothing to check (a reply, or a caller that looked no
     * capability up). Received: HANDLE_NONE.
     */
    handle_t via;
};

/** One task's IPC state. */
struct ipc_task {
    /**
     * Outgoing message before send/call/reply; the received one after recv
     * or a reply. Scratch between calls: the fast paths (endpoint.h) pass
     * messages register to register and leave it alone.
     */
    struct ipc_msg msg;
    /** An enum ipc_wait. */
    uint16_t wait;
    /**
     * Receive slots: how many capabilities (0 .. IPC_MSG_CAPS) this task
     * accepts in the next message it receives (recv, the receive half of
     * reply+recv, the reply to a call). Set by the caller before those
     * calls, as msg; IPC_MSG_CAPS after ipc_init. A message with more
     * capabilities than this, or than the free slots of its table, fails
     * its sender (endpoint.h).
     */
    uint16_t recv_slots;
    /** Endpoint or notification index, or the replier's id for IPC_WAIT_REPLY. */
    uint32_t wait_object;
    /** The outcome of the last blocking call, set when the task is woken. */
    status_t wake_status;
    /** The caller this task holds the one-shot reply right for, or IPC_NO_TASK. */
    int32_t reply_to;
    /** Wait queue links (ids), IPC_NO_TASK at the ends and when in no queue. */
    int32_t next;
    int32_t prev;
    /** Signal bits delivered by the last notification wait or poll. */
    uint64_t bits;
    /**
     * The absolute deadline (counter ticks, 0: none) of the task's next
     * blocking call, set by the caller before it as msg; it stays while
     * the task waits and is 0 whenever the task waits on nothing
     * (ipc_wake, the fast paths, ipc_timeouts_expire and ipc_task_destroy
     * clear it; the caller clears it after a call that did not block).
     */
    uint64_t deadline;
    /**
     * 0, unused: the struct is 128 bytes, a power of two, so that the fast
     * paths index tasks[] with one shift (IPC round trip 476 -> 470
     * instructions against 104 bytes and a multiply).
     */
    uint64_t reserved[1];
};

/** A FIFO (per priority, for endpoints) of waiting task ids. */
struct ipc_queue {
    int32_t head;
    int32_t tail;
};

/** A notification: pending signal bits and its waiters (plain FIFO). */
struct ipc_notification {
    uint64_t pending;
    struct ipc_queue waiters;
};

/** A synchronous endpoint: blocked senders (and callers), blocked receivers. */
struct ipc_endpoint {
    struct ipc_queue senders;
    struct ipc_queue receivers;
};

/** All IPC state; fields private to kernel/ipc (declared for placement and tests). */
struct ipc {
    struct ipc_task tasks[SCHED_MAX_ENTITIES];
    struct ipc_notification notifications[IPC_MAX_NOTIFICATIONS];
    struct ipc_endpoint endpoints[IPC_MAX_ENDPOINTS];
    /**
     * The counter's value at the call being made, set by the caller before
     * a call with a deadline: a deadline at or before it has passed.
     */
    uint64_t now;
};

_Static_assert(sizeof(struct ipc_msg) == 80, "struct ipc_msg has no padding");
_Static_assert(sizeof(struct ipc_task) == 128, "struct ipc_task has no padding");

/** Sets up ipc: no task waits, no reply right, every queue empty, no bit pending. */
void ipc_init(struct ipc *ipc);

/**
 * Forgets a task that is being destroyed (call before sched_remove): it
 * leaves any queue it is in, a replier holding its reply right loses it, and
 * the caller it holds a reply right for is woken with
 * STATUS_OBJECT_DESTROYED. Returns STATUS_OK; with no effect:
 * STATUS_INVALID_ARGUMENT for a null pointer or an id out of range.
 */
status_t ipc_task_destroy(struct ipc *ipc, struct sched *s, uint32_t task);

/**
 * Times out every waiting task whose deadline is at or before now: each
 * leaves the queue it is in (a caller already received takes the
 * replier's reply right with it, as ipc_task_destroy) and is woken with
 * STATUS_TIMED_OUT. *next (if not NULL) gets the earliest deadline still
 * pending, or 0 when no waiting task has one. Returns how many tasks timed
 * out. Never fails: a null ipc or sched is a broken caller (CHECK).
 */
uint32_t ipc_timeouts_expire(struct ipc *ipc, struct sched *s, uint64_t now, uint64_t *next);

/**
 * Checks every invariant (for tests and fuzzers): queue links consistent,
 * acyclic and each waiting task in exactly the queue of what it waits on,
 * endpoint queues ordered by priority, waiting tasks BLOCKED, reply rights
 * and IPC_WAIT_REPLY matching one to one, no deadline on a task that waits
 * on nothing (so run it between calls, not between setting one and the
 * call). Returns STATUS_OK or
 * STATUS_BAD_FORMAT. Changes nothing.
 */
status_t ipc_check_invariants(const struct ipc *ipc, const struct sched *s);

#ifdef __cplusplus
}
#endif
