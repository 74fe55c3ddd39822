#include "bsp/qemu_virt/gic.h"

#include <stdint.h>

#include "bsp/qemu_virt/gic_priv.h"
#include "hal/cpu.h"
#include "hal/irq.h"

/* The version in use; 0 until gic_init succeeds. Set once at boot. */
static uint32_t gic_active_version;

int gic_init(const struct gic_config *config)
{
    int result = -1;
    if (config->version == 2) {
        result = gicv2_init(config);
    } else if (config->version == 3) {
        result = gicv3_init(config);
    }
    if (result == 0) {
        gic_active_version = config->version;
        gic_enable(GIC_SGI_WAKE, GIC_USER_PRIORITY);
    }
    return result;
}

/* Out of line (noinline): the boot and hal_irq_line_unmask share one copy. */
__attribute__((noinline)) void gic_enable(uint32_t intid, uint8_t priority)
{
    if (gic_active_version == 2) {
        gicv2_enable(intid, priority);
    } else if (gic_active_version == 3) {
        gicv3_enable(intid, priority);
    }
}

uint32_t gic_acknowledge(void)
{
    if (gic_active_version == 2) {
        return gicv2_acknowledge();
    } else if (gic_active_version == 3) {
        return gicv3_acknowledge();
    }
    return 1023;
}

void gic_end(uint32_t intid)
{
    if (gic_active_version == 2) {
        gicv2_end(intid);
    } else if (gic_active_version == 3) {
        gicv3_end(intid);
    }
}

int gic_cpu_init(uint32_t slot)
{
    int result = -1;
    if (gic_active_version == 2) {
        result = gicv2_cpu_init(slot);
    } else if (gic_active_version == 3) {
        result = gicv3_cpu_init(slot);
    }
    if (result == 0) {
        gic_enable(GIC_SGI_WAKE, GIC_USER_PRIORITY);
    }
    return result;
}

void gic_send_sgi(uint32_t intid, uint32_t slot)
{
    if (gic_active_version == 2) {
        gicv2_send_sgi(intid, slot);
    } else if (gic_active_version == 3) {
        gicv3_send_sgi(intid, slot);
    }
}

uint32_t gic_version(void)
{
    return gic_active_version;
}

void gic_disable(uint32_t intid)
{
    if (gic_active_version == 2) {
        gicv2_disable(intid);
    } else if (gic_active_version == 3) {
        gicv3_disable(intid);
    }
}

uint32_t gic_line_count(void)
{
    uint32_t n = 0;
    if (gic_active_version == 2) {
        n = gicv2_line_count();
    } else if (gic_active_version == 3) {
        n = gicv3_line_count();
    }
    return n > GIC_INTID_SPECIAL_FIRST ? GIC_INTID_SPECIAL_FIRST : n;
}

/* hal/irq.h: the lines of user drivers (kernel/syscall/syscall_irq.c), and
 * each interrupt's acknowledge and end (the interrupt loop). */

uint32_t hal_irq_line_count(void)
{
    return gic_line_count();
}

void hal_irq_line_mask(uint32_t intid)
{
    if (intid < gic_line_count()) {
        gic_disable(intid);
    }
}

void hal_irq_line_unmask(uint32_t intid)
{
    if (intid < gic_line_count()) {
        gic_enable(intid, GIC_USER_PRIORITY);
    }
}

uint32_t hal_irq_acknowledge(void)
{
    uint32_t intid = gic_acknowledge();
    while (intid == GIC_SGI_WAKE) {
        gic_end(intid); /* a kick: entering the kernel was all it asked */
        intid = gic_acknowledge();
    }
    return intid >= GIC_INTID_SPECIAL_FIRST ? HAL_IRQ_NONE : intid;
}

void hal_cpu_kick(uint32_t cpu)
{
    gic_send_sgi(GIC_SGI_WAKE, cpu);
}

void hal_irq_end(uint32_t line)
{
    gic_end(line);
}
