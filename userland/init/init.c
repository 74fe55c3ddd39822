/*
 * init: the first task, started by the kernel with the capabilities of
 * kernel/abi/init.h in fixed slots. It starts the UART driver
 * (userland/uart), through which it and the programs it starts print from
 * then on (the kernel's console when the driver cannot start), and the
 * process manager (userland/procmgr), to which it lends a kernel and a
 * console capability; then asks it for hello, giving hello an endpoint of
 * the driver, then for crash, which faults: init watches it and learns
 * when the kernel has stopped it. Then it powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/procmgr/procmgr.h"
#include "userland/uart/uart_start.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* The process manager runs above init (16) and below what it starts (20). */
#define INIT_PROCMGR_PRIORITY 18
/* The UART driver runs above every client, so it serves each call at once. */
#define INIT_UART_PRIORITY 24

/* Where init and what it starts print: the UART driver, or the console. */
static handle_t out = INIT_HANDLE_CONSOLE;

/* crash runs below init (16): it starts only once init waits. */
#define INIT_CRASH_PRIORITY 10
/* The bit init's watch notification gets when crash stops. */
#define INIT_CRASH_ENDED 0x1

/* Reports a failed step and powers off: init has nothing else to do. */
static void fail(const char *what, status_t st)
{
    sys_printf(out, "init: %s failed (status %d)\n", what, st);
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
}

/*
 * Asks the process manager on ep for the image name at priority (0: its
 * default), giving the new task a console capability of its own; the
 * task's and its space's capabilities come back in *task and *space.
 */
static status_t spawn(handle_t ep, const char *name, uint64_t priority, handle_t *task,
                      handle_t *space)
{
    struct sys_msg request = {PROCMGR_SPAWN, 0, 1, {0, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
    if (!procmgr_pack_spawn(&request, name, priority)) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = out == INIT_HANDLE_CONSOLE
                      ? sys_cap_derive(out, RIGHT_WRITE | RIGHT_GRANT, &request.caps[0])
                      : sys_cap_derive(out, RIGHT_SEND | RIGHT_GRANT, &request.caps[0]);
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
    }
    return st;
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
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
    struct sys_msg setup = {PROCMGR_SETUP, 0, 2, {0, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
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

    // crash faults on purpose. It runs below init, so init can watch it
    // first and then wait to be told it stopped; nothing else is disturbed.
    handle_t ended = HANDLE_NONE;
    st = sys_notify_create(INIT_HANDLE_KERNEL, &ended);
    if (st == STATUS_OK) {
        st = spawn(ep, "crash", INIT_CRASH_PRIORITY, &task, &space);
    }
    if (st == STATUS_OK) {
        st = sys_task_watch(task, ended, INIT_CRASH_ENDED);
    }
    uint64_t bits = 0;
    if (st == STATUS_OK) {
        st = sys_notify_wait(ended, &bits);
    }
    if (st != STATUS_OK || bits != INIT_CRASH_ENDED) {
        fail("watching crash", st);
    }
    sys_printf(out, "init: crash stopped, the rest goes on\n");
    sys_printf(out, "init: done\n");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    // Only reached if power-off was refused; crt0 then exits the task.
    return 1;
}
