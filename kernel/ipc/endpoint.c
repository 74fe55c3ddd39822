/* Synchronous endpoints: each call decodes (checks, no effect) then invokes (cannot fail). */

#include "kernel/ipc/endpoint.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_priv.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

/** Checks the arguments every endpoint call shares. */
static status_t args_check(struct ipc *ipc, struct sched *s, uint32_t ep, uint32_t task)
{
    if (ipc == 0 || s == 0 || ep >= IPC_MAX_ENDPOINTS || !ipc_task_can_act(ipc, s, task)) {
        return STATUS_INVALID_ARGUMENT;
    }
    return STATUS_OK;
}

/**
 * Decodes a send or call: the message must be able to go to the first
 * waiting receiver, or, with none, be valid in the sender's own table.
 * Then a deadline that has passed refuses the call if it would wait: a
 * call always waits (for its reply), a send when no receiver waits.
 */
static status_t send_check(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                           uint32_t sender, bool is_call)
{
    status_t st = args_check(ipc, s, ep, sender);
    if (st != STATUS_OK) {
        return st;
    }
    int32_t r = ipc->endpoints[ep].receivers.head;
    st = ipc_msg_check(ipc, caps, sender, r == IPC_NO_TASK ? sender : (uint32_t)r);
    if (st == STATUS_OK && (is_call || r == IPC_NO_TASK) && ipc_deadline_passed(ipc, sender)) {
        return STATUS_TIMED_OUT;
    }
    return st;
}

/** Invokes a send (call when is_call): hands over or queues; the caller always blocks. */
static void send_invoke(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                        uint32_t sender, bool is_call)
{
    struct ipc_endpoint *e = &ipc->endpoints[ep];
    if (e->receivers.head == IPC_NO_TASK) {
        ipc_block(ipc, s, sender, is_call ? IPC_WAIT_CALL : IPC_WAIT_SEND, ep);
        ipc_queue_push_prio(ipc, s, &e->senders, sender);
        return;
    }
    uint32_t r = (uint32_t)e->receivers.head;
    ipc_queue_remove(ipc, &e->receivers, r);
    ipc_msg_transfer(ipc, caps, sender, r);
    ipc_wake(ipc, s, r, STATUS_OK);
    if (is_call) {
        ipc->tasks[r].reply_to = (int32_t)sender;
        ipc_block(ipc, s, sender, IPC_WAIT_REPLY, r);
    }
}

/** Sends: see endpoint.h. */
status_t ipc_send(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                  uint32_t sender)
{
    status_t st = send_check(ipc, s, caps, ep, sender, false);
    if (st == STATUS_OK) {
        send_invoke(ipc, s, caps, ep, sender, false);
    }
    return st;
}

/** Calls: see endpoint.h. */
status_t ipc_call(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                  uint32_t caller)
{
    status_t st = send_check(ipc, s, caps, ep, caller, true);
    if (st == STATUS_OK) {
        send_invoke(ipc, s, caps, ep, caller, true);
    }
    return st;
}

/**
 * Decodes a receive by a task that holds no reply right (or will have used
 * it). No message can fail it: a sender whose message cannot go to this
 * receiver (its own side fails, or its capabilities do not fit) is dropped
 * by recv_invoke. Only a receiver without a capability space facing a
 * message with capabilities is refused (its argument, not the sender's
 * fault). Bounded by the queue length.
 */
static status_t recv_check(struct ipc *ipc, struct cap_space *caps, uint32_t ep)
{
    if (caps != 0) {
        return STATUS_OK;
    }
    uint32_t steps = 0;
    for (int32_t id = ipc->endpoints[ep].senders.head; id != IPC_NO_TASK;
         id = ipc->tasks[id].next) {
        /* Queues are acyclic (ipc_check_invariants): each task is met once at most. */
        CHECK(++steps <= SCHED_MAX_ENTITIES);
        if (ipc->tasks[id].msg.cap_count > 0) {
            return STATUS_INVALID_ARGUMENT;
        }
    }
    return STATUS_OK;
}

/**
 * Removes the senders at the head of ep's queue whose message cannot go to
 * receiver (ipc_msg_check fails: a capability deleted or revoked while it
 * waited, or more capabilities than the receiver's receive slots or free
 * table slots) and wakes each with that error, its capabilities still its
 * own; a caller among them does not wait for a reply. Stops at the first
 * deliverable message. Bounded: each step removes one task.
 */
static void recv_drop_faulty(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                             uint32_t receiver)
{
    struct ipc_queue *q = &ipc->endpoints[ep].senders;
    while (q->head != IPC_NO_TASK) {
        uint32_t sender = (uint32_t)q->head;
        status_t st = ipc_msg_check(ipc, caps, sender, receiver);
        if (st == STATUS_OK) {
            return;
        }
        ipc_queue_remove(ipc, q, sender);
        ipc_wake(ipc, s, sender, st);
    }
}

