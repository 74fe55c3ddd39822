/*
 * tls: run as init. Checks that each task has its own thread ID registers:
 * TPIDR_EL0 and TPIDRRO_EL0 read 0 at a task's start; init sets TPIDR_EL0,
 * spawns tls_peer (tls.h), which sets its own and blocks; each must go on
 * seeing its own value across the switches (the general path to the peer,
 * the IPC fast path back and forth). Then the peer tries to write
 * TPIDRRO_EL0, which EL0 may not: it is stopped with a fault, and init's
 * TPIDRRO_EL0 is still 0. Prints the outcome and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/tls/tls.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16): the peer runs at once, until it waits in recv. */
#define PEER_PRIORITY 20

/** Failed checks so far; each is printed when found. */
static uint32_t failures;

/** Counts a check; prints it when got is not want. */
static void expect(const char *what, uint64_t got, uint64_t want)
{
    if (got != want) {
        failures++;
        sys_printf(INIT_HANDLE_CONSOLE, "tls: FAIL %s: got 0x%llx, want 0x%llx\n", what,
                   (unsigned long long)got, (unsigned long long)want);
    }
}

/** Calls the peer with label; the reply -> *reply. */
static status_t call(handle_t ep, uint64_t label, struct sys_msg *reply)
{
    struct sys_msg msg = {0};
    msg.label = label;
    return sys_call(ep, &msg, reply);
}

static void run(handle_t ep)
{
    struct sys_msg reply = {0};
    expect("init's TPIDR_EL0 after the peer ran", tls_read_tpidr(), TLS_INIT_VALUE);
    expect("report call", (uint64_t)call(ep, TLS_LABEL_REPORT, &reply), STATUS_OK);
    expect("peer's TPIDR_EL0 at its start", reply.words[0], 0);
    expect("peer's TPIDRRO_EL0 at its start", reply.words[1], 0);
    expect("peer's TPIDR_EL0 after init ran", reply.words[2], TLS_PEER_VALUE);
    expect("init's TPIDR_EL0 after the call", tls_read_tpidr(), TLS_INIT_VALUE);
    expect("second report call", (uint64_t)call(ep, TLS_LABEL_REPORT, &reply), STATUS_OK);
    expect("peer's TPIDR_EL0 on the second call", reply.words[2], TLS_PEER_VALUE);
    expect("init's TPIDR_EL0 after the second call", tls_read_tpidr(), TLS_INIT_VALUE);
    if (failures == 0) {
        sys_printf(INIT_HANDLE_CONSOLE, "tls: TPIDR_EL0 is per task\n");
    }
    // The peer replies, then faults on its write to TPIDRRO_EL0.
    expect("write-ro call", (uint64_t)call(ep, TLS_LABEL_WRITE_RO, &reply), STATUS_OK);
    expect("init's TPIDRRO_EL0 after the peer's write", tls_read_tpidrro(), 0);
    expect("init's TPIDR_EL0 at the end", tls_read_tpidr(), TLS_INIT_VALUE);
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    expect("init's TPIDR_EL0 at its start", tls_read_tpidr(), 0);
    expect("init's TPIDRRO_EL0 at its start", tls_read_tpidrro(), 0);
    tls_write_tpidr(TLS_INIT_VALUE);
    handle_t ep = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    expect("endpoint create", (uint64_t)st, STATUS_OK);
    if (st == STATUS_OK) {
        st = sys_task_spawn(INIT_HANDLE_KERNEL, "tls_peer", PEER_PRIORITY, ep, &task, &space);
        expect("spawn tls_peer", (uint64_t)st, STATUS_OK);
    }
    if (st == STATUS_OK) {
        run(ep);
    }
    sys_printf(INIT_HANDLE_CONSOLE, "tls: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
