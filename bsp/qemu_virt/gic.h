#pragma once

/**
 * The Arm Generic Interrupt Controller on QEMU virt: GICv2 (IHI 0048B) or
 * GICv3 (IHI 0069), chosen by the device tree. Only the boot CPU is set up;
 * every interrupt goes to it, in Group 1 (non-secure IRQ).
 */

#include <stdint.h>

#include "bsp/qemu_virt/gicv3_rd.h"

#ifdef __cplusplus
extern "C" {
#endif

/** INTIDs from 1020 up are special: 1023 means "no pending interrupt". */
#define GIC_INTID_SPECIAL_FIRST 1020u

/* The SGI hal_cpu_kick sends: it only makes its CPU enter the kernel, so
 * hal_irq_acknowledge ends it and never hands it to the kernel. */
#define GIC_SGI_WAKE 0u

/** Where the GIC is, from the device tree (addresses as the CPU sees them). */
struct gic_config {
    uint32_t version; /* 2 or 3 */
    uintptr_t gicd;   /* distributor */
    uintptr_t gicc;   /* CPU interface registers (v2 only) */
    /* Redistributor regions (v3 only), gicr[0 .. gicr_count). */
    struct gic_rd_region gicr[GIC_MAX_RD_REGIONS];
    uint32_t gicr_count;
};

/**
 * Sets up the distributor and the calling CPU's interface (and, for v3,
 * its redistributor, searched for in every region). Returns 0, or -1 for an
 * unsupported version or when no v3 redistributor in any region matches
 * the calling CPU.
 */
int gic_init(const struct gic_config *config);

/** Enables interrupt intid (PPI or SPI) at the given priority (0 highest). */
void gic_enable(uint32_t intid, uint8_t priority);

/** Masks interrupt intid (PPI or SPI); it no longer signals once this returns. */
void gic_disable(uint32_t intid);

/** INTIDs the distributor implements (GICD_TYPER), at most GIC_INTID_SPECIAL_FIRST; 0 before init.
 */
uint32_t gic_line_count(void);

/**
 * Priority of user-driver lines (hal_irq_line_unmask): lower (a larger
 * number) than the kernel's tick (bsp_main.c), so the tick is never held up.
 */
#define GIC_USER_PRIORITY 0xa0

/** Acknowledges the highest-priority pending interrupt; returns its INTID. */
uint32_t gic_acknowledge(void);

/** Signals the end of handling of an interrupt gic_acknowledge returned. */
void gic_end(uint32_t intid);

/** The version gic_init set up (0 before). */
uint32_t gic_version(void);

/**
 * Sets up the calling CPU's interface to the GIC (a GICv2 CPU interface,
 * or a GICv3 redistributor found by its affinity and woken, and its ICC
 * registers), for the CPU of slot (1 .. AARCH64_MAX_CPUS - 1, a started
 * CPU; gic_init does the boot CPU's, slot 0). Its banked lines (SGIs,
 * PPIs) are then enabled with gic_enable on that CPU. Returns 0, or -1
 * when there is no GIC or its redistributor does not answer.
 */
int gic_cpu_init(uint32_t slot);

/**
 * Sends SGI intid (0 .. 15) to the CPU of slot, once every store made
 * before the call is visible to it.
 */
void gic_send_sgi(uint32_t intid, uint32_t slot);

#ifdef __cplusplus
}
#endif
