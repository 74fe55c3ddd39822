// Tests for the shell's line editor (shell_line.h): echo byte by byte,
// backspace and DEL, CR LF as one end, Ctrl-C and Ctrl-U, escape sequences
// and other control bytes dropped, a 10,000-character line counted and
// never stored past its room.

#include "userland/shell/shell_line.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

struct Fed {
    std::vector<int> results; // one per byte
    std::string echo;
};

Fed Feed(shell_line *l, const std::string &bytes)
{
    Fed f;
    for (char c : bytes) {
        char echo[SHELL_ECHO_MAX];
        uint32_t n = 99;
        f.results.push_back(shell_line_feed(l, (uint8_t)c, echo, &n));
        EXPECT_LE(n, (uint32_t)SHELL_ECHO_MAX);
        f.echo.append(echo, n);
    }
    return f;
}

class LineTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        l_.after_cr = 0;
        shell_line_reset(&l_);
    }
    shell_line l_;
};

TEST_F(LineTest, PrintableBytesAreStoredAndEchoed)
{
    Fed f = Feed(&l_, "ps -x");
    EXPECT_EQ("ps -x", f.echo);
    EXPECT_STREQ("ps -x", l_.text);
    EXPECT_EQ(5u, l_.len);
    for (int r : f.results) {
        EXPECT_EQ(SHELL_LINE_MORE, r);
    }
    EXPECT_EQ(SHELL_LINE_READY, Feed(&l_, "\r").results.back());
    EXPECT_STREQ("ps -x", l_.text) << "the line stays until reset";
}

TEST_F(LineTest, EveryLineEnding)
{
    EXPECT_EQ(SHELL_LINE_READY, Feed(&l_, "a\n").results.back());
    shell_line_reset(&l_);
    EXPECT_EQ(SHELL_LINE_READY, Feed(&l_, "b\r").results.back());
    shell_line_reset(&l_);
    // The LF of CR LF is not a second, empty line.
    Fed f = Feed(&l_, "\nc\r");
    EXPECT_EQ(SHELL_LINE_MORE, f.results[0]);
    EXPECT_STREQ("c", l_.text);
    shell_line_reset(&l_);
    // Two LFs are two lines; the second one empty.
    Feed(&l_, "\n");
    EXPECT_EQ(SHELL_LINE_READY, Feed(&l_, "\n").results.back());
    EXPECT_EQ(0u, l_.len);
}

TEST_F(LineTest, BackspaceAndDelRemoveTheLastCharacter)
{
    Fed f = Feed(&l_, "pz\x7fs");
    EXPECT_STREQ("ps", l_.text);
    EXPECT_EQ("pz\b \bs", f.echo);
    f = Feed(&l_, "\b\b\b\b");
    EXPECT_EQ(0u, l_.len) << "never below empty";
    EXPECT_EQ("\b \b\b \b", f.echo) << "nothing echoed on an empty line";
    EXPECT_STREQ("", l_.text);
}

TEST_F(LineTest, CtrlCAndCtrlUDropTheLine)
{
    Feed(&l_, "spawn he");
    Fed f = Feed(&l_, "\x03");
    EXPECT_EQ(SHELL_LINE_CANCEL, f.results.back());
    EXPECT_EQ("^C", f.echo);
    EXPECT_EQ(0u, l_.len);
    Feed(&l_, "kill 3");
    f = Feed(&l_, "\x15");
    EXPECT_EQ(SHELL_LINE_CANCEL, f.results.back());
    EXPECT_EQ(0u, l_.len);
    EXPECT_STREQ("", l_.text);
}

TEST_F(LineTest, ControlBytesAndEscapeSequencesAreDropped)
{
    // Up arrow (CSI A), F1 (SS3 P), a CSI with parameters, NUL, BEL, bytes above 0x7e.
    Fed f =
        Feed(&l_, std::string("p\x1b[A\x1bOP\x1b[1;5Cs", 14) + std::string("\0\x07\x80\xff!", 5));
    EXPECT_STREQ("ps!", l_.text);
    EXPECT_EQ("ps!", f.echo);
    EXPECT_EQ(16u, l_.dropped) << "12 bytes of escape sequences, 4 others";
    // ESC followed by an ordinary byte: only the ESC and that byte go.
    shell_line_reset(&l_);
    Feed(&l_, "\x1bxok");
    EXPECT_STREQ("ok", l_.text);
    // Tab is a space.
    shell_line_reset(&l_);
    Feed(&l_, "echo\ta");
    EXPECT_STREQ("echo a", l_.text);
}

TEST_F(LineTest, ATenThousandCharacterLineIsCountedNotStored)
{
    const std::string big(10000, 'x');
    Fed f = Feed(&l_, big);
    EXPECT_EQ((uint32_t)SHELL_LINE_MAX - 1, l_.len);
    EXPECT_EQ(10000u - (SHELL_LINE_MAX - 1), l_.overflow);
    EXPECT_EQ(std::string(SHELL_LINE_MAX - 1, 'x'), f.echo) << "only what is kept is echoed";
    EXPECT_EQ(0, l_.text[SHELL_LINE_MAX - 1]);
    EXPECT_EQ(SHELL_LINE_READY, Feed(&l_, "\n").results.back());
    EXPECT_NE(0u, l_.overflow) << "the caller can refuse it";
    // Backspace takes back the uncounted characters first, then stored ones.
    shell_line_reset(&l_);
    Feed(&l_, std::string(SHELL_LINE_MAX + 1, 'y'));
    Feed(&l_, "\b\b");
    EXPECT_EQ(0u, l_.overflow);
    EXPECT_EQ((uint32_t)SHELL_LINE_MAX - 1, l_.len);
    f = Feed(&l_, "\b");
    EXPECT_EQ((uint32_t)SHELL_LINE_MAX - 2, l_.len);
    EXPECT_EQ("\b \b", f.echo);
}

TEST_F(LineTest, ResetClearsEverything)
{
    Feed(&l_, std::string(200, 'z') + "\x01");
    shell_line_reset(&l_);
    EXPECT_EQ(0u, l_.len);
    EXPECT_EQ(0u, l_.overflow);
    EXPECT_EQ(0u, l_.dropped);
    for (int i = 0; i < SHELL_LINE_MAX; i++) {
        ASSERT_EQ(0, l_.text[i]);
    }
}

} // namespace
