/*
 * selfheld: run as init. Each round spawns userland/selfheld's victim,
 * moves to it a capability to itself and one to its own address space,
 * waits (through SYS_TASK_WATCH) until it has faulted, then deletes its own
 * task and space capabilities. The kernel empties a stopped task's table,
 * so the victim holds nothing and goes with init's last capability: its
 * task slot, space (and ASID) and pages come back. There are more rounds
 * than task or space slots (64 each), so a victim that kept itself alive
 * makes a later spawn fail. Prints the outcome and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16): the victim runs at once and waits in recv. */
#define VICTIM_PRIORITY 20
/* More than the kernel's task and address-space slots. */
#define ROUNDS 100
/* The bit the victim's fault signals. */
#define STOPPED_BIT 0x1u

/** Failed checks so far; each is printed when found. */
static uint32_t failures;

/** Counts a check; prints it when got is not want. Returns whether it held. */
static int expect(uint32_t round, const char *what, int64_t got, int64_t want)
{
    if (got == want) {
        return 1;
    }
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "selfheld: FAIL round %u: %s: got %lld, want %lld\n", round,
               what, (long long)got, (long long)want);
    return 0;
}

/** One round: a victim that holds itself and its space faults; init lets go. */
static int round_run(uint32_t round, handle_t ep, handle_t note)
{
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    if (!expect(round, "spawn",
                sys_task_spawn(INIT_HANDLE_KERNEL, "victim", VICTIM_PRIORITY, ep, &task, &space),
                STATUS_OK)) {
        return 0;
    }
    handle_t self = HANDLE_NONE;
    handle_t own_space = HANDLE_NONE;
    int ok = expect(round, "watch", sys_task_watch(task, note, STOPPED_BIT), STATUS_OK);
    ok &= expect(round, "derive task",
                 sys_cap_derive(task, RIGHT_CONTROL | RIGHT_WATCH | RIGHT_GRANT, &self), STATUS_OK);
    ok &= expect(round, "derive space", sys_cap_derive(space, RIGHT_MAP | RIGHT_GRANT, &own_space),
                 STATUS_OK);
    struct sys_msg msg = {0};
    msg.cap_count = 2;
    msg.caps[0] = self;
    msg.caps[1] = own_space;
    ok &= expect(round, "send", sys_send(ep, &msg), STATUS_OK);
    uint64_t bits = 0;
    ok &= expect(round, "wait for the fault", sys_notify_wait(note, &bits), STATUS_OK);
    ok &= expect(round, "bits", (int64_t)bits, STOPPED_BIT);
    ok &= expect(round, "delete task", sys_cap_delete(task), STATUS_OK);
    ok &= expect(round, "delete space", sys_cap_delete(space), STATUS_OK);
    return ok;
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    handle_t ep = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    uint32_t rounds = 0;
    if (expect(0, "endpoint create", sys_endpoint_create(INIT_HANDLE_KERNEL, &ep), STATUS_OK) &&
        expect(0, "notify create", sys_notify_create(INIT_HANDLE_KERNEL, &note), STATUS_OK)) {
        while (rounds < ROUNDS && round_run(rounds, ep, note)) {
            rounds++;
        }
    }
    sys_printf(INIT_HANDLE_CONSOLE, "selfheld: %u rounds\n", rounds);
    sys_printf(INIT_HANDLE_CONSOLE, "selfheld: %s\n", failures == 0 ? "nothing leaked" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
