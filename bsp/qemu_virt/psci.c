#include "bsp/qemu_virt/psci.h"

#include <stdint.h>

#include "hal/console.h"
#include "hal/power.h"
#include "kernel/main/boot_markers.h"

/* PSCI function IDs (DEN 0022, SMC32 fast calls, no arguments). */
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

/* How PSCI calls reach the firmware; set once by bsp_main. */
static psci_conduit_t psci_conduit = PSCI_CONDUIT_NONE;

/*
 * The two conduits. SMCCC (DEN 0028): the function ID goes in w0, the
 * arguments in x1-x3, the result comes back in x0 (x1-x3 may carry more
 * results), and the callee may corrupt x4-x17.
 */
#define PSCI_CLOBBERS                                                                              \
    "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",    \
        "memory"

/** Makes a PSCI call with up to three arguments through hvc #0; returns x0. */
static uint64_t psci_hvc(uint32_t function, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = function;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : PSCI_CLOBBERS);
    return x0;
}

/** Makes a PSCI call with up to three arguments through smc #0; returns x0. */
static uint64_t psci_smc(uint32_t function, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = function;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : PSCI_CLOBBERS);
    return x0;
}

/* NOT_SUPPORTED (DEN 0022, 5.2.2), also what no conduit gives here. */
#define PSCI_NOT_SUPPORTED (-1)

/**
 * Makes a PSCI call on the chosen conduit; returns its x0 as PSCI's
 * status, or PSCI_NOT_SUPPORTED when no conduit was chosen.
 */
static int32_t psci_call(uint32_t function, uint64_t a1, uint64_t a2, uint64_t a3)
{
    switch (psci_conduit) {
    case PSCI_CONDUIT_HVC:
        return (int32_t)psci_hvc(function, a1, a2, a3);
    case PSCI_CONDUIT_SMC:
        return (int32_t)psci_smc(function, a1, a2, a3);
    default:
        return PSCI_NOT_SUPPORTED;
    }
}

/**
 * Stops this CPU for good: masks all of DAIF so nothing is taken, then
 * waits. WFI can still wake on a pending interrupt (Arm ARM DDI 0487,
 * "Wait for Interrupt"), hence the loop.
 */
static _Noreturn void psci_halt(void)
{
    __asm__ volatile("msr daifset, #0xf" : : : "memory");
    for (;;) {
        __asm__ volatile("wfi" : : : "memory");
    }
}

/* CPU_ON, SMC64 (DEN 0022, 5.1.4): x1 the target's MPIDR affinity, x2 the
 * entry's physical address, x3 the context ID it gets in x0. */
#define PSCI_CPU_ON_64 0xc4000003u

int32_t psci_cpu_on(uint64_t mpidr, uint64_t entry_pa, uint64_t context)
{
    return psci_call(PSCI_CPU_ON_64, mpidr, entry_pa, context);
}

int psci_available(void)
{
    return psci_conduit != PSCI_CONDUIT_NONE;
}

/** Records the conduit; anything but HVC or SMC means none. */
void psci_set_conduit(psci_conduit_t conduit)
{
    switch (conduit) {
    case PSCI_CONDUIT_HVC:
    case PSCI_CONDUIT_SMC:
        psci_conduit = conduit;
        break;
    default:
        psci_conduit = PSCI_CONDUIT_NONE;
        break;
    }
}

/**
 * Says that the machine is still running after a power-off or reset
 * request, with the halt marker, so that whoever watches the console (a
 * test) knows the end came, then halts. QEMU's virt has no PSCI when the
 * image is entered at EL3 (secure=on): its PSCI would answer at the level
 * the image itself enters at, so QEMU offers none and the device tree has
 * no /psci node.
 */
static _Noreturn void psci_halt_unanswered(void)
{
    static const char why[] =
        "basalt: no PSCI answered power off or reset\n" BOOT_MARKER_HALTED "\n";
    hal_console_write(why, sizeof why - 1);
    psci_halt();
}

/** HAL power-off: PSCI SYSTEM_OFF, then halt if it came back. */
_Noreturn void hal_power_off(void)
{
    (void)psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    psci_halt_unanswered();
}

/** HAL reset: PSCI SYSTEM_RESET, then halt if it came back. */
_Noreturn void hal_power_reset(void)
{
    (void)psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    psci_halt_unanswered();
}
