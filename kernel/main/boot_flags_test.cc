// Tests for kernel_boot_flags: tokens matched whole, anywhere on the line,
// a cut line's last token not trusted.

#include "kernel/main/boot_flags.h"

#include <string>

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

} // namespace
