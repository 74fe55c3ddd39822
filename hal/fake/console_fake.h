#pragma once

/**
 * Host fake of hal/console.h: captures console output in memory so that a
 * test can check exactly what the kernel would have put on the serial line.
 *
 * The capture holds CONSOLE_FAKE_CAPACITY bytes; bytes beyond that are
 * dropped and counted, never written out of bounds. The capture records the
 * bytes as the wire would see them: hal_console_write's '\n' -> "\r\n"
 * translation is applied, exactly as the board's implementation does.
 * Not thread-safe; tests that use it run on one thread.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Number of bytes the capture holds before it starts dropping (64 KiB). */
#define CONSOLE_FAKE_CAPACITY ((size_t)64 * 1024)

/**
 * Returns the captured bytes as a NUL-terminated string. The pointer stays
 * valid until the next console_fake_reset(); its contents grow as more output
 * arrives. A captured NUL byte ends the string early; use
 * console_fake_length() for the true byte count.
 */
const char *console_fake_contents(void);

/** Returns the number of bytes captured (at most CONSOLE_FAKE_CAPACITY). */
size_t console_fake_length(void);

/** Returns the number of bytes dropped because the capture was full. */
size_t console_fake_dropped(void);

/** Empties the capture and zeroes the dropped count. */
void console_fake_reset(void);

#ifdef __cplusplus
}
#endif
