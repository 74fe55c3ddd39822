/*
 * The formatter behind sys_format and sys_printf (format.h): a walk over the
 * format string that puts one byte at a time into a sink.
 */

#include "userland/libsys/format.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Length modifiers. */
enum { LEN_NONE, LEN_L, LEN_LL, LEN_Z };

/** One conversion specification, as parsed. */
struct spec {
    bool left;
    bool zero;
    uint32_t width;
    int length;
};

/** Puts c into the sink, flushing a full buffer first if the sink can. */
static void put(struct sys_format_sink *s, char c)
{
    s->total++;
    if (s->len >= s->cap && s->flush != NULL) {
        s->flush(s);
    }
    if (s->len < s->cap) {
        s->buf[s->len++] = c;
    }
}

/** Puts n copies of c. */
static void put_repeat(struct sys_format_sink *s, char c, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        put(s, c);
    }
}

/** Puts the bytes [begin, end). */
static void put_range(struct sys_format_sink *s, const char *begin, const char *end)
{
    for (const char *p = begin; p < end; p++) {
        put(s, *p);
    }
}

/** Puts the n bytes of str padded with spaces to the spec's width. */
static void put_padded(struct sys_format_sink *s, const struct spec *sp, const char *str, size_t n)
{
    uint32_t pad = sp->width > n ? sp->width - (uint32_t)n : 0;
    if (!sp->left) {
        put_repeat(s, ' ', pad);
    }
    put_range(s, str, str + n);
    if (sp->left) {
        put_repeat(s, ' ', pad);
    }
}

/** The length of a NUL-terminated string (no C library here). */
static size_t string_length(const char *str)
{
    size_t n = 0;
    while (str[n] != '\0') {
        n++;
    }
    return n;
}

/**
 * Puts prefix ("-", "0x" or "") and the digits of value in base (10 or 16),
 * padded to the spec's width: with zeros between prefix and digits for '0',
 * else with spaces on the side '-' asks for.
 */
static void put_number(struct sys_format_sink *s, const struct spec *sp, const char *prefix,
                       uint64_t value, uint32_t base, bool upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[20]; // UINT64_MAX has 20 decimal digits
    uint32_t n = 0;
    do {
        digits[n++] = set[value % base];
        value /= base;
    } while (value != 0);
    uint32_t length = n + (uint32_t)string_length(prefix);
    uint32_t pad = sp->width > length ? sp->width - length : 0;
    if (!sp->left && !sp->zero) {
        put_repeat(s, ' ', pad);
    }
    put_range(s, prefix, prefix + string_length(prefix));
    if (!sp->left && sp->zero) {
        put_repeat(s, '0', pad);
    }
    while (n > 0) {
        put(s, digits[--n]);
    }
    if (sp->left) {
        put_repeat(s, ' ', pad);
    }
}

/** A signed integer argument of the given length, widened to 64 bits. */
static int64_t arg_signed(va_list *ap, int length)
{
    switch (length) {
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
        return (int64_t)va_arg(*ap, size_t);
    default:
        return va_arg(*ap, int);
    }
}

/** An unsigned integer argument of the given length, widened to 64 bits. */
static uint64_t arg_unsigned(va_list *ap, int length)
{
    switch (length) {
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/** Parses the flags and width at *p; takes a '*' width's int from ap. */
static void parse_flags_width(const char **p, struct spec *sp, va_list *ap)
{
    for (;; (*p)++) {
        if (**p == '-') {
            sp->left = true;
        } else if (**p == '0') {
            sp->zero = true;
        } else {
            break;
        }
    }
    if (**p == '*') {
        (*p)++;
        int w = va_arg(*ap, int);
        // Negative: left-justified, the magnitude (computed without overflow).
        uint64_t magnitude = w < 0 ? (uint64_t)0 - (uint64_t)(int64_t)w : (uint64_t)w;
        sp->left = sp->left || w < 0;
        sp->width = magnitude > SYS_FORMAT_WIDTH_MAX ? SYS_FORMAT_WIDTH_MAX : (uint32_t)magnitude;
        return;
    }
    for (; **p >= '0' && **p <= '9'; (*p)++) {
        uint32_t w = sp->width * 10 + (uint32_t)(**p - '0');
        sp->width = w > SYS_FORMAT_WIDTH_MAX ? SYS_FORMAT_WIDTH_MAX : w;
    }
}

/** Parses a length modifier at *p. */
static int parse_length(const char **p)
{
    if (**p == 'z') {
        (*p)++;
        return LEN_Z;
    }
    if (**p != 'l') {
        return LEN_NONE;
    }
    (*p)++;
    if (**p != 'l') {
        return LEN_L;
    }
    (*p)++;
    return LEN_LL;
}

/** Formats the conversion whose conversion character is at conv; false if it is not one. */
static bool convert(struct sys_format_sink *s, const struct spec *sp, char conv, va_list *ap)
{
    bool numeric = conv == 'd' || conv == 'i' || conv == 'u' || conv == 'x' || conv == 'X';
    if (sp->length != LEN_NONE && !numeric) {
        return false;
    }
    if (conv == 'd' || conv == 'i') {
        int64_t v = arg_signed(ap, sp->length);
        // The magnitude in unsigned arithmetic: INT64_MIN has no positive int64_t.
        uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        put_number(s, sp, v < 0 ? "-" : "", magnitude, 10, false);
    } else if (numeric) {
        uint64_t v = arg_unsigned(ap, sp->length);
        put_number(s, sp, "", v, conv == 'u' ? 10 : 16, conv == 'X');
    } else if (conv == 'p') {
        put_number(s, sp, "0x", (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, false);
    } else if (conv == 's') {
        const char *str = va_arg(*ap, const char *);
        str = str != NULL ? str : "(null)";
        put_padded(s, sp, str, string_length(str));
    } else if (conv == 'c') {
        char c = (char)va_arg(*ap, int);
        put_padded(s, sp, &c, 1);
    } else if (conv == '%') {
        put(s, '%');
    } else {
        return false;
    }
    return true;
}

void sys_format_to(struct sys_format_sink *sink, const char *fmt, va_list ap)
{
    if (fmt == NULL) {
        return;
    }
    va_list args;
    va_copy(args, ap);
    const char *p = fmt;
    while (*p != '\0') {
        if (*p != '%') {
            put(sink, *p++);
            continue;
        }
        const char *start = p++;
        struct spec sp = {false, false, 0, LEN_NONE};
        parse_flags_width(&p, &sp, &args);
        sp.length = parse_length(&p);
        if (*p == '\0') {
            put_range(sink, start, p); // cut short: the rest literally
            break;
        }
        if (!convert(sink, &sp, *p, &args)) {
            put_range(sink, start, p + 1);
        }
        p++;
    }
    va_end(args);
}

size_t sys_format(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sys_format_sink sink = {buf, 0, 0, 0, NULL, NULL};
    // One byte is kept for the NUL.
    sink.cap = (buf != NULL && size > 0) ? size - 1 : 0;
    sys_format_to(&sink, fmt, ap);
    if (buf != NULL && size > 0) {
        buf[sink.len] = '\0';
    }
    return sink.total;
}

size_t sys_formatf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = sys_format(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
