// Tests for userland/libsys/msg.h: struct sys_msg to and from the message
// registers of kernel/abi/syscall.h.

#include "userland/libsys/msg.h"

#include <cstdint>

#include "userland/libsys/sys.h"
#include "gtest/gtest.h"

#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

namespace {

constexpr uint64_t kPoison = 0x5a5a5a5a5a5a5a5aull;

TEST(MsgPack, FullMessage)
{
    sys_msg m = {0xabcdef, 4, 2, {1, 2, 3, 4}, {0x10005, 0x20006}};
    uint64_t r[SYS_MSG_REGS] = {77, kPoison, kPoison, kPoison, kPoison, kPoison, kPoison, kPoison};
    ASSERT_EQ(sys_msg_pack(&m, r), STATUS_OK);
    EXPECT_EQ(r[0], 77u); // x0 is the caller's
    EXPECT_EQ(r[SYS_MSG_REG_INFO], (0xabcdefull << 16) | (2u << 8) | 4u);
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(r[SYS_MSG_REG_WORD0 + i], uint64_t(i + 1));
    }
    EXPECT_EQ(r[SYS_MSG_REG_CAP0], 0x10005u);
    EXPECT_EQ(r[SYS_MSG_REG_CAP0 + 1], 0x20006u);
}

TEST(MsgInfo, ReceiveSlotsHaveTheirOwnField)
{
    const uint64_t info = sys_msg_info(0xabcdef, 3, 2);
    const uint64_t with = sys_msg_with_slots(info, 2);
    EXPECT_EQ(with, info | (2ull << 12));
    EXPECT_EQ(sys_msg_slots(with), 2u);
    EXPECT_EQ(sys_msg_slots(info), 0u) << "a packed message accepts nothing";
    EXPECT_EQ(sys_msg_caps(with), 2u);
    EXPECT_EQ(sys_msg_words(with), 3u);
    EXPECT_EQ(sys_msg_label(with), 0xabcdefu);
    EXPECT_EQ(sys_msg_with_slots(with, 0), info);
    EXPECT_EQ(sys_msg_with_slots(info, 0x1f), info | (0xfull << 12)) << "4 bits, no spill";
    EXPECT_EQ(sys_msg_info(0, 0, 0x12), sys_msg_info(0, 0, 2)) << "the cap count is 4 bits";
    // A received info word read by unpack: the slots field is not a count.
    uint64_t r[SYS_MSG_REGS] = {0, with, 1, 2, 3, 4, 0x10005, 0x20006};
    sys_msg m;
    sys_msg_unpack(r, &m);
    EXPECT_EQ(m.cap_count, 2u);
    EXPECT_EQ(m.word_count, 3u);
}

TEST(MsgPack, BeyondTheCountsIsCleared)
{
    sys_msg m = {1, 1, 0, {9, 8, 7, 6}, {5, 4}};
    uint64_t r[SYS_MSG_REGS] = {kPoison, kPoison, kPoison, kPoison,
                                kPoison, kPoison, kPoison, kPoison};
    ASSERT_EQ(sys_msg_pack(&m, r), STATUS_OK);
    EXPECT_EQ(r[SYS_MSG_REG_INFO], sys_msg_info(1, 1, 0));
    EXPECT_EQ(r[2], 9u);
    EXPECT_EQ(r[3], 0u);
    EXPECT_EQ(r[4], 0u);
    EXPECT_EQ(r[5], 0u);
    EXPECT_EQ(r[6], HANDLE_NONE);
    EXPECT_EQ(r[7], HANDLE_NONE);
}

