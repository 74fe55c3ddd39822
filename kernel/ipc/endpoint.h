#pragma once

/**
 * Synchronous endpoints: send, recv, call, reply, reply+recv.
 *
 * Each of the IPC_MAX_ENDPOINTS endpoints in a struct ipc has a queue of
 * blocked senders (and callers) and a queue of blocked receivers, each
 * ordered by scheduler priority (taken when the task queues), FIFO among
 * equals. A task's message is tasks[id].msg (ipc.h): the caller fills it
 * before send, call or reply; a receive overwrites it with the message
 * received, its handles now in the receiver's table.
 *
 * Capabilities move (cap_transfer with move) from the sender's table to the
 * receiver's; a task's table index is its id. Every one needs RIGHT_GRANT;
 * a message is refused whole, with nothing moved, when one fails to look
 * up, lacks the right, is named twice, or the receiver does not accept that
 * many: more than its receive slots (tasks[id].recv_slots, which the
 * receiver sets before recv, reply+recv or call, as seL4's receive slots)
 * or than its table's free slots (STATUS_TABLE_FULL). A sender's
 * capabilities are checked when it sends and again when a receiver takes
 * its message; so is the endpoint capability it sent through, when its
 * caller named one (ipc_msg.via), whose badge (ipc_msg.badge) goes to the
 * receiver with the message.
 *
 * A message that cannot go to a receiver is always the sender's failure,
 * never the receiver's, so no message blocks an endpoint. Sent while a
 * receiver waits, the send or call fails at once with no effect. Queued, it
 * can also become undeliverable while its sender waits (a capability in it
 * deleted or revoked by another task, its object destroyed). When a
 * receiver (ipc_recv, or the receive half of ipc_reply_recv) takes a
 * message, each sender at the head whose message cannot go to it (its own
 * side fails, or its capabilities do not fit this receiver) leaves the
 * queue and is woken with that error as its wake_status, its capabilities
 * still in its table; a caller's call fails the same way and it does not
 * wait for a reply. The receive goes on with the next sender, or blocks
 * when none is left, and succeeds. Each step drops one sender, so the queue
 * length bounds it. A receiver whose table is full thus gets the next
 * message without capabilities; a client that fills a server's table fails
 * its own calls, and every other client is still served.
 *
 * After a receiver takes a call, it holds a one-shot reply right
 * (tasks[r].reply_to) and the caller waits for the reply (IPC_WAIT_REPLY).
 * A task holding a reply right must reply (or ipc_reply_recv) before it
 * receives again.
 *
 * Blocking calls return STATUS_OK when they block; the outcome arrives on
 * wake (ipc.h). Every call checks everything first and on error changes
 * nothing: not the ipc state, the scheduler or the capability space.
 *
 * Deadlines (tasks[id].deadline, ipc.h): when it has passed (at or before
 * ipc.now), a call that would wait returns STATUS_TIMED_OUT with no effect,
 * after every other check: ipc_call always (it waits for its reply), and
 * ipc_send and ipc_recv when no receiver, or no deliverable sender, waits;
 * ipc_reply_recv makes its reply, then returns STATUS_TIMED_OUT if its
 * receive would wait. One that passes while the task waits is
 * ipc_timeouts_expire's (ipc.h): a caller whose message was received takes
 * the replier's reply right with it, so that replier's ipc_reply fails with
 * STATUS_BAD_HANDLE, as for a destroyed caller.
 */

