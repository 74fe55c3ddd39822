#pragma once

/**
 * Decoding the CPU's ID registers into the choices the boot path makes.
 * Pure functions, host-tested (idreg_test); field positions from the Arm
 * ARM (DDI 0487), in each register's description.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** TCR_EL1.AS, bit 36: TTBRn_EL1[63:48] is the ASID (16 bits), else [55:48] (8 bits). */
#define AARCH64_TCR_AS (1ull << 36)

/** ID_AA64MMFR0_EL1.ASIDBits, bits [7:4]: 0b0000 8 bits, 0b0010 16 bits, others reserved. */
#define AARCH64_MMFR0_ASIDBITS_SHIFT 4
#define AARCH64_MMFR0_ASIDBITS_16 2u

/** ID_AA64MMFR1_EL1.PAN, bits [23:20]: 0 when the CPU has no PAN. */
#define AARCH64_MMFR1_PAN_SHIFT 20

/** The ASID width, 8 or 16, the CPU with ID_AA64MMFR0_EL1 == mmfr0 implements. */
static inline uint32_t aarch64_asid_bits(uint64_t mmfr0)
{
    uint32_t field = (uint32_t)(mmfr0 >> AARCH64_MMFR0_ASIDBITS_SHIFT) & 0xfu;
    return field == AARCH64_MMFR0_ASIDBITS_16 ? 16u : 8u;
}

/** TCR_EL1.AS for that CPU: set only where it has 16-bit ASIDs. */
static inline uint64_t aarch64_tcr_as(uint64_t mmfr0)
{
    return aarch64_asid_bits(mmfr0) == 16u ? AARCH64_TCR_AS : 0;
}

/** Whether the CPU with ID_AA64MMFR1_EL1 == mmfr1 has PAN. */
static inline bool aarch64_has_pan(uint64_t mmfr1)
{
    return ((mmfr1 >> AARCH64_MMFR1_PAN_SHIFT) & 0xfu) != 0;
}

/** ID_AA64ISAR0_EL1.SHA2, bits [15:12]: 0b0000 none, 0b0001 SHA256H, SHA256H2, SHA256SU0
 * and SHA256SU1, 0b0010 SHA-512's as well. */
#define AARCH64_ISAR0_SHA2_SHIFT 12

/** Whether the CPU with ID_AA64ISAR0_EL1 == isar0 has the SHA-256 instructions. */
static inline bool aarch64_has_sha256(uint64_t isar0)
{
    return ((isar0 >> AARCH64_ISAR0_SHA2_SHIFT) & 0xfu) != 0;
}

#ifdef __cplusplus
}
#endif
