/*
 * revoke: run as init. Derives a signal-only capability from a
 * notification, moves it to holder (userland/holder) in a message, and
 * lets the holder signal once; then revokes the notification capability
 * it kept (the parent) and asks the holder to signal again. The holder's
 * copy is gone: its signal gets STATUS_STALE_HANDLE and sets no bit.
 * Prints the outcome and powers off.
 */

#include <stdint.h>

#include "userland/holder/holder.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16): the holder runs at once and waits in recv. */
#define HOLDER_PRIORITY 20
/* The bit the holder signals. */
#define REVOKE_BIT 0x4u

/** Failed checks so far; each is printed when found. */
static uint32_t failures;

/** Counts a check; prints it when got is not want. Returns whether it held. */
static int expect(const char *what, int64_t got, int64_t want)
{
    if (got == want) {
        return 1;
    }
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "revoke: FAIL %s: got %lld, want %lld\n", what, (long long)got,
               (long long)want);
    return 0;
}

/** Calls the holder with label, two words and up to two capabilities; its word 0 -> *word. */
static status_t call(handle_t ep, uint64_t label, uint64_t w0, uint64_t w1, handle_t cap0,
                     handle_t cap1, uint64_t *word)
{
    struct sys_msg msg = {0};
    msg.label = label;
    msg.word_count = 2;
    msg.words[0] = w0;
    msg.words[1] = w1;
    msg.cap_count = cap0 == HANDLE_NONE ? 0 : cap1 == HANDLE_NONE ? 1 : 2;
    msg.caps[0] = cap0;
    msg.caps[1] = cap1;
    struct sys_msg reply;
    status_t st = sys_call(ep, &msg, &reply);
    if (st == STATUS_OK) {
        *word = reply.words[0];
    }
    return st;
}

/** Asks the holder to signal (phase: HOLDER_*_REVOKE); returns the status its signal got. */
static int64_t holder_signal(handle_t ep, uint64_t phase)
{
    uint64_t word = 0;
    status_t st = call(ep, HOLDER_LABEL_SIGNAL, REVOKE_BIT, phase, HANDLE_NONE, HANDLE_NONE, &word);
    expect("call holder to signal", st, STATUS_OK);
    return st == STATUS_OK ? (int64_t)(int32_t)(uint32_t)word : -1;
}

/** The bits the notification holds now (0 when none). */
static uint64_t poll_bits(handle_t note)
{
    uint64_t bits = 0;
    status_t st = sys_notify_poll(note, &bits);
    return st == STATUS_OK ? bits : 0;
}

/** Gives the holder its capabilities and checks a revoke reaches its copy. */
static void run(handle_t ep, handle_t note)
{
    handle_t child = HANDLE_NONE;
    handle_t console = HANDLE_NONE;
    uint64_t word = 0;
    expect("derive SEND|GRANT", sys_cap_derive(note, RIGHT_SEND | RIGHT_GRANT, &child), STATUS_OK);
    expect("derive console",
           sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_GRANT, &console), STATUS_OK);
    expect("give to holder", call(ep, HOLDER_LABEL_GIVE, 0, 0, child, console, &word), STATUS_OK);

    expect("holder's signal before revoke", holder_signal(ep, HOLDER_BEFORE_REVOKE), STATUS_OK);
    expect("bits before revoke", (int64_t)poll_bits(note), REVOKE_BIT);

    expect("revoke", sys_cap_revoke(note), STATUS_OK);
    int ok = expect("holder's signal after revoke", holder_signal(ep, HOLDER_AFTER_REVOKE),
                    STATUS_STALE_HANDLE);
    uint64_t bits = 0;
    ok &= expect("poll after revoke", sys_notify_poll(note, &bits), STATUS_WOULD_BLOCK);
    // The revoked capability itself stays and works.
    ok &= expect("own signal after revoke", sys_notify_signal(note, REVOKE_BIT), STATUS_OK);
    ok &= expect("own bits after revoke", (int64_t)poll_bits(note), REVOKE_BIT);
    if (ok) {
        sys_printf(INIT_HANDLE_CONSOLE, "revoke: visible in the other task\n");
    }
    expect("holder exit", call(ep, HOLDER_LABEL_EXIT, 0, 0, HANDLE_NONE, HANDLE_NONE, &word),
           STATUS_OK);
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    handle_t ep = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    if (expect("endpoint create", sys_endpoint_create(INIT_HANDLE_KERNEL, &ep), STATUS_OK) &&
        expect("notify create", sys_notify_create(INIT_HANDLE_KERNEL, &note), STATUS_OK) &&
        expect("spawn holder",
               sys_task_spawn(INIT_HANDLE_KERNEL, "holder", HOLDER_PRIORITY, ep, &task, &space),
               STATUS_OK)) {
        run(ep, note);
    }
    sys_printf(INIT_HANDLE_CONSOLE, "revoke: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
