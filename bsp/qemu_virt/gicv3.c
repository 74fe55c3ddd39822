#include <stdint.h>

#include "bsp/qemu_virt/gic_priv.h"
#include "bsp/qemu_virt/gicv3_rd.h"
#include "hal/aarch64/smp.h"

/*
 * GICv3 (GIC Architecture Specification v3/v4, IHI 0069). Affinity routing
 * on; every interrupt in Group 1, signalled as IRQ; the CPU interface
 * through its system registers (ICC_*, written by encoding so no assembler
 * feature flag is needed).
 */

/* Distributor (IHI 0069, 12.9). */
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_RWP (1u << 31) /* register write pending */
#define GICD_TYPER 0x0004        /* [4:0] ITLinesNumber: 32 * (N + 1) INTIDs */
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000 /* 8 bytes per SPI: target affinity */

/* Redistributor (IHI 0069, 12.10 and 12.11); frame layout in gicv3_rd.h. */
#define GICR_CTLR 0x0000
#define GICR_CTLR_RWP (1u << 3)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400

#define GIC_FIRST_SPI 32u
#define GIC_POLL_LIMIT 1000000u

static uintptr_t gicv3_gicd;
static const struct gic_config *gicv3_config;
/* Each CPU's redistributor RD_base and affinity (gicv3_my_affinity), by
 * slot (hal/aarch64/smp.h). */
static uintptr_t gicv3_rds[AARCH64_MAX_CPUS];
static uint64_t gicv3_affinities[AARCH64_MAX_CPUS];
/* The calling CPU's redistributor. */
static uintptr_t gicv3_rd_self(void)
{
    return gicv3_rds[aarch64_cpu_slot()];
}

static int gicv3_wait_rwp(void)
{
    for (uint32_t i = 0; i < GIC_POLL_LIMIT; i++) {
        if ((gic_read32(gicv3_gicd + GICD_CTLR) & GICD_CTLR_RWP) == 0) {
            return 0;
        }
    }
    return -1;
}

static uint64_t gicv3_my_affinity(void)
{
    uint64_t mpidr;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
    /* Aff3 is MPIDR[39:32], Aff2..Aff0 MPIDR[23:0]; GICR_TYPER[63:32]
     * holds Aff3.Aff2.Aff1.Aff0. */
    return ((mpidr >> 8) & 0xff000000u) | (mpidr & 0xffffffu);
}

