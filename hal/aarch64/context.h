#pragma once

/**
 * The AArch64 layout of hal/trap.h's opaque types, and what the trap code's
 * C files (trap.c, trap_report.c) and vectors.S share.
 *
 * A task's context: the registers the EL0 vectors save and restore (the
 * frame, first, where SP_EL1 points while the task runs: the vectors write
 * below that point only); then its thread ID registers, switched only when
 * another task comes in (hal_context_tls_save, hal_context_tls_load):
 * TPIDR_EL0, which EL0 reads and writes, and TPIDRRO_EL0, which EL0 can
 * only read, both 0 when the task starts; then its space (its root, and
 * the TTBR0 value of root and ASID) as the kernel recorded it, root 0
 * until then. All in one place, so that
 * a switch finds them from one address.
 */

#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/frame.h"
#include "hal/addr.h"
#include "hal/trap.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hal_context {
    struct aarch64_frame frame;
    uint64_t tpidr;
    uint64_t tpidrro;
    paddr_t space_root;
    uint64_t space_ttbr; /* TTBR0 for the space: root | ASID << 48 (mmu_ttbr.h) */
};

/* An unexpected exception: the frame the vectors saved and its vector kind. */
struct hal_exception {
    const struct aarch64_frame *frame;
    uint64_t kind;
};

#ifdef __cplusplus
#define AARCH64_CONTEXT_ASSERT static_assert
#else
#define AARCH64_CONTEXT_ASSERT _Static_assert
#endif

AARCH64_CONTEXT_ASSERT(offsetof(struct hal_context, frame) == 0,
                       "a context starts with its frame (vectors.S)");
AARCH64_CONTEXT_ASSERT(sizeof(struct hal_context) % 16 == 0, "SP must stay 16-byte aligned");
/* hal_context_args: x0-x9 are the first ten words of the frame. */
AARCH64_CONTEXT_ASSERT(offsetof(struct aarch64_frame, x) == 0 && HAL_CONTEXT_ARGS <= 31,
                       "the argument words are x0-x9 of the frame");

/**
 * A fault of a task, from the frame its trap saved and the vector's type
 * (AARCH64_VECTOR_SYNC, _FIQ or _SERROR), described for the kernel's
 * one-line report (trap_report.c). FAR_EL1 holds an address only for
 * aborts and PC alignment faults; for any other class it is UNKNOWN (in
 * practice an earlier fault's, maybe another task's), so 0 is given instead.
 */
void aarch64_fault_describe(const struct aarch64_frame *frame, uint64_t type,
                            struct hal_fault *fault);

/** Hands an exception nobody expected to the kernel (trap_unexpected). */
_Noreturn void aarch64_trap_unexpected(const struct aarch64_frame *frame, uint64_t kind);

/** The C handlers vectors.S calls (see there). */
struct hal_context *aarch64_trap_el0(struct hal_context *context, uint64_t kind);
void aarch64_trap_el1(struct aarch64_frame *frame, uint64_t kind);

#ifdef __cplusplus
}
#endif
