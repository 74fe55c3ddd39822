#include "kernel/fmt/fmt.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Integers are formatted from a 64-bit magnitude: every length modifier's
 * type must fit. z reads ptrdiff_t as the signed type of size_t's width.
 */
_Static_assert(sizeof(long long) <= sizeof(uint64_t), "ll wider than 64");
_Static_assert(sizeof(intmax_t) <= sizeof(uint64_t), "j wider than 64");
_Static_assert(sizeof(uintptr_t) <= sizeof(uint64_t), "p wider than 64");
_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t), "no signed size_t");

/* Flag bits of a conversion specification. */
#define FLAG_LEFT 0x01u  /* '-' */
#define FLAG_ZERO 0x02u  /* '0' */
#define FLAG_ALT 0x04u   /* '#' */
#define FLAG_PLUS 0x08u  /* '+' */
#define FLAG_SPACE 0x10u /* ' ' */

/* Octal needs the most digits: ceil(64 / 3) = 22. */
#define MAX_DIGITS 22

/* Largest width or precision; parsing saturates here. */
#define MAX_FIELD INT32_MAX

/* Length modifiers. */
enum length {
    LEN_NONE,
    LEN_HH,
    LEN_H,
    LEN_L,
    LEN_LL,
    LEN_Z,
    LEN_T,
    LEN_J,
};

/* One parsed conversion specification. */
struct spec {
    uint32_t flags;
    int32_t width;     /* 0 when absent */
    int32_t precision; /* -1 when absent */
    enum length length;
    char conv; /* '\0' when the format ended inside the specification */
};

/*
 * The output cursor. len counts every byte produced, stored or not.
 * Invariant: when cap > 0, bytes [0, min(len, cap - 1)) of buf hold the
 * output so far; byte cap - 1 is kept for the NUL. When cap == 0, buf is
 * never touched (it may be NULL).
 */
struct out {
    char *buf;
    size_t cap;
    size_t len;
};

/** Produces one byte, storing it if it leaves room for the final NUL. */
static void out_putc(struct out *out, char c)
{
    if (out->len + 1 < out->cap) {
        out->buf[out->len] = c;
    }
    out->len++;
}

/** Produces n copies of c. */
static void out_repeat(struct out *out, char c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out_putc(out, c);
    }
}

/** Produces the n bytes at s. */
static void out_write(struct out *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out_putc(out, s[i]);
    }
}

/** Writes the terminating NUL, after the output or at the last byte. */
static void out_finish(struct out *out)
{
    if (out->cap == 0) {
        return;
    }
    out->buf[out->len < out->cap ? out->len : out->cap - 1] = '\0';
}

/** Spaces before a field of body bytes, unless it is left-justified. */
static void pad_before(struct out *out, const struct spec *spec, size_t body)
{
    size_t width = (size_t)spec->width;
    if (!(spec->flags & FLAG_LEFT) && width > body) {
        out_repeat(out, ' ', width - body);
    }
}

/** Spaces after a field of body bytes, if it is left-justified. */
static void pad_after(struct out *out, const struct spec *spec, size_t body)
{
    size_t width = (size_t)spec->width;
    if ((spec->flags & FLAG_LEFT) && width > body) {
        out_repeat(out, ' ', width - body);
    }
}

/** Parses flag characters at p into *flags; returns the first non-flag. */
static const char *parse_flags(const char *p, uint32_t *flags)
{
    for (;; p++) {
        switch (*p) {
        case '-':
            *flags |= FLAG_LEFT;
            break;
        case '0':
            *flags |= FLAG_ZERO;
            break;
        case '#':
            *flags |= FLAG_ALT;
            break;
        case '+':
            *flags |= FLAG_PLUS;
            break;
        case ' ':
            *flags |= FLAG_SPACE;
            break;
        default:
            return p;
        }
    }
}

/** Parses decimal digits at p, saturating at MAX_FIELD; returns the end. */
static const char *parse_digits(const char *p, int32_t *value)
{
    int32_t v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        int32_t digit = *p - '0';
        v = v > (MAX_FIELD - digit) / 10 ? MAX_FIELD : v * 10 + digit;
    }
    *value = v;
    return p;
}

/** Parses a width (digits or '*') at p into spec; returns the end. */
static const char *parse_width(const char *p, va_list *ap, struct spec *spec)
{
    if (*p != '*') {
        return parse_digits(p, &spec->width);
    }
    int arg = va_arg(*ap, int);
    if (arg < 0) {
        /* C11 7.21.6.1p5: a negative width is a '-' flag and a width. */
        spec->flags |= FLAG_LEFT;
        spec->width = arg < -MAX_FIELD ? MAX_FIELD : -arg;
    } else {
        spec->width = arg > MAX_FIELD ? MAX_FIELD : arg;
    }
    return p + 1;
}