/**
 * Whether a receive by receiver on ep would take a message now rather
 * than wait: some queued sender's message can go to it (ipc_msg_check).
 * Changes nothing; bounded by the queue length.
 */
static bool recv_would_take(struct ipc *ipc, struct cap_space *caps, uint32_t ep, uint32_t receiver)
{
    uint32_t steps = 0;
    for (int32_t id = ipc->endpoints[ep].senders.head; id != IPC_NO_TASK;
         id = ipc->tasks[id].next) {
        CHECK(++steps <= SCHED_MAX_ENTITIES);
        if (ipc_msg_check(ipc, caps, (uint32_t)id, receiver) == STATUS_OK) {
            return true;
        }
    }
    return false;
}

/**
 * Invokes a receive: drops the senders at fault, then takes the first
 * remaining sender's message, or queues the receiver.
 */
static void recv_invoke(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                        uint32_t receiver)
{
    struct ipc_endpoint *e = &ipc->endpoints[ep];
    recv_drop_faulty(ipc, s, caps, ep, receiver);
    if (e->senders.head == IPC_NO_TASK) {
        ipc_block(ipc, s, receiver, IPC_WAIT_RECV, ep);
        ipc_queue_push_prio(ipc, s, &e->receivers, receiver);
        return;
    }
    uint32_t sender = (uint32_t)e->senders.head;
    ipc_queue_remove(ipc, &e->senders, sender);
    ipc_msg_transfer(ipc, caps, sender, receiver);
    if (ipc->tasks[sender].wait == IPC_WAIT_CALL) {
        /* Still BLOCKED in sched: it only changes what it waits for. */
        ipc->tasks[sender].wait = IPC_WAIT_REPLY;
        ipc->tasks[sender].wait_object = receiver;
        ipc->tasks[receiver].reply_to = (int32_t)sender;
    } else {
        ipc_wake(ipc, s, sender, STATUS_OK);
    }
}

/** Receives: see endpoint.h. */
status_t ipc_recv(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                  uint32_t receiver)
{
    status_t st = args_check(ipc, s, ep, receiver);
    if (st != STATUS_OK) {
        return st;
    }
    if (ipc->tasks[receiver].reply_to != IPC_NO_TASK) {
        return STATUS_INVALID_ARGUMENT;
    }
    st = recv_check(ipc, caps, ep);
    if (st == STATUS_OK && ipc_deadline_passed(ipc, receiver) &&
        !recv_would_take(ipc, caps, ep, receiver)) {
        st = STATUS_TIMED_OUT; // it would wait, and its deadline has passed: no effect
    }
    if (st == STATUS_OK) {
        recv_invoke(ipc, s, caps, ep, receiver);
    }
    return st;
}

/** Decodes a reply by a task that passed ipc_task_can_act. */
static status_t reply_check(struct ipc *ipc, struct cap_space *caps, uint32_t replier)
{
    int32_t caller = ipc->tasks[replier].reply_to;
    if (caller == IPC_NO_TASK) {
        return STATUS_BAD_HANDLE;
    }
    return ipc_msg_check(ipc, caps, replier, (uint32_t)caller);
}

/** Invokes a reply: the caller gets the message and runs; the right is used up. */
static void reply_invoke(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t replier)
{
    uint32_t caller = (uint32_t)ipc->tasks[replier].reply_to;
    ipc->tasks[replier].reply_to = IPC_NO_TASK;
    ipc_msg_transfer(ipc, caps, replier, caller);
    ipc_wake(ipc, s, caller, STATUS_OK);
}

/** Replies: see endpoint.h. */
status_t ipc_reply(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t replier)
{
    if (ipc == 0 || s == 0 || !ipc_task_can_act(ipc, s, replier)) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = reply_check(ipc, caps, replier);
    if (st == STATUS_OK) {
        reply_invoke(ipc, s, caps, replier);
    }
    return st;
}

/**
 * Replies then receives: see endpoint.h. Both halves are decoded before
 * either is invoked; the reply moves capabilities only into the caller's
 * table and out of task's (neither is a queued sender), so the receive's
 * check stays true; recv_invoke then drops the senders whose message
 * cannot go, with task's table as the reply left it.
 */
