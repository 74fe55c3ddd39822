/*
 * The jam test's shared protocol (userland/jam): init spawns each task with
 * a copy of one setup endpoint and sends on it, once per task, a message
 * with two capabilities: the shared service endpoint and a console. Each
 * task reports its outcome on the setup endpoint (jam_report) before it
 * exits; init receives the reports and prints them in a fixed order.
 */
#pragma once

#include <stdint.h>

#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/** Report labels: who reports. */
#define JAM_SERVER_JAMMED 1
#define JAM_FLOODER 2
#define JAM_HONEST 3

/** What a jam task is given. */
struct jam_setup {
    handle_t setup;
    handle_t ep;
    handle_t console;
};

/** Receives the setup message on the endpoint given at spawn (x0). */
static inline status_t jam_setup(uint64_t arg, struct jam_setup *out)
{
    struct sys_msg msg;
    out->setup = (handle_t)arg;
    status_t st = sys_recv_caps(out->setup, 2, &msg);
    if (st == STATUS_OK && msg.cap_count != 2) {
        st = STATUS_BAD_FORMAT;
    }
    if (st == STATUS_OK) {
        out->ep = msg.caps[0];
        out->console = msg.caps[1];
    }
    return st;
}

/** Sends init a report: who (JAM_*) and three words. */
static inline void jam_report(const struct jam_setup *s, uint64_t who, uint64_t w0, uint64_t w1,
                              uint64_t w2)
{
    struct sys_msg msg = {0};
    msg.label = who;
    msg.word_count = 3;
    msg.words[0] = w0;
    msg.words[1] = w1;
    msg.words[2] = w2;
    (void)sys_send(s->setup, &msg);
}
