#pragma once

/**
 * HAL console: the kernel's byte stream to a human (a serial line).
 *
 * Implemented by the board (bsp/qemu_virt: PL011 UART) and by hal/fake (an
 * in-memory capture for host tests). Exactly one implementation is linked.
 *
 * Calling context: any kernel context with interrupts masked; both functions
 * are polled and may spin until the device accepts a byte. They are not
 * reentrant and take no lock: the caller serializes (single core for now).
 * Before the board has initialised its console, output may be dropped.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sends one byte exactly as given, with no translation ('\n' stays '\n').
 * Returns once the device has accepted the byte (not necessarily sent it).
 */
void hal_console_putc(char c);

/**
 * Sends the n bytes at s, translating each '\n' into "\r\n" so that a serial
 * terminal in raw mode starts a new line at the left margin. Every other
 * byte, NUL included, is sent as is. s may be NULL only when n is 0.
 */
void hal_console_write(const char *s, size_t n);

#ifdef __cplusplus
}
#endif
