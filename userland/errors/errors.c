/*
 * errors: run as init, calls the kernel the wrong way on purpose and checks
 * that every error path of the system-call ABI (kernel/abi/syscall.h)
 * returns the status it documents: unknown numbers, bad and stale
 * handles, wrong kinds, missing rights, bad user buffers, malformed
 * messages, refused mappings, privileged calls without the kernel
 * capability, the console device's report (SYS_CONSOLE_DEVICE), and
 * spawns that cannot be done. Prints one line per failed
 * check, a summary, and powers off.
 */

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/** Checks run and failed so far. */
struct tally {
    uint32_t run;
    uint32_t failed;
};

/** Counts one check; prints it when got is not want. */
static void expect(struct tally *t, const char *what, int64_t got, int64_t want)
{
    t->run++;
    if (got != want) {
        t->failed++;
        sys_printf(INIT_HANDLE_CONSOLE, "errors: FAIL %s: got %lld, want %lld\n", what,
                   (long long)got, (long long)want);
    }
}

/** sys_raw with x0-x4 given and x5-x7 zero. */
static status_t raw5(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                     uint64_t a4)
{
    uint64_t r[8] = {a0, a1, a2, a3, a4, 0, 0, 0};
    return sys_raw(number, r);
}

/** Numbers at and beyond SYS_COUNT; an error leaves x1-x7 as they were. */
static void check_numbers(struct tally *t)
{
    expect(t, "number SYS_COUNT", raw5(SYS_COUNT, 0, 0, 0, 0, 0), STATUS_UNKNOWN_SYSCALL);
    expect(t, "number 255", raw5(255, 0, 0, 0, 0, 0), STATUS_UNKNOWN_SYSCALL);
    expect(t, "number 2^64-1", raw5(UINT64_MAX, 0, 0, 0, 0, 0), STATUS_UNKNOWN_SYSCALL);
    // Not SYS_YIELD with its top half dropped.
    expect(t, "number 2^32+SYS_YIELD", raw5((1ull << 32) | SYS_YIELD, 0, 0, 0, 0, 0),
           STATUS_UNKNOWN_SYSCALL);
    // Computed, not initialised: a constant initialiser becomes a copy from
    // .rodata through memcpy, which user programs do not have.
    uint64_t r[8];
    for (uint64_t i = 0; i < 8; i++) {
        r[i] = 11 * i;
    }
    sys_raw(SYS_COUNT, r);
    int kept = r[1] == 11 && r[2] == 22 && r[3] == 33 && r[4] == 44 && r[5] == 55 && r[6] == 66 &&
               r[7] == 77;
    expect(t, "x1-x7 kept on error", kept, 1);
}

/** Handles that name nothing: none, reserved bits, slots out of range, an empty slot. */
static void check_bad_handles(struct tally *t)
{
    const char *s = "";
    expect(t, "HANDLE_NONE", sys_console_write(HANDLE_NONE, s, 0), STATUS_BAD_HANDLE);
    expect(t, "reserved bits set",
           sys_console_write(INIT_HANDLE_CONSOLE | (1ull << (HANDLE_SLOT_BITS + 32)), s, 0),
           STATUS_BAD_HANDLE);
    expect(t, "top bit set", sys_console_write(INIT_HANDLE_CONSOLE | (1ull << 63), s, 0),
           STATUS_BAD_HANDLE);
    expect(t, "slot 64", sys_console_write(handle_make(64, 1), s, 0), STATUS_BAD_HANDLE);
    expect(t, "slot 0xffff", sys_console_write(handle_make(0xffff, 1), s, 0), STATUS_BAD_HANDLE);
    expect(t, "empty slot 60", sys_console_write(handle_make(60, 1), s, 0), STATUS_BAD_HANDLE);
    expect(t, "generation 0", sys_console_write(handle_make(3, 0), s, 0), STATUS_BAD_HANDLE);
    expect(t, "newer generation", sys_console_write(handle_make(3, 2), s, 0), STATUS_STALE_HANDLE);
    expect(t, "delete HANDLE_NONE", sys_cap_delete(HANDLE_NONE), STATUS_BAD_HANDLE);
    expect(t, "revoke empty slot", sys_cap_revoke(handle_make(60, 1)), STATUS_BAD_HANDLE);
}

