#pragma once

/**
 * Starting the UART driver (uart_proto.h, "Starting the driver") on QEMU
 * virt: for init and test programs that hold the kernel capability.
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
