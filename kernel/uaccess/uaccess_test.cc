#include "kernel/uaccess/uaccess.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "fake_space.h"
#include "hal/addr.h"
#include "hal/mmu.h"
#include "kernel/abi/status.h"
#include "gtest/gtest.h"

namespace {

using fake_space::kPage;

constexpr uint32_t R = HAL_MMU_READ;
constexpr uint32_t W = HAL_MMU_WRITE;
constexpr uint64_t kVa = 0x10000000;

class Uaccess : public fake_space::Space {
  protected:
    // Fills data frames [0, n) with a pattern: byte i of the range is i * 7 + 1.
    void Pattern(size_t n)
    {
        for (size_t i = 0; i < n * kPage; i++) {
            Data(0)[i] = static_cast<uint8_t>(i * 7 + 1);
        }
    }
    static uint8_t Expected(uint64_t off)
    {
        return static_cast<uint8_t>(off * 7 + 1);
    }
};

TEST_F(Uaccess, CopyFromUserWithinAPage)
{
    ASSERT_EQ(Map(kVa, 0, 1, R), HAL_MMU_OK);
    Pattern(1);
    std::array<uint8_t, 16> buf{};
    ASSERT_EQ(copy_from_user(root_, buf.data(), uaddr_make(kVa + 100), buf.size()), STATUS_OK);
    for (size_t i = 0; i < buf.size(); i++) {
        EXPECT_EQ(buf[i], Expected(100 + i)) << i;
    }
}

TEST_F(Uaccess, CopyFromUserAcrossTwoAndThreePages)
{
    ASSERT_EQ(Map(kVa, 0, 3, R), HAL_MMU_OK);
    Pattern(3);
    for (uint64_t start : {kPage - 5, kPage - 1}) {
        std::array<uint8_t, 10> two{};
        ASSERT_EQ(copy_from_user(root_, two.data(), uaddr_make(kVa + start), two.size()),
                  STATUS_OK);
        for (size_t i = 0; i < two.size(); i++) {
            EXPECT_EQ(two[i], Expected(start + i));
        }
    }
    std::vector<uint8_t> three(kPage + 20);
    ASSERT_EQ(copy_from_user(root_, three.data(), uaddr_make(kVa + kPage - 10), three.size()),
              STATUS_OK);
    for (size_t i = 0; i < three.size(); i++) {
        EXPECT_EQ(three[i], Expected(kPage - 10 + i)) << i;
    }
}

TEST_F(Uaccess, CopyToUserAcrossPages)
{
    ASSERT_EQ(Map(kVa, 0, 3, R | W), HAL_MMU_OK);
    std::vector<uint8_t> src(kPage + 20);
    for (size_t i = 0; i < src.size(); i++) {
        src[i] = static_cast<uint8_t>(i ^ 0x3c);
    }
    ASSERT_EQ(copy_to_user(root_, uaddr_make(kVa + kPage - 10), src.data(), src.size()), STATUS_OK);
    EXPECT_EQ(std::memcmp(Data(0, kPage - 10), src.data(), src.size()), 0);
    EXPECT_EQ(*Data(0, kPage - 11), 0x5a); // neighbours untouched
    EXPECT_EQ(*Data(0, 2 * kPage + 10), 0x5a);
}

TEST_F(Uaccess, HoleInTheMiddleCopiesNothing)
{
    ASSERT_EQ(Map(kVa, 0, 1, R | W), HAL_MMU_OK);
    ASSERT_EQ(Map(kVa + 2 * kPage, 2, 1, R | W), HAL_MMU_OK);
    std::vector<uint8_t> buf(2 * kPage, 0xee);
    EXPECT_EQ(copy_from_user(root_, buf.data(), uaddr_make(kVa + 10), buf.size()),
              STATUS_BAD_BUFFER);
    EXPECT_EQ(buf, std::vector<uint8_t>(2 * kPage, 0xee));
    EXPECT_EQ(copy_to_user(root_, uaddr_make(kVa + 10), buf.data(), buf.size()), STATUS_BAD_BUFFER);
    EXPECT_EQ(*Data(0, 10), 0x5a);
    EXPECT_EQ(*Data(2, 0), 0x5a);
}

TEST_F(Uaccess, ReadOnlyPageRefusesCopyToUser)
{
    ASSERT_EQ(Map(kVa, 0, 1, R | W), HAL_MMU_OK);
    ASSERT_EQ(Map(kVa + kPage, 1, 1, R), HAL_MMU_OK);
    std::array<uint8_t, 8> src{1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_EQ(copy_to_user(root_, uaddr_make(kVa + kPage - 4), src.data(), src.size()),
              STATUS_BAD_BUFFER);
    for (size_t i = 0; i < 8; i++) {
        EXPECT_EQ(*Data(0, kPage - 4 + i), 0x5a) << i;
    }
    // Reading it is fine.
    EXPECT_EQ(copy_from_user(root_, src.data(), uaddr_make(kVa + kPage - 4), src.size()),
              STATUS_OK);
}

TEST_F(Uaccess, KernelAndOutOfRangeAddressesRefused)
{
    std::array<uint8_t, 4> buf{9, 9, 9, 9};
    const std::array<uint8_t, 4> orig = buf;
    EXPECT_EQ(copy_from_user(root_, buf.data(), uaddr_make(0xffff000000001000ull), 4),
              STATUS_BAD_BUFFER);
    EXPECT_EQ(copy_to_user(root_, uaddr_make(0xffff000000001000ull), buf.data(), 4),
              STATUS_BAD_BUFFER);
    // The last user page is mapped; the copy runs past USER_TOP.
    ASSERT_EQ(Map(HAL_MMU_USER_TOP - kPage, 0, 1, R | W), HAL_MMU_OK);
    EXPECT_EQ(copy_from_user(root_, buf.data(), uaddr_make(HAL_MMU_USER_TOP - 1), 1), STATUS_OK);
    EXPECT_EQ(copy_from_user(root_, buf.data(), uaddr_make(HAL_MMU_USER_TOP - 1), 2),
              STATUS_BAD_BUFFER);
    EXPECT_EQ(copy_to_user(root_, uaddr_make(HAL_MMU_USER_TOP - 1), buf.data(), 2),
              STATUS_BAD_BUFFER);
    buf = orig;
    EXPECT_EQ(copy_from_user(root_, buf.data(), uaddr_make(HAL_MMU_USER_TOP), 1),
              STATUS_BAD_BUFFER);
    // src + len wraps around 2^64.
    EXPECT_EQ(copy_from_user(root_, buf.data(), uaddr_make(~0ull), 2), STATUS_BAD_BUFFER);
    EXPECT_EQ(copy_from_user(root_, buf.data(), uaddr_make(HAL_MMU_USER_TOP - kPage), ~size_t{0}),
              STATUS_BAD_BUFFER);
    EXPECT_EQ(buf, orig);
}

TEST_F(Uaccess, ZeroLengthTouchesNothing)
{
    // Unmapped, and even a kernel address: nothing is checked or copied.
    EXPECT_EQ(copy_from_user(root_, nullptr, uaddr_make(kVa), 0), STATUS_OK);
    EXPECT_EQ(copy_to_user(root_, uaddr_make(0xffff000000000000ull), nullptr, 0), STATUS_OK);
}

TEST_F(Uaccess, CopyStringFromUser)
{
    ASSERT_EQ(Map(kVa, 0, 2, R), HAL_MMU_OK);
    const char text[] = "hello, basalt";
    std::memcpy(Data(0, kPage - 5), text, sizeof text); // crosses into page 2
    char dst[32];
    size_t len = 99;
    ASSERT_EQ(copy_string_from_user(root_, dst, sizeof dst, uaddr_make(kVa + kPage - 5), &len),
              STATUS_OK);
    EXPECT_EQ(len, sizeof text - 1);
    EXPECT_STREQ(dst, text);
    // Exactly fits: 13 chars + NUL in 14 bytes; one less does not.
    EXPECT_EQ(copy_string_from_user(root_, dst, sizeof text, uaddr_make(kVa + kPage - 5), &len),
              STATUS_OK);
    std::memset(dst, 0x77, sizeof dst);
    len = 99;
    EXPECT_EQ(copy_string_from_user(root_, dst, sizeof text - 1, uaddr_make(kVa + kPage - 5), &len),
              STATUS_OUT_OF_RANGE);
    EXPECT_EQ(len, 99u);
    EXPECT_EQ(dst[0], 0x77);
    EXPECT_EQ(copy_string_from_user(root_, dst, 0, uaddr_make(kVa), &len), STATUS_INVALID_ARGUMENT);
}

TEST_F(Uaccess, CopyStringRunningIntoAHole)
{
    ASSERT_EQ(Map(kVa, 0, 1, R), HAL_MMU_OK);
    std::memset(Data(0, kPage - 4), 'a', 4); // no NUL before the unmapped page
    char dst[16];
    std::memset(dst, 0x77, sizeof dst);
    size_t len = 99;
    EXPECT_EQ(copy_string_from_user(root_, dst, sizeof dst, uaddr_make(kVa + kPage - 4), &len),
              STATUS_BAD_BUFFER);
    EXPECT_EQ(dst[0], 0x77);
    EXPECT_EQ(len, 99u);
    // A NUL just before the hole is enough.
    *Data(0, kPage - 1) = 0;
    EXPECT_EQ(copy_string_from_user(root_, dst, sizeof dst, uaddr_make(kVa + kPage - 4), &len),
              STATUS_OK);
    EXPECT_EQ(len, 3u);
    EXPECT_EQ(copy_string_from_user(root_, dst, sizeof dst, uaddr_make(~0ull), &len),
              STATUS_BAD_BUFFER);
}

} // namespace