/** A handle kept after its capability was deleted is stale, also once the slot is reused. */
static void check_stale(struct tally *t)
{
    const char *s = "";
    handle_t old = HANDLE_NONE;
    expect(t, "stale: derive", sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE, &old), STATUS_OK);
    expect(t, "stale: write before delete", sys_console_write(old, s, 0), STATUS_OK);
    expect(t, "stale: delete", sys_cap_delete(old), STATUS_OK);
    expect(t, "stale: write", sys_console_write(old, s, 0), STATUS_STALE_HANDLE);
    expect(t, "stale: delete again", sys_cap_delete(old), STATUS_STALE_HANDLE);
    expect(t, "stale: derive from", sys_cap_derive(old, RIGHT_WRITE, &old), STATUS_STALE_HANDLE);
    handle_t again = HANDLE_NONE;
    expect(t, "stale: derive again", sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE, &again),
           STATUS_OK);
    expect(t, "stale: slot reused", handle_slot(again), handle_slot(old));
    expect(t, "stale: write after reuse", sys_console_write(old, s, 0), STATUS_STALE_HANDLE);
    expect(t, "stale: new handle writes", sys_console_write(again, s, 0), STATUS_OK);
    expect(t, "stale: delete new", sys_cap_delete(again), STATUS_OK);
}

/** Capabilities of the wrong kind for the call. */
static void check_kinds(struct tally *t, handle_t ep, handle_t note)
{
    uint64_t bits = 0;
    struct sys_msg msg = {0};
    expect(t, "signal a console", sys_notify_signal(INIT_HANDLE_CONSOLE, 1), STATUS_WRONG_KIND);
    expect(t, "poll an endpoint", sys_notify_poll(ep, &bits), STATUS_WRONG_KIND);
    expect(t, "wait on an endpoint", sys_notify_wait(ep, &bits), STATUS_WRONG_KIND);
    expect(t, "recv on a notification", sys_recv(note, &msg), STATUS_WRONG_KIND);
    expect(t, "send to a notification", sys_send(note, &msg), STATUS_WRONG_KIND);
    expect(t, "call the kernel", sys_call(INIT_HANDLE_KERNEL, &msg, &msg), STATUS_WRONG_KIND);
    expect(t, "write to the kernel", sys_console_write(INIT_HANDLE_KERNEL, "", 0),
           STATUS_WRONG_KIND);
    expect(t, "map into a console", sys_map(INIT_HANDLE_CONSOLE, ep, 0x10000000, SYS_MAP_READ),
           STATUS_WRONG_KIND);
    expect(t, "map an endpoint", sys_map(INIT_HANDLE_SPACE, ep, 0x10000000, SYS_MAP_READ),
           STATUS_WRONG_KIND);
    expect(t, "start a console", sys_task_start(INIT_HANDLE_CONSOLE, 0x400000, 0, 0),
           STATUS_WRONG_KIND);
}

