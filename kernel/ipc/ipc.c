/* Task IPC state, wait queues, blocking and waking, task destruction. */

#include "kernel/ipc/ipc.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/check/check.h"
#include "kernel/ipc/ipc_priv.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

/** Empties a queue. */
static void queue_init(struct ipc_queue *q)
{
    q->head = IPC_NO_TASK;
    q->tail = IPC_NO_TASK;
}

/** Sets up ipc: see ipc.h. Field-wise loops: no memset in the freestanding kernel. */
void ipc_init(struct ipc *ipc)
{
    for (uint32_t i = 0; i < SCHED_MAX_ENTITIES; i++) {
        struct ipc_task *t = &ipc->tasks[i];
        t->msg.label = 0;
        for (uint32_t w = 0; w < IPC_MSG_WORDS; w++) {
            t->msg.words[w] = 0;
        }
        t->msg.word_count = 0;
        t->msg.cap_count = 0;
        for (uint32_t c = 0; c < IPC_MSG_CAPS; c++) {
            t->msg.caps[c] = HANDLE_NONE;
        }
        t->msg.badge = 0;
        t->msg.via = HANDLE_NONE;
        t->wait = IPC_WAIT_NONE;
        t->recv_slots = IPC_MSG_CAPS;
        t->wait_object = 0;
        t->wake_status = STATUS_OK;
        t->reply_to = IPC_NO_TASK;
        t->next = IPC_NO_TASK;
        t->prev = IPC_NO_TASK;
        t->bits = 0;
        t->deadline = 0;
        for (uint32_t r = 0; r < 3; r++) {
            t->reserved[r] = 0;
        }
    }
    ipc->now = 0;
    for (uint32_t i = 0; i < IPC_MAX_NOTIFICATIONS; i++) {
        ipc->notifications[i].pending = 0;
        queue_init(&ipc->notifications[i].waiters);
    }
    for (uint32_t i = 0; i < IPC_MAX_ENDPOINTS; i++) {
        queue_init(&ipc->endpoints[i].senders);
        queue_init(&ipc->endpoints[i].receivers);
    }
}

/** Whether id may start an IPC call: see ipc_priv.h. */
bool ipc_task_can_act(const struct ipc *ipc, const struct sched *s, uint32_t id)
{
    if (id >= SCHED_MAX_ENTITIES || ipc->tasks[id].wait != IPC_WAIT_NONE) {
        return false;
    }
    enum sched_entity_state st = sched_state(s, id);
    return st == SCHED_READY || st == SCHED_RUNNING;
}

/** Links id between prev and next (either may be IPC_NO_TASK) in q. */
static void queue_link(struct ipc *ipc, struct ipc_queue *q, int32_t prev, int32_t next,
                       uint32_t id)
{
    ipc->tasks[id].prev = prev;
    ipc->tasks[id].next = next;
    if (prev == IPC_NO_TASK) {
        q->head = (int32_t)id;
    } else {
        ipc->tasks[prev].next = (int32_t)id;
    }
    if (next == IPC_NO_TASK) {
        q->tail = (int32_t)id;
    } else {
        ipc->tasks[next].prev = (int32_t)id;
    }
}

/** Appends id to q: see ipc_priv.h. */
void ipc_queue_push(struct ipc *ipc, struct ipc_queue *q, uint32_t id)
{
    queue_link(ipc, q, q->tail, IPC_NO_TASK, id);
}

/**
 * Inserts id behind every task of its priority or higher: see ipc_priv.h.
 * The priority is the one sched holds now; a later change does not reorder.
 * Reads sched's entity array (declared in sched.h) since it has no getter.
 */
/* Out of line (noinline): the endpoint calls of the general path share one copy. */
__attribute__((noinline)) void ipc_queue_push_prio(struct ipc *ipc, const struct sched *s,
                                                   struct ipc_queue *q, uint32_t id)
{
    uint32_t prio = s->entity[id].priority;
    int32_t prev = q->tail;
    while (prev != IPC_NO_TASK && s->entity[prev].priority < prio) {
        prev = ipc->tasks[prev].prev;
    }
    int32_t next = prev == IPC_NO_TASK ? q->head : ipc->tasks[prev].next;
    queue_link(ipc, q, prev, next, id);
}

/** Unlinks id from q: see ipc_priv.h. */
__attribute__((always_inline)) void ipc_queue_remove_inline(struct ipc *ipc, struct ipc_queue *q,
                                                            uint32_t id)
{
    struct ipc_task *t = &ipc->tasks[id];
    if (t->prev == IPC_NO_TASK) {
        q->head = t->next;
    } else {
        ipc->tasks[t->prev].next = t->next;
    }
    if (t->next == IPC_NO_TASK) {
        q->tail = t->prev;
    } else {
        ipc->tasks[t->next].prev = t->prev;
    }
    t->next = IPC_NO_TASK;
    t->prev = IPC_NO_TASK;
}

