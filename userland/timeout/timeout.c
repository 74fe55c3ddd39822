/*
 * timeout: run as init. Shows the deadlines of blocking calls (x9,
 * kernel/abi/syscall.h) at EL0: SYS_NOTIFY_WAIT, SYS_RECV, SYS_SEND and
 * SYS_CALL each time out and leave their queue; a deadline in the past
 * times out at once; a far one (UINT64_MAX) does not get in the way; a
 * sleep lasts what it asked, measured with CNTVCT_EL0 before and after,
 * and sleeps shorter than the kernel's 10 ms tick are not rounded up to
 * it; with timeout_client (timeout.h): a server that replies after its
 * caller timed out gets STATUS_BAD_HANDLE and nothing else happens, and a
 * reply+receive replies, then its receive times out. Prints each outcome
 * and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/timeout/timeout.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16): the client runs as soon as it can. */
#define CLIENT_PRIORITY 20

static uint32_t failures;
static uint64_t hz;

/** Counts a check; prints it when got is not want. */
static int expect(const char *what, uint64_t got, uint64_t want)
{
    if (got != want) {
        failures++;
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: FAIL %s: got %llu, want %llu\n", what,
                   (unsigned long long)got, (unsigned long long)want);
        return 0;
    }
    return 1;
}

/** Counts a check that got is at least least (and below most, if most is not 0). */
static int expect_range(const char *what, uint64_t got, uint64_t least, uint64_t most)
{
    if (got < least || (most != 0 && got >= most)) {
        failures++;
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: FAIL %s: got %llu, want [%llu, %llu)\n", what,
                   (unsigned long long)got, (unsigned long long)least, (unsigned long long)most);
        return 0;
    }
    return 1;
}

static uint64_t us(uint64_t ticks)
{
    return ticks * 1000000u / hz;
}

/** Each blocking call times out when nothing comes. */
static void each_call_times_out(handle_t ep, handle_t note)
{
    struct sys_msg msg = {0};
    struct sys_msg got = {0};
    uint64_t bits = 0;
    uint64_t ms = hz / 1000;

    uint64_t t0 = sys_clock_now();
    status_t st = sys_notify_wait_until(note, t0 + 10 * ms, &bits);
    uint64_t t1 = sys_clock_now();
    if (expect("notify wait", (uint64_t)st, STATUS_TIMED_OUT) &&
        expect_range("notify wait's length (ticks)", t1 - t0, 10 * ms, 0)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: notify wait timed out after %llu us\n",
                   (unsigned long long)us(t1 - t0));
    }
    t0 = sys_clock_now();
    st = sys_recv_until(ep, t0 + 5 * ms, &got);
    t1 = sys_clock_now();
    if (expect("recv", (uint64_t)st, STATUS_TIMED_OUT) &&
        expect_range("recv's length (ticks)", t1 - t0, 5 * ms, 0)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: recv timed out\n");
    }
    // A send nobody receives: once it timed out, it is not in the queue
    // (a receive with a passed deadline finds nothing).
    msg.label = 77;
    st = sys_send_until(ep, &msg, sys_clock_now() + 5 * ms);
    status_t after = sys_recv_until(ep, 1, &got);
    if (expect("send", (uint64_t)st, STATUS_TIMED_OUT) &&
        expect("recv after the send", (uint64_t)after, STATUS_TIMED_OUT)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: send timed out, left the queue\n");
    }
    st = sys_call_until(ep, &msg, sys_clock_now() + 5 * ms, &got);
    after = sys_recv_until(ep, 1, &got);
    if (expect("call", (uint64_t)st, STATUS_TIMED_OUT) &&
        expect("recv after the call", (uint64_t)after, STATUS_TIMED_OUT)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: call timed out, left the queue\n");
    }
}

/** Deadlines in the past and far away. */
static void passed_and_far(handle_t ep, handle_t note)
{
    struct sys_msg got = {0};
    uint64_t bits = 0;
    uint64_t t0 = sys_clock_now();
    status_t st = sys_recv_until(ep, t0 - 1, &got);
    status_t st2 = sys_notify_wait_until(note, 1, &bits);
    uint64_t t1 = sys_clock_now();
    if (expect("recv with a passed deadline", (uint64_t)st, STATUS_TIMED_OUT) &&
        expect("wait with deadline 1", (uint64_t)st2, STATUS_TIMED_OUT) &&
        expect_range("both at once (ticks, under a 10 ms tick)", t1 - t0, 0, hz / 100)) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "timeout: passed deadline: recv and wait timed out at once\n");
    }
    // A passed deadline does not stop a call that need not wait.
    expect("signal", (uint64_t)sys_notify_signal(note, 0x5), STATUS_OK);
    st = sys_notify_wait_until(note, 1, &bits);
    if (expect("wait with bits pending and a passed deadline", (uint64_t)st, STATUS_OK) &&
        expect("its bits", bits, 0x5)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: passed deadline: pending bits still taken\n");
    }
    expect("signal", (uint64_t)sys_notify_signal(note, 0x6), STATUS_OK);
    st = sys_notify_wait_until(note, UINT64_MAX, &bits);
    if (expect("wait with deadline UINT64_MAX", (uint64_t)st, STATUS_OK) &&
        expect("its bits", bits, 0x6)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: far deadline: wait took the pending bits\n");
    }
}

