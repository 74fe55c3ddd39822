#include "bsp/qemu_virt/gicv3_rd.h"

#include <stdint.h>

static uint64_t gicv3_rd_read64(uintptr_t addr)
{
    return *(volatile uint64_t *)addr;
}

/** The RD_base in region r whose affinity is affinity, or 0. */
static uintptr_t gicv3_find_rd_in(const struct gic_rd_region *r, uint64_t affinity)
{
    for (uint64_t offset = 0; r->size >= GICR_FRAME_STRIDE && offset <= r->size - GICR_FRAME_STRIDE;
         offset += GICR_FRAME_STRIDE) {
        uint64_t typer = gicv3_rd_read64(r->base + offset + GICR_TYPER);
        if ((typer >> 32) == affinity) {
            return r->base + offset;
        }
        if (typer & GICR_TYPER_LAST) {
            break;
        }
    }
    return 0;
}

uintptr_t gicv3_find_rd(const struct gic_rd_region *regions, uint32_t count, uint64_t affinity)
{
    for (uint32_t i = 0; i < count; i++) {
        uintptr_t rd = gicv3_find_rd_in(&regions[i], affinity);
        if (rd != 0) {
            return rd;
        }
    }
    return 0;
}