/** Parses an optional ".precision" at p into spec; returns the end. */
static const char *parse_precision(const char *p, va_list *ap, struct spec *spec)
{
    if (*p != '.') {
        return p;
    }
    p++;
    if (*p != '*') {
        /* A '.' without digits means precision 0 (C11 7.21.6.1p4). */
        return parse_digits(p, &spec->precision);
    }
    int arg = va_arg(*ap, int);
    /* A negative precision is taken as if it were omitted. */
    spec->precision = arg < 0 ? -1 : (arg > MAX_FIELD ? MAX_FIELD : arg);
    return p + 1;
}

/** Parses an optional length modifier at p into *length; returns the end. */
static const char *parse_length(const char *p, enum length *length)
{
    switch (*p) {
    case 'h':
        *length = p[1] == 'h' ? LEN_HH : LEN_H;
        return p[1] == 'h' ? p + 2 : p + 1;
    case 'l':
        *length = p[1] == 'l' ? LEN_LL : LEN_L;
        return p[1] == 'l' ? p + 2 : p + 1;
    case 'z':
        *length = LEN_Z;
        return p + 1;
    case 't':
        *length = LEN_T;
        return p + 1;
    case 'j':
        *length = LEN_J;
        return p + 1;
    default:
        *length = LEN_NONE;
        return p;
    }
}

/**
 * Parses the specification after a '%' at p into spec, taking '*' arguments
 * from ap. Returns the byte after the conversion character, or the
 * terminating NUL (with spec->conv == '\0') if the format ends first.
 */
static const char *parse_spec(const char *p, va_list *ap, struct spec *spec)
{
    spec->flags = 0;
    spec->width = 0;
    spec->precision = -1;
    p = parse_flags(p, &spec->flags);
    p = parse_width(p, ap, spec);
    p = parse_precision(p, ap, spec);
    p = parse_length(p, &spec->length);
    spec->conv = *p;
    return *p != '\0' ? p + 1 : p;
}

