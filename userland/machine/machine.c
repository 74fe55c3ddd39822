/*
 * machine: run as init. Checks the machine state EL0 gets, the same
 * whichever level the kernel was entered at: the virtual counter reads and
 * advances; and each of wfi, writing the virtual or physical timer's
 * control register, reading the physical counter, reading kernel memory and
 * an FP instruction stops the task that tries it (a probe, machine.h),
 * which the kernel reports as a fault while it and init go on. Prints the
 * outcome and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/machine/machine.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16): a probe runs as soon as it can. */
#define PROBE_PRIORITY 20
/* The bit a probe's watch signals. */
#define PROBE_BIT 0x1u

/** Failed checks so far; each is printed when found. */
static uint32_t failures;

static void fail(const char *what, int64_t got)
{
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "machine: FAIL %s: %lld\n", what, (long long)got);
}

static uint64_t read_cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}

/** Spawns a probe, has it try probe, and checks it was stopped. */
static void run_probe(handle_t ep, handle_t note, uint64_t probe)
{
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    status_t st = sys_task_spawn(INIT_HANDLE_KERNEL, "probe", PROBE_PRIORITY, ep, &task, &space);
    if (st != STATUS_OK) {
        fail("spawn probe", st);
        return;
    }
    st = sys_task_watch(task, note, PROBE_BIT);
    if (st != STATUS_OK) {
        fail("watch probe", st);
        return;
    }
    handle_t console = HANDLE_NONE;
    st = sys_cap_derive(INIT_HANDLE_CONSOLE, RIGHT_WRITE | RIGHT_GRANT, &console);
    if (st != STATUS_OK) {
        fail("derive console", st);
        return;
    }
    struct sys_msg msg = {0};
    msg.label = probe;
    msg.cap_count = 1;
    msg.caps[0] = console;
    struct sys_msg reply;
    st = sys_call(ep, &msg, &reply);
    if (st != STATUS_OK) {
        fail("call probe", st);
        return;
    }
    // The probe (more urgent) ran until it stopped or waited again.
    uint64_t bits = 0;
    st = sys_notify_poll(note, &bits);
    if (st != STATUS_OK || bits != PROBE_BIT) {
        fail("probe not stopped, probe", (int64_t)probe);
        return;
    }
    sys_printf(INIT_HANDLE_CONSOLE, "machine: probe %lld stopped\n", (long long)probe);
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    uint64_t t0 = read_cntvct();
    sys_yield();
    uint64_t t1 = read_cntvct();
    if (t1 <= t0) {
        fail("CNTVCT_EL0 does not advance", (int64_t)(t1 - t0));
    } else {
        sys_printf(INIT_HANDLE_CONSOLE, "machine: EL0 reads the virtual counter\n");
    }
    handle_t ep = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    if (st == STATUS_OK) {
        st = sys_notify_create(INIT_HANDLE_KERNEL, &note);
    }
    if (st != STATUS_OK) {
        fail("create", st);
    } else {
        for (uint64_t probe = 1; probe < MACHINE_PROBE_COUNT; probe++) {
            run_probe(ep, note, probe);
        }
    }
    sys_printf(INIT_HANDLE_CONSOLE, "machine: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
