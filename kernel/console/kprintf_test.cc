// Tests for kernel/console/kprintf against the captured console of hal/fake.

#include "kernel/console/kprintf.h"

#include <cstring>
#include <string>

#include "hal/fake/console_fake.h"
#include "gtest/gtest.h"

namespace {

class KprintfTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        console_fake_reset();
    }

    /** The captured console output, NUL bytes included. */
    static std::string Captured()
    {
        return std::string(console_fake_contents(), console_fake_length());
    }
};

TEST_F(KprintfTest, WritesFormattedText)
{
    EXPECT_EQ(kprintf("x=%d, s=%s", 42, "ok"), 10u);
    EXPECT_EQ(Captured(), "x=42, s=ok");
}

TEST_F(KprintfTest, NewlineReachesTheConsoleAsCrLf)
{
    // The return value counts formatted bytes, before the console's
    // translation of '\n' into "\r\n".
    EXPECT_EQ(kprintf("one\ntwo\n"), 8u);
    EXPECT_EQ(Captured(), "one\r\ntwo\r\n");
}

TEST_F(KprintfTest, SuccessiveCallsAppend)
{
    kprintf("a");
    kprintf("%c", 'b');
    kprintf("%u\n", 3u);
    EXPECT_EQ(Captured(), "ab3\r\n");
}

TEST_F(KprintfTest, EmptyOutputWritesNothing)
{
    EXPECT_EQ(kprintf("%s", ""), 0u);
    EXPECT_EQ(console_fake_length(), 0u);
}

TEST_F(KprintfTest, NulByteIsWritten)
{
    EXPECT_EQ(kprintf("a%cb", '\0'), 3u);
    EXPECT_EQ(Captured(), std::string("a\0b", 3));
}

TEST_F(KprintfTest, LongestOutputThatFitsIsNotTruncated)
{
    size_t longest = KPRINTF_BUFFER_SIZE - 1;
    EXPECT_EQ(kprintf("%*s", static_cast<int>(longest), "end"), longest);
    EXPECT_EQ(Captured(), std::string(longest - 3, ' ') + "end");
}

TEST_F(KprintfTest, OneByteTooLongIsTruncatedWithMarker)
{
    size_t len = KPRINTF_BUFFER_SIZE;
    EXPECT_EQ(kprintf("%*s", static_cast<int>(len), "end"), len);
    // The last formatted byte ('d') is cut; the marker's '\n' becomes CRLF.
    EXPECT_EQ(Captured(), std::string(len - 3, ' ') + "en" + "...[truncated]\r\n");
}

TEST_F(KprintfTest, LongOutputKeepsItsStartAndIsMarked)
{
    std::string text(2000, 'z');
    EXPECT_EQ(kprintf("<%s>", text.c_str()), 2002u);
    std::string want = "<" + std::string(KPRINTF_BUFFER_SIZE - 2, 'z') + "...[truncated]\r\n";
    EXPECT_EQ(Captured(), want);
}

TEST_F(KprintfTest, NewlinesInsideTruncatedOutputAreTranslated)
{
    EXPECT_EQ(kprintf("a\n%600s", "b"), 602u);
    std::string want = "a\r\n" + std::string(KPRINTF_BUFFER_SIZE - 3, ' ') + "...[truncated]\r\n";
    EXPECT_EQ(Captured(), want);
}

} // namespace