/** Capabilities that lack the right the call needs. */
static void check_rights(struct tally *t, handle_t ep, handle_t note)
{
    handle_t grant_only = HANDLE_NONE;
    handle_t h = HANDLE_NONE;
    uint64_t bits = 0;
    struct sys_msg msg = {0};
    expect(t, "rights: derive console without WRITE",
           sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_GRANT, &grant_only), STATUS_OK);
    expect(t, "rights: write without WRITE", sys_console_write(grant_only, "x", 1),
           STATUS_MISSING_RIGHT);
    expect(t, "rights: derive without DERIVE", sys_cap_derive(grant_only, RIGHT_GRANT, &h),
           STATUS_MISSING_RIGHT);
    expect(t, "rights: revoke without REVOKE", sys_cap_revoke(grant_only), STATUS_MISSING_RIGHT);
    expect(t, "rights: derive more than held",
           sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_SEND, &h), STATUS_MISSING_RIGHT);
    expect(t, "rights: derive rights above 32 bits",
           raw5(SYS_CAP_DERIVE, INIT_HANDLE_CONSOLE, (1ull << 32) | RIGHT_WRITE, 0, 0, 0),
           STATUS_INVALID_ARGUMENT);

    handle_t recv_only = HANDLE_NONE;
    handle_t send_only = HANDLE_NONE;
    expect(t, "rights: derive RECV notification", sys_cap_derive(note, RIGHT_RECV, &recv_only),
           STATUS_OK);
    expect(t, "rights: derive SEND notification", sys_cap_derive(note, RIGHT_SEND, &send_only),
           STATUS_OK);
    expect(t, "rights: signal without SEND", sys_notify_signal(recv_only, 1), STATUS_MISSING_RIGHT);
    expect(t, "rights: poll without RECV", sys_notify_poll(send_only, &bits), STATUS_MISSING_RIGHT);
    expect(t, "rights: wait without RECV", sys_notify_wait(send_only, &bits), STATUS_MISSING_RIGHT);

    handle_t ep_recv = HANDLE_NONE;
    handle_t ep_send = HANDLE_NONE;
    expect(t, "rights: derive RECV endpoint", sys_cap_derive(ep, RIGHT_RECV, &ep_recv), STATUS_OK);
    expect(t, "rights: derive SEND endpoint", sys_cap_derive(ep, RIGHT_SEND, &ep_send), STATUS_OK);
    expect(t, "rights: call without SEND", sys_call(ep_recv, &msg, &msg), STATUS_MISSING_RIGHT);
    expect(t, "rights: send without SEND", sys_send(ep_recv, &msg), STATUS_MISSING_RIGHT);
    expect(t, "rights: recv without RECV", sys_recv(ep_send, &msg), STATUS_MISSING_RIGHT);
    // A capability sent needs GRANT; refused before the sender would block.
    handle_t no_grant = HANDLE_NONE;
    expect(t, "rights: derive console without GRANT",
           sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE, &no_grant), STATUS_OK);
    msg.cap_count = 1;
    msg.caps[0] = no_grant;
    expect(t, "rights: send a capability without GRANT", sys_send(ep_send, &msg),
           STATUS_MISSING_RIGHT);

    handle_t weak_kernel = HANDLE_NONE;
    expect(t, "rights: derive kernel without CONTROL",
           sys_cap_derive(INIT_HANDLE_KERNEL, RIGHT_GRANT, &weak_kernel), STATUS_OK);
    expect(t, "rights: endpoint create without CONTROL", sys_endpoint_create(weak_kernel, &h),
           STATUS_MISSING_RIGHT);
    expect(t, "rights: power off without CONTROL", sys_power_off(weak_kernel, SYS_POWER_OFF_HALT),
           STATUS_MISSING_RIGHT);

    handle_t all[] = {grant_only, recv_only, send_only, ep_recv, ep_send, no_grant, weak_kernel};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        expect(t, "rights: delete derived", sys_cap_delete(all[i]), STATUS_OK);
    }
}

