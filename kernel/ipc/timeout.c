/* Deadlines of blocking calls: timing out the tasks whose deadline passed. */

#include <stdint.h>

#include "kernel/check/check.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_priv.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/status.h"

/**
 * Times out waiting task id: it leaves the queue it is in; a caller whose
 * message was received already (IPC_WAIT_REPLY) takes the replier's reply
 * right with it, so the replier's later reply fails with
 * STATUS_BAD_HANDLE (endpoint.h), as if the caller had been destroyed.
 * Then it is woken with STATUS_TIMED_OUT. Its message was never delivered
 * (a message moves only when it is received), so its capabilities stay
 * its own.
 */
static void timeout_task(struct ipc *ipc, struct sched *s, uint32_t id)
{
    struct ipc_task *t = &ipc->tasks[id];
    struct ipc_queue *q = ipc_queue_of(ipc, t);
    if (q != 0) {
        ipc_queue_remove(ipc, q, id);
    } else {
        // Waiting for a reply: the replier holds the one-shot right for id.
        CHECK(t->wait == IPC_WAIT_REPLY && ipc->tasks[t->wait_object].reply_to == (int32_t)id);
        ipc->tasks[t->wait_object].reply_to = IPC_NO_TASK;
    }
    ipc_wake(ipc, s, id, STATUS_TIMED_OUT);
}

/**
 * Times out expired waiters: see ipc.h. One pass over every task
 * (SCHED_MAX_ENTITIES, 64): cheap next to a timer interrupt, and no sorted
 * list to keep in step with every wake-up (the fast paths included). A
 * deadline is compared, never added to, so any value is safe.
 */
uint32_t ipc_timeouts_expire(struct ipc *ipc, struct sched *s, uint64_t now, uint64_t *next)
{
    CHECK(ipc != 0 && s != 0);
    uint32_t expired = 0;
    uint64_t earliest = 0;
    for (uint32_t id = 0; id < SCHED_MAX_ENTITIES; id++) {
        uint64_t d = ipc->tasks[id].deadline;
        if (ipc->tasks[id].wait == IPC_WAIT_NONE || d == 0) {
            continue;
        }
        if (d <= now) {
            timeout_task(ipc, s, id);
            expired++;
        } else if (earliest == 0 || d < earliest) {
            earliest = d;
        }
    }
    if (next != 0) {
        *next = earliest;
    }
    return expired;
}
