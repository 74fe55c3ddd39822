#pragma once

/**
 * PSCI (Arm Power State Coordination Interface, DEN 0022) calls the kernel
 * makes to the firmware, through the SMC Calling Convention (DEN 0028).
 * This module also provides the HAL power interface (hal/power.h) on this
 * board: hal_power_off() is PSCI SYSTEM_OFF.
 *
 * On QEMU's virt board the "firmware" is QEMU itself, which answers PSCI
 * calls on the conduit it advertises in the device tree's /psci node:
 * hvc without virtualization, smc with virtualization=on (the guest then
 * owns EL2, so hvc would trap to its own code). Issue 3 reads the conduit
 * from the device tree; until then bsp_main infers it from the entry EL.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** The instruction that reaches the PSCI firmware. */
typedef enum {
    PSCI_CONDUIT_NONE, /* Not chosen yet: PSCI calls are not made. */
    PSCI_CONDUIT_HVC,  /* hvc #0, answered at EL2. */
    PSCI_CONDUIT_SMC,  /* smc #0, answered at EL3. */
} psci_conduit_t;

/**
 * Chooses the conduit for every later PSCI call. Call once, before the
 * first call; an out-of-range value is treated as PSCI_CONDUIT_NONE.
 */
void psci_set_conduit(psci_conduit_t conduit);

#ifdef __cplusplus
}
#endif
