/*
 * The interactive shell: reads lines from the UART driver (uart_proto.h),
 * edits them (shell_line.h), parses them (shell_cmd.h) and runs them
 * through the process manager (procmgr.h) and the kernel's statistics
 * call. Everything it prints goes through the UART driver too. Its
 * capabilities come from init (shell.h).
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/format.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/procmgr/procmgr.h"
#include "userland/shell/shell.h"
#include "userland/shell/shell_bench.h"
#include "userland/shell/shell_cmd.h"
#include "userland/shell/shell_line.h"
#include "userland/uart/uart_proto.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* What init gave the shell. */
static struct {
    handle_t kernel;
    handle_t procmgr;
    handle_t uart;
    handle_t console;
} sh;

/* Prints through the UART driver; returns its status. */
static status_t out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static status_t out(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    size_t n = sys_format(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= sizeof buf) {
        n = sizeof buf - 1;
    }
    return n > 0 ? uart_write(sh.uart, buf, n) : STATUS_OK;
}

/* The names of the kernel's status codes (kernel/abi/status.h), for messages. */
static const char *status_name(status_t st)
{
    static const char *const names[] = {
        "OK",
        "INVALID_ARGUMENT",
        "NO_MEMORY",
        "OUT_OF_RANGE",
        "MISALIGNED",
        "NOT_ALLOCATED",
        "RESERVED",
        "ALREADY_MAPPED",
        "NOT_MAPPED",
        "PERMISSION",
        "BAD_FORMAT",
        "NOT_FOUND",
        "UNSUPPORTED",
        "BAD_HANDLE",
        "STALE_HANDLE",
        "WRONG_KIND",
        "MISSING_RIGHT",
        "BAD_BUFFER",
        "UNKNOWN_SYSCALL",
        "NO_CURRENT_TASK",
        "TABLE_FULL",
        "OBJECT_DESTROYED",
        "WOULD_BLOCK",
        "BAD_STATE",
        "WX_CONFLICT",
        "QUOTA",
        "TIMED_OUT",
        "BAD_AFFINITY",
    };
    if (st >= 0 && (size_t)st < sizeof names / sizeof names[0]) {
        return names[st];
    }
    return "?";
}

static size_t text_length(const char *s)
{
    size_t n = 0;
    while (s[n] != 0) {
        n++;
    }
    return n;
}

