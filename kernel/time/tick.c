#include "kernel/time/tick.h"

#include <stdint.h>

/* Written only by kernel_tick() in interrupt context, on any CPU's tick,
 * under the kernel lock; read with a single 64-bit load, which is atomic
 * on the CPUs Basalt runs on. */
static volatile uint64_t tick_count;

void kernel_tick(void)
{
    tick_count = tick_count + 1;
}

uint64_t kernel_ticks(void)
{
    return tick_count;
}

/* As tick_count. */
static volatile uint64_t timer_interrupt_count;

void kernel_timer_fired(void)
{
    timer_interrupt_count = timer_interrupt_count + 1;
}

uint64_t kernel_timer_interrupts(void)
{
    return timer_interrupt_count;
}
