#include <stdint.h>

#include "bsp/qemu_virt/gic_priv.h"

/*
 * GICv2 (GIC Architecture Specification v2, IHI 0048B). QEMU virt has no
 * security extensions unless secure=on, so the non-secure view below is
 * the only one: GICD_CTLR bit 0 enables forwarding, GICC_CTLR bit 0
 * signalling to the CPU.
 */

/* Distributor registers (IHI 0048B, 4.1.2). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004      /* [4:0] ITLinesNumber: 32 * (N + 1) INTIDs */
#define GICD_ISENABLER 0x100  /* one bit per INTID, 32 per word */
#define GICD_ICENABLER 0x180  /* write 1 to mask */
#define GICD_IPRIORITYR 0x400 /* one byte per INTID */
#define GICD_ITARGETSR 0x800  /* one byte per INTID: CPU mask (SPIs) */

/* CPU interface registers (IHI 0048B, 4.1.3). */
#define GICC_CTLR 0x000
#define GICC_PMR 0x004  /* priority mask: only priorities below it signal */
#define GICC_BPR 0x008  /* binary point: 0, no preemption grouping */
#define GICC_IAR 0x00c  /* acknowledge: bits [9:0] INTID */
#define GICC_EOIR 0x010 /* end of interrupt */

#define GIC_FIRST_SPI 32u

static uintptr_t gicv2_gicd;
static uintptr_t gicv2_gicc;

int gicv2_init(const struct gic_config *config)
{
    if (config->gicd == 0 || config->gicc == 0) {
        return -1;
    }
    gicv2_gicd = config->gicd;
    gicv2_gicc = config->gicc;
    gic_write32(gicv2_gicd + GICD_CTLR, 1);
    gic_write32(gicv2_gicc + GICC_PMR, 0xff);
    gic_write32(gicv2_gicc + GICC_BPR, 0);
    gic_write32(gicv2_gicc + GICC_CTLR, 1);
    return 0;
}

void gicv2_enable(uint32_t intid, uint8_t priority)
{
    gic_write8(gicv2_gicd + GICD_IPRIORITYR + intid, priority);
    if (intid >= GIC_FIRST_SPI) {
        gic_write8(gicv2_gicd + GICD_ITARGETSR + intid, 1); /* CPU interface 0 */
    }
    gic_write32(gicv2_gicd + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

uint32_t gicv2_acknowledge(void)
{
    return gic_read32(gicv2_gicc + GICC_IAR) & 0x3ff;
}

void gicv2_end(uint32_t intid)
{
    gic_write32(gicv2_gicc + GICC_EOIR, intid);
}

void gicv2_disable(uint32_t intid)
{
    gic_write32(gicv2_gicd + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
    /* The distributor is Device-nGnRE: DSB waits until the write has
     * completed (Arm ARM B2.3.12); reading the register back then shows the
     * line disabled, and it is no longer forwarded (IHI 0048B 4.3.6). */
    __asm__ volatile("dsb sy" ::: "memory");
    (void)gic_read32(gicv2_gicd + GICD_ICENABLER + 4 * (intid / 32));
}

uint32_t gicv2_line_count(void)
{
    return 32u * ((gic_read32(gicv2_gicd + GICD_TYPER) & 0x1fu) + 1u);
}