static int gicv3_wake_rd(void)
{
    uint32_t waker = gic_read32(gicv3_rd_self() + GICR_WAKER);
    gic_write32(gicv3_rd_self() + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
    for (uint32_t i = 0; i < GIC_POLL_LIMIT; i++) {
        if ((gic_read32(gicv3_rd_self() + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) == 0) {
            return 0;
        }
    }
    return -1;
}

static void gicv3_cpu_interface_init(void)
{
    uint64_t sre;
    /* ICC_SRE_EL1 (S3_0_C12_C12_5).SRE: use the system registers. */
    __asm__ volatile("mrs %0, s3_0_c12_c12_5" : "=r"(sre));
    __asm__ volatile("msr s3_0_c12_c12_5, %0\n\tisb" ::"r"(sre | 1) : "memory");
    /* ICC_PMR_EL1 (S3_0_C4_C6_0): let every priority through. */
    __asm__ volatile("msr s3_0_c4_c6_0, %0" ::"r"((uint64_t)0xff));
    /* ICC_BPR1_EL1 (S3_0_C12_C12_3): no priority grouping. */
    __asm__ volatile("msr s3_0_c12_c12_3, xzr");
    /* ICC_IGRPEN1_EL1 (S3_0_C12_C12_7): signal Group 1 interrupts. */
    __asm__ volatile("msr s3_0_c12_c12_7, %0\n\tisb" ::"r"((uint64_t)1) : "memory");
}

int gicv3_init(const struct gic_config *config)
{
    if (config->gicd == 0 || config->gicr_count == 0) {
        return -1;
    }
    gicv3_gicd = config->gicd;
    gicv3_config = config;
    gicv3_affinities[0] = gicv3_my_affinity();
    gicv3_rds[0] = gicv3_find_rd(config->gicr, config->gicr_count, gicv3_affinities[0]);
    if (gicv3_rds[0] == 0) {
        return -1;
    }
    /* ARE first, with the groups disabled, then enable Group 1. */
    gic_write32(gicv3_gicd + GICD_CTLR, GICD_CTLR_ARE);
    if (gicv3_wait_rwp() != 0) {
        return -1;
    }
    gic_write32(gicv3_gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    if (gicv3_wait_rwp() != 0 || gicv3_wake_rd() != 0) {
        return -1;
    }
    gicv3_cpu_interface_init();
    return 0;
}

int gicv3_cpu_init(uint32_t slot)
{
    if (gicv3_config == 0 || slot == 0 || slot >= AARCH64_MAX_CPUS) {
        return -1;
    }
    gicv3_affinities[slot] = gicv3_my_affinity();
    gicv3_rds[slot] =
        gicv3_find_rd(gicv3_config->gicr, gicv3_config->gicr_count, gicv3_affinities[slot]);
    if (gicv3_rds[slot] == 0 || gicv3_wake_rd() != 0) {
        return -1;
    }
    gicv3_cpu_interface_init();
    return 0;
}

void gicv3_send_sgi(uint32_t intid, uint32_t slot)
{
    /* ICC_SGI1R_EL1 (IHI 0069, 12.2.23): Aff3 [55:48], RS [47:44] (Aff0's
     * upper bits, in 16s), Aff2 [39:32], INTID [27:24], Aff1 [23:16], the
     * target list [15:0] (one bit per Aff0 in the range). */
    uint64_t a = gicv3_affinities[slot];
    uint64_t aff0 = a & 0xff;
    uint64_t v = (((a >> 24) & 0xff) << 48) | ((aff0 >> 4) << 44) | (((a >> 16) & 0xff) << 32) |
                 ((uint64_t)(intid & 0xf) << 24) | (((a >> 8) & 0xff) << 16) |
                 (1ull << (aff0 & 0xf));
    /* The target sees every store made before the SGI: DSB ISHST before
     * the system register write, ISB after it (as Linux's gic_ipi_send_mask). */
    __asm__ volatile("dsb ishst\n\t"
                     "msr s3_0_c12_c11_5, %0\n\t"
                     "isb" ::"r"(v)
                     : "memory");
}

void gicv3_enable(uint32_t intid, uint8_t priority)
{
    uint32_t bit = 1u << (intid % 32);
    if (intid < GIC_FIRST_SPI) {
        uintptr_t sgi = gicv3_rd_self() + GICR_SGI_BASE;
        gic_write32(sgi + GICR_IGROUPR0, gic_read32(sgi + GICR_IGROUPR0) | bit);
        gic_write8(sgi + GICR_IPRIORITYR + intid, priority);
        gic_write32(sgi + GICR_ISENABLER0, bit);
        return;
    }
    uintptr_t group = gicv3_gicd + GICD_IGROUPR + 4 * (intid / 32);
    gic_write32(group, gic_read32(group) | bit);
    gic_write8(gicv3_gicd + GICD_IPRIORITYR + intid, priority);
    gic_write64(gicv3_gicd + GICD_IROUTER + 8 * intid, gicv3_my_affinity() & 0xffffff);
    gic_write32(gicv3_gicd + GICD_ISENABLER + 4 * (intid / 32), bit);
}

uint32_t gicv3_acknowledge(void)
{
    uint64_t intid;
    /* ICC_IAR1_EL1 (S3_0_C12_C12_0); INTID in bits [23:0]. */
    __asm__ volatile("mrs %0, s3_0_c12_c12_0" : "=r"(intid)::"memory");
    return (uint32_t)(intid & 0xffffff);
}

void gicv3_end(uint32_t intid)
{
    /* ICC_EOIR1_EL1 (S3_0_C12_C12_1). */
    __asm__ volatile("msr s3_0_c12_c12_1, %0\n\tisb" ::"r"((uint64_t)intid) : "memory");
}

void gicv3_disable(uint32_t intid)
{
    uint32_t bit = 1u << (intid % 32);
    if (intid < GIC_FIRST_SPI) {
        gic_write32(gicv3_rd_self() + GICR_SGI_BASE + GICR_ICENABLER0, bit);
        /* GICR_CTLR.RWP: the disable has reached the redistributor (12.11.2). */
        for (uint32_t i = 0; i < GIC_POLL_LIMIT; i++) {
            if ((gic_read32(gicv3_rd_self() + GICR_CTLR) & GICR_CTLR_RWP) == 0) {
                break;
            }
        }
        return;
    }
    gic_write32(gicv3_gicd + GICD_ICENABLER + 4 * (intid / 32), bit);
    /* GICD_CTLR.RWP: the disable has taken effect everywhere (12.9.4). */
    (void)gicv3_wait_rwp();
}

uint32_t gicv3_line_count(void)
{
    return 32u * ((gic_read32(gicv3_gicd + GICD_TYPER) & 0x1fu) + 1u);
}
