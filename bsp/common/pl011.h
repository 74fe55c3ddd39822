#pragma once

/**
 * Minimal polled driver for the Arm PrimeCell UART (PL011), transmit only
 * in practice: enough for the kernel's console. It also provides the HAL
 * console (hal/console.h) on this board.
 *
 * Register facts cite the PrimeCell UART (PL011) Technical Reference Manual,
 * Arm DDI 0183, chapter 3 "Programmers Model".
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Takes over the UART whose registers are mapped at base: disables it,
 * masks and clears its interrupts, selects 8 data bits, no parity, one stop
 * bit with FIFOs on, then enables it with transmit and receive.
 * The baud rate divisors are left alone: QEMU's model ignores them and the
 * firmware of a real board has set them.
 * Requires: base is the UART's register block, accessible (MMU off, or
 * mapped as Device memory). Call once, before any output.
 */
void pl011_init(uintptr_t base);

/**
 * Sends one byte as is, waiting while the transmit FIFO is full.
 * Before pl011_init the byte is dropped.
 */
void pl011_putc(char c);

#ifdef __cplusplus
}
#endif
