/*
 * Faults and unexpected exceptions described for the kernel's reports
 * (hal/trap.h): cold code, built for size. Names come from esr.h and from
 * if/else over string literals, never from a table of addresses: a report
 * may be made before the MMU is on, while the image runs away from its
 * link address.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/aarch64/context.h"
#include "hal/aarch64/esr.h"
#include "hal/aarch64/frame.h"
#include "hal/trap.h"

void aarch64_fault_describe(const struct aarch64_frame *frame, uint64_t type,
                            struct hal_fault *fault)
{
    fault->pc = frame->elr;
    fault->address = 0;
    fault->syndrome = 0;
    fault->asynchronous = type != AARCH64_VECTOR_SYNC;
    if (type == AARCH64_VECTOR_SERROR) {
        fault->cause = "SError";
        fault->syndrome = frame->esr;
    } else if (type == AARCH64_VECTOR_FIQ) {
        fault->cause = "FIQ"; // no syndrome
    } else {
        uint32_t ec = esr_class(frame->esr);
        fault->cause = esr_class_name(ec);
        if (esr_is_abort(ec) || ec == ESR_EC_PC_ALIGN) {
            fault->address = frame->far;
        }
    }
}

_Noreturn void aarch64_trap_unexpected(const struct aarch64_frame *frame, uint64_t kind)
{
    struct hal_exception e = {frame, kind};
    trap_unexpected(&e);
}

static const char *aarch64_exception_type(uint64_t kind)
{
    uint64_t type = kind & 3;
    if (type == AARCH64_VECTOR_SYNC) {
        return "synchronous";
    } else if (type == AARCH64_VECTOR_IRQ) {
        return "IRQ";
    } else if (type == AARCH64_VECTOR_FIQ) {
        return "FIQ";
    }
    return "SError";
}

static const char *aarch64_exception_origin(uint64_t kind)
{
    uint64_t group = kind & 12;
    if (group == AARCH64_VECTOR_GROUP_EL1_SP0) {
        return "EL1 using SP_EL0";
    } else if (group == AARCH64_VECTOR_GROUP_EL1_SPX) {
        return "EL1";
    } else if (group == AARCH64_VECTOR_GROUP_EL0_A64) {
        return "EL0 (AArch64)";
    }
    return "EL0 (AArch32)";
}

_Static_assert(AARCH64_FRAME_ELR == AARCH64_FRAME_SP + 8 &&
                   AARCH64_FRAME_SPSR == AARCH64_FRAME_SP + 16 &&
                   AARCH64_FRAME_ESR == AARCH64_FRAME_SP + 24 &&
                   AARCH64_FRAME_FAR == AARCH64_FRAME_SP + 32,
               "sp, ELR, SPSR, ESR, FAR follow one another (hal_exception_info.other)");

void hal_exception_describe(const struct hal_exception *e, struct hal_exception_info *info)
{
    uint64_t esr = e->frame->esr;
    uint32_t ec = esr_class(esr);
    info->stack_overflow = (e->kind & AARCH64_VECTOR_STACK_OVERFLOW) != 0;
    info->type = aarch64_exception_type(e->kind);
    info->origin = aarch64_exception_origin(e->kind);
    info->cause_code = ec;
    info->cause = esr_class_name(ec);
    info->abort_status = 0;
    info->abort_level = -1;
    info->abort_access = "";
    info->regs = e->frame->x;
    info->reg_count = 31;
    info->reg_prefix = "x";
    /* sp, ELR, SPSR, ESR and FAR follow one another in the frame. */
    info->other = &e->frame->sp;
    info->other_count = 5;
    info->other_names = "sp  ELR SPSRESR FAR ";
    if (esr_is_abort(ec)) {
        uint32_t fsc = esr_fault_status(esr);
        info->abort_status = esr_fault_status_name(fsc);
        info->abort_level = esr_fault_level(fsc);
        if (ec == ESR_EC_DABT_SAME || ec == ESR_EC_DABT_LOWER) {
            info->abort_access = esr_abort_is_write(esr) ? ", on a write" : ", on a read";
        }
    }
}
