/*
 * init: the first task, started by the kernel with the capabilities of
 * kernel/abi/init.h in fixed slots. It starts the UART driver
 * (userland/uart), through which it and the programs it starts print from
 * then on (the kernel's console when the driver cannot start), and the
 * process manager (userland/procmgr), to which it lends a kernel and a
 * console capability; then asks it for hello, giving hello an endpoint of
 * the driver, then for crash, which faults: the process manager tells init
 * when the kernel has stopped it. Then it powers off, or, when its boot
 * flags (x2, kernel/abi/init.h) ask for the shell, starts the interactive
 * shell (userland/shell) on the driver and leaves the machine to it.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/procmgr/procmgr.h"
#include "userland/shell/shell.h"
#include "userland/uart/uart_start.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* The process manager runs above init (16) and below what it starts (20). */
#define INIT_PROCMGR_PRIORITY 18

/* init's own priority (the kernel's KERNEL_INIT_PRIORITY), for the process manager's list. */
#define INIT_PRIORITY 16

/* crash runs below init (16): it starts only once init waits. */
#define INIT_CRASH_PRIORITY 10

/* The UART driver runs above every client, so it serves each call at once. */
#define INIT_UART_PRIORITY 24

/* Where init and what it starts print: the UART driver, or the console. */
static handle_t out = INIT_HANDLE_CONSOLE;

/* Reports a failed step and powers off: init has nothing else to do. */
static void fail(const char *what, status_t st)
{
    sys_printf(out, "init: %s failed (status %d)\n", what, st);
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
}

/*
 * Asks the process manager on ep for the image name at priority (0: its
 * default), giving the new task the capability give (made with status
 * made: not OK means give is not there); the task's and its space's
 * capabilities come back in *task and *space, its id in *id (may be NULL).
 */
static status_t spawn_giving(handle_t ep, const char *name, uint64_t priority, handle_t give,
                             status_t made, handle_t *task, handle_t *space, uint64_t *id)
{
    struct sys_msg request = {PROCMGR_SPAWN, 0, 1, {0, 0, 0, 0}, {give, HANDLE_NONE}};
    if (!procmgr_pack_spawn(&request, name, priority)) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = made;
    struct sys_msg reply;
    if (st == STATUS_OK) {
        st = sys_call_caps(ep, &request, 2, &reply);
    }
    if (st == STATUS_OK && (reply.label != STATUS_OK || reply.cap_count != 2)) {
        st = reply.label != STATUS_OK ? (status_t)reply.label : STATUS_BAD_FORMAT;
    }
    if (st == STATUS_OK) {
        *task = reply.caps[0];
        *space = reply.caps[1];
        if (id != 0) {
            *id = reply.words[0];
        }
    }
    return st;
}

/* A capability to print through for a new task: of the driver's endpoint, or the console. */
static status_t derive_out(handle_t *give)
{
    return out == INIT_HANDLE_CONSOLE ? sys_cap_derive(out, RIGHT_WRITE | RIGHT_GRANT, give)
                                      : sys_cap_derive(out, RIGHT_SEND | RIGHT_GRANT, give);
}

/*
 * Asks the process manager on ep for the image name at priority (0: its
 * default), giving the new task a capability to print through of its own;
 * the task's and its space's capabilities come back in *task and *space.
 */
static status_t spawn(handle_t ep, const char *name, uint64_t priority, handle_t *task,
                      handle_t *space)
{
    handle_t give = HANDLE_NONE;
    status_t st = derive_out(&give);
    return spawn_giving(ep, name, priority, give, st, task, space, 0);
}

