// Tests for kernel/fmt: every conversion, flag, width and precision form,
// truncation at every capacity, the documented departures from C, and a
// table of cases checked against the host's snprintf.

#include "kernel/fmt/fmt.h"

#include <climits>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace {

/** Formats into a roomy buffer and checks the returned length. */
__attribute__((format(printf, 1, 2))) std::string Format(const char *format, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, format);
    size_t len = fmt_vformat(buf, sizeof buf, format, ap);
    va_end(ap);
    EXPECT_LT(len, sizeof buf) << format;
    EXPECT_EQ(len, strlen(buf)) << format;
    return std::string(buf);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/**
 * Formats without the compiler's format check, for formats that are
 * deliberately not valid C (unknown conversions, flags C says to ignore).
 */
std::string FormatUnchecked(const char *format, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, format);
    size_t len = fmt_vformat(buf, sizeof buf, format, ap);
    va_end(ap);
    EXPECT_EQ(len, strlen(buf)) << format;
    return std::string(buf);
}
#pragma GCC diagnostic pop

TEST(FmtTest, PlainTextAndEmptyFormat)
{
    EXPECT_EQ(Format("%s", ""), "");
    EXPECT_EQ(Format("hello, world"), "hello, world");
    char buf[4] = {'x', 'x', 'x', 'x'};
    EXPECT_EQ(fmt_format(buf, sizeof buf, "%s", ""), 0u);
    EXPECT_EQ(buf[0], '\0');
}

TEST(FmtTest, Percent)
{
    EXPECT_EQ(Format("%%"), "%");
    EXPECT_EQ(Format("100%% sure%%"), "100% sure%");
}

TEST(FmtTest, Char)
{
    EXPECT_EQ(Format("%c%c%c", 'a', 'b', 'c'), "abc");
    EXPECT_EQ(Format("[%3c]", 'x'), "[  x]");
    EXPECT_EQ(Format("[%-3c]", 'x'), "[x  ]");
    EXPECT_EQ(Format("%c", 0xe9), "\xe9");
}

TEST(FmtTest, CharNulIsOutputAndCounted)
{
    char buf[8];
    memset(buf, 'x', sizeof buf);
    EXPECT_EQ(fmt_format(buf, sizeof buf, "a%cb", '\0'), 3u);
    EXPECT_EQ(memcmp(buf, "a\0b\0", 4), 0);
}

TEST(FmtTest, String)
{
    EXPECT_EQ(Format("%s", "abc"), "abc");
    EXPECT_EQ(Format("[%5s]", "abc"), "[  abc]");
    EXPECT_EQ(Format("[%-5s]", "abc"), "[abc  ]");
    EXPECT_EQ(Format("[%2s]", "abc"), "[abc]");
    EXPECT_EQ(Format("[%.2s]", "abc"), "[ab]");
    EXPECT_EQ(Format("[%.0s]", "abc"), "[]");
    EXPECT_EQ(Format("[%.s]", "abc"), "[]");
    EXPECT_EQ(Format("[%5.1s]", "abc"), "[    a]");
    EXPECT_EQ(Format("[%-5.1s]", "abc"), "[a    ]");
    EXPECT_EQ(Format("[%.10s]", "abc"), "[abc]");
}

TEST(FmtTest, StringPrecisionNeverReadsPastIt)
{
    // Not NUL-terminated: reading a fourth byte would be caught by ASan.
    char *raw = new char[3]{'x', 'y', 'z'};
    EXPECT_EQ(Format("%.3s", raw), "xyz");
    EXPECT_EQ(Format("%.2s", raw), "xy");
    delete[] raw;
}

TEST(FmtTest, NullStringPrintsNull)
{
    const char *null = nullptr;
    // Passing NULL for %s is undefined in C (the compiler warns), so these
    // calls go unchecked.
    EXPECT_EQ(FormatUnchecked("%s", null), "(null)");
    EXPECT_EQ(FormatUnchecked("[%8s]", null), "[  (null)]");
    EXPECT_EQ(FormatUnchecked("[%-8s]", null), "[(null)  ]");
    // Precision truncates "(null)" like any other string.
    EXPECT_EQ(FormatUnchecked("[%.3s]", null), "[(nu]");
}

