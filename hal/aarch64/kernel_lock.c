/* The big kernel lock: see kernel_lock.h. */

#include "hal/aarch64/kernel_lock.h"

#include <stdint.h>

#include "hal/aarch64/mmu_ttbr.h"
#include "hal/aarch64/smp.h"
#include "hal/aarch64/spinlock.h"
#include "hal/cpu.h"
#include "hal/trap.h"

struct aarch64_ticket_lock aarch64_kernel_lock;
uint8_t aarch64_kernel_lock_shared;

/* 1 while a CPU may run EL0 code: set as it leaves the kernel for a task
 * (before the lock is released), cleared as it enters (before it waits
 * for the lock). Read by hal_cpu_wait_left_el0 under the lock. */
static uint32_t cpu_at_el0[AARCH64_MAX_CPUS];

void aarch64_cpu_arrive(void)
{
    uint32_t cpu = aarch64_cpu_slot();
    if (cpu < AARCH64_MAX_CPUS) {
        __asm__ volatile("stlr %w0, [%1]" ::"r"(0u), "r"(&cpu_at_el0[cpu]) : "memory");
    }
}

void hal_cpu_wait_left_el0(uint32_t cpu)
{
    if (cpu >= AARCH64_MAX_CPUS) {
        return;
    }
    for (;;) {
        uint32_t v;
        __asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(&cpu_at_el0[cpu]) : "memory");
        if (v == 0) {
            return;
        }
        __asm__ volatile("yield");
    }
}

void aarch64_cpu_enter(void)
{
    uint32_t cpu = aarch64_cpu_slot();
    aarch64_mmu_cpu_swap(cpu, 1);
    trap_cpu_enter(cpu);
}

void aarch64_cpu_leave(uint64_t to_el0)
{
    uint32_t cpu = aarch64_cpu_slot();
    trap_cpu_leave(cpu);
    aarch64_mmu_cpu_swap(cpu, 0);
    if (cpu < AARCH64_MAX_CPUS) {
        cpu_at_el0[cpu] = to_el0 != 0;
    }
}

void aarch64_kernel_lock_take(void)
{
    if (*(volatile uint8_t *)&aarch64_kernel_lock_shared != 0) {
        aarch64_ticket_lock(&aarch64_kernel_lock);
        aarch64_cpu_enter();
    }
}

void aarch64_kernel_lock_release(void)
{
    if (*(volatile uint8_t *)&aarch64_kernel_lock_shared != 0) {
        aarch64_cpu_leave(0);
        aarch64_ticket_unlock(&aarch64_kernel_lock);
    }
}

/* Sets or clears the lock's bit 0 in this CPU's TPIDR_EL1 (kernel_lock.h). */
static void tpidr_lock_bit(uint64_t on)
{
    uint64_t v;
    __asm__ volatile("mrs %0, tpidr_el1" : "=r"(v));
    __asm__ volatile("msr tpidr_el1, %0" ::"r"((v & ~1ull) | on) : "memory");
}

void aarch64_kernel_lock_join(void)
{
    tpidr_lock_bit(*(volatile uint8_t *)&aarch64_kernel_lock_shared != 0);
}

void aarch64_kernel_lock_share(void)
{
    if (aarch64_kernel_lock_shared != 0) {
        return;
    }
    aarch64_ticket_lock(&aarch64_kernel_lock);
    /* The store that turns the lock on is seen before any CPU started
     * later runs (CPU_ON is a call that completes after it): DMB ISH. */
    *(volatile uint8_t *)&aarch64_kernel_lock_shared = 1;
    __asm__ volatile("dmb ish" ::: "memory");
    tpidr_lock_bit(1);
}

void aarch64_kernel_lock_unshare(void)
{
    if (aarch64_kernel_lock_shared == 0) {
        return;
    }
    aarch64_ticket_unlock(&aarch64_kernel_lock);
    *(volatile uint8_t *)&aarch64_kernel_lock_shared = 0;
    tpidr_lock_bit(0);
}

void hal_cpu_idle(void)
{
    aarch64_kernel_lock_release();
    /* WFI with IRQs masked: it returns once one is pending, and unmasking
     * takes it; unmasking first could take it before the WFI, which would
     * then sleep until the next. */
    __asm__ volatile("wfi\n\t"
                     "msr daifclr, #2\n\t"
                     "isb\n\t"
                     "msr daifset, #2" ::
                         : "memory");
    aarch64_kernel_lock_take();
}
