#pragma once

/**
 * Fixed facts about QEMU's `virt` board (hw/arm/virt.c memory map) that
 * the boot path needs before it can read the device tree. Everything else
 * (RAM, UART, GIC, timer, PSCI) comes from the device tree.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The early console: the PL011 QEMU connects to -serial. Used only until
 * the device tree names the console, so that a missing or broken device
 * tree can still be reported.
 */
#define BOARD_EARLY_UART_BASE ((uintptr_t)0x09000000u)

/**
 * Physical base of RAM. QEMU places the device tree blob here when the
 * image leaves room below itself and enters an ELF image with x0 = 0; the
 * image is linked at 0x40100000 (bsp/qemu_virt/kernel.ld) for that reason.
 */
#define BOARD_RAM_BASE ((uintptr_t)0x40000000u)

/** The most device tree the boot path reads from a loader-given address. */
#define BOARD_DTB_MAX_SIZE ((uint64_t)2u << 20)

#ifdef __cplusplus
}
#endif
