#include <stdint.h>

#include "bsp/qemu_virt/gic_priv.h"
#include "hal/aarch64/smp.h"

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
#define GICD_SGIR 0xf00       /* [23:16] CPU target list, [3:0] the SGI */

/* CPU interface registers (IHI 0048B, 4.1.3). */
#define GICC_CTLR 0x000
#define GICC_PMR 0x004  /* priority mask: only priorities below it signal */
#define GICC_BPR 0x008  /* binary point: 0, no preemption grouping */
#define GICC_IAR 0x00c  /* acknowledge: bits [9:0] INTID */
#define GICC_EOIR 0x010 /* end of interrupt */

#define GIC_FIRST_SPI 32u

static uintptr_t gicv2_gicd;
static uintptr_t gicv2_gicc;
/* Each CPU's interface bit, by slot (hal/aarch64/smp.h): what GICD_ITARGETSR0
 * reads as on that CPU (banked: "the CPU interface that reads it", IHI
 * 0048B 4.3.12), the target list bit GICD_SGIR takes. */
static uint8_t gicv2_cpu_bits[AARCH64_MAX_CPUS];

/* This CPU's interface: every priority through, no grouping, on. */
static void gicv2_cpu_regs(uint32_t slot)
{
    gic_write32(gicv2_gicc + GICC_PMR, 0xff);
    gic_write32(gicv2_gicc + GICC_BPR, 0);
    gic_write32(gicv2_gicc + GICC_CTLR, 1);
    gicv2_cpu_bits[slot] = (uint8_t)(gic_read32(gicv2_gicd + GICD_ITARGETSR) & 0xff);
}

int gicv2_init(const struct gic_config *config)
{
    if (config->gicd == 0 || config->gicc == 0) {
        return -1;
    }
    gicv2_gicd = config->gicd;
    gicv2_gicc = config->gicc;
    gic_write32(gicv2_gicd + GICD_CTLR, 1);
    gicv2_cpu_regs(0);
    return 0;
}

int gicv2_cpu_init(uint32_t slot)
{
    if (gicv2_gicd == 0 || slot >= AARCH64_MAX_CPUS) {
        return -1;
    }
    gicv2_cpu_regs(slot);
    return gicv2_cpu_bits[slot] != 0 ? 0 : -1;
}

void gicv2_send_sgi(uint32_t intid, uint32_t slot)
{
    /* The target sees every store made before the SGI (as Linux's
     * gic_ipi_send_mask: DMB ISHST before the write to the distributor). */
    __asm__ volatile("dmb ishst" ::: "memory");
    gic_write32(gicv2_gicd + GICD_SGIR, ((uint32_t)gicv2_cpu_bits[slot] << 16) | (intid & 0xf));
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
