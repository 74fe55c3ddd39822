#include "hal/fake/console_fake.h"

#include <stddef.h>

#include "hal/console.h"

/*
 * The capture. One extra byte keeps the contents NUL-terminated even when
 * full. Invariant: captured <= CONSOLE_FAKE_CAPACITY and
 * capture[captured] == '\0'.
 */
static char capture[CONSOLE_FAKE_CAPACITY + 1];
static size_t captured;
static size_t dropped;

/** Appends one byte to the capture, or counts it as dropped when full. */
void hal_console_putc(char c)
{
    if (captured < CONSOLE_FAKE_CAPACITY) {
        capture[captured++] = c;
        capture[captured] = '\0';
    } else {
        dropped++;
    }
}

/** Appends n bytes, '\n' as "\r\n", per the contract in hal/console.h. */
void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            hal_console_putc('\r');
        }
        hal_console_putc(s[i]);
    }
}

/** Returns the capture as a NUL-terminated string. */
const char *console_fake_contents(void)
{
    return capture;
}

/** Returns how many bytes the capture holds. */
size_t console_fake_length(void)
{
    return captured;
}

/** Returns how many bytes were dropped for lack of room. */
size_t console_fake_dropped(void)
{
    return dropped;
}

/** Empties the capture and forgets dropped bytes. */
void console_fake_reset(void)
{
    captured = 0;
    dropped = 0;
    capture[0] = '\0';
}
