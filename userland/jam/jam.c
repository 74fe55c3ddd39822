/*
 * jam: run as init. Spawns a careless server that keeps every capability
 * it receives, a client that calls it with two capabilities each time and
 * an honest client that sends none (equal priorities, above the server's,
 * so their calls queue together), gives each the service endpoint and a
 * console over one setup endpoint, then receives their reports there and
 * prints them in a fixed order: the honest client must be served every
 * time, every refused flooding call must keep its capabilities, and the
 * server must never find its receive failing. Powers off.
 */

#include <stdint.h>

#include "userland/jam/jam.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#define SERVER_PRIORITY 10
#define CLIENT_PRIORITY 12

/** Spawns image name at priority with a copy of setup. */
static status_t spawn(const char *name, uint64_t priority, handle_t setup)
{
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    return sys_task_spawn(INIT_HANDLE_KERNEL, name, priority, setup, &task, &space);
}

/** Sends one task its service endpoint and console on setup. */
static status_t give(handle_t setup, handle_t ep)
{
    struct sys_msg msg = {0};
    msg.cap_count = 2;
    status_t st =
        sys_cap_derive(ep, RIGHT_SEND | RIGHT_RECV | RIGHT_GRANT | RIGHT_DERIVE, &msg.caps[0]);
    if (st == STATUS_OK) {
        st = sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_GRANT, &msg.caps[1]);
    }
    return st == STATUS_OK ? sys_send(setup, &msg) : st;
}

/** Starts the three tasks; the first error. */
static status_t start(handle_t setup, handle_t ep)
{
    status_t st = spawn("server", SERVER_PRIORITY, setup);
    if (st == STATUS_OK) {
        st = spawn("flooder", CLIENT_PRIORITY, setup);
    }
    if (st == STATUS_OK) {
        st = spawn("honest", CLIENT_PRIORITY, setup);
    }
    for (int i = 0; i < 3 && st == STATUS_OK; i++) {
        st = give(setup, ep);
    }
    return st;
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    handle_t ep = HANDLE_NONE;
    handle_t setup = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    if (st == STATUS_OK) {
        st = sys_endpoint_create(INIT_HANDLE_KERNEL, &setup);
    }
    if (st == STATUS_OK) {
        st = start(setup, ep);
    }
    struct sys_msg flooder = {0};
    struct sys_msg honest = {0};
    int jammed = 0;
    while (st == STATUS_OK && !jammed && (flooder.label == 0 || honest.label == 0)) {
        struct sys_msg report;
        st = sys_recv(setup, &report);
        if (st == STATUS_OK && report.label == JAM_SERVER_JAMMED) {
            jammed = 1;
        } else if (st == STATUS_OK && report.label == JAM_FLOODER) {
            flooder = report;
        } else if (st == STATUS_OK && report.label == JAM_HONEST) {
            honest = report;
        }
    }
    handle_t c = INIT_HANDLE_CONSOLE;
    if (jammed) {
        sys_printf(c, "jam: the server receive fails: jammed\n");
    }
    int ok = st == STATUS_OK && !jammed;
    if (ok) {
        sys_printf(c, "jam: honest client: %u of %u calls served\n", (unsigned)honest.words[0],
                   (unsigned)honest.words[1]);
        sys_printf(c, "jam: flooder: %u calls accepted, %u refused\n", (unsigned)flooder.words[0],
                   (unsigned)flooder.words[1]);
        ok = honest.words[0] == honest.words[1] && flooder.words[1] > 0 && flooder.words[2] == 0;
    }
    if (ok) {
        sys_printf(c, "jam: refused calls kept their capabilities\n");
    }
    sys_printf(c, "jam: %s\n", ok ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
