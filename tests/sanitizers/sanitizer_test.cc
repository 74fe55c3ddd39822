// Proves that --config=asan and --config=ubsan really instrument host code:
// under each config the matching sanitizer must be compiled in and must stop
// a deliberate error. Without a sanitizer config the checks are skipped.

#include <climits>
#include <cstdlib>

#include "gtest/gtest.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif

namespace {

// volatile keeps the optimizer from proving the errors away.
[[maybe_unused]] int OverflowHeap()
{
    volatile int index = 4;
    int *volatile p = new int[4];
    p[index] = 1;
    int value = p[index];
    delete[] p;
    return value;
}

[[maybe_unused]] int OverflowSignedAdd()
{
    volatile int x = INT_MAX;
    return x + 1;
}

} // namespace

TEST(SanitizerTest, AddressSanitizerStopsHeapOverflow)
{
#if defined(BASALT_EXPECT_ASAN)
    ASSERT_TRUE(__has_feature(address_sanitizer));
    EXPECT_DEATH(OverflowHeap(), "heap-buffer-overflow");
#else
    GTEST_SKIP() << "built without --config=asan";
#endif
}

TEST(SanitizerTest, UndefinedBehaviorSanitizerStopsSignedOverflow)
{
#if defined(BASALT_EXPECT_UBSAN)
    EXPECT_DEATH(OverflowSignedAdd(), "signed integer overflow");
#else
    GTEST_SKIP() << "built without --config=ubsan";
#endif
}