/** Takes a signed integer argument of the spec's length from ap. */
static int64_t fetch_signed(va_list *ap, enum length length)
{
    switch (length) {
    case LEN_HH:
        return (signed char)va_arg(*ap, int);
    case LEN_H:
        return (short)va_arg(*ap, int);
    case LEN_L:
        return va_arg(*ap, long);
    case LEN_LL:
        return va_arg(*ap, long long);
    case LEN_Z:
        return va_arg(*ap, ptrdiff_t);
    case LEN_T:
        return va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

/** Takes an unsigned integer argument of the spec's length from ap. */
static uint64_t fetch_unsigned(va_list *ap, enum length length)
{
    switch (length) {
    case LEN_HH:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:
        return va_arg(*ap, unsigned long);
    case LEN_LL:
        return va_arg(*ap, unsigned long long);
    case LEN_Z:
        return va_arg(*ap, size_t);
    case LEN_T:
        return (uint64_t)va_arg(*ap, ptrdiff_t);
    case LEN_J:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/**
 * Writes the digits of v in base (8, 10 or 16) into digits, least
 * significant first; returns how many (at least 1: zero is "0").
 */
static size_t to_digits(uint64_t v, uint32_t base, bool upper, char digits[MAX_DIGITS])
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    do {
        digits[n++] = set[v % base];
        v /= base;
    } while (v != 0);
    return n;
}

/** An integer laid out for printing: prefix, leading zeros, digits. */
struct number {
    char prefix[2]; /* sign, or "0x" / "0X" */
    size_t prefix_len;
    size_t zeros;
    char digits[MAX_DIGITS]; /* least significant first */
    size_t digit_count;
};

/** Chooses the prefix of an integer: a sign, or 0x / 0X for '#'. */
static void number_prefix(struct number *num, const struct spec *spec, uint64_t magnitude,
                          bool negative)
{
    bool is_signed = spec->conv == 'd' || spec->conv == 'i';
    num->prefix_len = 0;
    if (is_signed && (negative || (spec->flags & (FLAG_PLUS | FLAG_SPACE)))) {
        num->prefix[num->prefix_len++] = negative ? '-' : (spec->flags & FLAG_PLUS) ? '+' : ' ';
    } else if ((spec->conv == 'x' || spec->conv == 'X') && (spec->flags & FLAG_ALT) &&
               magnitude != 0) {
        num->prefix[num->prefix_len++] = '0';
        num->prefix[num->prefix_len++] = spec->conv;
    }
}

/** Counts the zeros that precision, '#' with %o, and '0' ask for. */
static void number_zeros(struct number *num, const struct spec *spec, uint64_t magnitude)
{
    size_t precision = spec->precision < 0 ? 1 : (size_t)spec->precision;
    if (precision == 0 && magnitude == 0) {
        num->digit_count = 0; /* C11 7.21.6.1p8: no characters. */
    }
    num->zeros = precision > num->digit_count ? precision - num->digit_count : 0;
    /* '#' with %o: the first digit must be 0 (C11 7.21.6.1p6). */
    bool first_is_zero = num->zeros > 0 || (num->digit_count > 0 && magnitude == 0);
    if (spec->conv == 'o' && (spec->flags & FLAG_ALT) && !first_is_zero) {
        num->zeros = 1;
    }
    /* '0' fills the width with zeros, unless '-' or a precision is given. */
    size_t body = num->prefix_len + num->zeros + num->digit_count;
    size_t width = (size_t)spec->width;
    if ((spec->flags & (FLAG_ZERO | FLAG_LEFT)) == FLAG_ZERO && spec->precision < 0 &&
        width > body) {
        num->zeros += width - body;
    }
}

/** Returns the base of an integer conversion. */
static uint32_t number_base(char conv)
{
    switch (conv) {
    case 'o':
        return 8;
    case 'x':
    case 'X':
        return 16;
    default:
        return 10;
    }
}

/** Prints an integer of the given magnitude and sign per spec. */
static void emit_number(struct out *out, const struct spec *spec, uint64_t magnitude, bool negative)
{
    struct number num;
    num.digit_count = to_digits(magnitude, number_base(spec->conv), spec->conv == 'X', num.digits);
    number_prefix(&num, spec, magnitude, negative);
    number_zeros(&num, spec, magnitude);
    size_t body = num.prefix_len + num.zeros + num.digit_count;
    pad_before(out, spec, body);
    out_write(out, num.prefix, num.prefix_len);
    out_repeat(out, '0', num.zeros);
    for (size_t i = num.digit_count; i > 0; i--) {
        out_putc(out, num.digits[i - 1]);
    }
    pad_after(out, spec, body);
}

/** Prints a signed integer; INT64_MIN's magnitude is computed unsigned. */
static void emit_signed(struct out *out, const struct spec *spec, int64_t v)
{
    uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    emit_number(out, spec, magnitude, v < 0);
}

/** Prints a string, at most precision bytes of it; NULL as "(null)". */
static void emit_string(struct out *out, const struct spec *spec, const char *s)
{
    if (s == NULL) {
        s = "(null)";
    }
    /* Never read past precision bytes: s need not be NUL-terminated. */
    size_t limit = spec->precision < 0 ? SIZE_MAX : (size_t)spec->precision;
    size_t n = 0;
    while (n < limit && s[n] != '\0') {
        n++;
    }
    pad_before(out, spec, n);
    out_write(out, s, n);
    pad_after(out, spec, n);
}

/** Prints one character, NUL included. */
static void emit_char(struct out *out, const struct spec *spec, char c)
{
    pad_before(out, spec, 1);
    out_putc(out, c);
    pad_after(out, spec, 1);
}

/** Prints a pointer as "0x" and 16 lowercase hex digits. */
static void emit_pointer(struct out *out, const struct spec *spec, const void *p)
{
    uint64_t v = (uint64_t)(uintptr_t)p;
    pad_before(out, spec, 18);
    out_write(out, "0x", 2);
    for (int32_t shift = 60; shift >= 0; shift -= 4) {
        out_putc(out, "0123456789abcdef"[(v >> shift) & 0xf]);
    }
    pad_after(out, spec, 18);
}

/**
 * Returns whether this module prints the parsed conversion; an unsupported
 * one is printed literally instead (see fmt.h).
 */
static bool is_supported(const struct spec *spec)
{
    switch (spec->conv) {
    case 'c':
    case 's':
    case 'p':
        /* %lc and %ls take wide characters, which the kernel never uses. */
        return spec->length == LEN_NONE;
    case '%':
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        return true;
    default:
        return false;
    }
}

/** Prints one supported conversion, taking its argument from ap. */
static void emit_conversion(struct out *out, const struct spec *spec, va_list *ap)
{
    switch (spec->conv) {
    case '%':
        out_putc(out, '%');
        break;
    case 'c':
        emit_char(out, spec, (char)va_arg(*ap, int));
        break;
    case 's':
        emit_string(out, spec, va_arg(*ap, const char *));
        break;
    case 'p':
        emit_pointer(out, spec, va_arg(*ap, const void *));
        break;
    case 'd':
    case 'i':
        emit_signed(out, spec, fetch_signed(ap, spec->length));
        break;
    default: /* u o x X */
        emit_number(out, spec, fetch_unsigned(ap, spec->length), false);
        break;
    }
}

/** Formats into buf; see fmt.h for the contract. */
size_t fmt_vformat(char *buf, size_t cap, const char *format, va_list ap)
{
    struct out out = {.buf = buf, .cap = buf != NULL ? cap : 0, .len = 0};
    /* Helpers take a va_list pointer; a copy makes that portable, since a
     * va_list parameter may be an array that has decayed to a pointer. */
    va_list args;
    va_copy(args, ap);
    const char *p = format;
    while (*p != '\0') {
        if (*p != '%') {
            out_putc(&out, *p++);
            continue;
        }
        const char *start = p;
        struct spec spec;
        p = parse_spec(p + 1, &args, &spec);
        if (is_supported(&spec)) {
            emit_conversion(&out, &spec, &args);
        } else {
            out_write(&out, start, (size_t)(p - start));
        }
    }
    va_end(args);
    out_finish(&out);
    return out.len;
}

/** Formats into buf; see fmt.h for the contract. */
size_t fmt_format(char *buf, size_t cap, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    size_t len = fmt_vformat(buf, cap, format, ap);
    va_end(ap);
    return len;
}
