#pragma once

/**
 * Formatted output to a console: printf for user programs. The formats
 * are those of format.h (%s %c %d %i %u %x %X %p %%, widths, '-', '0',
 * l ll z).
 */

#include <stdarg.h>

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The label of a stream write call (userland/uart/uart_proto.h: UART_WRITE):
 * words[0] the count n (1..SYS_PRINT_STREAM_INLINE), words[1..3] the bytes,
 * packed little-endian; the reply's label is the status.
 */
#define SYS_PRINT_STREAM_WRITE 1
#define SYS_PRINT_STREAM_INLINE 24

/**
 * Formats fmt into a SYS_CONSOLE_WRITE_MAX-byte buffer on the stack and
 * writes it to console with SYS_CONSOLE_WRITE, one call each time the
 * buffer fills and one for the rest. Returns STATUS_OK, or the status of
 * the first write that failed; nothing more is written after it (bytes
 * of earlier writes have reached the console).
 *
 * console may also be an endpoint of a stream server such as the UART
 * driver (userland/uart): when SYS_CONSOLE_WRITE answers
 * STATUS_WRONG_KIND, the buffer goes out in SYS_PRINT_STREAM_WRITE calls
 * on it instead (the reply's label is the status). So a program prints the
 * same way whichever handle its starter gave it.
 */
status_t sys_printf(handle_t console, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** sys_printf with a va_list (read through a copy: the caller still owns ap). */
status_t sys_vprintf(handle_t console, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#ifdef __cplusplus
}
#endif
