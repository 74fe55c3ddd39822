#include "bsp/qemu_virt/exception.h"

#include "bsp/qemu_virt/irq.h"

#include <stdint.h>

#include "hal/aarch64/esr.h"
#include "hal/aarch64/frame.h"
#include "hal/cpu.h"
#include "kernel/console/kprintf.h"
#include "kernel/main/boot_markers.h"

static const char *exception_type_name(uint64_t kind)
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

static const char *exception_origin_name(uint64_t kind)
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

static void exception_report_abort(uint64_t esr)
{
    uint32_t fsc = esr_fault_status(esr);
    int level = esr_fault_level(fsc);
    const char *access = "";
    if (esr_class(esr) == ESR_EC_DABT_SAME || esr_class(esr) == ESR_EC_DABT_LOWER) {
        access = esr_abort_is_write(esr) ? ", on a write" : ", on a read";
    }
    if (level >= 0) {
        kprintf("  abort: %s, level %d%s\n", esr_fault_status_name(fsc), level, access);
    } else {
        kprintf("  abort: %s%s\n", esr_fault_status_name(fsc), access);
    }
}

void exception_report(const struct aarch64_frame *frame, uint64_t kind)
{
    uint32_t ec = esr_class(frame->esr);
    if (kind & AARCH64_VECTOR_STACK_OVERFLOW) {
        kprintf("basalt: kernel stack overflow (SP ran into the guard page below the stack)\n");
    }
    kprintf("basalt: unexpected %s exception from %s\n", exception_type_name(kind),
            exception_origin_name(kind));
    kprintf("  class 0x%02x: %s\n", ec, esr_class_name(ec));
    kprintf("  ESR  0x%016llx  FAR  0x%016llx\n", (unsigned long long)frame->esr,
            (unsigned long long)frame->far);
    kprintf("  ELR  0x%016llx  SPSR 0x%016llx\n", (unsigned long long)frame->elr,
            (unsigned long long)frame->spsr);
    if (esr_is_abort(ec)) {
        exception_report_abort(frame->esr);
    }
    for (int i = 0; i < 30; i += 3) {
        kprintf("  x%-2d 0x%016llx  x%-2d 0x%016llx  x%-2d 0x%016llx\n", i,
                (unsigned long long)frame->x[i], i + 1, (unsigned long long)frame->x[i + 1], i + 2,
                (unsigned long long)frame->x[i + 2]);
    }
    kprintf("  x30 0x%016llx  sp  0x%016llx\n", (unsigned long long)frame->x[30],
            (unsigned long long)frame->sp);
}

void bsp_exception(struct aarch64_frame *frame, uint64_t kind)
{
    /* IRQs are expected from the kernel running on SP_EL1; exceptions from
     * EL0 go to user_trap (vectors.S), which passes on what it does not take. */
    uint64_t group = kind & 12;
    uint64_t type = kind & 3;
    if ((kind & AARCH64_VECTOR_STACK_OVERFLOW) == 0 && type == AARCH64_VECTOR_IRQ &&
        group == AARCH64_VECTOR_GROUP_EL1_SPX) {
        (void)irq_handle();
        return;
    }
    exception_report(frame, kind);
    kprintf("%s\n", BOOT_MARKER_HALTED);
    hal_cpu_halt();
}
