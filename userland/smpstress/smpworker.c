/*
 * smpworker: one of userland/smpstress's workers; its role comes in the
 * first message on the endpoint it is given (smpstress.h).
 */

#include <stdint.h>

#include "userland/libsys/sys.h"
#include "userland/smpstress/smpstress.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

static void pong(handle_t ep)
{
    struct sys_msg msg;
    status_t st = sys_recv(ep, &msg);
    while (st == STATUS_OK) {
        struct sys_msg reply = {0};
        reply.label = msg.label;
        reply.word_count = 1;
        reply.words[0] = msg.words[0] + 1;
        if (msg.label == SMP_LABEL_END) {
            sys_reply(&reply);
            return;
        }
        st = sys_reply_recv(ep, &reply, &msg);
    }
}

static void send_result(handle_t ep, uint64_t w0, uint64_t w1)
{
    struct sys_msg msg = {0};
    msg.label = SMP_LABEL_RESULT;
    msg.word_count = 2;
    msg.words[0] = w0;
    msg.words[1] = w1;
    (void)sys_send(ep, &msg);
}

static void ping(handle_t ep, handle_t result, uint64_t rounds)
{
    uint64_t wrong = 0;
    uint64_t done = 0;
    for (uint64_t i = 0; i < rounds; i++) {
        struct sys_msg msg = {0};
        msg.label = SMP_LABEL_ROUND;
        msg.word_count = 1;
        msg.words[0] = i * 7;
        struct sys_msg reply;
        if (sys_call(ep, &msg, &reply) != STATUS_OK) {
            break;
        }
        wrong += reply.word_count != 1 || reply.words[0] != i * 7 + 1;
        done++;
    }
    struct sys_msg end = {0};
    end.label = SMP_LABEL_END;
    struct sys_msg reply;
    (void)sys_call(ep, &end, &reply);
    send_result(result, wrong, done);
}

static void holder(handle_t note, handle_t result)
{
    uint64_t signals = 0;
    status_t st;
    while ((st = sys_notify_signal(note, 1)) == STATUS_OK) {
        signals++;
    }
    send_result(result, (uint64_t)(uint32_t)st, signals);
}

static _Noreturn void spin(handle_t note, uint64_t bit)
{
    (void)sys_notify_signal(note, bit);
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
}

static void sleeper(handle_t note, handle_t result, uint64_t ticks)
{
    uint64_t early = 0;
    uint64_t longest = 0;
    for (int i = 0; i < SMP_SLEEPS; i++) {
        uint64_t from = sys_clock_now();
        if (sys_sleep_ticks(note, ticks) != STATUS_OK) {
            early++;
            continue;
        }
        uint64_t took = sys_clock_now() - from;
        early += took < ticks;
        longest = took > longest ? took : longest;
    }
    send_result(result, early, longest);
}

static _Noreturn void fault(uint64_t when)
{
    while (sys_clock_now() < when) {
    }
    *(volatile uint64_t *)0x10 = 1; // nothing is mapped at page 0
    for (;;) {
    }
}

int main(uint64_t arg)
{
    handle_t control = (handle_t)arg;
    struct sys_msg msg;
    if (sys_recv_caps(control, 2, &msg) != STATUS_OK) {
        return 1;
    }
    switch (msg.label) {
    case SMP_ROLE_PONG:
        pong(msg.caps[0]);
        break;
    case SMP_ROLE_PING:
        ping(msg.caps[0], msg.caps[1], msg.words[0]);
        break;
    case SMP_ROLE_HOLDER:
        holder(msg.caps[0], msg.caps[1]);
        break;
    case SMP_ROLE_SPIN:
        spin(msg.caps[0], msg.words[0]);
    case SMP_ROLE_FAULT:
        fault(msg.words[0]);
    case SMP_ROLE_SLEEP:
        sleeper(msg.caps[0], msg.caps[1], msg.words[0]);
        break;
    default:
        break;
    }
    return 0;
}
