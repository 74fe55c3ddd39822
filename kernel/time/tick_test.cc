#include "kernel/time/tick.h"

#include "gtest/gtest.h"

TEST(TickTest, CountsEveryTick)
{
    uint64_t before = kernel_ticks();
    for (int i = 0; i < 250; i++) {
        kernel_tick();
    }
    EXPECT_EQ(kernel_ticks(), before + 250);
}
