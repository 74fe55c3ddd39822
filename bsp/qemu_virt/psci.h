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

#include <stdint.h>

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

/**
 * PSCI CPU_ON: starts the CPU whose MPIDR affinity is mpidr at entry_pa
 * (a physical address), with context in its x0. Returns PSCI's status: 0
 * on success, negative otherwise (DEN 0022, 5.2.2: -2 INVALID_PARAMETERS,
 * -4 ALREADY_ON, -5 ON_PENDING, -6 INTERNAL_FAILURE, -9 INVALID_ADDRESS),
 * and -1 (NOT_SUPPORTED) when no conduit was chosen.
 */
int32_t psci_cpu_on(uint64_t mpidr, uint64_t entry_pa, uint64_t context);

/** Whether a conduit was chosen: PSCI calls reach the firmware. */
int psci_available(void);

#ifdef __cplusplus
}
#endif
