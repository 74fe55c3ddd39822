#pragma once

/**
 * The kernel's printf: formats with kernel/fmt and writes the result to the
 * HAL console (hal/console.h), whose write turns '\n' into "\r\n".
 *
 * Calling context: any kernel context. Not reentrant and unlocked: the
 * caller serializes (one core, interrupts masked, for now). Uses
 * KPRINTF_BUFFER_SIZE bytes of stack.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Size of the stack buffer one kprintf call formats into, terminating NUL
 * included: a call prints at most KPRINTF_BUFFER_SIZE - 1 formatted bytes.
 */
#define KPRINTF_BUFFER_SIZE 512

/** What kprintf prints after output it had to cut short. */
#define KPRINTF_TRUNCATED_MARKER "...[truncated]\n"

/**
 * Formats format (see kernel/fmt/fmt.h for the conversions) and writes it
 * to the console. If the output is longer than KPRINTF_BUFFER_SIZE - 1
 * bytes, writes its first KPRINTF_BUFFER_SIZE - 1 bytes followed by
 * KPRINTF_TRUNCATED_MARKER.
 * Returns the length the whole formatted output had, as fmt_format does;
 * a result >= KPRINTF_BUFFER_SIZE means the output was truncated.
 */
size_t kprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));

#ifdef __cplusplus
}
#endif
