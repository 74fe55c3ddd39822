/*
 * fuzz: a system-call fuzzer that runs at EL0 as init.
 *
 * Makes fuzz_call_count random system calls across every number (and
 * numbers past the last), with handles drawn from its own capabilities
 * (kept in a model: kind, rights, which object), stale and malformed
 * handles, and random arguments; memory calls on its own space and on
 * spaces it creates; IPC with a helper task (fuzzhelp.c) it spawns;
 * privileged calls through the kernel capability init holds. Every call
 * goes through fuzz_svc (fuzz_svc.S), which fills all 31 general registers
 * with known values before `svc #0` and saves them all after: every
 * register that is not a documented result of the call (kernel/abi/
 * syscall.h: x1-x7 only as each call lists, and only on success, and x8
 * for a message received; x9-x30 and sp always) must come back unchanged, the status must be a
 * defined one, and a call naming no capability must fail.
 *
 * The seed is printed first; it is FUZZ_SEED, settable at build time
 * (`--copt=-DFUZZ_SEED=0x...`). A violation prints the seed, the call's
 * index, its number, its registers before and after: the same seed gives
 * the same calls, so index N can be reproduced; `--copt=-DFUZZ_TRACE_FROM=N`
 * prints every call from index N on before it is made (to find the call a
 * hang stopped at).
 *
 * What it holds, and what it never does, so that nothing but a kernel bug
 * ends the run early:
 * - It holds the kernel capability (as init), so the privileged calls run
 *   their real paths: creation, spawn, task create. SYS_POWER_OFF is only
 *   made with an x1 that is neither HALT nor RESET; SYS_EXIT never.
 * - Its own four capabilities, the helper's endpoint and its own endpoint
 *   (and the first notification) are never deleted, moved in a message or
 *   (the two endpoints) revoked; the helper's task and space capabilities
 *   are kept out of the model altogether.
 * - On its own space it unmaps and protects only pages of its fuzz area
 *   (which holds nothing it runs or reads); a task it starts gets an entry
 *   where nothing but zeroes (UDF) or nothing at all is mapped.
 * - No helper it spawns gets a capability to its own endpoint (it would
 *   receive there what the first helper sends back to the fuzzer).
 * - A call that could block for good is made only when it cannot: a send
 *   or call only to the helper's endpoint (the helper always waits there,
 *   at a higher priority), a receive only on its own endpoint right after
 *   the helper was asked to send there, a wait only on a notification it
 *   has just signalled. With any other endpoint or notification capability
 *   those calls get a handle that names nothing instead.
 * - The console gets whole lines only.
 * - x9, a blocking call's deadline, is 0, one that has passed already, a
 *   far one (near UINT64_MAX), or (not for SYS_CALL) one a little ahead:
 *   calls are made only where they cannot wait, so only SYS_CALL, which
 *   always waits for its reply, can time out, and then only at once,
 *   with nothing sent (a call timed out after the helper received it
 *   would have moved its capabilities behind the model's back). A call
 *   with no deadline must never time out, and a call with a passed one
 *   must never be sent.
 * FP/SIMD registers are not used or checked: FP access at EL0 traps today
 * and the task is stopped (README, issue 11 item 6).
 */

#include <stdint.h>

#include "userland/fuzz/fuzz.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#ifndef FUZZ_SEED
#define FUZZ_SEED 0x62617361u
#endif

/* Calls from this index on are printed before they are made (`--copt=-DFUZZ_TRACE_FROM=N`). */
#ifndef FUZZ_TRACE_FROM
#define FUZZ_TRACE_FROM UINT64_MAX
#endif

/* Above init's 16: the helper is back in its receive before the fuzzer runs again. */
#define HELPER_PRIORITY 20
/* Pages of the fuzzer's own space where it maps, unmaps and protects. */
#define AREA 0x10000000ull
#define AREA_PAGES 64u
#define PAGE 4096ull
#define USER_TOP 0x0001000000000000ull
/* The most violations printed in full. */
#define MAX_REPORTS 10
/* Capabilities the model remembers (the table has 64 slots; stale ones linger). */
#define MODEL_MAX 96

/* Rights of the first capability of each new object (kernel/abi/syscall.h). */
#define R_COMMON (RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE)
#define R_IPC (RIGHT_SEND | RIGHT_RECV | R_COMMON)
#define R_FRAME (RIGHT_READ | RIGHT_WRITE | RIGHT_EXECUTE | RIGHT_MAP | R_COMMON)
#define R_SPACE (RIGHT_MAP | R_COMMON)
#define R_TASK (RIGHT_CONTROL | RIGHT_WATCH | R_COMMON)
#define R_CONSOLE (RIGHT_WRITE | R_COMMON)
#define R_DEVICE_FRAME (RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | R_COMMON)
#define R_IRQ (RIGHT_CONTROL | R_COMMON)

