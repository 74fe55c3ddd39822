#include "bsp/qemu_virt/irq.h"

#include <stdint.h>

#include "bsp/qemu_virt/gic.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/time/tick.h"

/* The timer's INTID; 0 (an SGI, never routed here) until set at boot. */
static uint32_t irq_timer_intid;

void irq_set_timer_intid(uint32_t intid)
{
    irq_timer_intid = intid;
}

void irq_handle(void)
{
    for (;;) {
        uint32_t intid = gic_acknowledge();
        if (intid >= GIC_INTID_SPECIAL_FIRST) {
            return; /* nothing (more) pending */
        }
        if (intid == irq_timer_intid) {
            // A tick per period ended; none when only the alarm fired.
            for (uint64_t n = hal_timer_rearm(); n > 0; n--) {
                kernel_tick();
            }
        } else {
            kprintf("basalt: unexpected interrupt %u\n", intid);
        }
        gic_end(intid);
    }
}
