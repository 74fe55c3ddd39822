#include "bsp/raspi3b/bcm_pm.h"

#include <stdint.h>

#include "bsp/raspi3b/bcm_mmio.h"
#include "hal/console.h"
#include "hal/power.h"
#include "hal/timer.h"
#include "kernel/main/boot_markers.h"

static uintptr_t bcm_pm_base; /* 0 until bcm_pm_init */

void bcm_pm_init(uintptr_t base)
{
    bcm_pm_base = base;
}

/** v with its password byte replaced by the PM password. */
static uint32_t with_password(uint32_t v)
{
    return (v & ~BCM_PM_PASSWORD_MASK) | BCM_PM_PASSWORD;
}

void bcm_pm_request_reset(int halt)
{
    if (bcm_pm_base == 0) {
        return;
    }
    uint32_t rsts = bcm_mmio_read32(bcm_pm_base + BCM_PM_RSTS) & ~BCM_PM_RSTS_PARTITION_MASK;
    if (halt) {
        rsts |= BCM_PM_RSTS_PARTITION_HALT;
    }
    bcm_mmio_write32(bcm_pm_base + BCM_PM_RSTS, with_password(rsts));
    bcm_mmio_write32(bcm_pm_base + BCM_PM_WDOG, with_password(BCM_PM_RESET_TICKS));
    /* Last: the reset configuration starts the countdown (QEMU resets at
     * once), so the partition and timeout must already be in place; one
     * peripheral, so the writes arrive in this order (bcm_mmio.h). */
    uint32_t rstc = bcm_mmio_read32(bcm_pm_base + BCM_PM_RSTC) & ~BCM_PM_RSTC_WRCFG_MASK;
    bcm_mmio_write32(bcm_pm_base + BCM_PM_RSTC, with_password(rstc | BCM_PM_RSTC_WRCFG_FULL_RESET));
    bcm_mmio_barrier();
}

void bcm_pm_wait_until(uint64_t deadline)
{
    while (hal_timer_count() < deadline) {
    }
}

/*
 * After a reset request: waits for the reset (BCM_PM_RESET_WAIT_DIVISOR);
 * if the machine is still running then (no PM block, or one that does not
 * reset), says so with the halt marker, so that whoever watches the
 * console (a test) knows the end came, and stops this CPU for good: DAIF
 * masked, WFI in a loop (a pending interrupt can still wake WFI).
 */
static _Noreturn void bcm_pm_wait(void)
{
    uint64_t hz = hal_timer_frequency();
    if (hz == 0) { /* before hal_timer_init: the real board's 19.2 MHz */
        hz = 19200000u;
    }
    bcm_pm_wait_until(hal_timer_count() + hz / BCM_PM_RESET_WAIT_DIVISOR);
    static const char why[] =
        "basalt: the PM watchdog did not reset the machine\n" BOOT_MARKER_HALTED "\n";
    hal_console_write(why, sizeof why - 1);
    for (;;) {
#if defined(__aarch64__)
        __asm__ volatile("msr daifset, #0xf\n\twfi" ::: "memory");
#endif
    }
}

/*
 * Power off: QEMU's raspi3b has no power-off device and no PSCI; the PM
 * block's reset into the halt partition is the board's power off (the
 * firmware halts; QEMU 7.2 shuts down with status 0: QEMU_FACTS.md 12).
 */
void hal_power_off(void)
{
    bcm_pm_request_reset(1);
    bcm_pm_wait();
}

void hal_power_reset(void)
{
    bcm_pm_request_reset(0);
    bcm_pm_wait();
}
