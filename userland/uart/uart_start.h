#pragma once

/**
 * Starting the UART driver (uart_proto.h, "Starting the driver") on the
 * board's console PL011, QEMU virt's or the Raspberry Pi 3's: for init and
 * test programs that hold the kernel capability. User programs are the same
 * on every board, so the board is told apart at run time: the kernel grants
 * a device frame only where its device tree declares a device, and the
 * first of the two PL011s it grants is the board's.
 */

#include <stdint.h>

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The console PL011 of QEMU virt and its line (SPI 1): what the device
 * tree says (fdt_platform.uart, uart_irq). The kernel checks both against
 * the device tree again: a board where they differ gets STATUS_NOT_FOUND.
 */
#define UART_VIRT_PL011 0x09000000ull
#define UART_VIRT_PL011_INTID 33u

/**
 * The Raspberry Pi 3's UART0 (QEMU raspi3b's first serial port) and its
 * line: GPU interrupt 57 at the BCM2835 controller, line 64 + 57
 * (bsp/raspi3b/bcm_irq.h).
 */
#define UART_RASPI3B_PL011 0x3f201000ull
#define UART_RASPI3B_PL011_INTID 121u

/**
 * Spawns the driver (image "uart") at priority with a new endpoint, gives
 * it the PL011's device frame and IRQ handler and a notification, and
 * returns in *endpoint a capability to the endpoint with RIGHT_SEND,
 * RIGHT_GRANT and RIGHT_DERIVE. On error the driver, if started, may be
 * left waiting; nothing is returned.
 */
status_t uart_start(handle_t kernel, uint64_t priority, handle_t *endpoint);

#ifdef __cplusplus
}
#endif
