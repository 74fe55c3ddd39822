/*
 * init: the first task, started by the kernel with the capabilities of
 * kernel/abi/init.h in fixed slots. It starts the process manager
 * (userland/procmgr), lends it a kernel and a console capability, then asks
 * it for hello, giving hello a console capability of its own; then it
 * powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/procmgr/procmgr.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* The process manager runs above init (16) and below what it starts (20). */
#define INIT_PROCMGR_PRIORITY 18

/* Reports a failed step and powers off: init has nothing else to do. */
static void fail(const char *what, status_t st)
{
    sys_printf(INIT_HANDLE_CONSOLE, "init: %s failed (status %d)\n", what, st);
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    sys_printf(INIT_HANDLE_CONSOLE, "init: hello from EL0\n");

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

    // Ask it for hello, with a console capability of hello's own.
    struct sys_msg request = {PROCMGR_SPAWN, 0, 1, {0, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
    procmgr_pack_name(&request, "hello");
    st = sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_GRANT, &request.caps[0]);
    struct sys_msg reply;
    if (st == STATUS_OK) {
        st = sys_call(ep, &request, &reply);
    }
    if (st != STATUS_OK || reply.label != STATUS_OK || reply.cap_count != 2) {
        fail("spawning hello through procmgr", st != STATUS_OK ? st : (status_t)reply.label);
    }
    // hello ran, and ended, before procmgr replied: it is more urgent than both.
    sys_printf(INIT_HANDLE_CONSOLE, "init: procmgr started hello\n");
    sys_printf(INIT_HANDLE_CONSOLE, "init: done\n");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    // Only reached if power-off was refused; crt0 then exits the task.
    return 1;
}
