/*
 * fuzzhelp: the fuzzer's partner (userland/fuzz/fuzz.c), spawned with a
 * capability in x0. While that capability receives on an endpoint it
 * serves it: each message's capabilities are deleted (but the one a GIVE
 * message brings), each call gets its words back, and a SENDBACK call is
 * answered and then followed by a message to the fuzzer's endpoint. When
 * receiving fails (the capability is not an endpoint, lacks RECV, or is
 * gone) it exits rather than retry: the fuzzer also spawns it
 * with random capabilities. It never uses any capability for anything
 * else, so whatever it is given cannot end the run.
 */

#include <stdint.h>

#include "userland/fuzz/fuzz.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/** Serves one message: keeps or deletes its capabilities, replies, sends back. */
static void serve(const struct sys_msg *msg, handle_t *back)
{
    uint32_t first = 0;
    if (msg->label == FUZZ_LABEL_GIVE && msg->cap_count > 0) {
        if (*back != HANDLE_NONE) {
            (void)sys_cap_delete(*back);
        }
        *back = msg->caps[0];
        first = 1;
    }
    for (uint32_t i = first; i < msg->cap_count && i < SYS_MSG_MAX_CAPS; i++) {
        (void)sys_cap_delete(msg->caps[i]);
    }
    struct sys_msg reply = *msg;
    reply.cap_count = 0;
    if (msg->label == FUZZ_LABEL_SENDBACK) {
        // Whether a message follows: a helper spawned with the fuzzer's
        // endpoint but never given a way back answers 0.
        reply.word_count = 1;
        reply.words[0] = *back != HANDLE_NONE;
    }
    // Fails for a send (nobody waits for a reply): nothing to do then.
    (void)sys_reply(&reply);
    if (msg->label == FUZZ_LABEL_SENDBACK && *back != HANDLE_NONE) {
        struct sys_msg note = {0};
        note.label = FUZZ_LABEL_SENDBACK;
        note.word_count = 1;
        note.words[0] = 0x5eedbacc;
        (void)sys_send(*back, &note);
    }
}

int main(uint64_t arg)
{
    handle_t ep = (handle_t)arg;
    handle_t back = HANDLE_NONE;
    for (;;) {
        struct sys_msg msg;
        status_t st = sys_recv_caps(ep, SYS_MSG_MAX_CAPS, &msg);
        if (st != STATUS_OK) {
            return 0;
        }
        serve(&msg, &back);
    }
}
