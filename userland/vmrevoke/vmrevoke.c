/*
 * vmrevoke: run as init. A mapping lives exactly as long as the capability
 * it was made through, and so does a watch:
 *  1. watches the mapper (userland/mapper) through a derived task
 *     capability, then deletes that capability: the watch must end;
 *  2. derives F' (READ, WRITE, MAP, GRANT) from a new frame F and gives it,
 *     with the mapper's space, to the mapper, which maps F' read-write and
 *     writes a word; init sees the word through its own mapping of F;
 *  3. revokes F: F' is gone and with it the mapper's mapping, so the
 *     mapper's next touch of the page faults (the kernel reports it and
 *     stops the mapper; init's call ends without a reply) and its write
 *     never lands;
 *  4. the watch deleted in 1 must not have fired (the mapper stopped, and
 *     would have exited had it not).
 * Prints the outcome and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/mapper/mapper.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16): the mapper runs at once and waits in recv. */
#define MAPPER_PRIORITY 20
/* Where init maps F itself, read-only. */
#define INIT_VA 0x10000000ull
/* The words written before and after the revoke. */
#define WORD_BEFORE 0x1234ull
#define WORD_AFTER 0x5678ull
/* The bit of the watch that must end. */
#define WATCH_BIT 0x1ull

/** Failed checks so far; each is printed when found. */
static uint32_t failures;

/** Counts a check; prints it when got is not want. Returns whether it held. */
static int expect(const char *what, int64_t got, int64_t want)
{
    if (got == want) {
        return 1;
    }
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "vmrevoke: FAIL %s: got %lld, want %lld\n", what,
               (long long)got, (long long)want);
    return 0;
}

/** Calls the mapper with label, word 0 and up to two capabilities; its word 0 -> *word. */
static status_t call(handle_t ep, uint64_t label, uint64_t w0, handle_t cap0, handle_t cap1,
                     uint64_t *word)
{
    struct sys_msg msg = {0};
    msg.label = label;
    msg.word_count = 1;
    msg.words[0] = w0;
    msg.cap_count = cap0 == HANDLE_NONE ? 0 : 2;
    msg.caps[0] = cap0;
    msg.caps[1] = cap1;
    struct sys_msg reply;
    status_t st = sys_call(ep, &msg, &reply);
    if (st == STATUS_OK) {
        *word = reply.words[0];
    }
    return st;
}

/** Watches the mapper through a derived capability, then deletes it: the watch ends. */
static void watch_and_drop(handle_t task, handle_t note)
{
    handle_t watch = HANDLE_NONE;
    expect("derive WATCH", sys_cap_derive(task, RIGHT_WATCH, &watch), STATUS_OK);
    expect("watch the mapper", sys_task_watch(watch, note, WATCH_BIT), STATUS_OK);
    expect("delete the watch capability", sys_cap_delete(watch), STATUS_OK);
}

/** Gives the mapper F' and its space, revokes F, and checks the mapping went. */
static void run(handle_t ep, handle_t task, handle_t space, handle_t note)
{
    watch_and_drop(task, note);

    handle_t frame = HANDLE_NONE;
    handle_t derived = HANDLE_NONE;
    uint64_t word = 0;
    expect("frame create", sys_frame_create(INIT_HANDLE_KERNEL, &frame), STATUS_OK);
    expect("derive F'",
           sys_cap_derive(frame, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT, &derived),
           STATUS_OK);
    expect("give F' and the space", call(ep, MAPPER_LABEL_GIVE, WORD_BEFORE, derived, space, &word),
           STATUS_OK);
    expect("the mapper's map", (int64_t)word, STATUS_OK);
    expect("init maps F", sys_map(INIT_HANDLE_SPACE, frame, INIT_VA, SYS_MAP_READ), STATUS_OK);
    volatile const uint64_t *page = (volatile const uint64_t *)INIT_VA;
    expect("the mapper's write, seen by init", (int64_t)*page, WORD_BEFORE);

    expect("revoke F", sys_cap_revoke(frame), STATUS_OK);
    sys_printf(INIT_HANDLE_CONSOLE, "vmrevoke: revoked; asking the mapper to touch the page\n");
    status_t st = call(ep, MAPPER_LABEL_TOUCH, WORD_AFTER, HANDLE_NONE, HANDLE_NONE, &word);
    int ok =
        expect("touch after revoke: no reply, the mapper stopped", st, STATUS_OBJECT_DESTROYED);
    ok &= expect("the page after revoke", (int64_t)*page, WORD_BEFORE);
    if (ok) {
        sys_printf(INIT_HANDLE_CONSOLE, "vmrevoke: the mapping went with the capability\n");
    }
    // Had the mapper replied, it is still there: it exits now (at a higher priority, so
    // before init goes on). A watch still in place fires either way.
    if (st == STATUS_OK) {
        (void)call(ep, MAPPER_LABEL_EXIT, 0, HANDLE_NONE, HANDLE_NONE, &word);
    }
    uint64_t bits = 0;
    if (expect("the dropped watch did not fire", sys_notify_poll(note, &bits),
               STATUS_WOULD_BLOCK)) {
        sys_printf(INIT_HANDLE_CONSOLE, "vmrevoke: the watch went with the capability\n");
    }
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
        expect("spawn mapper",
               sys_task_spawn(INIT_HANDLE_KERNEL, "mapper", MAPPER_PRIORITY, ep, &task, &space),
               STATUS_OK)) {
        run(ep, task, space, note);
    }
    sys_printf(INIT_HANDLE_CONSOLE, "vmrevoke: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
