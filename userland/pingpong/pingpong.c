/*
 * pingpong: run as init. Spawns pong (userland/pong) with an endpoint and
 * calls it PINGPONG_ROUNDS times, checking every reply; the first call
 * also moves a console capability to pong, which prints through it. Then
 * a stress run: two more pongs on the same endpoint, PINGPONG_STRESS_ROUNDS
 * calls served by the three in turn, none lost. Powers off at the end.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/pong/pong.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16): a pong runs at once and waits in recv. */
#define PONG_PRIORITY 20
/* Calls of the first run, with one pong. */
#define PINGPONG_ROUNDS 100
/* Calls of the stress run, and the pongs that serve them. */
#define PINGPONG_STRESS_ROUNDS 5000
#define PINGPONG_PONGS 3

/** Failures so far; each is printed when found. */
static uint32_t failures;

/** Reports a failed check: what, what came, what was wanted. */
static void fail(const char *what, uint64_t round, int64_t got, int64_t want)
{
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "pingpong: FAIL %s (round %llu): got %lld, want %lld\n", what,
               (unsigned long long)round, (long long)got, (long long)want);
}

/** Calls with label and one word, and cap (when not HANDLE_NONE); the reply in *reply. */
static status_t call(handle_t ep, uint64_t label, uint64_t word, handle_t cap,
                     struct sys_msg *reply)
{
    struct sys_msg msg = {0};
    msg.label = label;
    msg.word_count = 1;
    msg.words[0] = word;
    if (cap != HANDLE_NONE) {
        msg.cap_count = 1;
        msg.caps[0] = cap;
    }
    return sys_call(ep, &msg, reply);
}

/** Spawns a pong on ep; it runs at once and waits in recv. */
static status_t spawn_pong(handle_t ep)
{
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    status_t st = sys_task_spawn(INIT_HANDLE_KERNEL, "pong", PONG_PRIORITY, ep, &task, &space);
    if (st != STATUS_OK) {
        fail("spawn pong", 0, st, STATUS_OK);
    }
    return st;
}

/**
 * Gives ids first..last to the pongs waiting on ep that have none. An id
 * call may reach a pong that has one already (it keeps it and answers
 * with it): the same id is offered again, a bounded number of times.
 */
static void name_pongs(handle_t ep, uint64_t first, uint64_t last)
{
    uint64_t id = first;
    for (uint32_t tries = 0; id <= last && tries < 4 * PINGPONG_PONGS; tries++) {
        struct sys_msg reply;
        status_t st = call(ep, PONG_LABEL_ID, id, HANDLE_NONE, &reply);
        if (st != STATUS_OK) {
            fail("id call", id, st, STATUS_OK);
            return;
        }
        if (reply.words[0] == id) {
            id++;
        }
    }
    if (id <= last) {
        fail("pongs named", id, (int64_t)id - 1, (int64_t)last);
    }
}

/** One ping of round: checks the status and the counter; the reply in *reply. */
static int ping(handle_t ep, uint64_t round, handle_t cap, struct sys_msg *reply)
{
    status_t st = call(ep, PONG_LABEL_PING, round, cap, reply);
    if (st != STATUS_OK) {
        fail("call", round, st, STATUS_OK);
        return 0;
    }
    if (reply->label != PONG_LABEL_PING || reply->word_count != 4) {
        fail("reply label", round, (int64_t)reply->label, PONG_LABEL_PING);
        return 0;
    }
    if (reply->words[PONG_REPLY_COUNTER] != round + 1) {
        fail("reply counter", round, (int64_t)reply->words[PONG_REPLY_COUNTER],
             (int64_t)(round + 1));
        return 0;
    }
    return 1;
}

/** The first run: one pong, a console capability moved in the first call. */
static void run_single(handle_t ep)
{
    handle_t console = HANDLE_NONE;
    status_t st = sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_GRANT, &console);
    if (st != STATUS_OK) {
        fail("derive console", 0, st, STATUS_OK);
    }
    struct sys_msg reply;
    uint32_t right = 0;
    for (uint64_t round = 0; round < PINGPONG_ROUNDS; round++) {
        right += (uint32_t)ping(ep, round, round == 0 ? console : HANDLE_NONE, &reply);
        if (round == 0 && reply.words[PONG_REPLY_PRINT] != STATUS_OK) {
            fail("pong's print", round, (int64_t)reply.words[PONG_REPLY_PRINT], STATUS_OK);
        }
    }
    // Moved, not copied: the sender's handle names nothing now.
    st = sys_console_write(console, "", 0);
    if (st != STATUS_STALE_HANDLE) {
        fail("console handle after the move", 0, st, STATUS_STALE_HANDLE);
    }
    if (right == PINGPONG_ROUNDS) {
        sys_printf(INIT_HANDLE_CONSOLE, "pingpong: %u rounds, all replies right\n", right);
    }
}

/** The stress run: PINGPONG_PONGS pongs on ep serve the calls in turn. */
static void run_stress(handle_t ep)
{
    uint64_t served[PINGPONG_PONGS + 1] = {0};
    uint32_t right = 0;
    struct sys_msg reply;
    for (uint64_t round = 0; round < PINGPONG_STRESS_ROUNDS; round++) {
        if (!ping(ep, round, HANDLE_NONE, &reply)) {
            continue;
        }
        uint64_t id = reply.words[PONG_REPLY_ID];
        if (id < 1 || id > PINGPONG_PONGS) {
            fail("pong id", round, (int64_t)id, 1);
            continue;
        }
        served[id]++;
        right++;
    }
    if (right == PINGPONG_STRESS_ROUNDS) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "pingpong: %u rounds over %u pongs (%llu, %llu, %llu), all replies right\n",
                   right, PINGPONG_PONGS, (unsigned long long)served[1],
                   (unsigned long long)served[2], (unsigned long long)served[3]);
    }
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    _Static_assert(PINGPONG_PONGS == 3, "run_stress prints three counts");
    handle_t ep = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    if (st != STATUS_OK) {
        fail("endpoint create", 0, st, STATUS_OK);
    } else if (spawn_pong(ep) == STATUS_OK) {
        name_pongs(ep, 1, 1);
        run_single(ep);
        for (uint64_t id = 2; id <= PINGPONG_PONGS; id++) {
            spawn_pong(ep);
        }
        name_pongs(ep, 2, PINGPONG_PONGS);
        run_stress(ep);
        struct sys_msg reply;
        for (uint64_t id = 1; id <= PINGPONG_PONGS; id++) {
            st = call(ep, PONG_LABEL_EXIT, 0, HANDLE_NONE, &reply);
            if (st != STATUS_OK) {
                fail("exit call", id, st, STATUS_OK);
            }
        }
    }
    sys_printf(INIT_HANDLE_CONSOLE, "pingpong: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
