#pragma once

/**
 * Exceptions on the QEMU virt board: the vector table (vectors.S, installed
 * in VBAR_EL1 by start.S, first at its physical address, then at its
 * virtual one) and the C handler it calls.
 */

#include <stdint.h>

#include "hal/aarch64/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called by the vectors with the saved frame and the vector index (see
 * AARCH64_VECTOR_*) for an exception taken from EL1, and by user_trap for
 * the kinds from EL0 that it does not take. IRQs from EL1 are handled and
 * return; anything else is unexpected: it prints a report
 * (exception_report) and halts the kernel.
 */
void bsp_exception(struct aarch64_frame *frame, uint64_t kind);

/**
 * Prints the report of an unexpected exception on the console: where it
 * came from, the exception class, ESR, FAR, ELR, SPSR, the abort details
 * and every register.
 */
void exception_report(const struct aarch64_frame *frame, uint64_t kind);

#ifdef __cplusplus
}
#endif