/* Sends the setup message label with two capabilities derived from a and b on ep. */
static status_t send_two(handle_t ep, uint64_t label, handle_t a, rights_t ra, handle_t b,
                         rights_t rb)
{
    struct sys_msg m = {label, 0, 2, {0, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
    status_t st = sys_cap_derive(a, ra, &m.caps[0]);
    if (st == STATUS_OK) {
        st = sys_cap_derive(b, rb, &m.caps[1]);
    }
    if (st == STATUS_OK) {
        st = sys_send(ep, &m);
    }
    return st;
}

/*
 * Starts the shell (shell.h) on the UART driver init started (uart, a
 * capability to its endpoint), then waits for good: the machine is the
 * shell's to power off. Returns only on failure.
 */
static status_t start_shell(handle_t pm, handle_t uart)
{
    handle_t setup = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    handle_t give = HANDLE_NONE;
    status_t st = STATUS_OK;
    if (uart == INIT_HANDLE_CONSOLE) {
        sys_printf(out, "init: the shell needs the UART driver, which did not start\n");
        return STATUS_NOT_FOUND;
    }
    if (st == STATUS_OK) {
        st = sys_endpoint_create(INIT_HANDLE_KERNEL, &setup);
    }
    if (st == STATUS_OK) {
        st = sys_cap_derive(setup, RIGHT_RECV | RIGHT_GRANT, &give);
        st = spawn_giving(pm, "shell", SHELL_PRIORITY, give, st, &task, &space, 0);
    }
    if (st == STATUS_OK) {
        st = send_two(setup, SHELL_SETUP_SYSTEM, INIT_HANDLE_KERNEL, RIGHT_CONTROL | RIGHT_GRANT,
                      pm, RIGHT_SEND | RIGHT_GRANT);
    }
    if (st == STATUS_OK) {
        st = send_two(setup, SHELL_SETUP_TERMINAL, uart, RIGHT_SEND | RIGHT_GRANT,
                      INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_GRANT | RIGHT_DERIVE);
    }
    handle_t forever = HANDLE_NONE;
    if (st == STATUS_OK) {
        st = sys_notify_create(INIT_HANDLE_KERNEL, &forever);
    }
    // init stays: it holds the process manager's space. Nothing signals this.
    uint64_t bits = 0;
    while (st == STATUS_OK) {
        st = sys_notify_wait(forever, &bits);
    }
    return st;
}

int main(uint64_t arg, uint64_t frequency, uint64_t flags)
{
    (void)arg;       // 0 for init
    (void)frequency; // x1: the counter's frequency (libsys keeps it: sys_clock_hz)
    sys_printf(INIT_HANDLE_CONSOLE, "init: hello from EL0\n");

    // The UART driver: init's own output, and its programs', goes through it.
    handle_t uart = HANDLE_NONE;
    status_t ust = uart_start(INIT_HANDLE_KERNEL, INIT_UART_PRIORITY, &uart);
    if (ust == STATUS_OK) {
        out = uart;
        sys_printf(out, "init: uart driver started, printing through it\n");
    } else {
        sys_printf(INIT_HANDLE_CONSOLE, "init: no uart driver (status %d), using the console\n",
                   ust);
    }

    // The process manager, serving an endpoint init shares with it.
    handle_t ep = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    if (st != STATUS_OK) {
        fail("endpoint", st);
    }
    handle_t pm = HANDLE_NONE;
    handle_t pm_space = HANDLE_NONE;
    st = sys_task_spawn(INIT_HANDLE_KERNEL, "procmgr", INIT_PROCMGR_PRIORITY, ep, &pm, &pm_space);
    if (st != STATUS_OK) {
        fail("starting procmgr", st);
    }
    // Lend it a kernel and a console capability (copies: init keeps its own).
    struct sys_msg setup = {PROCMGR_SETUP,
                            2,
                            2,
                            {INIT_PRIORITY, INIT_PROCMGR_PRIORITY, 0, 0},
                            {HANDLE_NONE, HANDLE_NONE}};
    st = sys_cap_derive(INIT_HANDLE_KERNEL, RIGHTS_ALL, &setup.caps[0]);
    if (st == STATUS_OK) {
        st = sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_GRANT, &setup.caps[1]);
    }
    if (st == STATUS_OK) {
        st = sys_send(ep, &setup);
    }
    if (st != STATUS_OK) {
        fail("setting procmgr up", st);
    }

    // Ask it for hello, with a console capability of hello's own. hello
    // runs, and ends, before procmgr replies: it is more urgent than both.
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    st = spawn(ep, "hello", 0, &task, &space);
    if (st != STATUS_OK) {
        fail("spawning hello through procmgr", st);
    }
    sys_printf(out, "init: procmgr started hello\n");

    // crash faults on purpose. It runs below init, so it starts only once
    // init waits: the process manager, which watches every task it
    // spawns, answers init's wait when the kernel has stopped crash.
    uint64_t crash = 0;
    handle_t give = HANDLE_NONE;
    st = derive_out(&give);
    st = spawn_giving(ep, "crash", INIT_CRASH_PRIORITY, give, st, &task, &space, &crash);
    struct sys_msg wait = {PROCMGR_WAIT, 1, 0, {crash, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
    struct sys_msg reply;
    if (st == STATUS_OK) {
        st = sys_call(ep, &wait, &reply);
    }
    if (st == STATUS_OK) {
        st = (status_t)(uint32_t)reply.label;
    }
    if (st != STATUS_OK) {
        fail("waiting for crash", st);
    }
    sys_printf(out, "init: crash stopped, the rest goes on\n");
    if ((flags & INIT_FLAG_SHELL) != 0) {
        sys_printf(out, "init: starting the shell\n");
        fail("starting the shell", start_shell(ep, out));
    }
    sys_printf(out, "init: done\n");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    // Only reached if power-off was refused; crt0 then exits the task.
    return 1;
}
