#pragma once

/**
 * HAL cpu: the calling CPU itself.
 *
 * Implemented by hal/aarch64 (the architecture) and by hal/fake (host).
 */

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
 * Waits until an interrupt is pending on the calling CPU (it may return
 * early, spuriously). Interrupts must be unmasked for one to be taken.
 */
void hal_cpu_wait_for_interrupt(void);

#ifdef __cplusplus
}
#endif