status_t ipc_reply_recv(struct ipc *ipc, struct sched *s, struct cap_space *caps, uint32_t ep,
                        uint32_t task)
{
    status_t st = args_check(ipc, s, ep, task);
    if (st == STATUS_OK) {
        st = reply_check(ipc, caps, task);
    }
    if (st == STATUS_OK) {
        st = recv_check(ipc, caps, ep);
    }
    if (st != STATUS_OK) {
        return st;
    }
    reply_invoke(ipc, s, caps, task);
    // The deadline bounds the receive only: the reply, which never waits,
    // is made whatever it says (so STATUS_TIMED_OUT here means "replied,
    // nothing received"). Judged after the reply, which may free slots.
    if (ipc_deadline_passed(ipc, task) && !recv_would_take(ipc, caps, ep, task)) {
        return STATUS_TIMED_OUT;
    }
    recv_invoke(ipc, s, caps, ep, task);
    return STATUS_OK;
}

/**
 * Call fast path: see endpoint.h. The checks, then send_invoke's effects
 * but the message's. Inlined into its caller (the link optimises the whole
 * kernel): it is the middle of a system call's fast path.
 */
__attribute__((always_inline)) int32_t ipc_call_fast(struct ipc *ipc, struct sched *s, uint32_t ep,
                                                     uint32_t caller)
{
    if (ep >= IPC_MAX_ENDPOINTS || caller >= SCHED_MAX_ENTITIES ||
        ipc->tasks[caller].wait != IPC_WAIT_NONE) {
        return IPC_NO_TASK;
    }
    struct ipc_endpoint *e = &ipc->endpoints[ep];
    int32_t r = e->receivers.head;
    if (r == IPC_NO_TASK || sched_handoff(s, caller, (uint32_t)r) != STATUS_OK) {
        return IPC_NO_TASK;
    }
    struct ipc_task *from = &ipc->tasks[caller];
    struct ipc_task *to = &ipc->tasks[r];
    /* r is the head: unlinking it is taking the next one up. */
    e->receivers.head = to->next;
    if (to->next == IPC_NO_TASK) {
        e->receivers.tail = IPC_NO_TASK;
    } else {
        ipc->tasks[to->next].prev = IPC_NO_TASK;
    }
    to->next = IPC_NO_TASK;
    to->wait = IPC_WAIT_NONE;
    to->wait_object = 0;
    to->wake_status = STATUS_OK;
    to->deadline = 0; /* as ipc_wake: a receive's deadline ends with it */
    to->reply_to = (int32_t)caller;
    from->wait = IPC_WAIT_REPLY;
    from->recv_slots = 0; /* the fast path's caller accepts no capability in the reply */
    from->wait_object = (uint32_t)r;
    from->wake_status = STATUS_OK;
    return r;
}

/**
 * Reply+receive fast path: see endpoint.h. The checks, then reply_invoke's
 * and recv_invoke's effects but the message's. Inlined as ipc_call_fast.
 */
__attribute__((always_inline)) int32_t ipc_reply_recv_fast(struct ipc *ipc, struct sched *s,
                                                           uint32_t ep, uint32_t task)
{
    if (ep >= IPC_MAX_ENDPOINTS || task >= SCHED_MAX_ENTITIES ||
        ipc->tasks[task].wait != IPC_WAIT_NONE) {
        return IPC_NO_TASK;
    }
    struct ipc_endpoint *e = &ipc->endpoints[ep];
    int32_t c = ipc->tasks[task].reply_to;
    if (c == IPC_NO_TASK || e->senders.head != IPC_NO_TASK || e->receivers.head != IPC_NO_TASK ||
        sched_handoff(s, task, (uint32_t)c) != STATUS_OK) {
        return IPC_NO_TASK;
    }
    struct ipc_task *from = &ipc->tasks[task];
    struct ipc_task *to = &ipc->tasks[c];
    from->reply_to = IPC_NO_TASK;
    to->wait = IPC_WAIT_NONE;
    to->wait_object = 0;
    to->wake_status = STATUS_OK;
    to->deadline = 0; /* as ipc_wake: a call's deadline ends with its reply */
    from->wait = IPC_WAIT_RECV;
    from->recv_slots = 0; /* the fast path's receiver accepts no capability */
    from->wait_object = ep;
    from->wake_status = STATUS_OK;
    /* Alone in the receivers' queue: what ipc_queue_push_prio would make. */
    e->receivers.head = (int32_t)task;
    e->receivers.tail = (int32_t)task;
    return c;
}

/** Destroys: see endpoint.h. */
status_t ipc_endpoint_destroy(struct ipc *ipc, struct sched *s, uint32_t ep)
{
    if (ipc == 0 || s == 0 || ep >= IPC_MAX_ENDPOINTS) {
        return STATUS_INVALID_ARGUMENT;
    }
    ipc_wake_all(ipc, s, &ipc->endpoints[ep].senders, STATUS_OBJECT_DESTROYED);
    ipc_wake_all(ipc, s, &ipc->endpoints[ep].receivers, STATUS_OBJECT_DESTROYED);
    return STATUS_OK;
}