/* Objects the model names: the fixed ones, then one number per new object. */
enum {
    OBJ_KERNEL = 1,
    OBJ_SPACE,
    OBJ_SELF,
    OBJ_CONSOLE,
    OBJ_HELPER_EP,
    OBJ_OWN_EP,
    OBJ_NOTE,
    OBJ_FIRST_NEW
};

/* Never deleted or moved (KEEP), nor revoked (KEEP_ALL). */
#define KEEP 1u
#define KEEP_ALL 2u

/** One capability the fuzzer holds (or held: a revoke may have taken it). */
struct entry {
    handle_t h;
    uint32_t obj;
    uint32_t rights;
    uint32_t kind;
    uint32_t keep;
};

static struct entry model[MODEL_MAX];
static uint32_t model_count;
static uint32_t next_obj = OBJ_FIRST_NEW;

static uint64_t rng;
static uint64_t seed;
static uint64_t call_index;
static uint64_t violations;
static uint64_t status_counts[STATUS_COUNT + 1];
/* The helper was asked to send to the fuzzer's endpoint and has not been received yet. */
static int sendback_pending;
static handle_t helper_ep, own_ep, note;
/** The console UART as SYS_CONSOLE_DEVICE reported it at setup: its page and line are never taken.
 */
static struct sys_console_device console_uart;

/* Whole lines for the console, and names for spawn (one buffer: known addresses). */
static const char console_line[] = "fuzz: console write\n";
static char name_buf[48];

/** splitmix64: the whole run follows from the seed. */
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
    return next() % n;
}

static void model_add(handle_t h, uint32_t obj, uint32_t kind, uint32_t rights, uint32_t keep)
{
    uint32_t at = model_count;
    if (model_count == MODEL_MAX) {
        // Forget one that may be deleted (its capability stays in the table).
        do {
            at = (uint32_t)below(MODEL_MAX);
        } while (model[at].keep != 0);
    } else {
        model_count++;
    }
    struct entry e = {h, obj, rights, kind, keep};
    model[at] = e;
}

static struct entry *model_find(handle_t h)
{
    for (uint32_t i = 0; i < model_count; i++) {
        if (model[i].h == h) {
            return &model[i];
        }
    }
    return 0;
}

static void model_remove(handle_t h)
{
    struct entry *e = model_find(h);
    if (e != 0 && e->keep == 0) {
        *e = model[--model_count];
    }
}

/** A handle that names nothing: stale, out of the table, generation 0 or malformed. */
static handle_t bad_handle(void)
{
    handle_t h = model[below(model_count)].h;
    switch (below(5)) {
    case 0: // a generation the slot will not reach in this run
        return handle_make(handle_slot(h), handle_generation(h) + 0x40000000u);
    case 1:
        return handle_make(64 + (uint32_t)below(0xff00), (uint32_t)next() | 1);
    case 2:
        return handle_make((uint32_t)below(64), 0);
    case 3:
        return h | (next() << 48) | (1ull << 63);
    default:
        return HANDLE_NONE;
    }
}

/** Whether h is one of the forms bad_handle makes (never a capability). */
static int names_nothing(handle_t h)
{
    return model_find(h) == 0;
}

/** A handle from the model (of kind `kind` half the time when there is one), or a bad one. */
static handle_t pick_handle(uint32_t kind)
{
    if (below(6) == 0) {
        return bad_handle();
    }
    if (kind != OBJECT_NONE && below(4) != 0) {
        uint32_t start = (uint32_t)below(model_count);
        for (uint32_t i = 0; i < model_count; i++) {
            const struct entry *e = &model[(start + i) % model_count];
            if (e->kind == kind) {
                return e->h;
            }
        }
    }
    return model[below(model_count)].h;
}

/** Whether the model holds h as a capability to kind with every right in rights. */
static int holds(handle_t h, uint32_t kind, uint32_t rights)
{
    const struct entry *e = model_find(h);
    return e != 0 && e->kind == kind && (e->rights & rights) == rights;
}

/** A message capability: never one that must stay. */
static handle_t pick_movable(void)
{
    handle_t h = pick_handle(OBJECT_NONE);
    const struct entry *e = model_find(h);
    return e != 0 && e->keep != 0 ? bad_handle() : h;
}

