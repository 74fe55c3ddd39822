/* ipc_check_invariants: walks every queue and task (tests and fuzzers). */

#include <stdbool.h>
#include <stdint.h>

#include "kernel/ipc/ipc.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

/**
 * Checks one queue: links consistent and acyclic, every member waiting with
 * wait/object, in priority order when by_prio. Adds its length to *queued.
 */
static bool queue_ok(const struct ipc *ipc, const struct sched *s, const struct ipc_queue *q,
                     uint32_t wait, uint32_t object, bool by_prio, uint32_t *queued)
{
    int32_t prev = IPC_NO_TASK;
    int32_t id = q->head;
    uint32_t steps = 0;
    while (id != IPC_NO_TASK) {
        if (id < 0 || id >= SCHED_MAX_ENTITIES || ++steps > SCHED_MAX_ENTITIES) {
            return false;
        }
        const struct ipc_task *t = &ipc->tasks[id];
        bool kind_ok = t->wait == wait || (wait == IPC_WAIT_SEND && t->wait == IPC_WAIT_CALL);
        if (!kind_ok || t->wait_object != object || t->prev != prev) {
            return false;
        }
        if (by_prio && prev != IPC_NO_TASK && s->entity[prev].priority < s->entity[id].priority) {
            return false;
        }
        prev = id;
        id = t->next;
    }
    *queued += steps;
    return q->tail == prev;
}

/** Checks one task's own fields and its reply pairing. */
static bool task_ok(const struct ipc *ipc, const struct sched *s, uint32_t id)
{
    const struct ipc_task *t = &ipc->tasks[id];
    if (t->wait >= IPC_WAIT_COUNT || t->msg.word_count > IPC_MSG_WORDS ||
        t->msg.cap_count > IPC_MSG_CAPS || t->recv_slots > IPC_MSG_CAPS) {
        return false;
    }
    if (t->wait != IPC_WAIT_NONE && sched_state(s, id) != SCHED_BLOCKED) {
        return false;
    }
    if (t->wait == IPC_WAIT_NONE && t->deadline != 0) {
        return false; // a deadline lives only as long as the wait it bounds
    }
    if (t->wait == IPC_WAIT_REPLY) {
        if (t->wait_object >= SCHED_MAX_ENTITIES ||
            ipc->tasks[t->wait_object].reply_to != (int32_t)id) {
            return false;
        }
    }
    if (t->reply_to != IPC_NO_TASK) {
        if (t->reply_to < 0 || t->reply_to >= SCHED_MAX_ENTITIES) {
            return false;
        }
        const struct ipc_task *c = &ipc->tasks[t->reply_to];
        return c->wait == IPC_WAIT_REPLY && c->wait_object == id;
    }
    return true;
}

/** Checks every invariant: see ipc.h. */
status_t ipc_check_invariants(const struct ipc *ipc, const struct sched *s)
{
    uint32_t queued = 0;
    uint32_t waiting = 0;
    for (uint32_t i = 0; i < IPC_MAX_ENDPOINTS; i++) {
        const struct ipc_endpoint *e = &ipc->endpoints[i];
        if (!queue_ok(ipc, s, &e->senders, IPC_WAIT_SEND, i, true, &queued) ||
            !queue_ok(ipc, s, &e->receivers, IPC_WAIT_RECV, i, true, &queued)) {
            return STATUS_BAD_FORMAT;
        }
    }
    for (uint32_t i = 0; i < IPC_MAX_NOTIFICATIONS; i++) {
        const struct ipc_notification *n = &ipc->notifications[i];
        if (!queue_ok(ipc, s, &n->waiters, IPC_WAIT_NOTIFY, i, false, &queued)) {
            return STATUS_BAD_FORMAT;
        }
    }
    for (uint32_t i = 0; i < SCHED_MAX_ENTITIES; i++) {
        const struct ipc_task *t = &ipc->tasks[i];
        if (!task_ok(ipc, s, i)) {
            return STATUS_BAD_FORMAT;
        }
        if (t->wait != IPC_WAIT_NONE && t->wait != IPC_WAIT_REPLY) {
            waiting++;
        } else if (t->next != IPC_NO_TASK || t->prev != IPC_NO_TASK) {
            return STATUS_BAD_FORMAT;
        }
    }
    /* Each queued task matched its queue; equal counts mean none is missing or doubled. */
    return queued == waiting ? STATUS_OK : STATUS_BAD_FORMAT;
}
