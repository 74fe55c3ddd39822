// Tests for userland/libsys/format.h: every conversion, flags and widths,
// integer limits, literal output of what is not a conversion, truncation at
// every buffer size (with a canary past the buffer), and the streaming sink
// that sys_printf uses.

#include "userland/libsys/format.h"

#include <algorithm>
#include <climits>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

// Formats into a buffer large enough for every test, checks the returned
// length against the stored string, and returns it. (No format attribute:
// some tests pass formats that -Wformat rejects on purpose, such as %08p.)
std::string Format(const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    size_t n = sys_format(buf, sizeof buf, fmt, ap);
    va_end(ap);
    EXPECT_LT(n, sizeof buf);
    EXPECT_EQ(n, std::string(buf).size());
    return std::string(buf, n);
}

TEST(Format, PlainText)
{
    EXPECT_EQ(Format("init: hello from EL0\n"), "init: hello from EL0\n");
    EXPECT_EQ(Format("%s", ""), "");
    EXPECT_EQ(Format("%%"), "%");
    EXPECT_EQ(Format("100%% sure"), "100% sure");
}

TEST(Format, Strings)
{
    EXPECT_EQ(Format("%s", "abc"), "abc");
    EXPECT_EQ(Format("[%s][%s]", "a", "bc"), "[a][bc]");
    EXPECT_EQ(Format("%s", static_cast<const char *>(nullptr)), "(null)");
    EXPECT_EQ(Format("%8s|", "(x)"), "     (x)|");
    EXPECT_EQ(Format("%-10s|", "left"), "left      |");
    EXPECT_EQ(Format("%2s", "longer"), "longer");
    // '0' pads only numbers.
    EXPECT_EQ(Format("%05s", "ab"), "   ab");
}

TEST(Format, Chars)
{
    EXPECT_EQ(Format("%c%c%c", 'a', 'b', 'c'), "abc");
    EXPECT_EQ(Format("%3c|%-3c|", 'x', 'y'), "  x|y  |");
    // A NUL character is output like any other byte.
    char buf[8];
    EXPECT_EQ(sys_formatf(buf, sizeof buf, "a%cb", 0), 3u);
    EXPECT_EQ(std::string(buf, 4), std::string("a\0b\0", 4));
}