/** Console writes from memory the caller cannot read, or too long. */
static void check_buffers(struct tally *t)
{
    const char *text = "never printed\n";
    handle_t c = INIT_HANDLE_CONSOLE;
    expect(t, "buffer: unmapped 0x1000", raw5(SYS_CONSOLE_WRITE, c, 0x1000, 8, 0, 0),
           STATUS_BAD_BUFFER);
    expect(t, "buffer: kernel 0xffff000000000000",
           raw5(SYS_CONSOLE_WRITE, c, 0xffff000000000000ull, 8, 0, 0), STATUS_BAD_BUFFER);
    expect(t, "buffer: image in the high half",
           raw5(SYS_CONSOLE_WRITE, c, 0xffffffffc0100000ull, 8, 0, 0), STATUS_BAD_BUFFER);
    expect(t, "buffer: address+length wraps",
           raw5(SYS_CONSOLE_WRITE, c, 0xfffffffffffffff0ull, 32, 0, 0), STATUS_BAD_BUFFER);
    expect(t, "buffer: crosses the top of user space",
           raw5(SYS_CONSOLE_WRITE, c, 0x0000fffffffffff8ull, 16, 0, 0), STATUS_BAD_BUFFER);
    // The top of the stack is mapped, the page above it is not.
    expect(t, "buffer: runs off the stack",
           raw5(SYS_CONSOLE_WRITE, c, 0x0000ffffffffeff8ull, 16, 0, 0), STATUS_BAD_BUFFER);
    expect(t, "buffer: length SYS_CONSOLE_WRITE_MAX+1",
           sys_console_write(c, text, SYS_CONSOLE_WRITE_MAX + 1), STATUS_INVALID_ARGUMENT);
    expect(t, "buffer: length 2^63", raw5(SYS_CONSOLE_WRITE, c, (uint64_t)text, 1ull << 63, 0, 0),
           STATUS_INVALID_ARGUMENT);
}

/** Message info words the kernel refuses, and messages that cannot go. */
static void check_messages(struct tally *t, handle_t ep)
{
    expect(t, "msg: 5 words", raw5(SYS_SEND, ep, sys_msg_info(0, 5, 0), 0, 0, 0),
           STATUS_INVALID_ARGUMENT);
    expect(t, "msg: 3 caps", raw5(SYS_SEND, ep, sys_msg_info(0, 0, 3), 0, 0, 0),
           STATUS_INVALID_ARGUMENT);
    expect(t, "msg: 255 words call", raw5(SYS_CALL, ep, sys_msg_info(0, 255, 0), 0, 0, 0),
           STATUS_INVALID_ARGUMENT);
    expect(t, "msg: 5 words reply", raw5(SYS_REPLY, 0, sys_msg_info(0, 5, 0), 0, 0, 0),
           STATUS_INVALID_ARGUMENT);
    expect(t, "msg: 3 receive slots recv", raw5(SYS_RECV, ep, sys_msg_with_slots(0, 3), 0, 0, 0),
           STATUS_INVALID_ARGUMENT);
    expect(t, "msg: 3 receive slots call", raw5(SYS_CALL, ep, sys_msg_with_slots(0, 3), 0, 0, 0),
           STATUS_INVALID_ARGUMENT);
    struct sys_msg msg = {0};
    msg.cap_count = 2;
    msg.caps[0] = INIT_HANDLE_CONSOLE;
    msg.caps[1] = INIT_HANDLE_CONSOLE;
    expect(t, "msg: one capability twice", sys_send(ep, &msg), STATUS_INVALID_ARGUMENT);
    msg.cap_count = 1;
    msg.caps[0] = handle_make(60, 1);
    expect(t, "msg: an empty slot sent", sys_send(ep, &msg), STATUS_BAD_HANDLE);
    msg.caps[0] = handle_make(3, 2);
    expect(t, "msg: a stale handle sent", sys_send(ep, &msg), STATUS_STALE_HANDLE);
    msg.cap_count = 0;
    // Not documented in syscall.h: what the kernel answers a reply with no caller.
    expect(t, "msg: reply with no caller", sys_reply(&msg), STATUS_BAD_HANDLE);
    uint64_t bits = 0;
    handle_t note = HANDLE_NONE;
    expect(t, "msg: notify create", sys_notify_create(INIT_HANDLE_KERNEL, &note), STATUS_OK);
    expect(t, "msg: poll with no bit set", sys_notify_poll(note, &bits), STATUS_WOULD_BLOCK);
    expect(t, "msg: delete notification", sys_cap_delete(note), STATUS_OK);
}

