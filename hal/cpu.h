#pragma once

/**
 * HAL cpu: the calling CPU itself.
 *
 * Implemented by hal/aarch64 (the architecture) and by hal/fake (host).
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Stops the calling CPU for good: masks every interrupt and waits forever.
 * Never returns. Used after a fatal kernel error has been reported; the
 * caller prints what happened first (the console is not touched here).
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void hal_cpu_halt(void);

/**
 * Instructions the calling CPU retired since the kernel's entry, where it
 * counts them (on aarch64 the entry code starts PMU event counter 0 on
 * event 0x08); 0 on a CPU that does not.
 */
uint64_t hal_cpu_instructions(void);

/** The calling CPU's index, 0 (the boot CPU) to 7, as the kernel numbers them. */
uint32_t hal_cpu_index(void);

/**
 * Makes CPU cpu (hal_cpu_index's numbering) enter the kernel soon (an
 * inter-processor interrupt), so that it looks at the ready queues; once
 * every store before the call is visible to it. Nothing on a board that
 * starts no other CPU.
 */
void hal_cpu_kick(uint32_t cpu);

/**
 * The CPUs that run the kernel, bit c for hal_cpu_index c: the boot CPU
 * (bit 0) and each started CPU that reported in. Final once the board has
 * started them, before the first task runs.
 */
uint32_t hal_cpu_online(void);

/**
 * Returns once CPU cpu runs no EL0 code: it has entered the kernel (it may
 * be waiting for the kernel lock) or waits in it. The caller kicked it.
 */
void hal_cpu_wait_left_el0(uint32_t cpu);

/**
 * The kernel has nothing to do on the calling CPU until an interrupt:
 * called with interrupts masked (and the kernel lock held, where there is
 * one), it lets other CPUs into the kernel, waits until an interrupt is
 * pending, lets the kernel's handler take it, and returns with interrupts
 * masked again (and the lock held). It may return early, spuriously.
 */
void hal_cpu_idle(void);

#ifdef __cplusplus
}
#endif
