#pragma once

/**
 * The boot path's address-space setup (boot_mmu.c): runs with the MMU off
 * at the image's physical address, reads the device tree, builds the
 * kernel's translation tables and programs MAIR, TCR and both TTBRs;
 * the boot entry then turns the MMU on and jumps to the upper half, where
 * bsp_main() calls aarch64_boot_mmu_finish() (hal/aarch64/boot_mmu.h).
 * The tables and the register set-up are the architecture's
 * (hal/aarch64/boot_mmu.h); the device tree's place and what is mapped
 * besides the image are the board's.
 */

#include <stdint.h>

#include "kernel/fdt/fdt.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called by the boot entry (hal/aarch64/boot_entry.inc) with the MMU off. dtb is x0 at entry (0:
 * look at the start of RAM); kimage_offset is the image's virtual minus physical address. Parses
 * the device tree into boot_platform, builds the tables and loads MAIR_EL1, TCR_EL1, TTBR0_EL1 and
 * TTBR1_EL1. On any failure it reports on the early console and halts: it returns only on success.
 * Code reached from here must not use absolute addresses (no function
 * pointers, no tables of pointers): it runs away from its link address.
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

/** The device tree as parsed by boot_mmu_setup. */
extern struct fdt_platform boot_platform;

/** The device tree blob's physical address, as found by boot_mmu_setup. */
extern uint64_t boot_dtb_phys;

/** The image's virtual minus physical address, as given to boot_mmu_setup. */
extern uint64_t boot_kimage_offset;

#ifdef __cplusplus
}
#endif
