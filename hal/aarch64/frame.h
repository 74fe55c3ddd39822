#pragma once

/**
 * The exception frame: every general-purpose register of the interrupted
 * context plus the exception syndrome, saved by the vectors on the kernel
 * stack in this exact layout. Assembly uses the AARCH64_FRAME_* offsets;
 * the _Static_asserts below tie them to the struct.
 *
 *   offset  0 .. 240   x0 .. x30
 *   offset 248         sp     the interrupted context's stack pointer
 *   offset 256         elr    ELR_EL1: where the exception was taken
 *   offset 264         spsr   SPSR_EL1: the interrupted PSTATE
 *   offset 272         esr    ESR_EL1: the syndrome (sync and SError)
 *   offset 280         far    FAR_EL1: the faulting address (aborts)
 *   size   288                a multiple of 16, as SP alignment requires
 */

#define AARCH64_FRAME_X30 240
#define AARCH64_FRAME_SP 248
#define AARCH64_FRAME_ELR 256
#define AARCH64_FRAME_SPSR 264
#define AARCH64_FRAME_ESR 272
#define AARCH64_FRAME_FAR 280
#define AARCH64_FRAME_SIZE 288

/* Vector kinds: the index of the entry in the table (Arm ARM D1.10.2):
 * group (EL1 with SP_EL0, EL1 with SP_EL1, lower EL AArch64, lower EL
 * AArch32) times 4 plus type (synchronous, IRQ, FIQ, SError). */
#define AARCH64_VECTOR_SYNC 0
#define AARCH64_VECTOR_IRQ 1
#define AARCH64_VECTOR_FIQ 2
#define AARCH64_VECTOR_SERROR 3
#define AARCH64_VECTOR_GROUP_EL1_SP0 0
#define AARCH64_VECTOR_GROUP_EL1_SPX 4
#define AARCH64_VECTOR_GROUP_EL0_A64 8
#define AARCH64_VECTOR_GROUP_EL0_A32 12
/* Added to the kind when the entry found the kernel stack overflowed. */
#define AARCH64_VECTOR_STACK_OVERFLOW 16

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The saved state of an interrupted context (see the layout above). */
struct aarch64_frame {
    uint64_t x[31];
    uint64_t sp;
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
};

#ifdef __cplusplus
}
#define AARCH64_STATIC_ASSERT static_assert
#else
#define AARCH64_STATIC_ASSERT _Static_assert
#endif

AARCH64_STATIC_ASSERT(offsetof(struct aarch64_frame, x) == 0, "frame: x0 at 0");
AARCH64_STATIC_ASSERT(offsetof(struct aarch64_frame, x) + 30 * 8 == AARCH64_FRAME_X30,
                      "frame: x30");
AARCH64_STATIC_ASSERT(offsetof(struct aarch64_frame, sp) == AARCH64_FRAME_SP, "frame: sp");
AARCH64_STATIC_ASSERT(offsetof(struct aarch64_frame, elr) == AARCH64_FRAME_ELR, "frame: elr");
AARCH64_STATIC_ASSERT(offsetof(struct aarch64_frame, spsr) == AARCH64_FRAME_SPSR, "frame: spsr");
AARCH64_STATIC_ASSERT(offsetof(struct aarch64_frame, esr) == AARCH64_FRAME_ESR, "frame: esr");
AARCH64_STATIC_ASSERT(offsetof(struct aarch64_frame, far) == AARCH64_FRAME_FAR, "frame: far");
AARCH64_STATIC_ASSERT(sizeof(struct aarch64_frame) == AARCH64_FRAME_SIZE, "frame: size");
AARCH64_STATIC_ASSERT(AARCH64_FRAME_SIZE % 16 == 0, "frame: SP must stay 16-byte aligned");

#endif /* __ASSEMBLER__ */
