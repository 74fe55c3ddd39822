#pragma once

/**
 * What the boot CPU's control state says about features the kernel
 * reports at boot: read from the ID registers, TCR_EL1 and PSTATE.PAN once
 * the boot entry (hal/aarch64/boot_entry.inc) has set them.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The features, as read by aarch64_cpu_features_read. */
struct aarch64_cpu_features {
    /** The CPU has PAN (ID_AA64MMFR1_EL1.PAN non-zero). */
    bool has_pan;
    /** PSTATE.PAN is set (false where the CPU has no PAN). */
    bool pan_on;
    /** ASID width in use: 16 if TCR_EL1.AS is set, else 8. */
    uint32_t asid_bits;
};

/** Reads the features of the CPU it runs on, at EL1, into *f. */
void aarch64_cpu_features_read(struct aarch64_cpu_features *f);

#ifdef __cplusplus
}
#endif