/** A random value of a random shape: small, a page address, all ones, any. */
static uint64_t any(void)
{
    switch (below(6)) {
    case 0:
        return below(8);
    case 1:
        return AREA + below(AREA_PAGES) * PAGE;
    case 2:
        return ~0ull - below(4);
    case 3:
        return 1ull << below(64);
    default:
        return next();
    }
}

/** A page address for a memory call on a space; `own`: only the fuzz area may change. */
static uint64_t pick_va(int own, int may_change)
{
    switch (below(8)) {
    case 0:
    case 1:
    case 2:
        return AREA + below(AREA_PAGES) * PAGE;
    case 3:
        return (AREA + below(AREA_PAGES * PAGE)) | 1;
    case 4:
        return USER_TOP + below(16) * PAGE;
    case 5:
        return 0xffff000000000000ull + below(16) * PAGE;
    case 6: // where the fuzzer's own text is: refused as mapped already in its space
        return own && may_change ? AREA : ((uint64_t)(uintptr_t)&console_line & ~(PAGE - 1));
    default:
        return own && may_change ? AREA + PAGE : next();
    }
}

/** An entry for a task: where nothing, or only zeroes, is mapped; or refused outright. */
static uint64_t pick_entry(void)
{
    switch (below(5)) {
    case 0:
        return below(0x400000) & ~3ull;
    case 1:
        return (AREA + below(AREA_PAGES * PAGE)) & ~3ull;
    case 2:
        return (below(0x400000) & ~3ull) | 2;
    case 3:
        return USER_TOP + below(PAGE);
    default:
        return 0xffffffffc0100000ull;
    }
}

/** A message info word: mostly valid counts, a label the helper does not act on. */
static uint64_t pick_info(void)
{
    if (below(8) == 0) {
        uint64_t info = next();
        uint64_t label = sys_msg_label(info);
        return label == FUZZ_LABEL_GIVE || label == FUZZ_LABEL_SENDBACK ? info ^ (1ull << 16)
                                                                        : info;
    }
    uint64_t label = next() & SYS_MSG_LABEL_MASK;
    if (label == FUZZ_LABEL_GIVE || label == FUZZ_LABEL_SENDBACK) {
        label ^= 1;
    }
    return sys_msg_info(label, (uint32_t)below(6), (uint32_t)below(4));
}

/** x1/x2 of a spawn: a name that is there, a bad image, nothing, garbage, a bad buffer. */
static void pick_name(uint64_t *addr, uint64_t *len)
{
    static const char *const names[] = {"fuzzhelp", "stackseg", "nosuch", "fuzzhelp\0x"};
    static const uint64_t lens[] = {8, 8, 6, 10};
    uint64_t which = below(7);
    if (which < 4) {
        *addr = (uint64_t)(uintptr_t)names[which];
        *len = lens[which];
        return;
    }
    if (which == 4) {
        uint64_t n = 1 + below(sizeof name_buf - 1);
        for (uint64_t i = 0; i < n; i++) {
            name_buf[i] = (char)(1 + below(255));
        }
        if (n == 4 && name_buf[0] == 'i' && name_buf[1] == 'n' && name_buf[2] == 'i' &&
            name_buf[3] == 't') {
            name_buf[0] = 'j'; // never a second init: it would hold what init holds
        }
        *addr = (uint64_t)(uintptr_t)name_buf;
        *len = n;
        return;
    }
    *addr = which == 5 ? below(0x400000) : 0xffff000000001000ull;
    *len = below(40);
}

/** x1/x2 of a console write: a whole line, nothing, or buffers that must be refused. */
/** Where SYS_KERNEL_STATS may write: a buffer of its own, so nothing else is overwritten. */
static struct sys_kernel_stats stats_scratch[2];

/**
 * SYS_KERNEL_STATS's buffer and length: the scratch buffer (at an offset
 * that keeps it inside), the read-only text, unmapped or kernel addresses,
 * the right length or not.
 */
static void pick_stats(uint64_t *addr, uint64_t *len)
{
    switch (below(4)) {
    case 0:
        *addr = (uint64_t)(uintptr_t)&stats_scratch[0] + below(sizeof stats_scratch[0]);
        break;
    case 1:
        *addr = 0x400000 + 8 * below(64);
        break;
    case 2:
        *addr = 0xffff000000000000ull + below(0x100000);
        break;
    default:
        *addr = any();
        break;
    }
    *len = below(2) ? sizeof stats_scratch[0] : (below(2) ? below(400) : any());
}