/** Sleeps, measured with the counter before and after. */
static void sleeps(handle_t note)
{
    uint64_t want = hz / 100; // 10 ms
    uint64_t t0 = sys_clock_now();
    status_t st = sys_sleep_ticks(note, want);
    uint64_t t1 = sys_clock_now();
    if (expect("sleep", (uint64_t)st, STATUS_OK) &&
        expect_range("sleep's length (ticks)", t1 - t0, want, 0)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: slept %llu us, woke %llu us late\n",
                   (unsigned long long)us(want), (unsigned long long)us(t1 - t0 - want));
    }
    // 20 sleeps of 1 ms: on a deadline rounded up to the 10 ms tick they
    // would take 200 ms; with the timer set for the deadline, about 20.
    uint64_t one = sys_ticks_from_us(1000);
    uint64_t worst = 0;
    t0 = sys_clock_now();
    for (int i = 0; i < 20; i++) {
        uint64_t s0 = sys_clock_now();
        st = sys_sleep_ticks(note, one);
        uint64_t s1 = sys_clock_now();
        expect("short sleep", (uint64_t)st, STATUS_OK);
        expect_range("short sleep's length (ticks)", s1 - s0, one, 0);
        worst = s1 - s0 > worst ? s1 - s0 : worst;
    }
    t1 = sys_clock_now();
    if (expect_range("20 sleeps of 1 ms (ticks)", t1 - t0, 20 * one, 150 * (hz / 1000))) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "timeout: 20 sleeps of 1000 us took %llu us (longest %llu us)\n",
                   (unsigned long long)us(t1 - t0), (unsigned long long)us(worst));
    }
}

/** The server's side of timeout.h with timeout_client. */
static void server(handle_t ep, handle_t note)
{
    struct sys_msg got = {0};
    struct sys_msg reply = {0};
    // The client's call is queued already: a far deadline takes it at once.
    status_t st = sys_recv_until(ep, UINT64_MAX, &got);
    if (!expect("receive the late call", (uint64_t)st, STATUS_OK) ||
        !expect("its label", got.label, TIMEOUT_LABEL_LATE_CALL)) {
        return;
    }
    // Let its 20 ms pass, then reply: the right went with the caller.
    expect("sleep", (uint64_t)sys_sleep_ticks(note, hz / 20), STATUS_OK);
    reply.label = 99;
    st = sys_reply(&reply);
    status_t st2 = sys_reply_recv(ep, &reply, &got);
    if (expect("late reply", (uint64_t)st, STATUS_BAD_HANDLE) &&
        expect("late reply+recv", (uint64_t)st2, STATUS_BAD_HANDLE)) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "timeout: the server replied after its caller timed out: bad handle\n");
    }
    st = sys_recv(ep, &got);
    if (expect("receive the report", (uint64_t)st, STATUS_OK) &&
        expect("its label", got.label, TIMEOUT_LABEL_LATE_REPORT) &&
        expect("the client's call status", got.words[0], STATUS_TIMED_OUT) &&
        expect_range("the client's call length (ticks)", got.words[1], hz / 50, 0)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: the client call timed out after %llu us\n",
                   (unsigned long long)us(got.words[1]));
    }
    // A call, answered by a reply+receive whose receive then times out.
    st = sys_recv(ep, &got);
    if (!expect("receive the call", (uint64_t)st, STATUS_OK) ||
        !expect("its label", got.label, TIMEOUT_LABEL_CALL)) {
        return;
    }
    reply.label = TIMEOUT_LABEL_REPLY;
    uint64_t t0 = sys_clock_now();
    st = sys_reply_recv_until(ep, &reply, t0 + hz / 100, &got);
    uint64_t t1 = sys_clock_now();
    expect("reply+recv", (uint64_t)st, STATUS_TIMED_OUT);
    expect_range("its receive's length (ticks)", t1 - t0, hz / 100, 0);
    st = sys_recv(ep, &got);
    if (expect("receive the last report", (uint64_t)st, STATUS_OK) &&
        expect("its label", got.label, TIMEOUT_LABEL_REPORT) &&
        expect("the client's call status", got.words[0], STATUS_OK) &&
        expect("the reply's label", got.words[1], TIMEOUT_LABEL_REPLY)) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "timeout: reply+recv replied, then its receive timed out\n");
    }
}

int main(uint64_t arg, uint64_t clock_hz)
{
    (void)arg; // 0 for init
    hz = clock_hz;
    expect("x1 at the first instruction is sys_clock_hz()", clock_hz, sys_clock_hz());
    if (!expect_range("the counter's frequency", hz, 1000000, 0)) {
        sys_printf(INIT_HANDLE_CONSOLE, "timeout: FAILED\n");
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
        return 1;
    }
    sys_printf(INIT_HANDLE_CONSOLE, "timeout: counter at %llu Hz\n", (unsigned long long)hz);
    handle_t ep = HANDLE_NONE, note = HANDLE_NONE, send = HANDLE_NONE;
    handle_t task = HANDLE_NONE, space = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    if (st == STATUS_OK) {
        st = sys_notify_create(INIT_HANDLE_KERNEL, &note);
    }
    if (st == STATUS_OK) {
        st = sys_cap_derive(ep, RIGHT_SEND | RIGHT_GRANT, &send); // GRANT: spawn copies it
    }
    if (expect("setup", (uint64_t)st, STATUS_OK)) {
        each_call_times_out(ep, note);
        passed_and_far(ep, note);
        sleeps(note);
        st = sys_task_spawn(INIT_HANDLE_KERNEL, "timeout_client", CLIENT_PRIORITY, send, &task,
                            &space);
        if (expect("spawn timeout_client", (uint64_t)st, STATUS_OK)) {
            server(ep, note);
        }
    }
    sys_printf(INIT_HANDLE_CONSOLE, "timeout: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