#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sends tasks[sender].msg on endpoint ep. A receiver waits: the first one
 * gets the message and is unblocked, the sender keeps running. Otherwise the
 * sender blocks in the senders queue. Errors, with no effect:
 * STATUS_INVALID_ARGUMENT (null ipc or sched, ep or sender out of range,
 * sender not READY or RUNNING or already waiting, word_count or cap_count
 * too large, caps null while cap_count > 0, a handle named twice),
 * cap_lookup's errors for a capability (STATUS_MISSING_RIGHT without
 * RIGHT_GRANT), STATUS_TABLE_FULL (the waiting receiver does not accept that
 * many: its receive slots or its free table slots), STATUS_TIMED_OUT (no
 * receiver waits and the sender's deadline has passed).
 */
status_t ipc_send(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                  uint32_t sender);

/**
 * Receives on endpoint ep, accepting tasks[receiver].recv_slots
 * capabilities. Queued senders whose message cannot go to receiver are
 * dropped first, each woken with its error (see above). Then, if a sender
 * waits, the first one's message goes to tasks[receiver].msg; a plain
 * sender is unblocked, a caller now waits for the reply and receiver holds
 * its reply right. Otherwise the receiver blocks in the receivers queue.
 * Errors, with no effect (no sender dropped either):
 * STATUS_INVALID_ARGUMENT (null ipc or sched, ep or receiver out of range,
 * receiver not READY or RUNNING or already waiting, or holding a reply
 * right, caps null while a queued message carries capabilities),
 * STATUS_TIMED_OUT (no queued message can go to it and its deadline has
 * passed).
 */
status_t ipc_recv(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                  uint32_t receiver);

/**
 * Sends as ipc_send, then waits for the reply: the caller always blocks.
 * When a receiver waits, it gets the message and the reply right at once.
 * The reply arrives in tasks[caller].msg. Errors as ipc_send, and
 * STATUS_TIMED_OUT whenever the caller's deadline has passed.
 */
status_t ipc_call(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                  uint32_t caller);

/**
 * Replies with tasks[replier].msg to the caller whose reply right replier
 * holds, once: the caller gets the message and is unblocked, the right is
 * used up. Errors, with no effect: STATUS_INVALID_ARGUMENT (null ipc or
 * sched, replier out of range, not READY or RUNNING, or waiting),
 * STATUS_BAD_HANDLE (no reply right: never received a call, replied
 * already, or the caller was destroyed), and the message errors of ipc_send.
 */
status_t ipc_reply(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t replier);

/**
 * ipc_reply, then ipc_recv on ep, as one call: either both happen or, on
 * error, neither. The reply is all or nothing: a bad reply message fails
 * the call, whatever the senders. The receive half drops queued senders
 * whose message cannot go as ipc_recv does, after the reply (which may
 * free slots of task's table). Errors as ipc_reply and ipc_recv, but
 * STATUS_TIMED_OUT comes after the reply was made (the deadline bounds
 * the receive only).
 */
status_t ipc_reply_recv(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                        uint32_t task);

/**
 * The fast path of ipc_call (kernel/syscall/run.h), for a message with no
 * capability, which the caller's side passes on itself, register to
 * register, accepting none in the reply (caller's recv_slots becomes 0):
 * when a receiver waits on ep and the scheduler would run it next
 * (sched_handoff), the receiver holds the reply right and runs (RUNNING,
 * current) and caller waits for the reply: byte for byte what ipc_call and
 * sched_pick_next would do, but that both message buffers are left as they
 * were. The caller has no deadline (tasks[caller].deadline 0, as for
 * any task that waits on nothing); the receiver's ends. Returns the
 * receiver; otherwise IPC_NO_TASK with no effect (ipc_call decides then,
 * its errors included).
 */
int32_t ipc_call_fast(struct ipc *ipc, struct sched *s, uint32_t ep, uint32_t caller);

/**
 * The fast path of ipc_reply_recv, for a reply with no capability, passed
 * on by task's side as for ipc_call_fast, and a receive accepting none
 * (task's recv_slots becomes 0): when task holds a reply right,
 * nobody waits on ep (no sender, no other receiver: the server is alone on
 * it) and the scheduler would run the caller next, the
 * caller runs (RUNNING, current) and task waits on ep: byte for byte what
 * ipc_reply_recv and sched_pick_next would do, but that both message
 * buffers are left as they were. Returns the caller; otherwise IPC_NO_TASK
 * with no effect (ipc_reply_recv decides then).
 */
int32_t ipc_reply_recv_fast(struct ipc *ipc, struct sched *s, uint32_t ep, uint32_t task);

/**
 * Destroys endpoint ep: every queued sender, caller and receiver is woken
 * with STATUS_OBJECT_DESTROYED and both queues are emptied; the index is
 * free for reuse. Callers already received keep waiting for their reply.
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT.
 */
status_t ipc_endpoint_destroy(struct ipc *ipc, struct sched *s, uint32_t ep);

#ifdef __cplusplus
}
#endif
