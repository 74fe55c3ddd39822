/* Starting the other CPUs, the boards' shared half: see board.h. */

#include <stdbool.h>
#include <stdint.h>

#include "bsp/common/board.h"
#include "hal/aarch64/kernel_lock.h"
#include "hal/aarch64/pmu_user.h"
#include "hal/aarch64/smp.h"
#include "hal/cpu.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/trap/trap.h"

_Static_assert(FDT_MAX_CPUS == AARCH64_MAX_CPUS,
               "the device tree describes the CPUs the kernel runs");

/* The next stack slot (hal/aarch64/smp.h: each is used once) and the CPUs
 * running, the boot CPU included, over every call. */
static uint32_t cpus_next_slot = 1;
static uint32_t cpus_online = 1;
/* Their slots, bit s for slot s (hal_cpu_online). */
static uint32_t cpus_online_slots = 1;

uint32_t hal_cpu_online(void)
{
    return cpus_online_slots;
}

uint32_t bsp_start_cpus(const struct fdt_platform *p)
{
    /* A CPU reports in within microseconds; an emulator on a loaded host
     * may take far longer to run a new CPU's first instructions. */
    return bsp_start_cpus_at(p, aarch64_secondary_entry_pa(), hal_timer_frequency());
}

uint32_t bsp_start_cpus_at(const struct fdt_platform *p, uint64_t entry_pa, uint64_t timeout)
{
    uint64_t self = aarch64_cpu_mpidr();
    uint32_t n = p->cpu_count < FDT_MAX_CPUS ? p->cpu_count : FDT_MAX_CPUS;
    for (uint32_t i = 0; i < n; i++) {
        const struct fdt_cpu *cpu = &p->cpus[i];
        if (cpu->disabled ||
            (cpu->mpidr != FDT_CPU_NO_MPIDR && (cpu->mpidr & AARCH64_MPIDR_AFFINITY) == self)) {
            continue;
        }
        if (cpu->mpidr == FDT_CPU_NO_MPIDR) {
            kprintf("basalt: CPU %u did not start: its reg is no MPIDR\n", i);
            continue;
        }
        uint64_t arg = aarch64_secondary_prepare(cpus_next_slot);
        if (arg == 0) {
            kprintf("basalt: CPU %u did not start: all %u kernel stacks are taken\n", i,
                    (unsigned)AARCH64_MAX_CPUS);
            continue;
        }
        /* From the first CPU started on, the kernel lock is used (it may
         * join the kernel later); undone below if none was. */
        aarch64_kernel_lock_share();
        int64_t code = 0;
        const char *why = board_cpu_on(cpu, entry_pa, arg, &code);
        if (why != 0) {
            if (code != 0) {
                kprintf("basalt: CPU %u did not start: %s %d\n", i, why, (int)code);
            } else {
                kprintf("basalt: CPU %u did not start: %s\n", i, why);
            }
            continue;
        }
        /* Started: its slot is its own now, whether it reports in or not. */
        uint32_t s = cpus_next_slot++;
        enum aarch64_secondary_report report = aarch64_secondary_wait(s, timeout);
        if (report == AARCH64_SECONDARY_SILENT) {
            kprintf("basalt: CPU %u did not report in within %llu ms\n", i,
                    (unsigned long long)(timeout * 1000 / hal_timer_frequency()));
            continue;
        }
        if (report == AARCH64_SECONDARY_FAILED) {
            kprintf("basalt: CPU %u started, but its interrupt controller did not answer\n", i);
            continue;
        }
        cpus_online++;
        cpus_online_slots |= 1u << s;
    }
    if (cpus_next_slot == 1) {
        aarch64_kernel_lock_unshare(); /* none was ever started: one CPU, no lock */
    }
    if (p->cpus_dropped != 0) {
        kprintf("basalt: %u more CPUs in the device tree stay off (the kernel runs %u)\n",
                p->cpus_dropped, (unsigned)FDT_MAX_CPUS);
    }
    kprintf("basalt: %u CPUs online\n", cpus_online);
    return cpus_online;
}

void (*volatile bsp_secondary_work)(uint32_t slot);

void bsp_secondary_main(uint64_t slot)
{
    /* It prints nothing: the console is the boot CPU's. It reports. */
    aarch64_kernel_lock_join();
    bool ok = board_cpu_init((uint32_t)slot) == 0;
    aarch64_secondary_online((uint32_t)slot, ok);
    void (*work)(uint32_t) = bsp_secondary_work;
    if (ok && work != 0) {
        work((uint32_t)slot);
    }
    if (!ok || work != 0) {
        hal_cpu_halt();
    }
    aarch64_pmu_user_setup(); /* this CPU's PMUSERENR_EL0, as the boot CPU's */
    /* Into the scheduler, once the boot CPU's first task runs. */
    aarch64_kernel_lock_take();
    trap_run_secondary();
}