TEST(FmtTest, SignedDecimal)
{
    EXPECT_EQ(Format("%d", 0), "0");
    EXPECT_EQ(Format("%d", 42), "42");
    EXPECT_EQ(Format("%d", -42), "-42");
    EXPECT_EQ(Format("%i", -7), "-7");
    EXPECT_EQ(Format("%d", INT_MAX), "2147483647");
    EXPECT_EQ(Format("%d", INT_MIN), "-2147483648");
}

TEST(FmtTest, SignFlags)
{
    EXPECT_EQ(Format("%+d", 5), "+5");
    EXPECT_EQ(Format("%+d", -5), "-5");
    EXPECT_EQ(Format("%+d", 0), "+0");
    EXPECT_EQ(Format("% d", 5), " 5");
    EXPECT_EQ(Format("% d", -5), "-5");
    EXPECT_EQ(Format("%+i", 1), "+1");
}

TEST(FmtTest, PlusOverridesSpace)
{
    // C says ' ' is ignored with '+'; the compiler warns, so unchecked.
    EXPECT_EQ(FormatUnchecked("%+ d", 5), "+5");
    EXPECT_EQ(FormatUnchecked("% +d", 5), "+5");
}

TEST(FmtTest, SignFlagsIgnoredForUnsigned)
{
    EXPECT_EQ(FormatUnchecked("%+u", 5u), "5");
    EXPECT_EQ(FormatUnchecked("% x", 255u), "ff");
}

TEST(FmtTest, WidthAndJustification)
{
    EXPECT_EQ(Format("[%5d]", 42), "[   42]");
    EXPECT_EQ(Format("[%-5d]", 42), "[42   ]");
    EXPECT_EQ(Format("[%5d]", -42), "[  -42]");
    EXPECT_EQ(Format("[%1d]", 12345), "[12345]");
    EXPECT_EQ(Format("[%+5d]", 42), "[  +42]");
    EXPECT_EQ(Format("[%-+5d]", 42), "[+42  ]");
}

TEST(FmtTest, ZeroFlag)
{
    EXPECT_EQ(Format("%05d", 42), "00042");
    EXPECT_EQ(Format("%05d", -42), "-0042");
    EXPECT_EQ(Format("%+05d", 42), "+0042");
    EXPECT_EQ(Format("% 05d", 42), " 0042");
    EXPECT_EQ(Format("%08x", 0xbeefu), "0000beef");
    EXPECT_EQ(Format("%#08x", 0xbeefu), "0x00beef");
    EXPECT_EQ(Format("%#08X", 0xbeefu), "0X00BEEF");
    EXPECT_EQ(Format("%02d", 12345), "12345");
}

TEST(FmtTest, ZeroFlagIgnoredWithMinusOrPrecision)
{
    EXPECT_EQ(FormatUnchecked("[%-05d]", 42), "[42   ]");
    // Valid C, but GCC warns that the '0' is ignored: unchecked.
    EXPECT_EQ(FormatUnchecked("[%08.3d]", 42), "[     042]");
    EXPECT_EQ(FormatUnchecked("[%08.3x]", 0xau), "[     00a]");
}

TEST(FmtTest, ZeroFlagPadsOnlyIntegersWithZeros)
{
    EXPECT_EQ(FormatUnchecked("[%05s]", "ab"), "[   ab]");
    EXPECT_EQ(FormatUnchecked("[%03c]", 'z'), "[  z]");
    EXPECT_EQ(FormatUnchecked("[%020p]", static_cast<void *>(nullptr)), "[  0x0000000000000000]");
}

TEST(FmtTest, IntegerPrecision)
{
    EXPECT_EQ(Format("%.3d", 7), "007");
    EXPECT_EQ(Format("%.3d", -7), "-007");
    EXPECT_EQ(Format("%.1d", 12345), "12345");
    EXPECT_EQ(Format("%6.3d", 7), "   007");
    EXPECT_EQ(Format("%-6.3d|", 7), "007   |");
    EXPECT_EQ(Format("%.4x", 0xabu), "00ab");
    EXPECT_EQ(Format("%#.4x", 0xabu), "0x00ab");
}

