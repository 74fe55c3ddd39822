/*
 * probe: tries one thing EL0 may not do, as its caller asks (machine.h).
 * Each must stop it with a fault; the kernel goes on.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/machine/machine.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/** Where the kernel image is linked (bsp/qemu_virt/kernel.ld): EL1 only. */
#define KERNEL_IMAGE 0xffffffffc0100000ull

static const char *probe_name(uint64_t probe)
{
    switch (probe) {
    case MACHINE_PROBE_WFI:
        return "wfi";
    case MACHINE_PROBE_CNTV_CTL:
        return "write CNTV_CTL_EL0";
    case MACHINE_PROBE_CNTP_CTL:
        return "write CNTP_CTL_EL0";
    case MACHINE_PROBE_CNTPCT:
        return "read CNTPCT_EL0";
    case MACHINE_PROBE_KERNEL_READ:
        return "read kernel memory";
    case MACHINE_PROBE_FP:
        return "FP instruction";
    default:
        return "nothing";
    }
}

static void probe_try(uint64_t probe)
{
    uint64_t v = 0;
    switch (probe) {
    case MACHINE_PROBE_WFI:
        __asm__ volatile("wfi" ::: "memory");
        break;
    case MACHINE_PROBE_CNTV_CTL:
        __asm__ volatile("msr cntv_ctl_el0, xzr" ::: "memory");
        break;
    case MACHINE_PROBE_CNTP_CTL:
        __asm__ volatile("msr cntp_ctl_el0, xzr" ::: "memory");
        break;
    case MACHINE_PROBE_CNTPCT:
        __asm__ volatile("mrs %0, cntpct_el0" : "=r"(v)::"memory");
        break;
    case MACHINE_PROBE_KERNEL_READ:
        v = *(volatile const uint64_t *)KERNEL_IMAGE;
        break;
    case MACHINE_PROBE_FP:
        // FMOV D0, X0 as a word: the toolchain builds with general registers only.
        __asm__ volatile(".inst 0x9e670000" ::: "memory");
        break;
    default:
        break;
    }
    (void)v;
}

int main(uint64_t arg)
{
    handle_t ep = (handle_t)arg;
    handle_t console = HANDLE_NONE;
    struct sys_msg msg;
    status_t st = sys_recv_caps(ep, 1, &msg);
    while (st == STATUS_OK) {
        struct sys_msg reply = {0};
        if (msg.cap_count == 1) {
            console = msg.caps[0];
        }
        sys_reply(&reply);
        sys_printf(console, "probe: %s\n", probe_name(msg.label));
        probe_try(msg.label);
        sys_printf(console, "probe: %s was not stopped\n", probe_name(msg.label));
        st = sys_recv_caps(ep, 1, &msg);
    }
    return 1;
}
