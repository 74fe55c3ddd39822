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

void aarch64_cpu_enter(void)
{
    uint32_t cpu = aarch64_cpu_slot();
    aarch64_mmu_cpu_swap(cpu, 1);
    trap_cpu_enter(cpu);
}

void aarch64_cpu_leave(void)
{
    uint32_t cpu = aarch64_cpu_slot();
    trap_cpu_leave(cpu);
    aarch64_mmu_cpu_swap(cpu, 0);
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
        aarch64_cpu_leave();
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