TEST(Format, Signed)
{
    EXPECT_EQ(Format("%d", 0), "0");
    EXPECT_EQ(Format("%d %i", 42, -42), "42 -42");
    EXPECT_EQ(Format("%d", INT_MAX), "2147483647");
    EXPECT_EQ(Format("%d", INT_MIN), "-2147483648");
    EXPECT_EQ(Format("%ld", LONG_MIN), std::to_string(LONG_MIN));
    EXPECT_EQ(Format("%lld", static_cast<long long>(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(Format("%lld", static_cast<long long>(INT64_MAX)), "9223372036854775807");
    EXPECT_EQ(Format("%zd", static_cast<size_t>(-5)), "-5");
}

TEST(Format, Unsigned)
{
    EXPECT_EQ(Format("%u", 0u), "0");
    EXPECT_EQ(Format("%u", UINT_MAX), "4294967295");
    EXPECT_EQ(Format("%u", -1), "4294967295");
    EXPECT_EQ(Format("%lu", ULONG_MAX), std::to_string(ULONG_MAX));
    EXPECT_EQ(Format("%llu", static_cast<unsigned long long>(UINT64_MAX)), "18446744073709551615");
    EXPECT_EQ(Format("%zu", SIZE_MAX), std::to_string(SIZE_MAX));
}

TEST(Format, Hex)
{
    EXPECT_EQ(Format("%x", 0u), "0");
    EXPECT_EQ(Format("%x %X", 0xbeefu, 0xbeefu), "beef BEEF");
    EXPECT_EQ(Format("%x", UINT_MAX), "ffffffff");
    EXPECT_EQ(Format("%llx", static_cast<unsigned long long>(UINT64_MAX)), "ffffffffffffffff");
    EXPECT_EQ(Format("%lx", 0x123456789abcdefUL), "123456789abcdef");
    EXPECT_EQ(Format("%zx", static_cast<size_t>(4096)), "1000");
    EXPECT_EQ(Format("%08x", 0x1234u), "00001234");
    EXPECT_EQ(Format("%016llx", 0x400000ull), "0000000000400000");
    EXPECT_EQ(Format("%-6x|", 0xabu), "ab    |");
}

TEST(Format, Pointers)
{
    EXPECT_EQ(Format("%p", reinterpret_cast<void *>(0x400000)), "0x400000");
    EXPECT_EQ(Format("%p", static_cast<void *>(nullptr)), "0x0");
    EXPECT_EQ(Format("%p", reinterpret_cast<void *>(UINTPTR_MAX)), "0xffffffffffffffff");
    EXPECT_EQ(Format("%12p|", reinterpret_cast<void *>(0xabc)), "       0xabc|");
    EXPECT_EQ(Format("%-8p|", reinterpret_cast<void *>(0xabc)), "0xabc   |");
    EXPECT_EQ(Format("%08p", reinterpret_cast<void *>(0xabc)), "0x000abc");
}

TEST(Format, WidthsAndPadding)
{
    EXPECT_EQ(Format("%5d|", 42), "   42|");
    EXPECT_EQ(Format("%-5d|", 42), "42   |");
    EXPECT_EQ(Format("%05d", 42), "00042");
    EXPECT_EQ(Format("%05d", -42), "-0042");
    EXPECT_EQ(Format("%5d", -42), "  -42");
    EXPECT_EQ(Format("%-05d|", -42), "-42  |"); // '-' wins over '0'
    EXPECT_EQ(Format("%0-5d|", 7), "7    |");
    EXPECT_EQ(Format("%1d", 12345), "12345"); // narrower than the number
    EXPECT_EQ(Format("%0d", 3), "3");
    EXPECT_EQ(Format("%020llu", static_cast<unsigned long long>(UINT64_MAX)),
              "18446744073709551615");
    EXPECT_EQ(Format("%021llu", static_cast<unsigned long long>(UINT64_MAX)),
              "018446744073709551615");
    EXPECT_EQ(Format("%-21lld|", static_cast<long long>(INT64_MIN)), "-9223372036854775808 |");
    EXPECT_EQ(Format("%022lld", static_cast<long long>(INT64_MIN)), "-009223372036854775808");
}

TEST(Format, StarWidth)
{
    EXPECT_EQ(Format("%*d|", 4, 7), "   7|");
    EXPECT_EQ(Format("%*d|", -4, 7), "7   |");
    EXPECT_EQ(Format("%0*x", 6, 0xabu), "0000ab");
    EXPECT_EQ(Format("%*s|", 0, "x"), "x|");
    // INT_MIN's magnitude is clamped, not overflowed.
    EXPECT_EQ(Format("%*c|", INT_MIN, 'z'), "z" + std::string(SYS_FORMAT_WIDTH_MAX - 1, ' ') + "|");
}

TEST(Format, WidthIsClamped)
{
    std::string expected = std::string(SYS_FORMAT_WIDTH_MAX - 1, ' ') + "1";
    EXPECT_EQ(Format("%99999999999999999999d", 1), expected);
    EXPECT_EQ(Format("%*d", INT_MAX, 1), expected);
    EXPECT_EQ(Format("%1025d", 1), expected);
    EXPECT_EQ(Format("%1023d", 1), expected.substr(1));
}

TEST(Format, NotConversionsArePrintedLiterally)
{
    EXPECT_EQ(Format("%q"), "%q");
    EXPECT_EQ(Format("a%"), "a%");
    EXPECT_EQ(Format("a%-08"), "a%-08");
    EXPECT_EQ(Format("a%ll"), "a%ll");
    // The '*' of an unknown conversion still takes its int; the next
    // conversion gets the argument after it.
    EXPECT_EQ(Format("%5q %d", 9), "%5q 9");
    EXPECT_EQ(Format("%*q %d", 3, 9), "%*q 9");
    EXPECT_EQ(Format("%ls %d", 9), "%ls 9");
    EXPECT_EQ(Format("%lp %d", 9), "%lp 9");
    EXPECT_EQ(Format("%lc%d", 9), "%lc9");
    EXPECT_EQ(Format("%f %d", 9), "%f 9");
    EXPECT_EQ(Format("%n %d", 9), "%n 9");
    EXPECT_EQ(Format("%.3d", 9), "%.3d");
}

// sys_format_to through "..." (no format attribute, so a NULL fmt passes).
void FormatTo(sys_format_sink *sink, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sys_format_to(sink, fmt, ap);
    va_end(ap);
}

TEST(Format, NullFormatAndBuffer)
{
    // Measuring: size 0, buf NULL.
    EXPECT_EQ(sys_formatf(nullptr, 0, "%d", 12345), 5u);
    // buf NULL with a size: nothing written, length still counted.
    EXPECT_EQ(sys_formatf(nullptr, 16, "%d", 12345), 5u);
    // A NULL format formats nothing.
    char buf[4] = {'x', 'x', 'x', 'x'};
    sys_format_sink sink = {buf, sizeof buf, 0, 0, nullptr, nullptr};
    FormatTo(&sink, nullptr);
    EXPECT_EQ(sink.len, 0u);
    EXPECT_EQ(sink.total, 0u);
    EXPECT_EQ(buf[0], 'x');
}

// Every buffer size from 0 to past the full length: the output is the
// longest prefix that fits with its NUL, the result is the full length, and
// not one byte past the buffer is written.
void CheckEveryTruncation(const std::string &full, const char *fmt, ...)
{
    for (size_t size = 0; size <= full.size() + 2; size++) {
        std::vector<char> buf(size + 8, '#');
        va_list ap;
        va_start(ap, fmt);
        size_t n = sys_format(buf.data(), size, fmt, ap);
        va_end(ap);
        EXPECT_EQ(n, full.size()) << "size " << size;
        if (size > 0) {
            size_t kept = std::min(full.size(), size - 1);
            EXPECT_EQ(std::string(buf.data()), full.substr(0, kept)) << "size " << size;
            EXPECT_EQ(buf[kept], '\0');
        }
        for (size_t i = size; i < buf.size(); i++) {
            ASSERT_EQ(buf[i], '#') << "size " << size << " byte " << i;
        }
    }
}

TEST(Format, TruncationAtEverySize)
{
    CheckEveryTruncation("init: hello from EL0\n", "init: %s from EL%d\n", "hello", 0);
    CheckEveryTruncation("-9223372036854775808|", "%lld|", static_cast<long long>(INT64_MIN));
    CheckEveryTruncation("18446744073709551615", "%llu",
                         static_cast<unsigned long long>(UINT64_MAX));
    CheckEveryTruncation("  -0042|x    |0x00abc|(null)", "%7s|%-5c|%07p|%s", "-0042", 'x',
                         reinterpret_cast<void *>(0xabc), static_cast<const char *>(nullptr));
    CheckEveryTruncation("00000000deadbeef%", "%016llx%%", 0xdeadbeefull);
}

// The streaming sink sys_printf uses: flushes come in buffer-sized chunks,
// in order, and together make the whole output.
struct Chunks {
    std::vector<std::string> chunks;
};

void Record(struct sys_format_sink *sink)
{
    static_cast<Chunks *>(sink->context)->chunks.emplace_back(sink->buf, sink->len);
    sink->len = 0;
}

std::vector<std::string> Stream(size_t cap, const char *fmt, ...)
{
    std::vector<char> buf(cap);
    Chunks out;
    sys_format_sink sink = {buf.data(), cap, 0, 0, Record, &out};
    va_list ap;
    va_start(ap, fmt);
    sys_format_to(&sink, fmt, ap);
    va_end(ap);
    Record(&sink); // the rest, as sys_printf does
    return out.chunks;
}

TEST(FormatSink, FlushesFullBuffersInOrder)
{
    std::string long_text(600, 'a');
    for (size_t i = 0; i < long_text.size(); i++) {
        long_text[i] = static_cast<char>('a' + i % 26);
    }
    auto chunks = Stream(256, "%s!", long_text.c_str());
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0], long_text.substr(0, 256));
    EXPECT_EQ(chunks[1], long_text.substr(256, 256));
    EXPECT_EQ(chunks[2], long_text.substr(512) + "!");
}

TEST(FormatSink, ExactlyFullBufferFlushesOnlyAtTheEnd)
{
    auto chunks = Stream(4, "%s", "abcd");
    ASSERT_EQ(chunks.size(), 1u);
    EXPECT_EQ(chunks[0], "abcd");
    chunks = Stream(4, "%-5d|", 12);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_EQ(chunks[0], "12  ");
    EXPECT_EQ(chunks[1], " |");
}

TEST(FormatSink, WithoutFlushDropsAndCounts)
{
    char buf[3];
    sys_format_sink sink = {buf, sizeof buf, 0, 0, nullptr, nullptr};
    FormatTo(&sink, "%s", "abcdef");
    EXPECT_EQ(sink.len, 3u);
    EXPECT_EQ(sink.total, 6u);
    EXPECT_EQ(std::string(buf, 3), "abc");
}

// A flush that does not empty the buffer makes the sink drop bytes rather
// than write past it.
void StuckFlush(struct sys_format_sink *sink)
{
    ++*static_cast<int *>(sink->context);
}

TEST(FormatSink, StuckFlushDropsBytes)
{
    char buf[2];
    int calls = 0;
    sys_format_sink sink = {buf, sizeof buf, 0, 0, StuckFlush, &calls};
    FormatTo(&sink, "%s", "wxyz");
    EXPECT_EQ(sink.len, 2u);
    EXPECT_EQ(sink.total, 4u);
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(std::string(buf, 2), "wx");
}

} // namespace
