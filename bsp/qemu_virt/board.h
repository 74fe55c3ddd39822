#pragma once

/**
 * Fixed facts about QEMU's `virt` board (hw/arm/virt.c memory map), for
 * this first stage only: issue 3 replaces them with device-tree discovery
 * (the /pl011 node's reg, the /memory node), so that nothing here outlives
 * the bring-up.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Physical base of the PL011 UART that QEMU connects to -serial / stdio. */
#define BOARD_PL011_BASE ((uintptr_t)0x09000000u)

/**
 * Physical base of RAM. QEMU places the device tree blob here when the
 * image leaves room below itself; the image is linked at 0x40100000
 * (bsp/qemu_virt/kernel.ld) for that reason.
 */
#define BOARD_RAM_BASE ((uintptr_t)0x40000000u)

#ifdef __cplusplus
}
#endif
