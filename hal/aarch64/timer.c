#include "hal/timer.h"

#include <stdint.h>

/*
 * The Arm generic timer (Arm ARM D11 "The Generic Timer in AArch64 state"),
 * EL1 virtual timer: CNTV_TVAL_EL0 counts down from the programmed value,
 * CNTV_CTL_EL0.ENABLE (bit 0) runs it, IMASK (bit 1) masks its interrupt,
 * ISTATUS (bit 2) says it fired. The interrupt is a PPI (27 on QEMU virt,
 * from the device tree). The virtual counter equals the physical one: the
 * entry code sets CNTVOFF_EL2 to 0 when it starts at EL2.
 */

#define CNTV_CTL_ENABLE (1u << 0)

static uint64_t timer_frequency;
static uint64_t timer_period;

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

void hal_timer_rearm(void)
{
    __asm__ volatile("msr cntv_tval_el0, %0\n\tisb" ::"r"(timer_period) : "memory");
}

int hal_timer_start(uint32_t tick_hz)
{
    if (tick_hz == 0 || timer_frequency == 0 || tick_hz > timer_frequency) {
        return -1;
    }
    timer_period = timer_frequency / tick_hz;
    hal_timer_rearm();
    __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"((uint64_t)CNTV_CTL_ENABLE) : "memory");
    return 0;
}

void hal_timer_stop(void)
{
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
}
