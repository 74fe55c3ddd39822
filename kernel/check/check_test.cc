#include "kernel/check/check.h"

#include <cstdio>
#include <cstdlib>

#include "hal/fake/console_fake.h"
#include "hal/fake/cpu_fake.h"
#include "gtest/gtest.h"

namespace {

void DumpConsole()
{
    fputs(console_fake_contents(), stderr);
    fflush(stderr);
}

void FailACheck()
{
    atexit(DumpConsole);
    int slots = 3;
    CHECK(slots == 4);
}

TEST(CheckTest, TrueConditionDoesNothing)
{
    console_fake_reset();
    CHECK(1 + 1 == 2);
    EXPECT_STREQ(console_fake_contents(), "");
}

TEST(CheckTest, FalseConditionReportsAndHalts)
{
    EXPECT_EXIT(FailACheck(), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: CHECK failed: kernel/check/check_test.cc:[0-9]+: slots == 4\r\n"
                "basalt: kernel halted\r\n");
}

} // namespace
