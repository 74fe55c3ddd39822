/*
 * badge: run as init, a server telling its clients apart by badge. Checks
 * that SYS_CAP_BADGE refuses bad input, gives three clients and a forger
 * each a send capability to its endpoint with a badge of their own
 * (spawned above its priority, their calls queue), then serves every call,
 * counting calls per badge from x8 (sys_recv_badged). Each client must be
 * seen under its badge alone, its calls in order; the forger, whatever
 * label and registers it sends and whatever it derives, only under its
 * own; its re-badging must have been refused. Prints what it saw and
 * powers off.
 */

#include <stdint.h>

#include "userland/badge/badge.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#define CLIENT_PRIORITY 20

static int failures;

static void fail(const char *what, uint64_t a, uint64_t b)
{
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "badge: FAILED: %s (0x%llx, 0x%llx)\n", what,
               (unsigned long long)a, (unsigned long long)b);
}

static void expect_status(const char *what, status_t got, status_t want)
{
    if (got != want) {
        fail(what, (uint64_t)(uint32_t)got, (uint64_t)(uint32_t)want);
    }
}

/** SYS_CAP_BADGE's bad input at EL0: each refused with its status, nothing made. */
static void bad_input(handle_t ep)
{
    handle_t out = HANDLE_NONE;
    expect_status("badge 0", sys_cap_badge(ep, RIGHT_SEND, 0, &out), STATUS_INVALID_ARGUMENT);
    expect_status("a badge on the console",
                  sys_cap_badge(INIT_HANDLE_CONSOLE, RIGHT_WRITE, 1, &out), STATUS_WRONG_KIND);
    expect_status("a badge on a task", sys_cap_badge(INIT_HANDLE_SELF, RIGHT_CONTROL, 1, &out),
                  STATUS_WRONG_KIND);
    expect_status("rights beyond the source's", sys_cap_badge(ep, RIGHT_SEND | RIGHT_MAP, 1, &out),
                  STATUS_MISSING_RIGHT);
    handle_t badged = HANDLE_NONE;
    expect_status("a first badge", sys_cap_badge(ep, RIGHT_SEND | RIGHT_DERIVE, 9, &badged),
                  STATUS_OK);
    expect_status("a second badge", sys_cap_badge(badged, RIGHT_SEND, 10, &out), STATUS_BAD_STATE);
    expect_status("delete", sys_cap_delete(badged), STATUS_OK);
    if (out != HANDLE_NONE) {
        fail("a refused badge gave a handle", out, 0);
    }
    sys_printf(INIT_HANDLE_CONSOLE, "badge: bad input refused: badge 0, non-endpoints, "
                                    "wider rights, a second badge\n");
}

/** Spawns image name with a capability to ep carrying badge and rights. */
static status_t start(const char *name, handle_t ep, uint64_t badge, rights_t rights)
{
    handle_t cap = HANDLE_NONE;
    status_t st = sys_cap_badge(ep, rights, badge, &cap);
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    if (st == STATUS_OK) {
        st = sys_task_spawn(INIT_HANDLE_KERNEL, name, CLIENT_PRIORITY, cap, &task, &space);
    }
    // The spawned task holds its own copy (a child of cap, with its badge).
    return st;
}

static const uint64_t client_badges[3] = {BADGE_CLIENT_A, BADGE_CLIENT_B, BADGE_CLIENT_C};

/** Calls seen per client badge, and from the forger. */
static uint64_t client_calls[3];
static uint64_t forger_calls;

/** One call received with badge: checked against what its badge says it is. */
static void serve(const struct sys_msg *m, uint64_t badge)
{
    for (int i = 0; i < 3; i++) {
        if (badge == client_badges[i]) {
            client_calls[i]++;
            if (m->label != BADGE_LABEL_CLIENT || m->words[0] != client_calls[i]) {
                fail("a call under a client's badge did not come from that client", badge,
                     m->label);
            }
            return;
        }
    }
    if (badge != BADGE_FORGER) {
        fail("a badge nobody was given", badge, m->label);
        return;
    }
    forger_calls++;
    if (m->label == BADGE_LABEL_REPORT) {
        expect_status("the forger's derive", (status_t)m->words[2], STATUS_OK);
        expect_status("re-badging a badged capability", (status_t)m->words[0], STATUS_BAD_STATE);
        expect_status("re-badging a capability derived from a badged one", (status_t)m->words[1],
                      STATUS_BAD_STATE);
    } else if (m->label != BADGE_CLIENT_A) {
        fail("the forger's claim", m->label, 0);
    }
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    handle_t ep = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    if (st == STATUS_OK) {
        bad_input(ep);
    }
    for (int i = 0; i < 3 && st == STATUS_OK; i++) {
        st = start("client", ep, client_badges[i], RIGHT_SEND | RIGHT_GRANT);
    }
    if (st == STATUS_OK) {
        st = start("forger", ep, BADGE_FORGER, RIGHT_SEND | RIGHT_GRANT | RIGHT_DERIVE);
    }
    expect_status("setting up", st, STATUS_OK);
    struct sys_msg m;
    struct sys_msg reply = {0};
    for (int n = 0; n < BADGE_TOTAL_CALLS && st == STATUS_OK; n++) {
        uint64_t badge = 0;
        st = n == 0 ? sys_recv_badged(ep, 0, &m, &badge)
                    : sys_reply_recv_badged(ep, &reply, 0, &m, &badge);
        if (st == STATUS_OK) {
            serve(&m, badge);
        }
        reply.word_count = 1;
        reply.words[0] = badge; // what the server knows the caller as
    }
    expect_status("serving", st, STATUS_OK);
    if (st == STATUS_OK) {
        expect_status("the last reply", sys_reply(&reply), STATUS_OK);
    }
    for (int i = 0; i < 3; i++) {
        sys_printf(INIT_HANDLE_CONSOLE, "badge: client 0x%llx: %llu calls, all under its badge\n",
                   (unsigned long long)client_badges[i], (unsigned long long)client_calls[i]);
        if (client_calls[i] != BADGE_CLIENT_CALLS) {
            fail("a client's calls", client_badges[i], client_calls[i]);
        }
    }
    sys_printf(INIT_HANDLE_CONSOLE, "badge: forger 0x%llx: %llu calls, none passed for 0x%llx\n",
               (unsigned long long)BADGE_FORGER, (unsigned long long)forger_calls,
               (unsigned long long)BADGE_CLIENT_A);
    if (forger_calls != BADGE_FORGER_CALLS) {
        fail("the forger's calls", forger_calls, BADGE_FORGER_CALLS);
    }
    sys_printf(INIT_HANDLE_CONSOLE, failures == 0 ? "badge: done\n" : "badge: FAILED\n");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
