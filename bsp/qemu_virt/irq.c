#include "bsp/qemu_virt/irq.h"

#include <stddef.h>
#include <stdint.h>

#include "hal/irq.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/syscall/syscall.h"
#include "kernel/time/tick.h"

/* The timer's INTID; 0 (an SGI, never routed here) until set at boot. */
static uint32_t irq_timer_intid;
/* The kernel whose user drivers get the other lines; NULL until tasks run. */
static struct kernel_state *irq_kernel;

void irq_set_timer_intid(uint32_t intid)
{
    irq_timer_intid = intid;
}

void irq_set_kernel(struct kernel_state *k)
{
    irq_kernel = k;
}

bool irq_handle(void)
{
    bool timer = false;
    for (;;) {
        uint32_t intid = hal_irq_acknowledge();
        if (intid == HAL_IRQ_NONE) {
            return timer; /* nothing (more) pending */
        }
        if (intid == irq_timer_intid) {
            timer = true;
            kernel_timer_fired();
            // A tick per period ended; none when only the alarm fired.
            for (uint64_t n = hal_timer_rearm(); n > 0; n--) {
                kernel_tick();
            }
        } else if (irq_kernel == NULL || !kernel_irq_fired(irq_kernel, intid)) {
            /* Masked now (kernel_irq_fired masks a line nobody takes). */
            hal_irq_line_mask(intid);
            kprintf("basalt: unexpected interrupt %u\n", intid);
        }
        /* A user driver's line is masked until its SYS_IRQ_ACK: ending it
         * here (priority drop and deactivate) cannot make it fire again. */
        hal_irq_end(intid);
    }
}
