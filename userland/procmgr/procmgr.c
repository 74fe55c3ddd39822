/*
 * The process manager: a user task that creates the other tasks from the
 * embedded images with the kernel capability init lends it, and hands each
 * the one capability its requester sends along (protocol in procmgr.h).
 * It is the only holder of a kernel capability besides init.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/procmgr/procmgr.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/* The reply to a request: a status, and on success the new task's and its space's capabilities. */
static void answer(struct sys_msg *reply, status_t st, handle_t task, handle_t space)
{
    reply->label = (uint64_t)(uint32_t)st;
    reply->word_count = 0;
    reply->cap_count = task != HANDLE_NONE ? 2 : 0;
    reply->caps[0] = task;
    reply->caps[1] = space;
}

int main(uint64_t endpoint)
{
    struct sys_msg msg;
    if (sys_recv_caps(endpoint, 2, &msg) != STATUS_OK || msg.label != PROCMGR_SETUP ||
        msg.cap_count != 2) {
        return 1;
    }
    const handle_t kernel = msg.caps[0];
    const handle_t console = msg.caps[1];
    sys_printf(console, "procmgr: ready\n");
    struct sys_msg reply;
    status_t st = sys_recv_caps(endpoint, 1, &msg);
    for (;;) {
        handle_t task = HANDLE_NONE;
        char name[8 * PROCMGR_NAME_WORDS];
        if (st != STATUS_OK || msg.label != PROCMGR_SPAWN || !procmgr_unpack_name(&msg, name)) {
            answer(&reply, STATUS_INVALID_ARGUMENT, HANDLE_NONE, HANDLE_NONE);
        } else {
            handle_t give = msg.cap_count > 0 ? msg.caps[0] : HANDLE_NONE;
            handle_t space = HANDLE_NONE;
            uint64_t priority = msg.words[PROCMGR_NAME_WORDS];
            status_t spawned =
                sys_task_spawn(kernel, name, priority != 0 ? priority : PROCMGR_CHILD_PRIORITY,
                               give, &task, &space);
            sys_printf(console, "procmgr: spawn %s: status %d\n", name, spawned);
            // The task has its own copy of what it was given.
            if (give != HANDLE_NONE) {
                sys_cap_delete(give);
            }
            // Both move to the requester: whoever holds the last capability
            // to the space keeps the task's memory alive.
            answer(&reply, spawned, task, space);
        }
        st = sys_reply_recv_caps(endpoint, &reply, 1, &msg);
    }
}
