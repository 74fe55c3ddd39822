#include "kernel/console/kprintf.h"

#include <stdarg.h>
#include <stddef.h>

#include "hal/console.h"
#include "kernel/fmt/fmt.h"

/** Formats into a stack buffer and writes it; see kprintf.h. */
size_t kprintf(const char *format, ...)
{
    char buf[KPRINTF_BUFFER_SIZE];
    va_list ap;
    va_start(ap, format);
    size_t len = fmt_vformat(buf, sizeof buf, format, ap);
    va_end(ap);
    if (len < sizeof buf) {
        hal_console_write(buf, len);
    } else {
        hal_console_write(buf, sizeof buf - 1);
        hal_console_write(KPRINTF_TRUNCATED_MARKER, sizeof KPRINTF_TRUNCATED_MARKER - 1);
    }
    return len;
}