/** Frame mappings the kernel refuses. */
static void check_maps(struct tally *t)
{
    const uint64_t at = 0x10000000;
    handle_t sp = INIT_HANDLE_SPACE;
    handle_t frame = HANDLE_NONE;
    handle_t ro = HANDLE_NONE;
    expect(t, "map: frame create", sys_frame_create(INIT_HANDLE_KERNEL, &frame), STATUS_OK);
    expect(t, "map: W+X", sys_map(sp, frame, at, SYS_MAP_READ | SYS_MAP_WRITE | SYS_MAP_EXEC),
           STATUS_PERMISSION);
    expect(t, "map: no READ", sys_map(sp, frame, at, SYS_MAP_WRITE), STATUS_PERMISSION);
    expect(t, "map: unknown permission bit", sys_map(sp, frame, at, SYS_MAP_READ | 0x8u),
           STATUS_INVALID_ARGUMENT);
    expect(t, "map: misaligned", sys_map(sp, frame, at + 1, SYS_MAP_READ), STATUS_MISALIGNED);
    expect(t, "map: kernel address", sys_map(sp, frame, 0xffff000000000000ull, SYS_MAP_READ),
           STATUS_OUT_OF_RANGE);
    expect(t, "map: derive read-only frame", sys_cap_derive(frame, RIGHT_MAP | RIGHT_READ, &ro),
           STATUS_OK);
    expect(t, "map: WRITE without the right", sys_map(sp, ro, at, SYS_MAP_READ | SYS_MAP_WRITE),
           STATUS_MISSING_RIGHT);
    expect(t, "map: read-write", sys_map(sp, frame, at, SYS_MAP_READ | SYS_MAP_WRITE), STATUS_OK);
    expect(t, "map: twice", sys_map(sp, frame, at, SYS_MAP_READ), STATUS_ALREADY_MAPPED);
    expect(t, "map: protect to W+X",
           sys_protect(sp, at, SYS_MAP_READ | SYS_MAP_WRITE | SYS_MAP_EXEC), STATUS_PERMISSION);
    // The frame's page is readable; the page after it is not.
    expect(t, "map: write runs off the frame",
           raw5(SYS_CONSOLE_WRITE, INIT_HANDLE_CONSOLE, at + 4096 - 8, 16, 0, 0),
           STATUS_BAD_BUFFER);
    expect(t, "map: unmap", sys_unmap(sp, at), STATUS_OK);
    expect(t, "map: unmap again", sys_unmap(sp, at), STATUS_NOT_MAPPED);
    expect(t, "map: delete read-only", sys_cap_delete(ro), STATUS_OK);
    expect(t, "map: delete frame", sys_cap_delete(frame), STATUS_OK);
}

/** Privileged calls without a kernel capability, and bad arguments to them. */
static void check_privileged(struct tally *t)
{
    handle_t h = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    expect(t, "priv: endpoint create with the console",
           sys_endpoint_create(INIT_HANDLE_CONSOLE, &h), STATUS_WRONG_KIND);
    expect(t, "priv: notify create with HANDLE_NONE", sys_notify_create(HANDLE_NONE, &h),
           STATUS_BAD_HANDLE);
    expect(t, "priv: frame create with a space", sys_frame_create(INIT_HANDLE_SPACE, &h),
           STATUS_WRONG_KIND);
    expect(t, "priv: space create with self", sys_space_create(INIT_HANDLE_SELF, &h),
           STATUS_WRONG_KIND);
    expect(t, "priv: power off with the console",
           sys_power_off(INIT_HANDLE_CONSOLE, SYS_POWER_OFF_HALT), STATUS_WRONG_KIND);
    expect(t, "priv: power off how 7", sys_power_off(INIT_HANDLE_KERNEL, 7),
           STATUS_INVALID_ARGUMENT);
    expect(t, "priv: spawn with the console",
           sys_task_spawn(INIT_HANDLE_CONSOLE, "init", 1, HANDLE_NONE, &task, &h),
           STATUS_WRONG_KIND);
    expect(t, "priv: task create with the console",
           sys_task_create(INIT_HANDLE_CONSOLE, INIT_HANDLE_SPACE, 1, HANDLE_NONE, &task, &h),
           STATUS_WRONG_KIND);
    expect(t, "priv: task create in a console",
           sys_task_create(INIT_HANDLE_KERNEL, INIT_HANDLE_CONSOLE, 1, HANDLE_NONE, &task, &h),
           STATUS_WRONG_KIND);
}

