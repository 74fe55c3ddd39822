#pragma once

/**
 * HAL power: ending the machine's life.
 *
 * Implemented by the board (bsp/qemu_virt: PSCI SYSTEM_OFF) and by hal/fake
 * (records the call and ends the host process).
 */

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Powers the machine off. Never returns.
 *
 * Requires: nothing; callable from any kernel context, before or after the
 * console is up. If the firmware refuses or ignores the request, the CPU
 * halts forever, so no instruction after the call ever runs.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void hal_power_off(void);

/**
 * Resets the machine (a warm restart of the whole system). Never returns;
 * if the firmware refuses, the CPU halts forever, as for hal_power_off.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void hal_power_reset(void);

#ifdef __cplusplus
}
#endif
