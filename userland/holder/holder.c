/*
 * holder: holds the capabilities it is given over IPC and uses them when
 * asked (holder.h), on the endpoint it is given as its argument. Its
 * notification capability may be revoked meanwhile by the task it came
 * from: the holder then reports the status its signal got.
 */

#include <stdint.h>

#include "userland/holder/holder.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/** What the holder was given. */
struct held {
    handle_t note;
    handle_t console;
};

/** Signals as msg asks and reports the status on the console and in *reply. */
static void holder_signal(const struct held *h, const struct sys_msg *msg, struct sys_msg *reply)
{
    status_t st = sys_notify_signal(h->note, msg->words[0]);
    sys_printf(h->console, "holder: signal %s revoke: status %d\n",
               msg->words[1] == HOLDER_AFTER_REVOKE ? "after" : "before", st);
    reply->word_count = 1;
    reply->words[0] = (uint64_t)(uint32_t)st;
}

int main(uint64_t arg)
{
    handle_t ep = (handle_t)arg;
    struct held h = {HANDLE_NONE, HANDLE_NONE};
    struct sys_msg msg;
    status_t st = sys_recv_caps(ep, 2, &msg);
    while (st == STATUS_OK) {
        struct sys_msg reply = {0};
        reply.label = msg.label;
        if (msg.label == HOLDER_LABEL_GIVE && msg.cap_count == 2) {
            h.note = msg.caps[0];
            h.console = msg.caps[1];
        } else if (msg.label == HOLDER_LABEL_SIGNAL) {
            holder_signal(&h, &msg, &reply);
        } else if (msg.label == HOLDER_LABEL_EXIT) {
            sys_reply(&reply);
            return 0;
        }
        st = sys_reply_recv_caps(ep, &reply, 2, &msg);
    }
    return 1;
}
