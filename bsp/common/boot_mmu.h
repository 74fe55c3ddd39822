#pragma once

/**
 * The boot path's address-space setup (boot_mmu.c): runs with the MMU off
 * at the image's physical address, reads the device tree, builds the
 * kernel's translation tables and programs MAIR, TCR and both TTBRs;
 * the boot entry then turns the MMU on and jumps to the upper half, where
 * bsp_main() calls aarch64_boot_mmu_finish() (hal/aarch64/boot_mmu.h).
 * The tables and the register set-up are the architecture's
 * (hal/aarch64/boot_mmu.h); reading the device tree and mapping RAM and
 * the console are shared by the boards (bsp/common); where the tree is and
 * which other devices are mapped are each board's (bsp/common/board.h).
 */

#include <stdint.h>

#include "hal/aarch64/boot_mmu.h"
#include "kernel/fdt/fdt.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called by the boot entry (hal/aarch64/boot_entry.inc) with the MMU off. dtb is x0 at entry (0:
 * look at board_config.dtb_default); kimage_offset is the image's virtual minus physical address.
 * Parses the device tree into boot_platform, builds the tables and loads MAIR_EL1, TCR_EL1,
 * TTBR0_EL1 and TTBR1_EL1. On any failure it reports on the early console and halts: it returns
 * only on success. Code reached from here must not use absolute addresses (no function pointers, no
 * tables of pointers): it runs away from its link address.
 */
void boot_mmu_setup(uint64_t dtb, uint64_t kimage_offset);

/**
 * Reports a boot failure ("basalt: boot failed: WHAT: WHY", then the halt
 * marker) and halts. Usable before and after the MMU is on.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void boot_fail(const char *what, const char *why);

/**
 * Maps the device registers [r.base, r.base + r.size), widened to whole
 * pages, into the direct map as Device memory, read-write, never
 * executable; what names them in a failure report. For board_map_devices,
 * with the MMU off; a failure is reported and halts.
 */
void boot_mmu_map_device(struct aarch64_boot_tables *t, struct fdt_range r, const char *what);

/** The device tree as parsed by boot_mmu_setup. */
extern struct fdt_platform boot_platform;

/** The device tree blob's physical address, as found by boot_mmu_setup. */
extern uint64_t boot_dtb_phys;

/** The image's virtual minus physical address, as given to boot_mmu_setup. */
extern uint64_t boot_kimage_offset;

#ifdef __cplusplus
}
#endif
