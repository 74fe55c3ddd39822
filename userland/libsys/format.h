#pragma once

/**
 * Freestanding formatted output for user programs: the core of
 * sys_printf (print.h), with no system call, so it is host-tested.
 *
 * Conversion specifications, %[flags][width][length]conv:
 *   conv    %% %c %s %d %i %u %x %X %p
 *   flags   '-' left-justify (wins over '0'); '0' pad numbers with zeros,
 *           after the sign or the 0x of %p (strings and %c pad with spaces)
 *   width   decimal digits or '*' (an int argument; negative means '-' and
 *           its magnitude); clamped to SYS_FORMAT_WIDTH_MAX
 *   length  l, ll (long, long long: 64 bits here), z (size_t), on
 *           %d %i %u %x %X only
 * Deliberate differences from C11 printf:
 *   - %s of NULL prints "(null)".
 *   - %p prints "0x" and the address in lowercase hex without leading
 *     zeros ("0x0" for NULL).
 *   - No precision, no '+', ' ' or '#' flags, no %o, %n or floating point.
 *     Anything not listed above (a specification cut short by the end of
 *     the format included) is printed literally, from its '%' through the
 *     offending character, and consumes no argument of its own (a '*'
 *     width still takes its int). The functions carry the printf format
 *     attribute, so -Wformat catches such formats at compile time.
 */

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Widths above this are treated as this. */
#define SYS_FORMAT_WIDTH_MAX 1024

/**
 * Where formatted bytes go: buf holds cap bytes, len of them in use. When
 * a byte comes and len == cap, flush is called (if not NULL) and must
 * consume the len bytes and set len to 0; if it is NULL, or leaves the
 * buffer full, the byte is dropped. total counts every byte produced,
 * dropped or not. context is the flush function's own.
 *
 * (A function pointer rather than a link-time choice: sys_format and
 * sys_printf both use the one formatter, in the same program.)
 */
struct sys_format_sink {
    char *buf;
    size_t cap;
    size_t len;
    size_t total;
    void (*flush)(struct sys_format_sink *sink);
    void *context;
};

/**
 * Formats fmt with the arguments in ap into sink (see above); does not
 * flush what remains in the buffer at the end. ap is read through a copy:
 * the caller still owns it. A NULL fmt formats nothing.
 */
void sys_format_to(struct sys_format_sink *sink, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/**
 * Formats fmt with ap into buf, which holds size bytes: at most size - 1
 * bytes then a NUL, so the result is always NUL-terminated when size > 0,
 * and nothing is written when size is 0 (buf may then be NULL). Returns
 * the length the whole output would have had, excluding the NUL, as
 * snprintf does: the output was truncated exactly when the result is
 * >= size.
 */
size_t sys_format(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/** sys_format with the arguments given directly. */
size_t sys_formatf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