TEST(MsgPack, RefusesWhatTheInfoWordCannotCarry)
{
    const sys_msg bad[] = {
        {0, SYS_MSG_MAX_WORDS + 1, 0, {}, {}},
        {0, 256, 0, {}, {}}, // would wrap to 0 in the 8-bit field
        {0, 0, SYS_MSG_MAX_CAPS + 1, {}, {}},
        {0, 0, 256, {}, {}},
        {SYS_MSG_LABEL_MASK + 1, 0, 0, {}, {}},
        {~0ull, 0, 0, {}, {}},
    };
    for (const sys_msg &m : bad) {
        uint64_t r[SYS_MSG_REGS] = {kPoison, kPoison, kPoison, kPoison,
                                    kPoison, kPoison, kPoison, kPoison};
        EXPECT_EQ(sys_msg_pack(&m, r), STATUS_INVALID_ARGUMENT);
        for (uint64_t x : r) {
            EXPECT_EQ(x, kPoison); // nothing written
        }
    }
    uint64_t r[SYS_MSG_REGS] = {};
    EXPECT_EQ(sys_msg_pack(nullptr, r), STATUS_INVALID_ARGUMENT);
    sys_msg widest = {SYS_MSG_LABEL_MASK, 0, 0, {}, {}};
    EXPECT_EQ(sys_msg_pack(&widest, r), STATUS_OK);
    EXPECT_EQ(sys_msg_label(r[SYS_MSG_REG_INFO]), SYS_MSG_LABEL_MASK);
}

TEST(MsgUnpack, AsDelivered)
{
    uint64_t r[SYS_MSG_REGS] = {0, sys_msg_info(0x123456789abcull, 3, 1), 10, 11, 12, 0, 0x30001,
                                0};
    sys_msg m;
    sys_msg_unpack(r, &m);
    EXPECT_EQ(m.label, 0x123456789abcull);
    EXPECT_EQ(m.word_count, 3u);
    EXPECT_EQ(m.cap_count, 1u);
    EXPECT_EQ(m.words[0], 10u);
    EXPECT_EQ(m.words[1], 11u);
    EXPECT_EQ(m.words[2], 12u);
    EXPECT_EQ(m.words[3], 0u);
    EXPECT_EQ(m.caps[0], 0x30001u);
    EXPECT_EQ(m.caps[1], HANDLE_NONE);
}

TEST(MsgUnpack, ClampsCountsAndClearsTheRest)
{
    // Counts the kernel never delivers, and junk beyond them.
    uint64_t r[SYS_MSG_REGS] = {0, sys_msg_info(7, 200, 9), 1, 2, 3, 4, 5, 6};
    sys_msg m;
    sys_msg_unpack(r, &m);
    EXPECT_EQ(m.label, 7u);
    EXPECT_EQ(m.word_count, uint32_t{SYS_MSG_MAX_WORDS});
    EXPECT_EQ(m.cap_count, uint32_t{SYS_MSG_MAX_CAPS});
    EXPECT_EQ(m.words[3], 4u);
    EXPECT_EQ(m.caps[1], 6u);

    uint64_t r2[SYS_MSG_REGS] = {0, sys_msg_info(0, 0, 0), 1, 2, 3, 4, 5, 6};
    sys_msg_unpack(r2, &m);
    EXPECT_EQ(m.word_count, 0u);
    EXPECT_EQ(m.cap_count, 0u);
    for (uint64_t w : m.words) {
        EXPECT_EQ(w, 0u);
    }
    for (handle_t c : m.caps) {
        EXPECT_EQ(c, HANDLE_NONE);
    }
}

TEST(Msg, RoundTrip)
{
    for (uint32_t words = 0; words <= SYS_MSG_MAX_WORDS; words++) {
        for (uint32_t caps = 0; caps <= SYS_MSG_MAX_CAPS; caps++) {
            sys_msg in = {0xfeedull + words, words, caps, {11, 22, 33, 44}, {0x10001, 0x10002}};
            uint64_t r[SYS_MSG_REGS] = {};
            ASSERT_EQ(sys_msg_pack(&in, r), STATUS_OK);
            sys_msg out;
            sys_msg_unpack(r, &out);
            EXPECT_EQ(out.label, in.label);
            EXPECT_EQ(out.word_count, words);
            EXPECT_EQ(out.cap_count, caps);
            for (uint32_t i = 0; i < SYS_MSG_MAX_WORDS; i++) {
                EXPECT_EQ(out.words[i], i < words ? in.words[i] : 0);
            }
            for (uint32_t i = 0; i < SYS_MSG_MAX_CAPS; i++) {
                EXPECT_EQ(out.caps[i], i < caps ? in.caps[i] : HANDLE_NONE);
            }
        }
    }
}

} // namespace