/** Where SYS_KERNEL_STATS writes in check_stats (static: no memset for a local). */
static struct sys_kernel_stats stats;

/** SYS_KERNEL_STATS: refusals write nothing; the counts it gives make sense. */
static void check_stats(struct tally *t)
{
    const handle_t k = INIT_HANDLE_KERNEL;
    const uint64_t size = sizeof stats;
    const uint64_t at = (uint64_t)(uintptr_t)&stats;
    stats.frames_free = 0x5a5a;
    expect(t, "stats: with the console", sys_kernel_stats(INIT_HANDLE_CONSOLE, &stats),
           STATUS_WRONG_KIND);
    expect(t, "stats: short length", raw5(SYS_KERNEL_STATS, k, at, size - 1, 0, 0),
           STATUS_INVALID_ARGUMENT);
    expect(t, "stats: long length", raw5(SYS_KERNEL_STATS, k, at, size + 1, 0, 0),
           STATUS_INVALID_ARGUMENT);
    expect(t, "stats: unmapped", raw5(SYS_KERNEL_STATS, k, 0x1000, size, 0, 0), STATUS_BAD_BUFFER);
    // The program's text is mapped read-only.
    expect(t, "stats: read-only", raw5(SYS_KERNEL_STATS, k, 0x400000, size, 0, 0),
           STATUS_BAD_BUFFER);
    expect(t, "stats: in the kernel", raw5(SYS_KERNEL_STATS, k, 0xffff000000000000ull, size, 0, 0),
           STATUS_BAD_BUFFER);
    expect(t, "stats: nothing written by a refusal", (int64_t)stats.frames_free, 0x5a5a);
    expect(t, "stats: ok", sys_kernel_stats(k, &stats), STATUS_OK);
    expect(t, "stats: free frames within the total", stats.frames_free <= stats.frames_total, 1);
    expect(t, "stats: some frames free", stats.frames_free > 0, 1);
    expect(t, "stats: reserved frames among the free", stats.frames_reserved <= stats.frames_free,
           1);
    expect(t, "stats: init's quota reserved", stats.frames_reserved > 0, 1);
    expect(t, "stats: kinds", stats.kind_count, OBJECT_KIND_COUNT);
    expect(t, "stats: one task (init)", stats.objects_used[OBJECT_TASK], 1);
    expect(t, "stats: one kernel", stats.objects_used[OBJECT_KERNEL], 1);
    expect(t, "stats: the endpoint and notification made",
           stats.objects_used[OBJECT_ENDPOINT] >= 1 && stats.objects_used[OBJECT_NOTIFICATION] >= 1,
           1);
}

/**
 * SYS_CONSOLE_DEVICE: refused without the kernel capability, x1-x7 kept;
 * what it reports is a page the kernel grants as a device frame and a line
 * it grants an IRQ handler for, on whatever board this runs.
 */