/* A call to the process manager with words[0] = word; its status (label) and reply. */
static status_t pm_call(uint64_t label, uint64_t word, struct sys_msg *reply)
{
    struct sys_msg msg = {label, 1, 0, {word, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
    status_t st = sys_call(sh.procmgr, &msg, reply);
    return st == STATUS_OK ? (status_t)(uint32_t)reply->label : st;
}

/* ps: every record the process manager keeps, by id. */
static void cmd_ps(void)
{
    struct procmgr_entry e[PROCMGR_MAX_RECORDS];
    uint32_t n = 0;
    uint32_t cursor = 0;
    struct sys_msg reply;
    status_t st = STATUS_OK;
    while (n < PROCMGR_MAX_RECORDS) {
        st = pm_call(PROCMGR_LIST, cursor, &reply);
        if (st != STATUS_OK || !procmgr_unpack_entry(&reply, &e[n]) || e[n].next <= cursor) {
            break;
        }
        cursor = e[n++].next;
    }
    if (st != STATUS_OK && st != STATUS_NOT_FOUND) {
        out("ps: the process manager answered %s\n", status_name(st));
        return;
    }
    // By id: an insertion sort of indices (n <= 24; no struct copies, which
    // would be memcpy calls the freestanding program does not have).
    uint32_t order[PROCMGR_MAX_RECORDS];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = i;
        for (; j > 0 && e[order[j - 1]].id > e[i].id; j--) {
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
    out("  ID  STATE    PRIO  CPU  IMAGE\n");
    for (uint32_t k = 0; k < n; k++) {
        const struct procmgr_entry *r = &e[order[k]];
        if (r->cpu == PROCMGR_CPU_NONE) {
            out("%4u  %-8s %4u    -  %s\n", (unsigned)r->id, procmgr_state_name(r->state),
                (unsigned)r->priority, r->name);
        } else {
            out("%4u  %-8s %4u  %3u  %s\n", (unsigned)r->id, procmgr_state_name(r->state),
                (unsigned)r->priority, (unsigned)r->cpu, r->name);
        }
    }
}

/* spawn NAME [PRIORITY]: through the process manager, with a console capability for the task. */
static void cmd_spawn(const struct shell_cmd *c)
{
    struct sys_msg msg = {PROCMGR_SPAWN, 0, 1, {0, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
    procmgr_pack_spawn(&msg, c->name, c->priority);
    status_t st = sys_cap_derive(sh.console, RIGHT_WRITE | RIGHT_GRANT, &msg.caps[0]);
    struct sys_msg reply;
    if (st == STATUS_OK) {
        st = sys_call_caps(sh.procmgr, &msg, 2, &reply);
        if (st != STATUS_OK) {
            sys_cap_delete(msg.caps[0]);
        }
    }
    if (st == STATUS_OK) {
        st = (status_t)(uint32_t)reply.label;
    }
    if (st != STATUS_OK) {
        out("spawn: %s: %s%s\n", c->name, status_name(st),
            st == STATUS_NOT_FOUND ? " (no such image)" : "");
        return;
    }
    // The process manager keeps the task alive; the shell needs no copy.
    for (uint32_t i = 0; i < reply.cap_count && i < SYS_MSG_MAX_CAPS; i++) {
        sys_cap_delete(reply.caps[i]);
    }
    out("spawned %s as task %u\n", c->name, (unsigned)reply.words[0]);
}

static void cmd_kill(const struct shell_cmd *c)
{
    struct sys_msg reply;
    status_t st = pm_call(PROCMGR_KILL, c->id, &reply);
    switch (st) {
    case STATUS_OK:
        out("killed task %u\n", (unsigned)c->id);
        return;
    case STATUS_NOT_FOUND:
        out("kill: no task %u\n", (unsigned)c->id);
        return;
    case STATUS_PERMISSION:
        out("kill: task %u was not started by the process manager\n", (unsigned)c->id);
        return;
    case STATUS_BAD_STATE:
        out("kill: task %u has ended already\n", (unsigned)c->id);
        return;
    default:
        out("kill: %u: %s\n", (unsigned)c->id, status_name(st));
        return;
    }
}

/* mem: SYS_KERNEL_STATS. */
static void cmd_mem(void)
{
    static const char *const kinds[] = {"none",   "task",    "endpoint",    "notification",
                                        "space",  "frame",   "irq",         "reply",
                                        "kernel", "console", "device frame"};
    struct sys_kernel_stats s;
    status_t st = sys_kernel_stats(sh.kernel, &s);
    if (st != STATUS_OK) {
        out("mem: %s\n", status_name(st));
        return;
    }
    out("frames: %llu free of %llu (%llu KiB free), %llu of them reserved by address spaces\n",
        (unsigned long long)s.frames_free, (unsigned long long)s.frames_total,
        (unsigned long long)s.frames_free * 4, (unsigned long long)s.frames_reserved);
    out("objects in use (of slots):\n");
    for (uint32_t k = 1; k < s.kind_count && k < SYS_KERNEL_STATS_KINDS; k++) {
        if (k < sizeof kinds / sizeof kinds[0]) {
            out("  %-13s %5u of %u\n", kinds[k], (unsigned)s.objects_used[k],
                (unsigned)s.objects_max[k]);
        } else {
            out("  kind %-8u %5u of %u\n", (unsigned)k, (unsigned)s.objects_used[k],
                (unsigned)s.objects_max[k]);
        }
    }
}

/*
 * bench: the operations of the benchmark kernel's program (userland/bench,
 * tools/bazel run //bsp:bench), timed with the counter instead of counting
 * instructions (only the benchmark kernel lets EL0 read the PMU): against
 * the same helper images, echo and waiter, which run just above the shell
 * so that each call hands the CPU straight over. Each figure is the median
 * of SHELL_BENCH_RUNS runs of SHELL_BENCH_OPS operations, in nanoseconds
 * of the counter: wall-clock time under QEMU, so it varies with the host.
 */
#define SHELL_BENCH_RUNS 11u
#define SHELL_BENCH_OPS 1000u

/* The operations: one each; a status other than expected ends the run. */
enum bench_op { BENCH_NULL, BENCH_YIELD, BENCH_IPC, BENCH_SIGNAL };

static status_t bench_once(enum bench_op op, handle_t ep, handle_t note)
{
    switch (op) {
    case BENCH_NULL: {
        uint64_t r[8] = {0};
        status_t st = sys_raw(SYS_COUNT, r); // no such call: refused at once
        return st == STATUS_UNKNOWN_SYSCALL ? STATUS_OK : st;
    }
    case BENCH_YIELD:
        return sys_yield();
    case BENCH_IPC: {
        struct sys_msg msg = {1, 1, 0, {42, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
        struct sys_msg reply;
        return sys_call(ep, &msg, &reply);
    }
    default:
        return sys_notify_signal(note, 1);
    }
}

/* Times op: the median nanoseconds of one, or the status that stopped it. */
static status_t bench_time(enum bench_op op, handle_t ep, handle_t note, uint64_t *ns)
{
    uint64_t runs[SHELL_BENCH_RUNS];
    for (uint32_t r = 0; r < SHELL_BENCH_RUNS; r++) {
        uint64_t t0 = sys_clock_now();
        for (uint32_t i = 0; i < SHELL_BENCH_OPS; i++) {
            status_t st = bench_once(op, ep, note);
            if (st != STATUS_OK) {
                return st;
            }
        }
        runs[r] = sys_clock_now() - t0;
    }
    *ns =
        shell_bench_ns(shell_bench_median(runs, SHELL_BENCH_RUNS), sys_clock_hz(), SHELL_BENCH_OPS);
    return STATUS_OK;
}

/* A helper image at priority, given arg; its task and space into h[0], h[1]. */
static status_t bench_helper(const char *name, handle_t arg, handle_t h[2])
{
    return sys_task_spawn(sh.kernel, name, SHELL_PRIORITY + 1, arg, &h[0], &h[1]);
}

/* Revokes and deletes every handle of h[0..n) that is set: a helper ends
 * when its space goes (the shell holds the only capabilities to both). */
static void bench_drop(handle_t *h, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (h[i] != HANDLE_NONE) {
            (void)sys_cap_revoke(h[i]);
            (void)sys_cap_delete(h[i]);
        }
    }
}

static void cmd_bench(void)
{
    static const struct {
        enum bench_op op;
        const char *what;
    } rows[] = {
        {BENCH_NULL, "null system call round trip"},
        {BENCH_YIELD, "yield with no other task ready"},
        {BENCH_IPC, "IPC call + reply round trip"},
        {BENCH_SIGNAL, "notification signal, wake, wait again"},
    };
    // ep, note, echo's task and space, waiter's task and space.
    handle_t h[6] = {HANDLE_NONE, HANDLE_NONE, HANDLE_NONE, HANDLE_NONE, HANDLE_NONE, HANDLE_NONE};
    const char *step = "creating an endpoint";
    status_t st = sys_endpoint_create(sh.kernel, &h[0]);
    if (st == STATUS_OK) {
        step = "creating a notification";
        st = sys_notify_create(sh.kernel, &h[1]);
    }
    if (st == STATUS_OK) {
        step = "starting echo";
        st = bench_helper("echo", h[0], &h[2]);
    }
    if (st == STATUS_OK) {
        step = "starting waiter";
        st = bench_helper("waiter", h[1], &h[4]);
    }
    uint64_t ns[sizeof rows / sizeof rows[0]];
    for (uint32_t i = 0; st == STATUS_OK && i < sizeof rows / sizeof rows[0]; i++) {
        step = rows[i].what;
        st = bench_time(rows[i].op, h[0], h[1], &ns[i]);
    }
    // The helpers first (tasks and spaces): an endpoint or a
    // notification destroyed under them would make their loops spin.
    bench_drop(&h[2], 4);
    bench_drop(h, 2);
    if (st != STATUS_OK) {
        out("bench: %s: %s\n", step, status_name(st));
        return;
    }
    out("bench: nanoseconds (counter at %llu Hz), median of %u runs of %u\n",
        (unsigned long long)sys_clock_hz(), SHELL_BENCH_RUNS, SHELL_BENCH_OPS);
    for (uint32_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        out("bench: %-40s %8llu\n", rows[i].what, (unsigned long long)ns[i]);
    }
    out("bench: instructions, the same on every machine: tools/bazel run //bsp:bench\n");
}

/* Runs one complete line. */
static void run(const struct shell_line *l)
{
    if (l->overflow > 0) {
        out("shell: line too long (%u characters, at most %u): ignored\n",
            (unsigned)(l->len + l->overflow), (unsigned)(SHELL_LINE_MAX - 1));
        return;
    }
    struct shell_cmd c;
    shell_parse(l->text, &c);
    switch (c.kind) {
    case SHELL_CMD_EMPTY:
        return;
    case SHELL_CMD_HELP:
        uart_write(sh.uart, shell_help_text, text_length(shell_help_text));
        return;
    case SHELL_CMD_PS:
        cmd_ps();
        return;
    case SHELL_CMD_SPAWN:
        cmd_spawn(&c);
        return;
    case SHELL_CMD_KILL:
        cmd_kill(&c);
        return;
    case SHELL_CMD_MEM:
        cmd_mem();
        return;
    case SHELL_CMD_ECHO:
        if (c.text_len > 0) {
            uart_write(sh.uart, c.text, c.text_len);
        }
        out("\n");
        return;
    case SHELL_CMD_BENCH:
        cmd_bench();
        return;
    case SHELL_CMD_POWEROFF:
        out("powering off\n");
        out("shell: %s\n", status_name(sys_power_off(sh.kernel, SYS_POWER_OFF_HALT)));
        return;
    case SHELL_CMD_USAGE:
        out("%s\n", c.usage);
        return;
    default:
        out("unknown command: %s (type help for the list)\n", c.name);
        return;
    }
}

/* Receives init's two setup messages (shell.h); 0 if either is wrong. */
static int setup(handle_t endpoint)
{
    struct sys_msg m;
    if (sys_recv_caps(endpoint, 2, &m) != STATUS_OK || m.label != SHELL_SETUP_SYSTEM ||
        m.cap_count != 2) {
        return 0;
    }
    sh.kernel = m.caps[0];
    sh.procmgr = m.caps[1];
    if (sys_recv_caps(endpoint, 2, &m) != STATUS_OK || m.label != SHELL_SETUP_TERMINAL ||
        m.cap_count != 2) {
        return 0;
    }
    sh.uart = m.caps[0];
    sh.console = m.caps[1];
    return 1;
}

int main(uint64_t endpoint)
{
    if (!setup(endpoint)) {
        return 1;
    }
    sys_cap_delete(endpoint);
    static struct shell_line line;
    shell_line_reset(&line);
    out("shell: type help for the commands\n");
    status_t st = out(SHELL_PROMPT);
    while (st == STATUS_OK) {
        uint8_t in[UART_INLINE_MAX];
        size_t got = 0;
        st = uart_read(sh.uart, in, sizeof in, &got);
        for (size_t i = 0; st == STATUS_OK && i < got; i++) {
            char echo[SHELL_ECHO_MAX];
            uint32_t n = 0;
            int r = shell_line_feed(&line, in[i], echo, &n);
            if (n > 0) {
                uart_write(sh.uart, echo, n);
            }
            if (r == SHELL_LINE_MORE) {
                continue;
            }
            out("\n");
            if (r == SHELL_LINE_READY) {
                run(&line);
            }
            shell_line_reset(&line);
            st = out(SHELL_PROMPT);
        }
    }
    // The UART driver is gone or refuses: say so where the kernel prints.
    sys_printf(sh.console, "shell: the UART driver answered %s; the shell stops\n",
               status_name(st));
    return 1;
}
