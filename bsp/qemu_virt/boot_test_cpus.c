/*
 * A boot test of bsp_start_cpus's refusals (bsp/common/board.h), run on
 * `--smp=8` before the boot starts the CPUs itself, each part said first:
 *  1. a made-up /cpus whose CPUs are the boot CPU (skipped), one whose reg
 *     is no MPIDR, one PSCI does not know (CPU_ON says INVALID_PARAMETERS),
 *     a disabled one (skipped), the real CPU 1 (started: it reports in),
 *     one whose enable-method is spin-table and one with none; and 3 past
 *     the kernel's limit;
 *  2. CPU 2 started at an entry that never reports in;
 *  3. CPU 3 started at an entry that reports a failed set-up;
 *  4. the /cpus of the machine: CPUs 1 to 3 are on already (ALREADY_ON),
 *     4 to 7 come up, and every stack is taken;
 *  5. one more CPU, for which no stack is left.
 * The boot's own start then finds no stack for any.
 */

#include <stdbool.h>
#include <stdint.h>

#include "bsp/common/board.h"
#include "bsp/common/boot_mmu.h"
#include "hal/aarch64/smp.h"
#include "hal/cpu.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/main/boot_test.h"

/* boot_test_cpus_entry.S */
extern char boot_test_cpu_silent[], boot_test_cpu_failing[];

void boot_test_cpu_fail_main(uint64_t slot);

void boot_test_cpu_fail_main(uint64_t slot)
{
    aarch64_secondary_online((uint32_t)slot, false);
    hal_cpu_halt();
}

/* Static (zeroed) and filled field by field: a struct this size
 * initialised or copied would be a memset or memcpy call. */
static struct fdt_platform made_up;

static void made_up_cpus(uint32_t n, const uint64_t *mpidr, const uint32_t *method,
                         const uint32_t *disabled, uint32_t dropped)
{
    for (uint32_t i = 0; i < n; i++) {
        made_up.cpus[i].mpidr = mpidr[i];
        made_up.cpus[i].enable_method = method[i];
        made_up.cpus[i].disabled = disabled != 0 ? disabled[i] : 0;
    }
    made_up.cpu_count = n + dropped;
    made_up.cpus_dropped = dropped;
}

static void boot_test_cpus(void)
{
    static const uint64_t mpidr[] = {0, FDT_CPU_NO_MPIDR, 0x100, 2, 1, 2, 3};
    static const uint32_t method[] = {
        FDT_CPU_ENABLE_PSCI, FDT_CPU_ENABLE_PSCI,       FDT_CPU_ENABLE_PSCI, FDT_CPU_ENABLE_PSCI,
        FDT_CPU_ENABLE_PSCI, FDT_CPU_ENABLE_SPIN_TABLE, FDT_CPU_ENABLE_NONE,
    };
    static const uint32_t disabled[] = {0, 0, 0, 1, 0, 0, 0};
    kprintf("boot test: starting the CPUs of a made-up /cpus\n");
    made_up_cpus(7, mpidr, method, disabled, 3);
    (void)bsp_start_cpus(&made_up);

    static const uint64_t boot_and[] = {0, 2, 3, 1};
    static const uint32_t psci[] = {FDT_CPU_ENABLE_PSCI, FDT_CPU_ENABLE_PSCI};
    kprintf("boot test: CPU 2 at an entry that never reports in\n");
    made_up_cpus(2, (const uint64_t[]){boot_and[0], boot_and[1]}, psci, 0, 0);
    /* A tenth of the boot's second is enough to see it not report. */
    (void)bsp_start_cpus_at(&made_up, aarch64_image_pa(boot_test_cpu_silent),
                            hal_timer_frequency() / 10);

    kprintf("boot test: CPU 3 at an entry that reports a failed set-up\n");
    made_up_cpus(2, (const uint64_t[]){boot_and[0], boot_and[2]}, psci, 0, 0);
    (void)bsp_start_cpus_at(&made_up, aarch64_image_pa(boot_test_cpu_failing),
                            hal_timer_frequency());

    kprintf("boot test: the /cpus of the machine\n");
    (void)bsp_start_cpus(&boot_platform);

    kprintf("boot test: one CPU more\n");
    made_up_cpus(2, (const uint64_t[]){boot_and[0], boot_and[3]}, psci, 0, 0);
    (void)bsp_start_cpus(&made_up);
}

BOOT_TEST(cpus, boot_test_cpus);