static void pick_console(handle_t console, uint64_t *addr, uint64_t *len)
{
    if (!holds(console, OBJECT_CONSOLE, RIGHT_WRITE)) {
        *addr = any();
        *len = any();
        return;
    }
    uint64_t line = (uint64_t)(uintptr_t)console_line;
    switch (below(6)) {
    case 0:
        *addr = line;
        *len = below(16) == 0 ? sizeof console_line - 1 : 0;
        return;
    case 1:
        *addr = line;
        *len = SYS_CONSOLE_WRITE_MAX + 1 + below(1000);
        return;
    case 2:
        *addr = below(0x400000);
        *len = 1 + below(SYS_CONSOLE_WRITE_MAX);
        return;
    case 3:
        *addr = 0xffff000000000000ull + below(0x100000);
        *len = 1 + below(SYS_CONSOLE_WRITE_MAX);
        return;
    case 4:
        *addr = ~0ull - below(8);
        *len = 2 + below(16);
        return;
    default:
        *addr = USER_TOP - 1 - below(8);
        *len = 16;
        return;
    }
}

/** Makes a wait on h return at once: signals its notification first (or h names nothing). */
static handle_t wait_handle(handle_t h)
{
    const struct entry *w = model_find(h);
    if (w == 0 || w->kind != OBJECT_NOTIFICATION || (w->rights & RIGHT_RECV) == 0) {
        return h;
    }
    for (uint32_t i = 0; i < model_count; i++) {
        const struct entry *e = &model[i];
        if (e->obj == w->obj && (e->rights & RIGHT_SEND) != 0 &&
            sys_notify_signal(e->h, 1ull << below(64)) == STATUS_OK) {
            return h;
        }
    }
    return bad_handle();
}

/** Makes a receive on h return at once: asks the helper to send to the fuzzer's endpoint. */
static handle_t recv_handle(handle_t h)
{
    const struct entry *e = model_find(h);
    if (e == 0 || e->kind != OBJECT_ENDPOINT || (e->rights & RIGHT_RECV) == 0) {
        return h;
    }
    if (e->obj != OBJ_OWN_EP) {
        return bad_handle();
    }
    if (!sendback_pending) {
        struct sys_msg msg = {0};
        msg.label = FUZZ_LABEL_SENDBACK;
        struct sys_msg reply;
        if (sys_call(helper_ep, &msg, &reply) != STATUS_OK || reply.word_count < 1 ||
            reply.words[0] != 1) {
            return bad_handle();
        }
        sendback_pending = 1;
    }
    return h;
}

/** Makes a send or call on h return at once: only the helper's endpoint receives. */
static handle_t send_handle(handle_t h)
{
    const struct entry *e = model_find(h);
    if (e == 0 || e->kind != OBJECT_ENDPOINT || (e->rights & RIGHT_SEND) == 0) {
        return h;
    }
    return e->obj == OBJ_HELPER_EP && !sendback_pending ? h : bad_handle();
}

