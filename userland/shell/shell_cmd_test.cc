// Tests for the shell's command parser (shell_cmd.h): every command, its
// usage errors, unknown words, empty lines, spaces.

#include "userland/shell/shell_cmd.h"

#include <string>

#include "gtest/gtest.h"

namespace {

// The line outlives the command (echo's text points into it).
shell_cmd Parse(const std::string &line)
{
    static std::string kept;
    kept = line;
    shell_cmd c;
    shell_parse(kept.c_str(), &c);
    return c;
}

TEST(CmdTest, PlainCommands)
{
    EXPECT_EQ((uint32_t)SHELL_CMD_HELP, Parse("help").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_PS, Parse("  ps  ").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_MEM, Parse("mem").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_BENCH, Parse("bench").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_POWEROFF, Parse("poweroff").kind);
    shell_cmd c = Parse("ps aux");
    EXPECT_EQ((uint32_t)SHELL_CMD_USAGE, c.kind);
    EXPECT_STREQ("usage: ps", c.usage);
    EXPECT_EQ((uint32_t)SHELL_CMD_USAGE, Parse("poweroff now").kind);
}

TEST(CmdTest, EmptyLines)
{
    EXPECT_EQ((uint32_t)SHELL_CMD_EMPTY, Parse("").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_EMPTY, Parse("     ").kind);
}

TEST(CmdTest, Spawn)
{
    shell_cmd c = Parse("spawn hello");
    EXPECT_EQ((uint32_t)SHELL_CMD_SPAWN, c.kind);
    EXPECT_STREQ("hello", c.name);
    c = Parse("spawn   crash  ");
    EXPECT_STREQ("crash", c.name);
    const std::string longest(SHELL_NAME_MAX - 1, 'n');
    EXPECT_STREQ(longest.c_str(), Parse("spawn " + longest).name);
    c = Parse("spawn hello 5");
    EXPECT_EQ((uint32_t)SHELL_CMD_SPAWN, c.kind);
    EXPECT_STREQ("hello", c.name);
    EXPECT_EQ(5u, c.priority);
    EXPECT_EQ(0u, Parse("spawn hello").priority) << "0: the process manager's default";
    EXPECT_EQ(255u, Parse("spawn hello 255").priority);
    for (const char *bad :
         {"spawn", "spawn ", "spawn a b", "spawn a 0", "spawn a 256", "spawn a 5 6", "spawn a -1",
          "spawn a 5x", "spawn aaaaaaaaaaaaaaaaaaaaaaaa" /* 24 */}) {
        c = Parse(bad);
        EXPECT_EQ((uint32_t)SHELL_CMD_USAGE, c.kind) << bad;
        EXPECT_NE(nullptr, c.usage);
    }
}

TEST(CmdTest, Kill)
{
    shell_cmd c = Parse("kill 4");
    EXPECT_EQ((uint32_t)SHELL_CMD_KILL, c.kind);
    EXPECT_EQ(4u, c.id);
    EXPECT_EQ(4294967295u, Parse("kill 4294967295").id);
    EXPECT_EQ(7u, Parse("kill 0007").id);
    for (const char *bad :
         {"kill", "kill 0", "kill -1", "kill 4294967296", "kill 4294967297", "kill 9999999999",
          "kill 99999999999", "kill 3x", "kill x", "kill 3 4", "kill 0x10"}) {
        c = Parse(bad);
        EXPECT_EQ((uint32_t)SHELL_CMD_USAGE, c.kind) << bad;
        EXPECT_STREQ("usage: kill ID (a task id from ps)", c.usage);
    }
}

TEST(CmdTest, EchoKeepsTheTextAsTyped)
{
    shell_cmd c = Parse("echo hello,  world  ");
    EXPECT_EQ((uint32_t)SHELL_CMD_ECHO, c.kind);
    EXPECT_EQ("hello,  world", std::string(c.text, c.text_len));
    c = Parse("echo");
    EXPECT_EQ((uint32_t)SHELL_CMD_ECHO, c.kind);
    EXPECT_EQ(0u, c.text_len);
    c = Parse("  echo   x");
    EXPECT_EQ("  x", std::string(c.text, c.text_len));
}

TEST(CmdTest, UnknownWords)
{
    shell_cmd c = Parse("frobnicate the kernel");
    EXPECT_EQ((uint32_t)SHELL_CMD_UNKNOWN, c.kind);
    EXPECT_STREQ("frobnicate", c.name);
    // Prefixes and longer words are not commands.
    EXPECT_EQ((uint32_t)SHELL_CMD_UNKNOWN, Parse("p").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_UNKNOWN, Parse("pss").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_UNKNOWN, Parse("HELP").kind);
    EXPECT_EQ((uint32_t)SHELL_CMD_UNKNOWN, Parse("echoo x").kind);
    // A long word is cut to fit.
    c = Parse(std::string(127, 'q'));
    EXPECT_EQ(std::string(SHELL_NAME_MAX - 1, 'q'), c.name);
}

TEST(CmdTest, HelpNamesEveryCommand)
{
    const std::string help = shell_help_text;
    for (const char *cmd : {"help", "ps", "spawn NAME [PRIORITY]", "kill ID", "mem", "echo TEXT",
                            "bench", "poweroff"}) {
        EXPECT_NE(std::string::npos, help.find(cmd)) << cmd;
    }
}

} // namespace