static void check_console(struct tally *t)
{
    struct sys_console_device con = {0, 0, 0, 0};
    expect(t, "console: with the console", sys_console_device(INIT_HANDLE_CONSOLE, &con),
           STATUS_WRONG_KIND);
    expect(t, "console: with HANDLE_NONE", sys_console_device(HANDLE_NONE, &con),
           STATUS_BAD_HANDLE);
    uint64_t r[8];
    for (uint64_t i = 0; i < 8; i++) {
        r[i] = 11 * i;
    }
    r[0] = INIT_HANDLE_SPACE;
    sys_raw(SYS_CONSOLE_DEVICE, r);
    expect(t, "console: x1-x7 kept on error", r[1] == 11 && r[2] == 22 && r[3] == 33 && r[4] == 44,
           1);
    expect(t, "console: ok", sys_console_device(INIT_HANDLE_KERNEL, &con), STATUS_OK);
    expect(t, "console: page aligned", con.page % 0x1000, 0);
    expect(t, "console: offset within the page", con.offset < 0x1000, 1);
    expect(t, "console: a reg", con.size > 0, 1);
    expect(t, "console: a line", con.intid != 0, 1);
    handle_t frame = HANDLE_NONE;
    handle_t irq = HANDLE_NONE;
    expect(t, "console: its page granted",
           sys_device_frame_create(INIT_HANDLE_KERNEL, con.page, &frame), STATUS_OK);
    expect(t, "console: its line granted", sys_irq_create(INIT_HANDLE_KERNEL, con.intid, &irq),
           STATUS_OK);
    expect(t, "console: frame deleted", sys_cap_delete(frame), STATUS_OK);
    expect(t, "console: irq deleted", sys_cap_delete(irq), STATUS_OK);
}

/** Spawns that cannot be done: nothing is started. */
static void check_spawn(struct tally *t)
{
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    handle_t k = INIT_HANDLE_KERNEL;
    const char *name = "init";
    expect(t, "spawn: unknown image",
           sys_task_spawn(k, "no-such-image", 1, HANDLE_NONE, &task, &space), STATUS_NOT_FOUND);
    expect(t, "spawn: priority 32", sys_task_spawn(k, name, 32, HANDLE_NONE, &task, &space),
           STATUS_INVALID_ARGUMENT);
    expect(t, "spawn: empty name", raw5(SYS_TASK_SPAWN, k, (uint64_t)name, 0, 1, HANDLE_NONE),
           STATUS_INVALID_ARGUMENT);
    expect(t, "spawn: name of 32 bytes",
           raw5(SYS_TASK_SPAWN, k, (uint64_t)name, 32, 1, HANDLE_NONE), STATUS_INVALID_ARGUMENT);
    expect(t, "spawn: name unmapped", raw5(SYS_TASK_SPAWN, k, 0x1000, 4, 1, HANDLE_NONE),
           STATUS_BAD_BUFFER);
    expect(t, "spawn: name in the kernel",
           raw5(SYS_TASK_SPAWN, k, 0xffff000000000000ull, 4, 1, HANDLE_NONE), STATUS_BAD_BUFFER);
    expect(t, "spawn: give a bad handle",
           sys_task_spawn(k, name, 1, handle_make(60, 1), &task, &space), STATUS_BAD_HANDLE);
    handle_t no_grant = HANDLE_NONE;
    expect(t, "spawn: derive without GRANT",
           sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE, &no_grant), STATUS_OK);
    expect(t, "spawn: give without GRANT", sys_task_spawn(k, name, 1, no_grant, &task, &space),
           STATUS_MISSING_RIGHT);
    expect(t, "spawn: delete derived", sys_cap_delete(no_grant), STATUS_OK);
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    struct tally t = {0, 0};
    handle_t ep = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    expect(&t, "endpoint create", sys_endpoint_create(INIT_HANDLE_KERNEL, &ep), STATUS_OK);
    expect(&t, "notify create", sys_notify_create(INIT_HANDLE_KERNEL, &note), STATUS_OK);
    check_numbers(&t);
    check_bad_handles(&t);
    check_stale(&t);
    check_kinds(&t, ep, note);
    check_rights(&t, ep, note);
    check_buffers(&t);
    check_messages(&t, ep);
    check_maps(&t);
    check_privileged(&t);
    check_stats(&t);
    check_console(&t);
    check_spawn(&t);
    if (t.failed == 0) {
        sys_printf(INIT_HANDLE_CONSOLE, "errors: all %u checks passed\n", t.run);
    } else {
        sys_printf(INIT_HANDLE_CONSOLE, "errors: %u of %u checks failed\n", t.failed, t.run);
    }
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
