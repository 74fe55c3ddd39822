/*
 * sys_printf: format.h's formatter with a sink that writes each full buffer
 * to the console.
 */

#include "userland/libsys/print.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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

/** Writes len bytes of buf as stream write calls on endpoint (print.h). */
static status_t stream_write(handle_t endpoint, const char *buf, size_t len)
{
    while (len > 0) {
        size_t n = len < SYS_PRINT_STREAM_INLINE ? len : SYS_PRINT_STREAM_INLINE;
        struct sys_msg msg = {
            SYS_PRINT_STREAM_WRITE, SYS_MSG_MAX_WORDS, 0, {n, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
        for (size_t i = 0; i < n; i++) {
            msg.words[1 + i / 8] |= (uint64_t)(uint8_t)buf[i] << (8 * (i % 8));
        }
        struct sys_msg reply;
        status_t st = sys_call(endpoint, &msg, &reply);
        if (st == STATUS_OK) {
            st = (status_t)(uint32_t)reply.label;
        }
        if (st != STATUS_OK) {
            return st;
        }
        buf += n;
        len -= n;
    }
    return STATUS_OK;
}

/** Writes the sink's bytes to its console (unless a write failed already) and empties it. */
static void console_flush(struct sys_format_sink *sink)
{
    struct console_out *out = sink->context;
    if (out->status == STATUS_OK && sink->len > 0) {
        out->status = sys_console_write(out->console, sink->buf, sink->len);
        if (out->status == STATUS_WRONG_KIND) {
            out->status = stream_write(out->console, sink->buf, sink->len);
        }
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