/* Out of line: every queue but a notification's waiters shares one copy. */
__attribute__((noinline)) void ipc_queue_remove(struct ipc *ipc, struct ipc_queue *q, uint32_t id)
{
    ipc_queue_remove_inline(ipc, q, id);
}

/** Blocks id: see ipc_priv.h. sched_block cannot fail: the caller checked the state. */
__attribute__((always_inline)) void ipc_block_inline(struct ipc *ipc, struct sched *s, uint32_t id,
                                                     uint32_t wait, uint32_t object)
{
    CHECK(sched_block(s, id) == STATUS_OK);
    ipc->tasks[id].wait = (uint16_t)wait;
    ipc->tasks[id].wait_object = object;
    ipc->tasks[id].wake_status = STATUS_OK;
}

/* Out of line: the endpoint calls share one copy of sched_block. */
__attribute__((noinline)) void ipc_block(struct ipc *ipc, struct sched *s, uint32_t id,
                                         uint32_t wait, uint32_t object)
{
    ipc_block_inline(ipc, s, id, wait, object);
}

/** Wakes id: see ipc_priv.h. BLOCKED by the invariant of ipc.h, so sched_unblock succeeds. */
__attribute__((always_inline)) void ipc_wake_inline(struct ipc *ipc, struct sched *s, uint32_t id,
                                                    status_t status)
{
    ipc->tasks[id].wait = IPC_WAIT_NONE;
    ipc->tasks[id].wait_object = 0;
    ipc->tasks[id].wake_status = status;
    ipc->tasks[id].deadline = 0;
    CHECK(sched_unblock(s, id) == STATUS_OK);
}

/* Out of line: every waker but a notification's signal shares one copy of sched_unblock. */
__attribute__((noinline)) void ipc_wake(struct ipc *ipc, struct sched *s, uint32_t id,
                                        status_t status)
{
    ipc_wake_inline(ipc, s, id, status);
}

/** Wakes all of q: see ipc_priv.h. Bounded: each step removes one task. */
void ipc_wake_all(struct ipc *ipc, struct sched *s, struct ipc_queue *q, status_t status)
{
    while (q->head != IPC_NO_TASK) {
        uint32_t id = (uint32_t)q->head;
        ipc_queue_remove(ipc, q, id);
        ipc_wake(ipc, s, id, status);
    }
}

/** Whether id's deadline is set and at or before ipc->now: see ipc_priv.h. */
bool ipc_deadline_passed(const struct ipc *ipc, uint32_t id)
{
    uint64_t d = ipc->tasks[id].deadline;
    return d != 0 && d <= ipc->now;
}

/** The queue a waiting task is in, or NULL (not waiting, or waiting for a reply). */
struct ipc_queue *ipc_queue_of(struct ipc *ipc, const struct ipc_task *t)
{
    switch (t->wait) {
    case IPC_WAIT_SEND:
    case IPC_WAIT_CALL:
        return &ipc->endpoints[t->wait_object].senders;
    case IPC_WAIT_RECV:
        return &ipc->endpoints[t->wait_object].receivers;
    case IPC_WAIT_NOTIFY:
        return &ipc->notifications[t->wait_object].waiters;
    default:
        return 0;
    }
}

/** Forgets a destroyed task: see ipc.h. */
status_t ipc_task_destroy(struct ipc *ipc, struct sched *s, uint32_t task)
{
    if (ipc == 0 || s == 0 || task >= SCHED_MAX_ENTITIES) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct ipc_task *t = &ipc->tasks[task];
    struct ipc_queue *q = ipc_queue_of(ipc, t);
    if (q != 0) {
        ipc_queue_remove(ipc, q, task);
    }
    if (t->wait == IPC_WAIT_REPLY) {
        /* The replier loses its reply right: nobody waits for that reply any more. */
        ipc->tasks[t->wait_object].reply_to = IPC_NO_TASK;
    }
    t->wait = IPC_WAIT_NONE;
    t->wait_object = 0;
    t->deadline = 0;
    if (t->reply_to != IPC_NO_TASK) {
        uint32_t caller = (uint32_t)t->reply_to;
        t->reply_to = IPC_NO_TASK;
        ipc_wake(ipc, s, caller, STATUS_OBJECT_DESTROYED);
    }
    return STATUS_OK;
}
