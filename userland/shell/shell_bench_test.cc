#include "userland/shell/shell_bench.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace {

TEST(ShellBenchNs, ConvertsTicksPerOperation)
{
    // QEMU virt's counter: 62.5 MHz, 16 ns a tick.
    EXPECT_EQ(shell_bench_ns(1, 62500000, 1), 16u);
    EXPECT_EQ(shell_bench_ns(62500000, 62500000, 1), 1000000000u);
    EXPECT_EQ(shell_bench_ns(1000, 62500000, 1000), 16u);
    EXPECT_EQ(shell_bench_ns(1, 1000000000, 1), 1u);
}

TEST(ShellBenchNs, RoundsToNearest)
{
    EXPECT_EQ(shell_bench_ns(1, 3000000000u, 1), 0u);   // 0.33 ns
    EXPECT_EQ(shell_bench_ns(2, 3000000000u, 1), 1u);   // 0.67 ns
    EXPECT_EQ(shell_bench_ns(3, 2000000000u, 1), 2u);   // 1.5 ns, half up
    EXPECT_EQ(shell_bench_ns(150, 62500000, 1000), 2u); // 2.4 ns
}

TEST(ShellBenchNs, ZeroFrequencyOrOperationsIsZero)
{
    EXPECT_EQ(shell_bench_ns(100, 0, 10), 0u);
    EXPECT_EQ(shell_bench_ns(100, 62500000, 0), 0u);
}

TEST(ShellBenchNs, NeverWraps)
{
    EXPECT_EQ(shell_bench_ns(UINT64_MAX, UINT64_MAX, 1), 1000000000u);
    EXPECT_EQ(shell_bench_ns(UINT64_MAX, 1, 1), UINT64_MAX);
    EXPECT_EQ(shell_bench_ns(UINT64_MAX, 1000000000u, 1), UINT64_MAX);
    EXPECT_EQ(shell_bench_ns(UINT64_MAX, 1000000000u, 2), UINT64_MAX / 2 + 1);
    EXPECT_EQ(shell_bench_ns(UINT64_MAX, UINT64_MAX, UINT64_MAX), 0u);
}

TEST(ShellBenchMedian, MiddleOfSorted)
{
    uint64_t v[] = {5, 1, 4, 2, 3};
    EXPECT_EQ(shell_bench_median(v, 5), 3u);
    for (int i = 0; i < 5; i++) {
        EXPECT_EQ(v[i], static_cast<uint64_t>(i + 1));
    }
    uint64_t even[] = {9, 7, 1, 3};
    EXPECT_EQ(shell_bench_median(even, 4), 7u);
    uint64_t same[] = {2, 2, 2};
    EXPECT_EQ(shell_bench_median(same, 3), 2u);
    uint64_t one[] = {42};
    EXPECT_EQ(shell_bench_median(one, 1), 42u);
}

TEST(ShellBenchMedian, EmptyIsZero)
{
    EXPECT_EQ(shell_bench_median(nullptr, 0), 0u);
}

} // namespace
