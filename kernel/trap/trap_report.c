/*
 * An exception the kernel did not expect (a fault of its own, or one no
 * task can raise): reported with everything the architecture saved, then
 * the kernel halts. Cold, built for size.
 */

#include <stdint.h>

#include "hal/cpu.h"
#include "hal/trap.h"
#include "kernel/console/kprintf.h"
#include "kernel/main/boot_markers.h"

/* The saved registers, three to a line: the general ones, then the others
 * (sp, ELR, SPSR, ESR, FAR on aarch64) in the same columns. */
static void trap_report_registers(const struct hal_exception_info *info)
{
    uint32_t column = 0;
    for (uint32_t i = 0; i < info->reg_count; i++) {
        kprintf("  %s%-2u 0x%016llx", info->reg_prefix, i, (unsigned long long)info->regs[i]);
        if (++column == 3) {
            kprintf("\n");
            column = 0;
        }
    }
    for (uint32_t n = 0; n < info->other_count; n++) {
        kprintf("  %.4s 0x%016llx", info->other_names + n * HAL_EXCEPTION_NAME_WIDTH,
                (unsigned long long)info->other[n]);
        if (++column == 3) {
            kprintf("\n");
            column = 0;
        }
    }
    if (column != 0) {
        kprintf("\n");
    }
}

_Noreturn void trap_unexpected(const struct hal_exception *e)
{
    struct hal_exception_info info;
    hal_exception_describe(e, &info);
    if (info.stack_overflow) {
        kprintf("basalt: kernel stack overflow (SP ran into the guard page below the stack)\n");
    }
    kprintf("basalt: unexpected %s exception from %s\n", info.type, info.origin);
    kprintf("  class 0x%02x: %s\n", info.cause_code, info.cause);
    if (info.abort_status != 0 && info.abort_level >= 0) {
        kprintf("  abort: %s, level %d%s\n", info.abort_status, info.abort_level,
                info.abort_access);
    } else if (info.abort_status != 0) {
        kprintf("  abort: %s%s\n", info.abort_status, info.abort_access);
    }
    trap_report_registers(&info);
    kprintf("%s\n", BOOT_MARKER_HALTED);
    hal_cpu_halt();
}