/** Fills in[0..7] for call number n. */
static void pick_args(uint64_t n, uint64_t in[31])
{
    for (int i = 0; i < 8; i++) {
        in[i] = any();
    }
    switch (n) {
    case SYS_CAP_DERIVE:
        in[0] = pick_handle(OBJECT_NONE);
        in[1] = below(2) ? next() & RIGHTS_ALL : any();
        break;
    case SYS_CAP_BADGE:
        in[0] = pick_handle(below(4) == 0 ? OBJECT_NONE : OBJECT_ENDPOINT);
        in[1] = below(2) ? next() & RIGHTS_ALL : any();
        in[2] = below(4) == 0 ? 0 : next();
        break;
    case SYS_CAP_DELETE:
    case SYS_CAP_REVOKE: {
        in[0] = pick_handle(OBJECT_NONE);
        const struct entry *e = model_find(in[0]);
        uint32_t keep = n == SYS_CAP_DELETE ? (KEEP | KEEP_ALL) : KEEP_ALL;
        if (e != 0 && (e->keep & keep) != 0) {
            in[0] = bad_handle();
        }
        break;
    }
    case SYS_NOTIFY_SIGNAL:
    case SYS_NOTIFY_POLL:
        in[0] = pick_handle(OBJECT_NOTIFICATION);
        break;
    case SYS_NOTIFY_WAIT:
        in[0] = wait_handle(pick_handle(OBJECT_NOTIFICATION));
        break;
    case SYS_SEND:
    case SYS_CALL:
    case SYS_REPLY:
    case SYS_RECV:
    case SYS_REPLY_RECV:
        in[0] = pick_handle(OBJECT_ENDPOINT);
        in[1] = pick_info();
        in[6] = pick_movable();
        in[7] = pick_movable();
        if (n == SYS_SEND || n == SYS_CALL) {
            in[0] = send_handle(in[0]);
        } else if (n != SYS_REPLY) {
            in[0] = recv_handle(in[0]);
        }
        break;
    case SYS_MAP:
    case SYS_UNMAP:
    case SYS_PROTECT: {
        in[0] = pick_handle(OBJECT_ADDRESS_SPACE);
        const struct entry *e = model_find(in[0]);
        int own = e != 0 && e->obj == OBJ_SPACE;
        if (n == SYS_MAP) {
            in[1] = pick_handle(OBJECT_FRAME);
            in[2] = pick_va(own, 0);
            in[3] = below(4) ? below(8) : any();
        } else {
            in[1] = pick_va(own, 1);
            in[2] = below(4) ? below(8) : any();
        }
        break;
    }
    case SYS_TASK_START:
        in[0] = pick_handle(OBJECT_TASK);
        in[1] = pick_entry();
        break;
    case SYS_CONSOLE_WRITE:
        in[0] = pick_handle(OBJECT_CONSOLE);
        pick_console(in[0], &in[1], &in[2]);
        break;
    case SYS_TASK_WATCH:
        in[0] = pick_handle(OBJECT_TASK);
        in[1] = pick_handle(OBJECT_NOTIFICATION);
        in[2] = below(4) ? 1ull << below(64) : any();
        break;
    case SYS_ENDPOINT_CREATE:
    case SYS_NOTIFY_CREATE:
    case SYS_FRAME_CREATE:
    case SYS_SPACE_CREATE:
        in[0] = pick_handle(OBJECT_KERNEL);
        break;
    case SYS_TASK_CREATE:
        in[0] = pick_handle(OBJECT_KERNEL);
        in[1] = pick_handle(OBJECT_ADDRESS_SPACE);
        in[2] = below(4) ? below(40) : any();
        in[3] = pick_handle(OBJECT_NONE);
        break;
    case SYS_POWER_OFF:
        in[0] = pick_handle(OBJECT_KERNEL);
        in[1] = 2 + below(1000); // never HALT (0) or RESET (1): the run must go on
        break;
    case SYS_TASK_SPAWN:
        in[0] = pick_handle(OBJECT_KERNEL);
        pick_name(&in[1], &in[2]);
        in[3] = below(4) ? below(40) : any();
        in[4] = pick_handle(OBJECT_NONE);
        if (model_find(in[4]) != 0 && model_find(in[4])->obj == OBJ_OWN_EP) {
            // A helper receiving there would take the message meant for the fuzzer.
            in[4] = bad_handle();
        }
        break;
    case SYS_IRQ_CREATE: {
        // Refused lines, and the RTC's (34), which never fires here: the
        // fuzzer must not take the console UART's line (as the kernel
        // reports it).
        static const uint64_t lines[] = {34, 27, 3, 5000, 100};
        in[0] = pick_handle(OBJECT_KERNEL);
        in[1] = below(4) ? lines[below(5)] : any();
        if (in[1] == console_uart.intid) {
            in[1] = 100;
        }
        break;
    }
    case SYS_DEVICE_FRAME_CREATE: {
        // RAM, the GIC, misaligned, nothing there, and the RTC's page,
        // which the fuzzer may map but never writes: never the UART's.
        static const uint64_t pages[] = {0x09010000, 0x40000000, 0x08000000, 0x09010008,
                                         0x09100000};
        in[0] = pick_handle(OBJECT_KERNEL);
        in[1] = below(4) ? pages[below(5)] : any();
        if ((in[1] & ~0xfffull) == console_uart.page) {
            in[1] = 0x09100000;
        }
        break;
    }
    case SYS_CONSOLE_DEVICE:
        in[0] = pick_handle(OBJECT_KERNEL);
        break;
    case SYS_IRQ_BIND:
        in[0] = pick_handle(OBJECT_IRQ_HANDLER);
        in[1] = pick_handle(OBJECT_NOTIFICATION);
        in[2] = below(4) ? 1ull << below(64) : any();
        break;
    case SYS_IRQ_ACK:
        in[0] = pick_handle(OBJECT_IRQ_HANDLER);
        break;
    case SYS_KERNEL_STATS:
        in[0] = pick_handle(OBJECT_KERNEL);
        pick_stats(&in[1], &in[2]);
        break;
    case SYS_TASK_INFO:
        in[0] = pick_handle(OBJECT_TASK);
        break;
    default: // yield, and numbers past the last: arguments are ignored
        break;
    }
}

