/*
 * A boot test of bsp_start_cpus's refusals (bsp/common/board.h), run on
 * `--smp=2` before the boot starts the CPUs itself: a made-up /cpus whose
 * CPUs are the boot CPU (skipped), one whose reg is no MPIDR, one PSCI
 * does not know (CPU_ON says INVALID_PARAMETERS), a disabled one
 * (skipped), the real CPU 1 (started: it reports in), one whose
 * enable-method is spin-table and one with none; and 3 past the kernel's
 * limit. Then a wait on a slot nobody started, which must time out. The
 * boot's own start then finds CPU 1 on already (CPU_ON says ALREADY_ON).
 */

#include <stdint.h>

#include "bsp/common/board.h"
#include "hal/aarch64/smp.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/main/boot_test.h"

static void boot_test_cpus(void)
{
    /* Static (zeroed) and filled field by field: a struct this size
     * initialised or copied would be a memset or memcpy call. */
    static struct fdt_platform p;
    static const struct {
        uint64_t mpidr;
        uint32_t method;
        uint32_t disabled;
    } cpus[] = {
        {0, FDT_CPU_ENABLE_PSCI, 0},     {FDT_CPU_NO_MPIDR, FDT_CPU_ENABLE_PSCI, 0},
        {0x100, FDT_CPU_ENABLE_PSCI, 0}, {2, FDT_CPU_ENABLE_PSCI, 1},
        {1, FDT_CPU_ENABLE_PSCI, 0},     {2, FDT_CPU_ENABLE_SPIN_TABLE, 0},
        {3, FDT_CPU_ENABLE_NONE, 0},
    };
    uint32_t n = sizeof cpus / sizeof cpus[0];
    for (uint32_t i = 0; i < n; i++) {
        p.cpus[i].mpidr = cpus[i].mpidr;
        p.cpus[i].enable_method = cpus[i].method;
        p.cpus[i].disabled = cpus[i].disabled;
    }
    p.cpu_count = n + 3;
    p.cpus_dropped = 3;
    kprintf("boot test: starting the CPUs of a made-up /cpus\n");
    uint32_t online = bsp_start_cpus(&p);
    /* Slot 1 went to CPU 1; slot 2 was never started. */
    int timed_out =
        aarch64_secondary_wait(2, hal_timer_frequency() / 100) == AARCH64_SECONDARY_SILENT;
    kprintf("boot test: %u online; a slot nobody started timed out: %s\n", online,
            timed_out ? "yes" : "no");
}

BOOT_TEST(cpus, boot_test_cpus);
