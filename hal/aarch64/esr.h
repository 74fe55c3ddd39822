#pragma once

/**
 * Decoding of the Exception Syndrome Register (ESR_EL1) for fault reports.
 * Field layout (Arm ARM DDI 0487, D17.2.37 "ESR_EL1"):
 *
 *   63      56 55    32 31    26 25 24                      0
 *  +----------+--------+--------+--+-------------------------+
 *  |   RES0   |  ISS2  |   EC   |IL|           ISS           |
 *  +----------+--------+--------+--+-------------------------+
 *
 * EC is the exception class; for aborts ISS[5:0] is the fault status code
 * (DFSC/IFSC) and ISS[6] (WnR) says whether a data abort was a write.
 *
 * The constants are also for assembly (vectors.S). Pure functions,
 * host-tested. They return string literals chosen with
 * if/else so the code holds no table of absolute addresses: a report may be
 * printed before the MMU is on, while the image runs away from its link
 * address.
 */

/** ESR[31:26]: the exception class. */
#define ESR_EC_SHIFT 26
#define ESR_EC_WIDTH 6

/** ESR_EL1.EC values this kernel names (Arm ARM D17.2.37, table "EC"). */
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFI_WFE 0x01
#define ESR_EC_FP_SIMD 0x07
#define ESR_EC_ILLEGAL_STATE 0x0e
#define ESR_EC_SVC64 0x15
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYSREG 0x18
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_SAME 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_SAME 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The exception class, ESR[31:26]. */
static inline uint32_t esr_class(uint64_t esr)
{
    return (uint32_t)(esr >> ESR_EC_SHIFT) & ((1u << ESR_EC_WIDTH) - 1);
}

/** The fault status code of an abort, ISS[5:0]. */
static inline uint32_t esr_fault_status(uint64_t esr)
{
    return (uint32_t)esr & 0x3f;
}

/** Whether the exception class is an instruction or data abort. */
bool esr_is_abort(uint32_t ec);

/** Whether a data abort was caused by a write (ISS WnR, bit 6). */
static inline bool esr_abort_is_write(uint64_t esr)
{
    return (esr >> 6) & 1;
}

/**
 * A short English name of exception class ec, e.g. "data abort from the
 * same EL"; "unknown class" for classes not named here. Never NULL.
 */
const char *esr_class_name(uint32_t ec);

/**
 * A short English description of abort fault status code fsc, e.g.
 * "translation fault"; "unknown fault status" otherwise. Never NULL.
 */
const char *esr_fault_status_name(uint32_t fsc);

/**
 * The translation table level (0..3) a fault status code fsc refers to, or
 * -1 for codes that are not tied to a level.
 */
int esr_fault_level(uint32_t fsc);

#ifdef __cplusplus
}
#endif

#endif /* __ASSEMBLER__ */
