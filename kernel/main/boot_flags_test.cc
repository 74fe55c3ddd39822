// Tests for kernel_boot_flags and kernel_boot_value: tokens matched whole
// (or by their key), anywhere on the line, a cut line's last token not
// trusted.

#include "kernel/main/boot_flags.h"

#include <string>
#include <vector>

#include "kernel/abi/init.h"

#include "gtest/gtest.h"

namespace {

TEST(BootFlagsTest, ShellTokenAnywhere)
{
    EXPECT_EQ(INIT_FLAG_SHELL, kernel_boot_flags("basalt.shell=1", 0));
    EXPECT_EQ(INIT_FLAG_SHELL, kernel_boot_flags("  quiet basalt.shell=1\tx=y ", 0));
    EXPECT_EQ(INIT_FLAG_SHELL, kernel_boot_flags("a\nbasalt.shell=1", 0));
    EXPECT_EQ(INIT_FLAG_SHELL, kernel_boot_flags("basalt.shell=1 basalt.shell=1", 0));
}

TEST(BootFlagsTest, NothingElseSetsIt)
{
    for (const char *line :
         {"", "   ", "basalt.shell=0", "basalt.shell=10", "xbasalt.shell=1", "basalt.shell",
          "basalt.shell=", "BASALT.SHELL=1", "basalt.shell=1x", "basalt.shel=1"}) {
        EXPECT_EQ(0u, kernel_boot_flags(line, 0)) << "'" << line << "'";
    }
    EXPECT_EQ(0u, kernel_boot_flags(nullptr, 0));
    EXPECT_EQ(0u, kernel_boot_flags(nullptr, 1));
}

TEST(BootFlagsTest, ACutLineDoesNotTrustItsLastToken)
{
    // "basalt.shell=1" could be the start of "basalt.shell=12" that was cut.
    EXPECT_EQ(0u, kernel_boot_flags("a basalt.shell=1", 1));
    EXPECT_EQ(INIT_FLAG_SHELL, kernel_boot_flags("basalt.shell=1 aaaa", 1));
    EXPECT_EQ(INIT_FLAG_SHELL, kernel_boot_flags("basalt.shell=1 ", 1));
}

TEST(BootFlagsTest, LongLines)
{
    std::string line(10000, 'a');
    EXPECT_EQ(0u, kernel_boot_flags(line.c_str(), 0));
    line += " basalt.shell=1";
    EXPECT_EQ(INIT_FLAG_SHELL, kernel_boot_flags(line.c_str(), 0));
}

// kernel_boot_value: the value of KEY=VALUE, NUL-terminated, the last one given.
std::string Value(const char *line, uint32_t truncated, boot_value *how, size_t cap = 32)
{
    std::vector<char> out(cap, 'x');
    *how = kernel_boot_value(line, truncated, "basalt.init=", out.data(), cap);
    return std::string(out.data());
}

TEST(BootValueTest, FindsTheValueAnywhere)
{
    boot_value how;
    EXPECT_EQ("errors", Value("basalt.init=errors", 0, &how));
    EXPECT_EQ(BOOT_VALUE_FOUND, how);
    EXPECT_EQ("smoke", Value(" quiet\tbasalt.init=smoke basalt.shell=1 ", 0, &how));
    EXPECT_EQ(BOOT_VALUE_FOUND, how);
    EXPECT_EQ("", Value("basalt.init=", 0, &how));
    EXPECT_EQ(BOOT_VALUE_FOUND, how);
}

TEST(BootValueTest, TheLastOneCounts)
{
    boot_value how;
    EXPECT_EQ("b", Value("basalt.init=a basalt.init=b", 0, &how));
    EXPECT_EQ(BOOT_VALUE_FOUND, how);
    EXPECT_EQ("", Value("basalt.init=a basalt.init=bbbbbbbbbb", 0, &how, 4));
    EXPECT_EQ(BOOT_VALUE_TOO_LONG, how) << "the last one does not fit";
    EXPECT_EQ("b", Value("basalt.init=aaaaaaaaaa basalt.init=b", 0, &how, 4));
    EXPECT_EQ(BOOT_VALUE_FOUND, how);
}

TEST(BootValueTest, OtherTokensAreNotIt)
{
    boot_value how;
    for (const char *line : {"", "  ", "basalt.init", "xbasalt.init=a", "BASALT.INIT=a",
                             "basalt.ini=a", "basalt.shell=1"}) {
        EXPECT_EQ("", Value(line, 0, &how)) << "'" << line << "'";
        EXPECT_EQ(BOOT_VALUE_ABSENT, how) << "'" << line << "'";
    }
    EXPECT_EQ("", Value(nullptr, 0, &how));
    EXPECT_EQ(BOOT_VALUE_ABSENT, how);
}

TEST(BootValueTest, AValueThatDoesNotFitIsNamedAndNotCut)
{
    boot_value how;
    EXPECT_EQ("abc", Value("basalt.init=abc", 0, &how, 4));
    EXPECT_EQ(BOOT_VALUE_FOUND, how);
    EXPECT_EQ("", Value("basalt.init=abcd", 0, &how, 4));
    EXPECT_EQ(BOOT_VALUE_TOO_LONG, how);
    EXPECT_EQ("", Value("basalt.init=a", 0, &how, 1));
    EXPECT_EQ(BOOT_VALUE_TOO_LONG, how);
}

TEST(BootValueTest, ACutLineDoesNotTrustItsLastToken)
{
    boot_value how;
    EXPECT_EQ("", Value("basalt.init=err", 1, &how));
    EXPECT_EQ(BOOT_VALUE_ABSENT, how);
    EXPECT_EQ("errors", Value("basalt.init=errors x", 1, &how));
    EXPECT_EQ(BOOT_VALUE_FOUND, how);
}

} // namespace
