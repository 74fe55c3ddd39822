// Tests for the process manager's records (procmgr_table.h) and the list
// entry's packing (procmgr.h): ids, reuse of ended slots only, watch bits,
// the list cursor, names cut to fit.

#include "userland/procmgr/procmgr_table.h"

#include <string>

#include "userland/procmgr/procmgr.h"

#include "gtest/gtest.h"

namespace {

class TableTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        procmgr_table_init(&t_);
    }

    uint32_t Add(const char *name, uint32_t priority = 20, handle_t task = 0x10005)
    {
        int i = procmgr_table_take(&t_);
        EXPECT_GE(i, 0);
        return procmgr_table_fill(&t_, i, name, priority, task, task + 1);
    }

    procmgr_table t_;
};

TEST_F(TableTest, IdsStartAtOneAndListInSlotOrder)
{
    EXPECT_EQ(1u, Add("init", 16, HANDLE_NONE));
    EXPECT_EQ(2u, Add("procmgr", 18, HANDLE_NONE));
    EXPECT_EQ(3u, Add("hello"));
    procmgr_entry e{};
    ASSERT_TRUE(procmgr_table_next(&t_, 0, &e));
    EXPECT_EQ(1u, e.id);
    EXPECT_STREQ("init", e.name);
    EXPECT_EQ(16u, e.priority);
    EXPECT_EQ((uint32_t)PROCMGR_STATE_RUNNING, e.state);
    ASSERT_TRUE(procmgr_table_next(&t_, e.next, &e));
    EXPECT_STREQ("procmgr", e.name);
    ASSERT_TRUE(procmgr_table_next(&t_, e.next, &e));
    EXPECT_STREQ("hello", e.name);
    EXPECT_EQ(3u, e.next);
    EXPECT_FALSE(procmgr_table_next(&t_, e.next, &e));
    EXPECT_FALSE(procmgr_table_next(&t_, PROCMGR_MAX_RECORDS, &e));
    EXPECT_FALSE(procmgr_table_next(&t_, 1000, &e));
}

TEST_F(TableTest, EndedBitsMarkOnlyRunningRecords)
{
    Add("a");
    Add("b");
    Add("c");
    // Bit 1 is b's; bit 7 names a free slot and is ignored.
    EXPECT_EQ(procmgr_table_bit(1), procmgr_table_ended(&t_, procmgr_table_bit(1) | (1ull << 7)));
    EXPECT_EQ((uint32_t)PROCMGR_STATE_ENDED, t_.records[1].state);
    EXPECT_EQ((uint32_t)PROCMGR_STATE_RUNNING, t_.records[0].state);
    EXPECT_EQ(0u, procmgr_table_ended(&t_, procmgr_table_bit(1))) << "already ended";
    // A killed record keeps its state whatever bit comes later.
    t_.records[2].state = PROCMGR_STATE_KILLED;
    EXPECT_EQ(0u, procmgr_table_ended(&t_, procmgr_table_bit(2)));
    EXPECT_EQ((uint32_t)PROCMGR_STATE_KILLED, t_.records[2].state);
    EXPECT_EQ(0u, procmgr_table_ended(&t_, ~0ull & ~procmgr_table_bit(0) & ~procmgr_table_bit(1) &
                                               ~procmgr_table_bit(2)));
}

TEST_F(TableTest, FullOfRunningTasksTakesNothingThenReusesTheOldestEnded)
{
    for (int i = 0; i < PROCMGR_MAX_RECORDS; i++) {
        Add("t");
    }
    EXPECT_EQ(-1, procmgr_table_take(&t_)) << "every task runs";
    procmgr_table_ended(&t_, procmgr_table_bit(9) | procmgr_table_bit(4));
    EXPECT_EQ(4, procmgr_table_take(&t_)) << "the ended record with the lowest id";
    const uint32_t id = procmgr_table_fill(&t_, 4, "new", 20, 0x10009, 0x1000a);
    EXPECT_EQ((uint32_t)PROCMGR_MAX_RECORDS + 1, id) << "ids are never reused";
    EXPECT_EQ(4, procmgr_table_find(&t_, id));
    EXPECT_EQ(-1, procmgr_table_find(&t_, 5)) << "the old record is gone";
    EXPECT_EQ(9, procmgr_table_take(&t_));
}

TEST_F(TableTest, FindUnknownIds)
{
    Add("a");
    EXPECT_EQ(0, procmgr_table_find(&t_, 1));
    EXPECT_EQ(-1, procmgr_table_find(&t_, 0));
    EXPECT_EQ(-1, procmgr_table_find(&t_, 2));
    EXPECT_EQ(-1, procmgr_table_find(&t_, UINT32_MAX));
}

TEST_F(TableTest, LongNamesAreCut)
{
    const std::string name(100, 'x');
    Add(name.c_str());
    procmgr_entry e{};
    ASSERT_TRUE(procmgr_table_next(&t_, 0, &e));
    EXPECT_EQ(std::string(PROCMGR_NAME_MAX - 1, 'x'), e.name);
}

TEST(EntryTest, PackUnpackRoundTrip)
{
    procmgr_entry e{7, PROCMGR_STATE_KILLED, 20, 12, "a-23-character-name-xyz", 5};
    sys_msg msg{};
    procmgr_pack_entry(&msg, &e);
    procmgr_entry out{};
    ASSERT_TRUE(procmgr_unpack_entry(&msg, &out));
    EXPECT_EQ(7u, out.id);
    EXPECT_EQ((uint32_t)PROCMGR_STATE_KILLED, out.state);
    EXPECT_EQ(20u, out.priority);
    EXPECT_EQ(12u, out.next);
    EXPECT_STREQ("a-23-character-name-xyz", out.name);
    EXPECT_EQ(5u, out.cpu);
    e.cpu = PROCMGR_CPU_NONE;
    procmgr_pack_entry(&msg, &e);
    ASSERT_TRUE(procmgr_unpack_entry(&msg, &out));
    EXPECT_EQ((uint32_t)PROCMGR_CPU_NONE, out.cpu);
}

TEST(EntryTest, MalformedEntriesAreRefused)
{
    procmgr_entry e{1, PROCMGR_STATE_RUNNING, 20, 1, "x", 0};
    sys_msg msg{};
    procmgr_pack_entry(&msg, &e);
    procmgr_entry out{};
    sys_msg short_msg = msg;
    short_msg.word_count = 3;
    EXPECT_FALSE(procmgr_unpack_entry(&short_msg, &out));
    sys_msg bad_state = msg;
    bad_state.words[0] = (bad_state.words[0] & ~(0xffull << 32)) | (9ull << 32);
    EXPECT_FALSE(procmgr_unpack_entry(&bad_state, &out));
    // No NUL in the words: the name is still terminated.
    sys_msg full = msg;
    full.words[1] = full.words[2] = full.words[3] = 0x4141414141414141ull;
    ASSERT_TRUE(procmgr_unpack_entry(&full, &out));
    EXPECT_EQ(std::string(PROCMGR_NAME_MAX - 1, 'A'), out.name);
    EXPECT_STREQ("?", procmgr_state_name(0));
    EXPECT_STREQ("running", procmgr_state_name(PROCMGR_STATE_RUNNING));
}

} // namespace
