#include "hal/timer.h"

#include <stdbool.h>
#include <stdint.h>

#include "hal/aarch64/smp.h"

/*
 * The Arm generic timer (Arm ARM D11 "The Generic Timer in AArch64 state"),
 * EL1 virtual timer: its condition is met, and its interrupt asserted
 * (level), while CNTVCT_EL0 >= CNTV_CVAL_EL0 (an absolute compare value,
 * D11.2.4); CNTV_CTL_EL0.ENABLE (bit 0) runs it, IMASK (bit 1) masks its
 * interrupt, ISTATUS (bit 2) says the condition is met. The interrupt is a
 * PPI (27 on QEMU virt, from the device tree). The virtual counter equals
 * the physical one: the entry code sets CNTVOFF_EL2 to 0 when it starts at
 * EL2.
 *
 * One compare value serves two clients: the periodic tick (timer_next_tick,
 * advanced by whole periods so ticks do not drift) and the alarm (the
 * kernel's earliest deadline): CVAL is the earlier of the two. While the
 * CPU is idle (hal_timer_idle) the tick is left out: CVAL is the alarm, or
 * UINT64_MAX, which the counter never reaches. The
 * comparison is 64-bit and absolute, so an alarm far away (UINT64_MAX)
 * simply never comes, with no overflow anywhere.
 *
 * Each CPU has its own timer (the registers and the PPI are banked), so
 * each has its own next tick and alarm, indexed by its slot; the frequency
 * and the period are the same for all. A CPU only ever touches its own.
 */

#define CNTV_CTL_ENABLE (1u << 0)

static uint64_t timer_frequency;
static uint64_t timer_period;
static uint64_t timer_next_tick[AARCH64_MAX_CPUS];
static uint64_t timer_alarm[AARCH64_MAX_CPUS];
static bool timer_idle[AARCH64_MAX_CPUS];

static uint64_t timer_read_cntfrq(void)
{
    uint64_t value;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(value));
    return value;
}

void hal_timer_init(uint64_t frequency_hz)
{
    uint64_t hardware = timer_read_cntfrq() & 0xffffffffu; /* bits 63:32 RES0 */
    timer_frequency = hardware != 0 ? hardware : frequency_hz;
}

uint64_t hal_timer_frequency(void)
{
    return timer_frequency;
}

uint64_t hal_timer_count(void)
{
    uint64_t value;
    /* The ISB keeps the read from being taken early (Arm ARM D11.2.2). */
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value)::"memory");
    return value;
}

/* Writes CVAL: the next tick (none while idle), or the alarm if it comes first. */
static void timer_program(uint32_t cpu)
{
    uint64_t when = timer_idle[cpu] ? UINT64_MAX : timer_next_tick[cpu];
    if (timer_alarm[cpu] != 0 && timer_alarm[cpu] < when) {
        when = timer_alarm[cpu];
    }
    __asm__ volatile("msr cntv_cval_el0, %0\n\tisb" ::"r"(when) : "memory");
}

uint64_t hal_timer_rearm(void)
{
    uint32_t cpu = aarch64_cpu_slot();
    uint64_t now = hal_timer_count();
    uint64_t periods = 0;
    if (timer_period != 0 && !timer_idle[cpu] && now >= timer_next_tick[cpu]) {
        periods = (now - timer_next_tick[cpu]) / timer_period + 1;
        timer_next_tick[cpu] += periods * timer_period;
    }
    if (timer_alarm[cpu] != 0 && timer_alarm[cpu] <= now) {
        timer_alarm[cpu] = 0; // spent: its interrupt must not come again
    }
    timer_program(cpu);
    return periods;
}

void hal_timer_set_alarm(uint64_t when)
{
    uint32_t cpu = aarch64_cpu_slot();
    timer_alarm[cpu] = when;
    timer_program(cpu);
}

/* Out of line: its two callers' four calls share one copy (LTO would
 * inline each). */
__attribute__((noinline)) void hal_timer_idle(bool idle)
{
    uint32_t cpu = aarch64_cpu_slot();
    timer_idle[cpu] = idle;
    if (!idle && timer_period != 0) {
        timer_next_tick[cpu] = hal_timer_count() + timer_period;
    }
    timer_program(cpu);
}

int hal_timer_start(uint32_t tick_hz)
{
    if (tick_hz == 0 || timer_frequency == 0 || tick_hz > timer_frequency) {
        return -1;
    }
    uint32_t cpu = aarch64_cpu_slot();
    timer_period = timer_frequency / tick_hz;
    timer_next_tick[cpu] = hal_timer_count() + timer_period;
    timer_alarm[cpu] = 0;
    timer_idle[cpu] = false;
    timer_program(cpu);
    __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"((uint64_t)CNTV_CTL_ENABLE) : "memory");
    return 0;
}

void hal_timer_stop(void)
{
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
    timer_alarm[aarch64_cpu_slot()] = 0;
}
