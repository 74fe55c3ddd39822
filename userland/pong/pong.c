/*
 * pong: serves the pong protocol (pong.h) on the endpoint it is given as
 * its argument, until told to exit. Without a console of its own, it
 * prints only through a console capability a ping brings.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/pong/pong.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/** What a pong knows of itself. */
struct pong {
    uint64_t id;
    uint64_t served;
};

/** Answers one ping into *reply; a console capability it brings is used once and deleted. */
static void pong_ping(struct pong *p, const struct sys_msg *msg, struct sys_msg *reply)
{
    p->served++;
    reply->word_count = 4;
    reply->words[PONG_REPLY_COUNTER] = msg->words[0] + 1;
    reply->words[PONG_REPLY_ID] = p->id;
    reply->words[PONG_REPLY_SERVED] = p->served;
    reply->words[PONG_REPLY_PRINT] = 0;
    if (msg->cap_count == 1) {
        status_t st = sys_printf(msg->caps[0], "pong: got a console capability\n");
        reply->words[PONG_REPLY_PRINT] = (uint64_t)(uint32_t)st;
        sys_cap_delete(msg->caps[0]);
    }
}

int main(uint64_t arg)
{
    handle_t ep = (handle_t)arg;
    struct pong p = {0, 0};
    struct sys_msg msg;
    status_t st = sys_recv_caps(ep, 1, &msg);
    while (st == STATUS_OK) {
        struct sys_msg reply = {0};
        reply.label = msg.label;
        if (msg.label == PONG_LABEL_ID) {
            p.id = p.id == 0 ? msg.words[0] : p.id;
            reply.word_count = 1;
            reply.words[0] = p.id;
        } else if (msg.label == PONG_LABEL_PING) {
            pong_ping(&p, &msg, &reply);
        } else if (msg.label == PONG_LABEL_EXIT) {
            sys_reply(&reply);
            return 0;
        }
        // Any other label gets an empty reply with its own label.
        st = sys_reply_recv_caps(ep, &reply, 1, &msg);
    }
    return 1;
}
