#pragma once

/**
 * Freestanding formatted output into a caller's buffer: the kernel's
 * snprintf. Uses no C library, allocates nothing, keeps no state, so it runs
 * before anything else is up and is safe to call from any context.
 *
 * Buffer semantics are those of C11 snprintf (7.21.6.5): at most cap bytes
 * are written, the output is always NUL-terminated when cap > 0 (truncated
 * if need be), and the return value is the length the whole output would
 * have had, not counting the NUL. So the output was truncated exactly when
 * the result is >= cap. buf may be NULL when cap is 0 (to measure).
 *
 * Supported conversion specifications, %[flags][width][.precision][length]conv:
 *   conv   %% %c %s %d %i %u %x %X %o %p
 *   flags  '-' left-justify, '0' pad integers with zeros, '#' alternate form
 *          (0x / 0X before non-zero %x / %X, a leading 0 for %o), '+' and
 *          ' ' sign for %d / %i
 *   width, precision: decimal digits or '*' (an int argument; a negative
 *          width means '-' and its magnitude, a negative precision means
 *          none). Precision truncates %s and is the minimum number of digits
 *          for integers (with precision 0, the value 0 prints no digits).
 *   length hh h l ll z t j, for the integer conversions only.
 * These behave as in C11 7.21.6.1, with these deliberate differences:
 *   - %s of NULL prints "(null)".
 *   - %p prints "0x" and exactly 16 lowercase hex digits (NULL included);
 *     width and '-' apply, other flags and precision are ignored.
 *   - '0' pads only integers; %c, %s and %p are padded with spaces.
 *   - Anything else (an unknown conversion such as %q, %n, floating point,
 *     a length modifier on %c / %s / %p, a specification cut short by the
 *     end of the format) is printed literally, from the '%' through the
 *     offending character, and consumes no argument of its own (a '*' in it
 *     still takes its int). Compile with
 *     -Wformat (the functions carry the printf format attribute) so that
 *     such formats never reach this code.
 * Widths and precisions saturate at INT32_MAX.
 */

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Formats format with the arguments in ap into buf (see above).
 * Requires: format is a NUL-terminated string; buf holds cap bytes (or is
 * NULL with cap 0); ap matches format. ap is read through a copy, so the
 * caller still owns it (and must va_end it).
 * Returns the untruncated length of the output, excluding the NUL.
 */
size_t fmt_vformat(char *buf, size_t cap, const char *format, va_list ap)
    __attribute__((format(printf, 3, 0)));

/** fmt_vformat with the arguments given directly. */
size_t fmt_format(char *buf, size_t cap, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
