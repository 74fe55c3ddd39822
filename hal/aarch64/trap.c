/*
 * hal/trap.h for AArch64: the tasks' contexts (context.h), switched by
 * returning another one to the vectors (vectors.S), and the C handlers the
 * vectors call for what is not a system call.
 */

#include "hal/trap.h"

#include <stdint.h>

#include "hal/aarch64/context.h"
#include "hal/aarch64/frame.h"
#include "hal/aarch64/kernel_lock.h"
#include "hal/aarch64/mmu_ttbr.h"
#include "hal/addr.h"
#include "hal/mmu.h"

/* SPSR for EL0t with every interrupt unmasked (Arm ARM C5.2.19). */
#define AARCH64_SPSR_EL0 0u

/* 16-byte aligned: SP_EL1 points into them (frame.h). */
static _Alignas(16) struct hal_context aarch64_contexts[HAL_CONTEXT_MAX];

struct hal_context *hal_context_get(uint32_t index)
{
    return &aarch64_contexts[index];
}

uint64_t *hal_context_args(struct hal_context *context)
{
    return context->frame.x;
}

void hal_context_init(struct hal_context *context, uint64_t entry, uint64_t stack, uint64_t a0,
                      uint64_t a1, uint64_t a2)
{
    struct aarch64_frame *frame = &context->frame;
    context->tpidr = 0;
    context->tpidrro = 0;
    for (uint32_t i = 0; i < 31; i++) {
        frame->x[i] = 0;
    }
    frame->x[0] = a0;
    frame->x[1] = a1;
    frame->x[2] = a2;
    frame->sp = stack;
    frame->elr = entry;
    frame->spsr = AARCH64_SPSR_EL0;
    frame->esr = 0;
    frame->far = 0;
}

void hal_context_tls_save(struct hal_context *context)
{
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(context->tpidr));
}

void hal_context_tls_load(const struct hal_context *context)
{
    __asm__ volatile("msr tpidr_el0, %0\n\tmsr tpidrro_el0, %1" ::"r"(context->tpidr),
                     "r"(context->tpidrro));
}

void hal_context_set_space(struct hal_context *context, paddr_t root, uint32_t asid)
{
    context->space_root = root;
    context->space_ttbr = root.value != 0 ? aarch64_mmu_ttbr(root, asid) : 0;
}

paddr_t hal_context_space_root(const struct hal_context *context)
{
    return context->space_root;
}

void hal_context_activate_space(const struct hal_context *context)
{
    if (hal_mmu_active().value != context->space_root.value) {
        aarch64_mmu_activate_ttbr(context->space_root, context->space_ttbr);
    }
}

struct hal_context *aarch64_trap_el0(struct hal_context *context, uint64_t kind)
{
    uint64_t type = kind & 3;
    if ((kind & 12) != AARCH64_VECTOR_GROUP_EL0_A64) {
        aarch64_trap_unexpected(&context->frame, kind); // tasks run in AArch64 only
    }
    if (type == AARCH64_VECTOR_IRQ) {
        return trap_interrupt(context);
    }
    // A synchronous exception that is not a system call (the SVC vector
    // takes those), an SError or an FIQ: a fault of the task.
    struct hal_fault fault;
    aarch64_fault_describe(&context->frame, type, &fault);
    return trap_fault(context, &fault);
}

void aarch64_trap_el1(struct aarch64_frame *frame, uint64_t kind)
{
    /* IRQs are expected in the kernel running on SP_EL1 (it waits for one
     * with IRQs unmasked); anything else is reported and halts. */
    if ((kind & AARCH64_VECTOR_STACK_OVERFLOW) == 0 && (kind & 3) == AARCH64_VECTOR_IRQ &&
        (kind & 12) == AARCH64_VECTOR_GROUP_EL1_SPX) {
        /* Taken in hal_cpu_idle's window, where the lock is free. */
        aarch64_kernel_lock_take();
        trap_kernel_interrupt();
        aarch64_kernel_lock_release();
        return;
    }
    aarch64_trap_unexpected(frame, kind);
}
