#pragma once

/**
 * The BCM2835 power-management block's watchdog (at 0x3f100000 on QEMU's
 * raspi3b): how the board resets and powers off, behind hal/power.h.
 *
 * Registers (offsets from the block's base; every write carries the
 * password 0x5a in bits 31:24 or is ignored):
 *   PM_RSTC 0x1c  bits 5:4 WRCFG: 0b10 = full reset when the watchdog expires
 *   PM_RSTS 0x20  bits 0, 2, 4, 6, 8, 10: the partition the firmware boots
 *                 next; 63 (all six, 0x555) is Linux's "halt" convention
 *   PM_WDOG 0x24  bits 19:0 the watchdog's timeout in ticks of ~16 us
 *
 * Reset: partition 0, timeout 10 ticks, full reset. Power off: the same
 * with partition 63. On the real board the firmware then stays halted; QEMU
 * 7.2 shuts down (exit status 0, with or without -no-reboot), and it resets
 * at once on the RSTC write rather than after the timeout
 * (bsp/raspi3b/QEMU_FACTS.md 11, 12).
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BCM_PM_RSTC 0x1cu
#define BCM_PM_RSTS 0x20u
#define BCM_PM_WDOG 0x24u
#define BCM_PM_PASSWORD 0x5a000000u
#define BCM_PM_PASSWORD_MASK 0xff000000u
#define BCM_PM_RSTC_WRCFG_MASK 0x30u
#define BCM_PM_RSTC_WRCFG_FULL_RESET 0x20u
#define BCM_PM_RSTS_PARTITION_MASK 0x555u
#define BCM_PM_RSTS_PARTITION_HALT 0x555u
/** Watchdog ticks before the reset: ~150 us, as Linux's bcm2835_wdt. */
#define BCM_PM_RESET_TICKS 10u
/**
 * How long hal_power_off and hal_power_reset wait for the reset before they
 * say it did not come and halt: a second of the system counter
 * (hal_timer_count), over 6,000 times the watchdog's timeout. QEMU acts on
 * the reset from its main loop, not the CPU's thread: a tenth of a second
 * ran out on a host kept busy by other QEMUs (the MTTCG tests).
 */
#define BCM_PM_RESET_WAIT_DIVISOR 1u

/**
 * Records the block's base, as the CPU reaches it (mapped, or physical with
 * the MMU off), from the device tree ("brcm,bcm2835-pm-wdt"). Until it is
 * called, hal_power_off and hal_power_reset ask nothing of the hardware:
 * after the wait below they say the reset did not come, and halt.
 */
void bcm_pm_init(uintptr_t base);

/**
 * Starts a full reset into partition 63 (halt) or 0 (boot again): writes
 * PM_RSTS's partition (its other bits kept), then PM_WDOG's timeout, then
 * PM_RSTC's WRCFG (its other bits kept), each with the password, and waits
 * for the writes to complete. Returns (the reset follows within the
 * timeout); does nothing before bcm_pm_init.
 */
void bcm_pm_request_reset(int halt);

/**
 * Waits until the system counter (hal_timer_count) reaches deadline, then
 * returns; at once if it has. Interrupts are not taken meanwhile (the
 * caller has them masked, or takes them as it would anyway).
 */
void bcm_pm_wait_until(uint64_t deadline);

#ifdef __cplusplus
}
#endif