/**
 * The call's number: every one but SYS_EXIT, numbers past the last, and
 * deletes more often than the rest (so that the table does not stay full).
 */
static uint64_t pick_number(void)
{
    for (;;) {
        uint64_t r = below(SYS_COUNT + 6);
        if (r < SYS_COUNT) {
            if (r != SYS_EXIT) {
                return r;
            }
        } else if (r == SYS_COUNT) {
            return next();
        } else if (r < SYS_COUNT + 3) {
            return SYS_COUNT + below(1000);
        } else {
            return SYS_CAP_DELETE;
        }
    }
}

/** Bit i set: xi may change when the call succeeds (kernel/abi/syscall.h). */
static uint32_t results(uint64_t n)
{
    switch (n) {
    case SYS_CAP_DERIVE:
    case SYS_CAP_BADGE:
    case SYS_NOTIFY_WAIT:
    case SYS_NOTIFY_POLL:
    case SYS_ENDPOINT_CREATE:
    case SYS_NOTIFY_CREATE:
    case SYS_FRAME_CREATE:
    case SYS_SPACE_CREATE:
    case SYS_IRQ_CREATE:
    case SYS_DEVICE_FRAME_CREATE:
        return 1u << 1;
    case SYS_TASK_CREATE:
    case SYS_TASK_SPAWN:
        return 1u << 1 | 1u << 2;
    case SYS_CONSOLE_DEVICE:
        return 0x1eu; // x1-x4: page, offset, size, line
    case SYS_TASK_INFO:
        return 0x6u; // x1-x2: CPU, affinity
    case SYS_CALL:
        return 0xfeu;
    case SYS_RECV:
    case SYS_REPLY_RECV:
        return 0x1feu; // x8: the badge of the message received
    default:
        return 0;
    }
}

/** Whether call n takes a capability handle in x0. */
static int takes_handle(uint64_t n)
{
    return n >= SYS_CAP_DERIVE && n < SYS_COUNT && n != SYS_REPLY;
}

/** Prints a violation of the ABI: the seed, the call, every register before and after. */
static void violation(const char *what, const uint64_t in[31], const uint64_t out[33])
{
    violations++;
    if (violations > MAX_REPORTS) {
        return;
    }
    sys_printf(INIT_HANDLE_CONSOLE, "fuzz: FAIL seed 0x%llx call %llu number %llu: %s\n",
               (unsigned long long)seed, (unsigned long long)call_index, (unsigned long long)in[8],
               what);
    for (int i = 0; i < 31; i++) {
        if (in[i] != out[i] || i < 8) {
            sys_printf(INIT_HANDLE_CONSOLE, "fuzz:   x%d 0x%llx -> 0x%llx\n", i,
                       (unsigned long long)in[i], (unsigned long long)out[i]);
        }
    }
}

/* The counter when the last call's deadline was chosen. */
static uint64_t deadline_now;

/** A deadline for x9 (kernel/abi/syscall.h), as the header says. */
static uint64_t pick_deadline(uint64_t n)
{
    deadline_now = sys_clock_now();
    switch (below(4)) {
    case 0:
        return 0;
    case 1: // passed: at or before now
        return below(2) ? 1 : deadline_now - below(1000);
    case 2: // far: never comes, and nothing may overflow
        return UINT64_MAX - below(4);
    default: // a little ahead (a call would wait for its reply: far instead)
        return n == SYS_CALL ? UINT64_MAX / 2 + below(1000) : deadline_now + 1 + below(100000);
    }
}