TEST(FmtTest, PrecisionZeroOfZeroPrintsNoDigits)
{
    EXPECT_EQ(Format("[%.0d]", 0), "[]");
    EXPECT_EQ(Format("[%.d]", 0), "[]");
    EXPECT_EQ(Format("[%5.0d]", 0), "[     ]");
    EXPECT_EQ(Format("[%+.0d]", 0), "[+]");
    EXPECT_EQ(Format("[%.0x]", 0u), "[]");
    EXPECT_EQ(Format("[%#.0x]", 0u), "[]");
    EXPECT_EQ(Format("[%.0d]", 1), "[1]");
}

TEST(FmtTest, Unsigned)
{
    EXPECT_EQ(Format("%u", 0u), "0");
    EXPECT_EQ(Format("%u", 4000000000u), "4000000000");
    EXPECT_EQ(Format("%u", UINT_MAX), "4294967295");
}

TEST(FmtTest, Hex)
{
    EXPECT_EQ(Format("%x", 0u), "0");
    EXPECT_EQ(Format("%x", 0xdeadbeefu), "deadbeef");
    EXPECT_EQ(Format("%X", 0xdeadbeefu), "DEADBEEF");
    EXPECT_EQ(Format("%#x", 0x1fu), "0x1f");
    EXPECT_EQ(Format("%#X", 0x1fu), "0X1F");
    EXPECT_EQ(Format("%#x", 0u), "0");
    EXPECT_EQ(Format("[%#8x]", 0x1fu), "[    0x1f]");
    EXPECT_EQ(Format("[%-#8x]", 0x1fu), "[0x1f    ]");
}

TEST(FmtTest, Octal)
{
    EXPECT_EQ(Format("%o", 0u), "0");
    EXPECT_EQ(Format("%o", 8u), "10");
    EXPECT_EQ(Format("%o", 0777u), "777");
    EXPECT_EQ(Format("%#o", 8u), "010");
    EXPECT_EQ(Format("%#o", 0u), "0");
    EXPECT_EQ(Format("%#.0o", 0u), "0");
    EXPECT_EQ(Format("%#.3o", 8u), "010");
    EXPECT_EQ(Format("%#.4o", 8u), "0010");
    EXPECT_EQ(Format("%#5o", 8u), "  010");
    EXPECT_EQ(Format("%#05o", 8u), "00010");
}

TEST(FmtTest, LengthModifiers)
{
    EXPECT_EQ(Format("%hhd", static_cast<signed char>(-1)), "-1");
    EXPECT_EQ(Format("%hhu", static_cast<unsigned char>(255)), "255");
    EXPECT_EQ(Format("%hhx", static_cast<unsigned char>(0xab)), "ab");
    EXPECT_EQ(Format("%hd", static_cast<short>(-32768)), "-32768");
    EXPECT_EQ(Format("%hu", static_cast<unsigned short>(65535)), "65535");
    EXPECT_EQ(Format("%ld", -1234567890123L), "-1234567890123");
    EXPECT_EQ(Format("%lu", 1234567890123UL), "1234567890123");
    EXPECT_EQ(Format("%lld", -1234567890123LL), "-1234567890123");
    EXPECT_EQ(Format("%llx", 0x123456789abcdefULL), "123456789abcdef");
    EXPECT_EQ(Format("%zu", static_cast<size_t>(SIZE_MAX)), std::to_string(SIZE_MAX));
    EXPECT_EQ(Format("%zx", static_cast<size_t>(0x1000)), "1000");
    EXPECT_EQ(Format("%td", static_cast<ptrdiff_t>(-5)), "-5");
    EXPECT_EQ(Format("%jd", static_cast<intmax_t>(INTMAX_MIN)), "-9223372036854775808");
    EXPECT_EQ(Format("%ju", static_cast<uintmax_t>(UINTMAX_MAX)), "18446744073709551615");
}

TEST(FmtTest, NarrowLengthsTruncateThePromotedArgument)
{
    // hh and h convert the promoted int back to the narrow type (C11
    // 7.21.6.1p7); the compiler would flag these arguments, so unchecked.
    EXPECT_EQ(FormatUnchecked("%hhd", 255), "-1");
    EXPECT_EQ(FormatUnchecked("%hhu", 256), "0");
    EXPECT_EQ(FormatUnchecked("%hd", 65535), "-1");
    EXPECT_EQ(FormatUnchecked("%hx", 0x12345), "2345");
}

