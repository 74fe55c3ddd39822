#include "kernel/check/check.h"

#include "hal/cpu.h"
#include "kernel/console/kprintf.h"
#include "kernel/main/boot_markers.h"

_Noreturn void check_failed(const char *file, int line, const char *condition)
{
    kprintf("basalt: CHECK failed: %s:%d: %s\n", file, line, condition);
    kprintf("%s\n", BOOT_MARKER_HALTED);
    hal_cpu_halt();
}