/** Checks the registers after call in[8]. */
static void check(const uint64_t in[31], const uint64_t out[33])
{
    uint64_t n = in[8];
    uint64_t st = out[0];
    if (st == STATUS_TIMED_OUT && in[9] == 0) {
        violation("a call with no deadline timed out", in, out);
    }
    if (st == STATUS_TIMED_OUT && in[9] > deadline_now) {
        violation("a call timed out before its deadline", in, out);
    }
    if (st == STATUS_OK && n == SYS_CALL && in[9] != 0 && in[9] <= deadline_now) {
        violation("a call whose deadline had passed was made", in, out);
    }
    uint32_t may = st == STATUS_OK ? results(n) : 0;
    if (st >= STATUS_COUNT) {
        violation("status out of range", in, out);
    }
    for (int i = 1; i < 31; i++) {
        if (out[i] != in[i] && (may & (1u << i)) == 0) {
            violation("a register that is not a result changed", in, out);
            break;
        }
    }
    if (out[31] != out[32]) {
        violation("sp changed", in, out);
    }
    if (n >= SYS_COUNT && st != STATUS_UNKNOWN_SYSCALL) {
        violation("an unknown number did not fail with UNKNOWN_SYSCALL", in, out);
    }
    if (st == STATUS_OK && takes_handle(n) && names_nothing(in[0])) {
        violation("a handle that names nothing was accepted", in, out);
    }
    if (st == STATUS_OK && n == SYS_CONSOLE_DEVICE &&
        (out[1] != console_uart.page || out[2] != console_uart.offset ||
         out[3] != console_uart.size || out[4] != console_uart.intid)) {
        violation("the console's report changed", in, out);
    }
    if (st == STATUS_OK && n == SYS_CALL && sys_msg_words(in[1]) <= SYS_MSG_MAX_WORDS) {
        // The helper echoes the words.
        for (uint32_t i = 0; i < sys_msg_words(in[1]); i++) {
            if (out[2 + i] != in[2 + i]) {
                violation("the helper's reply lost a word", in, out);
                break;
            }
        }
    }
}

/** Keeps the model in step with what the call did. */
static void update(const uint64_t in[31], const uint64_t out[33])
{
    uint64_t n = in[8];
    if (out[0] != STATUS_OK) {
        if (out[0] == STATUS_STALE_HANDLE && takes_handle(n)) {
            model_remove(in[0]);
        }
        return;
    }
    const struct entry *e = model_find(in[0]);
    switch (n) {
    case SYS_CAP_DERIVE:
        if (e != 0) {
            model_add(out[1], e->obj, e->kind, (uint32_t)in[1], 0);
        }
        break;
    case SYS_CAP_BADGE:
        if (e != 0) {
            model_add(out[1], e->obj, e->kind, (uint32_t)in[1], 0);
        }
        break;
    case SYS_CAP_DELETE:
        model_remove(in[0]);
        break;
    case SYS_SEND:
    case SYS_CALL:
        for (uint32_t i = 0; i < sys_msg_caps(in[1]) && i < SYS_MSG_MAX_CAPS; i++) {
            model_remove(in[6 + i]);
        }
        break;
    case SYS_RECV:
    case SYS_REPLY_RECV:
        sendback_pending = 0;
        break;
    case SYS_ENDPOINT_CREATE:
        model_add(out[1], next_obj++, OBJECT_ENDPOINT, R_IPC, 0);
        break;
    case SYS_NOTIFY_CREATE:
        model_add(out[1], next_obj++, OBJECT_NOTIFICATION, R_IPC, 0);
        break;
    case SYS_FRAME_CREATE:
        model_add(out[1], next_obj++, OBJECT_FRAME, R_FRAME, 0);
        break;
    case SYS_SPACE_CREATE:
        model_add(out[1], next_obj++, OBJECT_ADDRESS_SPACE, R_SPACE, 0);
        break;
    case SYS_TASK_CREATE:
        model_add(out[1], next_obj++, OBJECT_TASK, R_TASK, 0);
        break;
    case SYS_TASK_SPAWN:
        model_add(out[1], next_obj++, OBJECT_TASK, R_TASK, 0);
        model_add(out[2], next_obj++, OBJECT_ADDRESS_SPACE, R_SPACE, 0);
        break;
    case SYS_IRQ_CREATE:
        model_add(out[1], next_obj++, OBJECT_IRQ_HANDLER, R_IRQ, 0);
        break;
    case SYS_DEVICE_FRAME_CREATE:
        model_add(out[1], next_obj++, OBJECT_FRAME, R_DEVICE_FRAME, 0);
        break;
    default:
        break;
    }
}

/** One random call, checked. */
static void one_call(void)
{
    static uint64_t in[31], out[33];
    uint64_t n = pick_number();
    pick_args(n, in);
    in[8] = n;
    for (int i = 10; i < 31; i++) {
        in[i] = next();
    }
    in[9] = pick_deadline(n);
    if (call_index >= FUZZ_TRACE_FROM) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "fuzz: call %llu number %llu: 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx "
                   "0x%llx\n",
                   (unsigned long long)call_index, (unsigned long long)n, (unsigned long long)in[0],
                   (unsigned long long)in[1], (unsigned long long)in[2], (unsigned long long)in[3],
                   (unsigned long long)in[4], (unsigned long long)in[5], (unsigned long long)in[6],
                   (unsigned long long)in[7]);
    }
    fuzz_svc(in, out);
    check(in, out);
    update(in, out);
    status_counts[out[0] < STATUS_COUNT ? out[0] : STATUS_COUNT]++;
}

