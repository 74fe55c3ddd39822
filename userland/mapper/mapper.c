/*
 * mapper: maps the frame it is given over IPC into the space it is given,
 * and touches the page when asked (mapper.h). The frame capability may be
 * revoked meanwhile by the task it came from: the mapping goes with it, and
 * the touch then faults.
 */

#include <stdint.h>

#include "userland/libsys/sys.h"
#include "userland/mapper/mapper.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/** Maps the frame in msg read-write at MAPPER_VA of the space in msg and writes word 0. */
static status_t give(const struct sys_msg *msg)
{
    if (msg->cap_count != 2) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = sys_map(msg->caps[1], msg->caps[0], MAPPER_VA, SYS_MAP_READ | SYS_MAP_WRITE);
    if (st == STATUS_OK) {
        *(volatile uint64_t *)MAPPER_VA = msg->words[0];
    }
    return st;
}

/** Reads the page, writes word 0 there; the value read. Faults if the page is gone. */
static uint64_t touch(const struct sys_msg *msg)
{
    uint64_t seen = *(volatile uint64_t *)MAPPER_VA;
    *(volatile uint64_t *)MAPPER_VA = msg->words[0];
    return seen;
}

int main(uint64_t arg)
{
    handle_t ep = (handle_t)arg;
    struct sys_msg msg;
    status_t st = sys_recv_caps(ep, 2, &msg);
    while (st == STATUS_OK) {
        struct sys_msg reply = {0};
        reply.label = msg.label;
        reply.word_count = 1;
        if (msg.label == MAPPER_LABEL_GIVE) {
            reply.words[0] = (uint64_t)(uint32_t)give(&msg);
        } else if (msg.label == MAPPER_LABEL_TOUCH) {
            reply.words[0] = touch(&msg);
        } else if (msg.label == MAPPER_LABEL_EXIT) {
            sys_reply(&reply);
            return 0;
        }
        st = sys_reply_recv_caps(ep, &reply, 2, &msg);
    }
    return 1;
}
