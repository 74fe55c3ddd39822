#pragma once

/*
 * Finding a CPU's GICv3 redistributor (IHI 0069, 12.10): each region of the
 * device tree holds consecutive redistributors, one RD_base frame and one
 * SGI_base frame of 64 KiB each; GICR_TYPER[63:32] is the affinity of the
 * CPU a redistributor serves, GICR_TYPER.Last flags the last one of its
 * region. Plain volatile reads only, so the search also runs on the host
 * over memory laid out like the registers (gicv3_rd_test).
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most GICv3 redistributor regions a gic_config describes. */
#define GIC_MAX_RD_REGIONS 16

/** One redistributor region, as the CPU sees it: consecutive redistributors. */
struct gic_rd_region {
    uintptr_t base;
    uint64_t size;
};

/** Bytes from one redistributor to the next (GICv3: RD_base + SGI_base). */
#define GICR_FRAME_STRIDE 0x20000
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1u << 4)
#define GICR_SGI_BASE 0x10000

/**
 * Walks regions[0 .. count) in order and returns the
 * RD_base of the redistributor whose GICR_TYPER affinity is affinity
 * (Aff3.Aff2.Aff1.Aff0), or 0 when none in any region is. A region is
 * walked until its Last redistributor or its end, whichever comes first.
 * Requires: every region readable (mapped) at its base.
 */
uintptr_t gicv3_find_rd(const struct gic_rd_region *regions, uint32_t count, uint64_t affinity);

#ifdef __cplusplus
}
#endif