/** The helper and the fixed capabilities; 0 on success. */
static int setup(void)
{
    handle_t task = HANDLE_NONE, space = HANDLE_NONE, give = HANDLE_NONE;
    model_add(INIT_HANDLE_KERNEL, OBJ_KERNEL, OBJECT_KERNEL, RIGHTS_ALL, KEEP);
    model_add(INIT_HANDLE_SPACE, OBJ_SPACE, OBJECT_ADDRESS_SPACE, R_SPACE, KEEP);
    model_add(INIT_HANDLE_SELF, OBJ_SELF, OBJECT_TASK, R_TASK, KEEP);
    model_add(INIT_HANDLE_CONSOLE, OBJ_CONSOLE, OBJECT_CONSOLE, R_CONSOLE, KEEP);
    if (sys_console_device(INIT_HANDLE_KERNEL, &console_uart) != STATUS_OK ||
        sys_endpoint_create(INIT_HANDLE_KERNEL, &helper_ep) != STATUS_OK ||
        sys_endpoint_create(INIT_HANDLE_KERNEL, &own_ep) != STATUS_OK ||
        sys_notify_create(INIT_HANDLE_KERNEL, &note) != STATUS_OK ||
        sys_cap_derive(own_ep, RIGHT_SEND | RIGHT_GRANT, &give) != STATUS_OK) {
        return 1;
    }
    // An image whose segment lies in the spawn stack: a named refusal, not a halt.
    status_t st =
        sys_task_spawn(INIT_HANDLE_KERNEL, "stackseg", HELPER_PRIORITY, HANDLE_NONE, &task, &space);
    sys_printf(INIT_HANDLE_CONSOLE, "fuzz: spawn stackseg: status %u\n", (unsigned)st);
    if (st != STATUS_ALREADY_MAPPED) {
        violations++;
    }
    // The helper's task and space stay out of the model: nothing may stop it.
    if (sys_task_spawn(INIT_HANDLE_KERNEL, "fuzzhelp", HELPER_PRIORITY, helper_ep, &task, &space) !=
        STATUS_OK) {
        return 1;
    }
    struct sys_msg msg = {0};
    msg.label = FUZZ_LABEL_GIVE;
    msg.cap_count = 1;
    msg.caps[0] = give;
    struct sys_msg reply;
    if (sys_call(helper_ep, &msg, &reply) != STATUS_OK) {
        return 1;
    }
    model_add(helper_ep, OBJ_HELPER_EP, OBJECT_ENDPOINT, R_IPC, KEEP | KEEP_ALL);
    model_add(own_ep, OBJ_OWN_EP, OBJECT_ENDPOINT, R_IPC, KEEP | KEEP_ALL);
    model_add(note, OBJ_NOTE, OBJECT_NOTIFICATION, R_IPC, KEEP);
    return 0;
}

/** The final lines: calls, violations, then each status seen and how often. */
static void summary(void)
{
    sys_printf(INIT_HANDLE_CONSOLE, "fuzz: statuses:");
    for (uint32_t i = 0; i <= STATUS_COUNT; i++) {
        if (status_counts[i] != 0) {
            sys_printf(INIT_HANDLE_CONSOLE, " %u:%llu", i, (unsigned long long)status_counts[i]);
        }
    }
    sys_printf(INIT_HANDLE_CONSOLE, "\n");
    sys_printf(INIT_HANDLE_CONSOLE, "fuzz: done: %llu calls, %llu violations, seed 0x%llx\n",
               (unsigned long long)call_index, (unsigned long long)violations,
               (unsigned long long)seed);
    sys_printf(INIT_HANDLE_CONSOLE, "fuzz: %s\n", violations == 0 ? "passed" : "FAILED");
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    seed = FUZZ_SEED;
    rng = seed;
    sys_printf(INIT_HANDLE_CONSOLE, "fuzz: seed 0x%llx, %llu calls\n", (unsigned long long)seed,
               (unsigned long long)fuzz_call_count);
    if (setup() != 0) {
        sys_printf(INIT_HANDLE_CONSOLE, "fuzz: setup FAILED\n");
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
        return 1;
    }
    for (call_index = 0; call_index < fuzz_call_count; call_index++) {
        one_call();
        if ((call_index + 1) % fuzz_progress_every == 0) {
            sys_printf(INIT_HANDLE_CONSOLE, "fuzz: %llu calls, %llu violations\n",
                       (unsigned long long)(call_index + 1), (unsigned long long)violations);
        }
    }
    summary();
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