TEST(FmtTest, SixtyFourBitExtremes)
{
    EXPECT_EQ(Format("%lld", static_cast<long long>(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(Format("%lld", static_cast<long long>(INT64_MAX)), "9223372036854775807");
    EXPECT_EQ(Format("%llu", static_cast<unsigned long long>(UINT64_MAX)), "18446744073709551615");
    EXPECT_EQ(Format("%llx", static_cast<unsigned long long>(UINT64_MAX)), "ffffffffffffffff");
    EXPECT_EQ(Format("%#llo", static_cast<unsigned long long>(UINT64_MAX)),
              "01777777777777777777777");
    EXPECT_EQ(Format("%25lld", static_cast<long long>(INT64_MIN)), "     -9223372036854775808");
    EXPECT_EQ(Format("%025lld", static_cast<long long>(INT64_MIN)), "-000009223372036854775808");
}

TEST(FmtTest, Pointer)
{
    EXPECT_EQ(Format("%p", static_cast<void *>(nullptr)), "0x0000000000000000");
    int object = 0;
    char want[32];
    snprintf(want, sizeof want, "0x%016llx",
             static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(&object)));
    EXPECT_EQ(Format("%p", static_cast<void *>(&object)), want);
    void *p = reinterpret_cast<void *>(static_cast<uintptr_t>(0x1234abcd));
    EXPECT_EQ(Format("%p", p), "0x000000001234abcd");
    EXPECT_EQ(Format("[%20p]", p), "[  0x000000001234abcd]");
    EXPECT_EQ(Format("[%-20p]", p), "[0x000000001234abcd  ]");
}

TEST(FmtTest, StarWidthAndPrecision)
{
    EXPECT_EQ(Format("[%*d]", 5, 42), "[   42]");
    EXPECT_EQ(Format("[%*d]", -5, 42), "[42   ]");
    EXPECT_EQ(Format("[%-*d]", 5, 42), "[42   ]");
    EXPECT_EQ(Format("[%.*d]", 4, 42), "[0042]");
    EXPECT_EQ(Format("[%.*s]", 2, "abcdef"), "[ab]");
    EXPECT_EQ(Format("[%*.*s]", 6, 3, "abcdef"), "[   abc]");
    EXPECT_EQ(Format("[%0*d]", 5, -42), "[-0042]");
    EXPECT_EQ(Format("[%*c]", 3, 'q'), "[  q]");
}

TEST(FmtTest, NegativeStarPrecisionMeansNone)
{
    EXPECT_EQ(Format("[%.*s]", -1, "abcdef"), "[abcdef]");
    EXPECT_EQ(Format("[%.*d]", -3, 0), "[0]");
    // With the precision gone, '0' applies again.
    EXPECT_EQ(FormatUnchecked("[%05.*d]", -1, 42), "[00042]");
}

TEST(FmtTest, ReturnsUntruncatedLength)
{
    char buf[6];
    EXPECT_EQ(fmt_format(buf, sizeof buf, "hello, world"), 12u);
    EXPECT_STREQ(buf, "hello");
    EXPECT_EQ(fmt_format(buf, sizeof buf, "%d", -123456789), 10u);
    EXPECT_STREQ(buf, "-1234");
    EXPECT_EQ(fmt_format(buf, sizeof buf, "%10s", "x"), 10u);
    EXPECT_STREQ(buf, "     ");
}

TEST(FmtTest, CapZeroWithNullBufferMeasures)
{
    EXPECT_EQ(fmt_format(nullptr, 0, "%s=%d", "answer", 42), 9u);
    EXPECT_EQ(fmt_format(nullptr, 0, "%s", ""), 0u);
}

TEST(FmtTest, CapZeroLeavesBufferUntouched)
{
    char buf[4] = {'a', 'b', 'c', 'd'};
    EXPECT_EQ(fmt_format(buf, 0, "xyz"), 3u);
    EXPECT_EQ(memcmp(buf, "abcd", 4), 0);
}

TEST(FmtTest, CapOneWritesOnlyTheTerminator)
{
    char buf[4] = {'a', 'b', 'c', 'd'};
    EXPECT_EQ(fmt_format(buf, 1, "xyz%d", 5), 4u);
    EXPECT_EQ(memcmp(buf, "\0bcd", 4), 0);
}

TEST(FmtTest, NeverWritesPastCap)
{
    // "abc|  -12|f   |0x0000000000000000" is 33 bytes; try every cap
    // from nothing to more than enough.
    for (size_t cap = 0; cap <= 40; cap++) {
        char buf[48];
        memset(buf, '#', sizeof buf);
        size_t len =
            fmt_format(buf, cap, "%s|%5d|%-4x|%p", "abc", -12, 0xfu, static_cast<void *>(nullptr));
        EXPECT_EQ(len, 33u) << "cap " << cap;
        for (size_t i = cap; i < sizeof buf; i++) {
            EXPECT_EQ(buf[i], '#') << "cap " << cap << " byte " << i;
        }
        if (cap > 0) {
            EXPECT_EQ(strlen(buf), cap - 1 < len ? cap - 1 : len) << "cap " << cap;
        }
        if (cap > len) {
            EXPECT_STREQ(buf, "abc|  -12|f   |0x0000000000000000");
        }
    }
}

TEST(FmtTest, UnknownConversionIsPrintedLiterally)
{
    EXPECT_EQ(FormatUnchecked("%q"), "%q");
    EXPECT_EQ(FormatUnchecked("a%-5qb"), "a%-5qb");
    EXPECT_EQ(FormatUnchecked("%n"), "%n");
    EXPECT_EQ(FormatUnchecked("%f"), "%f");
    EXPECT_EQ(FormatUnchecked("%Lf"), "%Lf");
    EXPECT_EQ(FormatUnchecked("%lc"), "%lc");
    EXPECT_EQ(FormatUnchecked("%ls"), "%ls");
    EXPECT_EQ(FormatUnchecked("%hp"), "%hp");
}

TEST(FmtTest, UnknownConversionConsumesNoArgument)
{
    EXPECT_EQ(FormatUnchecked("%q %d", 7), "%q 7");
    // A '*' inside still takes its int.
    EXPECT_EQ(FormatUnchecked("%*q %d", 3, 7), "%*q 7");
}

TEST(FmtTest, SpecificationCutShortByTheEndIsPrintedLiterally)
{
    EXPECT_EQ(FormatUnchecked("abc%"), "abc%");
    EXPECT_EQ(FormatUnchecked("%-5"), "%-5");
    EXPECT_EQ(FormatUnchecked("%.3l"), "%.3l");
    EXPECT_EQ(FormatUnchecked("%ll"), "%ll");
}

TEST(FmtTest, HugeWidthParsesWithoutOverflow)
{
    // The digits saturate at INT32_MAX instead of overflowing (UBSan checks
    // this); an unknown conversion then prints the text without padding.
    EXPECT_EQ(FormatUnchecked("%99999999999999999999q"), "%99999999999999999999q");
    EXPECT_EQ(FormatUnchecked("%.99999999999999999999q"), "%.99999999999999999999q");
}

// Cases where this module and C's snprintf agree byte for byte.
#define EXPECT_LIKE_SNPRINTF(...)                                                                  \
    do {                                                                                           \
        char want[256];                                                                            \
        char got[256];                                                                             \
        int want_len = snprintf(want, sizeof want, __VA_ARGS__);                                   \
        size_t got_len = fmt_format(got, sizeof got, __VA_ARGS__);                                 \
        ASSERT_GE(want_len, 0) << #__VA_ARGS__;                                                    \
        EXPECT_EQ(static_cast<size_t>(want_len), got_len) << #__VA_ARGS__;                         \
        EXPECT_STREQ(want, got) << #__VA_ARGS__;                                                   \
    } while (0)

TEST(FmtTest, AgreesWithSnprintf)
{
    EXPECT_LIKE_SNPRINTF("plain text");
    EXPECT_LIKE_SNPRINTF("%%|%c|%5c|%-5c|", 'a', 'b', 'c');
    EXPECT_LIKE_SNPRINTF("%s|%8s|%-8s|%.2s|%8.2s|%-8.2s|", "str", "str", "str", "str", "str",
                         "str");
    EXPECT_LIKE_SNPRINTF("%d|%i|%d|%d|%d", 0, 1, -1, INT_MAX, INT_MIN);
    EXPECT_LIKE_SNPRINTF("%+d|% d|%+d|% d|%+d", 3, 3, -3, -3, 0);
    EXPECT_LIKE_SNPRINTF("%6d|%-6d|%06d|%+06d|% 06d|%-+6d", 42, 42, -42, 42, 42, 42);
    EXPECT_LIKE_SNPRINTF("%.0d|%.0d|%.5d|%8.5d|%-8.5d", 0, 7, -7, 7, 7);
    EXPECT_LIKE_SNPRINTF("%u|%x|%X|%o", 3000000000u, 0xabcdefu, 0xabcdefu, 01234u);
    EXPECT_LIKE_SNPRINTF("%#x|%#X|%#o|%#x|%#o|%#.0o", 255u, 255u, 8u, 0u, 0u, 0u);
    EXPECT_LIKE_SNPRINTF("%#10x|%-#10x|%#010x|%#.6x|%#10.6x", 255u, 255u, 255u, 255u, 255u);
    EXPECT_LIKE_SNPRINTF("%#5o|%#05o|%#.3o|%#.4o|%.0o|%.0x", 8u, 8u, 8u, 8u, 0u, 0u);
    EXPECT_LIKE_SNPRINTF("%hhd|%hhu|%hd|%hu", static_cast<signed char>(-128),
                         static_cast<unsigned char>(200), static_cast<short>(-300),
                         static_cast<unsigned short>(60000));
    EXPECT_LIKE_SNPRINTF("%ld|%lu|%lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
    EXPECT_LIKE_SNPRINTF("%lld|%lld|%llu|%llx|%llX|%llo", static_cast<long long>(INT64_MIN),
                         static_cast<long long>(INT64_MAX),
                         static_cast<unsigned long long>(UINT64_MAX),
                         static_cast<unsigned long long>(UINT64_MAX),
                         static_cast<unsigned long long>(0xabcdef0123ULL),
                         static_cast<unsigned long long>(UINT64_MAX));
    EXPECT_LIKE_SNPRINTF("%zu|%zx|%zd|%td|%tu|%jd|%ju", static_cast<size_t>(7),
                         static_cast<size_t>(SIZE_MAX), static_cast<ptrdiff_t>(-9),
                         static_cast<ptrdiff_t>(PTRDIFF_MIN), static_cast<size_t>(17),
                         static_cast<intmax_t>(INTMAX_MIN), static_cast<uintmax_t>(UINTMAX_MAX));
    EXPECT_LIKE_SNPRINTF("%*d|%-*d|%*d|%.*d|%.*d|%*.*s", 6, 1, 6, 1, -6, 1, 3, 1, -3, 1, 5, 2,
                         "abc");
    EXPECT_LIKE_SNPRINTF("%0*d|%0*x", 6, -1, 6, 0xbu);
    EXPECT_LIKE_SNPRINTF("%025lld|%+25lld|%-25lld|", static_cast<long long>(INT64_MIN),
                         static_cast<long long>(INT64_MAX), static_cast<long long>(INT64_MIN));
}

// Valid C that GCC's format check still warns about ("'0' flag ignored").
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
TEST(FmtTest, AgreesWithSnprintfOnIgnoredZeroFlag)
{
    EXPECT_LIKE_SNPRINTF("%08.5d|%08.3x|%-08d|%-0*d|", 7, 0xau, 7, 6, 1);
}
#pragma GCC diagnostic pop

TEST(FmtTest, TruncationAgreesWithSnprintfAtEveryCap)
{
    for (size_t cap = 0; cap <= 40; cap++) {
        char want[48];
        char got[48];
        memset(want, '#', sizeof want);
        memset(got, '#', sizeof got);
        int want_len = snprintf(want, cap, "%-6s|%+05d|%#x|%.3s", "ab", 42, 0xbeefu, "truncate");
        size_t got_len = fmt_format(got, cap, "%-6s|%+05d|%#x|%.3s", "ab", 42, 0xbeefu, "truncate");
        EXPECT_EQ(static_cast<size_t>(want_len), got_len) << "cap " << cap;
        EXPECT_EQ(memcmp(want, got, sizeof want), 0) << "cap " << cap;
    }
}

} // namespace
