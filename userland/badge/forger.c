/*
 * badge forger: given a badged send capability (x0, badge BADGE_FORGER,
 * rights SEND and DERIVE), tries to pass for client A: a call whose label
 * and words say BADGE_CLIENT_A, one with every message register x1-x7 set
 * to it (x8 must hold the call's number: a sender cannot set the badge
 * register), one through a capability derived from its own; and tries to
 * re-badge its capability and the derived one as BADGE_CLIENT_A. Its last
 * call reports the two statuses (and the derive's) to the server.
 */

#include <stdint.h>

#include "userland/badge/badge.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/** A call claiming to be client A in the label and every word. */
static void claim(handle_t server)
{
    struct sys_msg msg = {0};
    msg.label = BADGE_CLIENT_A;
    msg.word_count = SYS_MSG_MAX_WORDS;
    for (uint32_t i = 0; i < SYS_MSG_MAX_WORDS; i++) {
        msg.words[i] = BADGE_CLIENT_A;
    }
    struct sys_msg reply;
    (void)sys_call(server, &msg, &reply);
}

/** The same claim with every register a raw call sends: x1-x7. */
static void claim_raw(handle_t server)
{
    uint64_t r[8];
    r[0] = server;
    r[1] = sys_msg_info(BADGE_CLIENT_A, SYS_MSG_MAX_WORDS, 0);
    for (int i = 2; i < 8; i++) {
        r[i] = BADGE_CLIENT_A;
    }
    (void)sys_raw(SYS_CALL, r);
}

int main(uint64_t server)
{
    claim(server);
    claim_raw(server);
    handle_t rebadged = HANDLE_NONE;
    status_t again = sys_cap_badge(server, RIGHT_SEND, BADGE_CLIENT_A, &rebadged);
    handle_t derived = HANDLE_NONE;
    status_t derive = sys_cap_derive(server, RIGHT_SEND | RIGHT_DERIVE, &derived);
    status_t again_derived = derive;
    if (derive == STATUS_OK) {
        again_derived = sys_cap_badge(derived, RIGHT_SEND, BADGE_CLIENT_A, &rebadged);
    }
    claim(derive == STATUS_OK ? derived : server); // the count stays right either way
    struct sys_msg report = {0};
    report.label = BADGE_LABEL_REPORT;
    report.word_count = 3;
    report.words[0] = (uint64_t)(uint32_t)again;
    report.words[1] = (uint64_t)(uint32_t)again_derived;
    report.words[2] = (uint64_t)(uint32_t)derive;
    struct sys_msg reply;
    (void)sys_call(server, &report, &reply);
    return 0;
}
