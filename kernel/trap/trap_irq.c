/*
 * The interrupt loop: every line the controller signals is acknowledged,
 * handled and ended (hal/irq.h), with IRQs masked.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/irq.h"
#include "hal/timer.h"
#include "hal/trap.h"
#include "kernel/console/kprintf.h"
#include "kernel/syscall/syscall.h"
#include "kernel/time/tick.h"
#include "kernel/trap/trap.h"
#include "kernel/trap/trap_priv.h"

/* The timer's line; set by the board at boot (trap_set_timer_line). */
static uint32_t trap_timer_line;
/* The kernel whose user drivers get the other lines; NULL until tasks run. */
static struct kernel_state *trap_irq_kernel;

void trap_set_timer_line(uint32_t line)
{
    trap_timer_line = line;
}

void trap_irq_set_kernel(struct kernel_state *k)
{
    trap_irq_kernel = k;
}

uint64_t trap_irq_handle(void)
{
    uint64_t timer = 0;
    for (;;) {
        uint32_t line = hal_irq_acknowledge();
        if (line == HAL_IRQ_NONE) {
            return timer; /* nothing (more) pending */
        }
        if (line == trap_timer_line) {
            kernel_timer_fired();
            // A tick per period ended on this CPU's timer; none when only
            // the alarm fired.
            uint64_t n = hal_timer_rearm();
            timer += (timer == 0) + n;
            for (; n > 0; n--) {
                kernel_tick();
            }
        } else if (trap_irq_kernel == NULL || !kernel_irq_fired(trap_irq_kernel, line)) {
            /* Masked now (kernel_irq_fired masks a line nobody takes). */
            hal_irq_line_mask(line);
            kprintf("basalt: unexpected interrupt %u\n", line);
        }
        /* A user driver's line is masked until its SYS_IRQ_ACK: ending it
         * here (priority drop and deactivate) cannot make it fire again. */
        hal_irq_end(line);
    }
}

void trap_kernel_interrupt(void)
{
    // This CPU waits (trap_idle): no task of its own to charge the ticks
    // to; the waits whose deadline passed end once it has the kernel.
    (void)trap_irq_handle();
}
