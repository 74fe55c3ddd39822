#include "bsp/qemu_virt/gic.h"

#include <stdint.h>

#include "bsp/qemu_virt/gic_priv.h"

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
    }
    return result;
}

void gic_enable(uint32_t intid, uint8_t priority)
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

uint32_t gic_version(void)
{
    return gic_active_version;
}
