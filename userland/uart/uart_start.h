#pragma once

/**
 * Starting the UART driver (uart_proto.h, "Starting the driver") on the
 * board's console UART: for init and test programs that hold the kernel
 * capability. User programs are the same on every board, so they know no
 * board's addresses: the kernel says which device is the console, as its
 * device tree does (SYS_CONSOLE_DEVICE: the page of its registers, their
 * offset in it, its line).
 */

#include <stdint.h>

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Spawns the driver (image "uart") at priority with a new endpoint, gives
 * it the console's device frame (and where its registers lie in it) and
 * IRQ handler and a notification, and returns in *endpoint a capability
 * to the endpoint with RIGHT_SEND, RIGHT_GRANT and RIGHT_DERIVE. Errors:
 * SYS_CONSOLE_DEVICE's (STATUS_NOT_FOUND: no console), STATUS_NOT_FOUND
 * too when the console has no interrupt line (the driver does not poll),
 * and those of the calls that make and hand over the objects. On error
 * the driver, if started, may be left waiting; nothing is returned.
 */
status_t uart_start(handle_t kernel, uint64_t priority, handle_t *endpoint);

#ifdef __cplusplus
}
#endif
