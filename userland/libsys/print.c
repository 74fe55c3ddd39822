/*
 * sys_printf: format.h's formatter with a sink that writes each full buffer
 * to the console.
 */

#include "userland/libsys/print.h"

#include <stdarg.h>
#include <stddef.h>

#include "userland/libsys/format.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/** The console a sink writes to, and the first error it met. */
struct console_out {
    handle_t console;
    status_t status;
};

/** Writes the sink's bytes to its console (unless a write failed already) and empties it. */
static void console_flush(struct sys_format_sink *sink)
{
    struct console_out *out = sink->context;
    if (out->status == STATUS_OK && sink->len > 0) {
        out->status = sys_console_write(out->console, sink->buf, sink->len);
    }
    sink->len = 0;
}

status_t sys_vprintf(handle_t console, const char *fmt, va_list ap)
{
    // Left uninitialised on purpose: zeroing it would cost a memset.
    char buf[SYS_CONSOLE_WRITE_MAX];
    struct console_out out = {console, STATUS_OK};
    struct sys_format_sink sink = {buf, sizeof buf, 0, 0, console_flush, &out};
    sys_format_to(&sink, fmt, ap);
    console_flush(&sink);
    return out.status;
}

status_t sys_printf(handle_t console, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status_t st = sys_vprintf(console, fmt, ap);
    va_end(ap);
    return st;
}
