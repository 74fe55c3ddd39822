// Tests for kernel/sched: priority order, round robin within a priority over
// many ticks, preemption on wake-up, yield, block/unblock, remove in every
// state, terminal states, idle, every error path (with no effect: the whole
// scheduler compared byte for byte), and the invariants after every step of
// seeded random sequences.

#include "kernel/sched/sched.h"

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "kernel/abi/status.h"
#include "gtest/gtest.h"

namespace {

static_assert(SCHED_IDLE_ID == -1, "a host header redefined SCHED_IDLE_ID");

class SchedTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        sched_init(&s_);
        ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
    }

    /** Adds id at priority and checks the invariants. */
    void Add(uint32_t id, uint32_t priority)
    {
        ASSERT_EQ(sched_add(&s_, id, priority), STATUS_OK);
        ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
    }

    /** Picks, checks the invariants and returns the pick. */
    int32_t Pick()
    {
        int32_t id = sched_pick_next(&s_);
        EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
        EXPECT_EQ(sched_current(&s_), id);
        return id;
    }

    /** Runs one tick, picking when the scheduler asks; returns the entity that ran. */
    int32_t RunTick()
    {
        int32_t ran = sched_current(&s_);
        if (sched_tick(&s_)) {
            Pick();
        }
        EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
        return ran;
    }

    /** Expects status err from a call and no change at all to the scheduler. */
    template <typename F> void ExpectRejected(F call)
    {
        sched before;
        std::memcpy(&before, &s_, sizeof(before));
        EXPECT_EQ(call(), STATUS_INVALID_ARGUMENT);
        EXPECT_EQ(std::memcmp(&before, &s_, sizeof(before)), 0);
    }

    sched s_;
};

TEST_F(SchedTest, InitIsIdleAndEmpty)
{
    EXPECT_EQ(sched_current(&s_), SCHED_IDLE_ID);
    EXPECT_EQ(sched_ready_count(&s_), 0u);
    EXPECT_FALSE(sched_should_preempt(&s_));
    EXPECT_FALSE(sched_tick(&s_));
    EXPECT_EQ(Pick(), SCHED_IDLE_ID);
    for (uint32_t id = 0; id < SCHED_MAX_ENTITIES; id++) {
        EXPECT_EQ(sched_state(&s_, id), SCHED_UNUSED);
    }
    EXPECT_EQ(sched_state(&s_, SCHED_MAX_ENTITIES), SCHED_UNUSED);
}

TEST_F(SchedTest, PicksHighestPriorityFirst)
{
    Add(0, 3);
    Add(1, 10);
    Add(2, 0);
    Add(3, SCHED_PRIORITIES - 1);
    EXPECT_EQ(sched_ready_count(&s_), 4u);
    EXPECT_TRUE(sched_should_preempt(&s_));
    EXPECT_EQ(Pick(), 3);
    EXPECT_EQ(sched_state(&s_, 3), SCHED_RUNNING);
    EXPECT_EQ(sched_ready_count(&s_), 3u);
    const int32_t order[] = {1, 0, 2};
    for (int32_t want : order) {
        ASSERT_EQ(sched_block(&s_, static_cast<uint32_t>(sched_current(&s_))), STATUS_OK);
        EXPECT_EQ(sched_current(&s_), SCHED_IDLE_ID);
        EXPECT_EQ(Pick(), want);
    }
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    EXPECT_EQ(Pick(), SCHED_IDLE_ID);
}

TEST_F(SchedTest, KeepsCurrentWhileSliceLasts)
{
    Add(0, 5);
    Add(1, 5);
    EXPECT_EQ(Pick(), 0);
    for (int i = 0; i < SCHED_SLICE_TICKS - 1; i++) {
        EXPECT_FALSE(sched_tick(&s_));
        EXPECT_EQ(Pick(), 0);
    }
    EXPECT_TRUE(sched_tick(&s_));
    EXPECT_EQ(Pick(), 1);
    EXPECT_EQ(sched_state(&s_, 0), SCHED_READY);
}

TEST_F(SchedTest, LoneEntityGetsFreshSliceWithoutSwitch)
{
    Add(0, 5);
    Add(1, 2);
    EXPECT_EQ(Pick(), 0);
    for (int i = 0; i < 3 * SCHED_SLICE_TICKS; i++) {
        EXPECT_FALSE(sched_tick(&s_));
    }
    EXPECT_EQ(Pick(), 0);
    EXPECT_EQ(sched_state(&s_, 1), SCHED_READY);
}

TEST_F(SchedTest, RoundRobinGivesEqualTurns)
{
    Add(0, 7);
    Add(1, 7);
    Add(2, 7);
    Add(3, 1); // Never runs while the three are ready.
    Pick();
    int turns[4] = {};
    int32_t last = -2;
    int picks[4] = {};
    for (int t = 0; t < 300; t++) {
        int32_t ran = RunTick();
        ASSERT_GE(ran, 0);
        turns[ran]++;
        if (ran != last) {
            picks[ran]++;
            last = ran;
        }
    }
    EXPECT_EQ(turns[0], 100);
    EXPECT_EQ(turns[1], 100);
    EXPECT_EQ(turns[2], 100);
    EXPECT_EQ(turns[3], 0);
    EXPECT_EQ(picks[0], 20);
    EXPECT_EQ(picks[1], 20);
    EXPECT_EQ(picks[2], 20);
}

TEST_F(SchedTest, UnblockOfMoreUrgentPreempts)
{
    Add(0, 4);
    Add(1, 9);
    ASSERT_EQ(sched_block(&s_, 1), STATUS_OK);
    EXPECT_EQ(Pick(), 0);
    EXPECT_FALSE(sched_should_preempt(&s_));
    ASSERT_EQ(sched_unblock(&s_, 1), STATUS_OK);
    EXPECT_TRUE(sched_should_preempt(&s_));
    EXPECT_EQ(Pick(), 1);
    // The preempted entity waits at the tail of its queue, READY.
    EXPECT_EQ(sched_state(&s_, 0), SCHED_READY);
}

TEST_F(SchedTest, UnblockOfEqualOrLowerDoesNotPreempt)
{
    Add(0, 4);
    Add(1, 4);
    Add(2, 3);
    ASSERT_EQ(sched_block(&s_, 1), STATUS_OK);
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    EXPECT_EQ(Pick(), 0);
    ASSERT_EQ(sched_unblock(&s_, 1), STATUS_OK);
    ASSERT_EQ(sched_unblock(&s_, 2), STATUS_OK);
    EXPECT_FALSE(sched_should_preempt(&s_));
    EXPECT_EQ(Pick(), 0);
}

TEST_F(SchedTest, PreemptedByUrgentGoesToTail)
{
    Add(0, 4);
    Add(1, 4);
    Add(2, 9);
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    EXPECT_EQ(Pick(), 0);
    ASSERT_EQ(sched_unblock(&s_, 2), STATUS_OK);
    EXPECT_EQ(Pick(), 2);
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    EXPECT_EQ(Pick(), 1); // 0 went behind 1.
}

TEST_F(SchedTest, YieldRotatesWithinPriority)
{
    Add(0, 2);
    Add(1, 2);
    EXPECT_EQ(Pick(), 0);
    sched_yield_current(&s_);
    EXPECT_EQ(sched_current(&s_), SCHED_IDLE_ID);
    EXPECT_EQ(sched_state(&s_, 0), SCHED_READY);
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
    EXPECT_EQ(Pick(), 1);
    sched_yield_current(&s_);
    EXPECT_EQ(Pick(), 0);
}

TEST_F(SchedTest, YieldAloneRunsAgainAndYieldWhenIdleDoesNothing)
{
    sched before;
    std::memcpy(&before, &s_, sizeof(before));
    sched_yield_current(&s_);
    EXPECT_EQ(std::memcmp(&before, &s_, sizeof(before)), 0);
    Add(0, 2);
    EXPECT_EQ(Pick(), 0);
    sched_yield_current(&s_);
    EXPECT_EQ(Pick(), 0);
}

TEST_F(SchedTest, BlockAndUnblock)
{
    Add(0, 1);
    Add(1, 1);
    ASSERT_EQ(sched_block(&s_, 1), STATUS_OK); // READY -> BLOCKED
    EXPECT_EQ(sched_state(&s_, 1), SCHED_BLOCKED);
    EXPECT_EQ(sched_ready_count(&s_), 1u);
    EXPECT_EQ(Pick(), 0);
    ASSERT_EQ(sched_block(&s_, 0), STATUS_OK); // RUNNING -> BLOCKED
    EXPECT_EQ(sched_current(&s_), SCHED_IDLE_ID);
    EXPECT_EQ(Pick(), SCHED_IDLE_ID);
    ASSERT_EQ(sched_unblock(&s_, 0), STATUS_OK);
    ASSERT_EQ(sched_unblock(&s_, 1), STATUS_OK);
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
    EXPECT_EQ(Pick(), 0); // FIFO in wake-up order.
    sched_yield_current(&s_);
    EXPECT_EQ(Pick(), 1);
}

TEST_F(SchedTest, RemoveInEveryState)
{
    Add(0, 3);
    Add(1, 3);
    Add(2, 3);
    Add(3, 3);
    EXPECT_EQ(Pick(), 0);
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    ASSERT_EQ(sched_set_faulted(&s_, 3), STATUS_OK);
    ASSERT_EQ(sched_remove(&s_, 0), STATUS_OK); // running
    EXPECT_EQ(sched_current(&s_), SCHED_IDLE_ID);
    ASSERT_EQ(sched_remove(&s_, 2), STATUS_OK); // blocked
    ASSERT_EQ(sched_remove(&s_, 3), STATUS_OK); // faulted
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
    EXPECT_EQ(Pick(), 1);
    Add(0, 3);
    sched_yield_current(&s_);
    ASSERT_EQ(sched_remove(&s_, 1), STATUS_OK); // ready
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
    EXPECT_EQ(Pick(), 0);
    for (uint32_t id = 1; id < 4; id++) {
        EXPECT_EQ(sched_state(&s_, id), SCHED_UNUSED);
    }
    // A removed slot can be added again.
    Add(2, 30);
    EXPECT_EQ(Pick(), 2);
}

TEST_F(SchedTest, FaultedAndExitedAreNeverPicked)
{
    Add(0, 31);
    Add(1, 31);
    Add(2, 31);
    Add(3, 0);
    EXPECT_EQ(Pick(), 0);
    ASSERT_EQ(sched_set_faulted(&s_, 0), STATUS_OK); // running
    ASSERT_EQ(sched_set_exited(&s_, 1), STATUS_OK);  // ready
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    ASSERT_EQ(sched_set_exited(&s_, 2), STATUS_OK); // blocked
    EXPECT_EQ(sched_current(&s_), SCHED_IDLE_ID);
    for (int t = 0; t < 50; t++) {
        EXPECT_EQ(RunTick() == 3 || t == 0, true);
    }
    EXPECT_EQ(sched_current(&s_), 3);
    EXPECT_EQ(sched_state(&s_, 0), SCHED_FAULTED);
    EXPECT_EQ(sched_state(&s_, 1), SCHED_EXITED);
    EXPECT_EQ(sched_state(&s_, 2), SCHED_EXITED);
}

TEST_F(SchedTest, SetPriority)
{
    Add(0, 5);
    Add(1, 5);
    Add(2, 5);
    ASSERT_EQ(sched_set_priority(&s_, 0, 5), STATUS_OK); // same priority: to the tail
    EXPECT_EQ(Pick(), 1);
    ASSERT_EQ(sched_set_priority(&s_, 2, 6), STATUS_OK); // ready entity moves up
    EXPECT_TRUE(sched_should_preempt(&s_));
    EXPECT_EQ(Pick(), 2);
    ASSERT_EQ(sched_set_priority(&s_, 2, 1), STATUS_OK); // running entity drops
    EXPECT_EQ(sched_current(&s_), 2);
    EXPECT_TRUE(sched_should_preempt(&s_));
    EXPECT_EQ(Pick(), 0);
    ASSERT_EQ(sched_block(&s_, 1), STATUS_OK);
    ASSERT_EQ(sched_set_priority(&s_, 1, 20), STATUS_OK); // blocked keeps it for later
    ASSERT_EQ(sched_unblock(&s_, 1), STATUS_OK);
    EXPECT_EQ(Pick(), 1);
}

TEST_F(SchedTest, ErrorsHaveNoEffect)
{
    Add(0, 5);
    Add(1, 5);
    Add(2, 5);
    Add(3, 5);
    Pick(); // 0 running
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    ASSERT_EQ(sched_set_exited(&s_, 3), STATUS_OK);
    const uint32_t bad_id = SCHED_MAX_ENTITIES;
    const uint32_t huge = UINT32_MAX;
    const uint32_t unused = 9;

    ExpectRejected([&] { return sched_add(&s_, bad_id, 0); });
    ExpectRejected([&] { return sched_add(&s_, huge, 0); });
    ExpectRejected([&] { return sched_add(&s_, unused, SCHED_PRIORITIES); });
    ExpectRejected([&] { return sched_add(&s_, unused, huge); });
    for (uint32_t id = 0; id < 4; id++) { // in use, in every state
        ExpectRejected([&] { return sched_add(&s_, id, 1); });
    }

    ExpectRejected([&] { return sched_remove(&s_, bad_id); });
    ExpectRejected([&] { return sched_remove(&s_, unused); });

    ExpectRejected([&] { return sched_block(&s_, bad_id); });
    ExpectRejected([&] { return sched_block(&s_, unused); });
    ExpectRejected([&] { return sched_block(&s_, 2); }); // blocked already
    ExpectRejected([&] { return sched_block(&s_, 3); }); // exited

    ExpectRejected([&] { return sched_unblock(&s_, bad_id); });
    ExpectRejected([&] { return sched_unblock(&s_, unused); });
    ExpectRejected([&] { return sched_unblock(&s_, 0); }); // running
    ExpectRejected([&] { return sched_unblock(&s_, 1); }); // ready
    ExpectRejected([&] { return sched_unblock(&s_, 3); }); // exited

    for (uint32_t id : {bad_id, unused, 3u}) {
        ExpectRejected([&] { return sched_set_faulted(&s_, id); });
        ExpectRejected([&] { return sched_set_exited(&s_, id); });
    }

    ExpectRejected([&] { return sched_set_priority(&s_, bad_id, 1); });
    ExpectRejected([&] { return sched_set_priority(&s_, unused, 1); });
    ExpectRejected([&] { return sched_set_priority(&s_, 1, SCHED_PRIORITIES); });
    ExpectRejected([&] { return sched_set_priority(&s_, 0, huge); });

    ASSERT_EQ(sched_set_faulted(&s_, 1), STATUS_OK);
    ExpectRejected([&] { return sched_set_exited(&s_, 1); }); // terminal already
    ExpectRejected([&] { return sched_set_faulted(&s_, 1); });
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
}

/** The result of block(from), unblock(to), pick_next() on a copy of s_, or false. */
static bool SlowHandoff(const sched &s, uint32_t from, uint32_t to, sched *out)
{
    std::memcpy(out, &s, sizeof(*out));
    return sched_block(out, from) == STATUS_OK && sched_unblock(out, to) == STATUS_OK &&
           sched_pick_next(out) == static_cast<int32_t>(to);
}

/**
 * A handoff is exactly block, unblock and pick whenever that pick chooses the
 * woken entity, and is refused with no effect whenever it would not, or from
 * is not the one running.
 */
TEST_F(SchedTest, HandoffIsBlockUnblockPick)
{
    for (uint32_t seed = 1; seed <= 8; seed++) {
        sched_init(&s_);
        std::mt19937 rng(seed);
        uint32_t done = 0;
        for (int step = 0; step < 3000; step++) {
            uint32_t id = rng() % 12;
            switch (rng() % 6) {
            case 0:
                (void)sched_add(&s_, id, rng() % 4);
                break;
            case 1:
                (void)sched_block(&s_, id);
                break;
            case 2:
                (void)sched_unblock(&s_, id);
                break;
            case 3:
                (void)sched_pick_next(&s_);
                break;
            default: {
                int32_t cur = sched_current(&s_);
                uint32_t from = cur >= 0 ? static_cast<uint32_t>(cur) : id;
                sched want;
                // (from == id: slow path picks it again, but it is not BLOCKED to hand to.)
                bool ok = cur == static_cast<int32_t>(from) && from != id &&
                          SlowHandoff(s_, from, id, &want);
                sched before;
                std::memcpy(&before, &s_, sizeof(before));
                status_t st = sched_handoff(&s_, from, id);
                ASSERT_EQ(st, ok ? STATUS_OK : STATUS_INVALID_ARGUMENT)
                    << "seed " << seed << " step " << step;
                ASSERT_EQ(std::memcmp(ok ? &want : &before, &s_, sizeof(s_)), 0);
                done += ok;
                break;
            }
            }
            ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
        }
        EXPECT_GE(done, 10u) << "seed " << seed; // the success path was exercised
    }
}

TEST_F(SchedTest, HandoffRefusals)
{
    Add(0, 5);
    Add(1, 5);
    Add(2, 4);
    ASSERT_EQ(Pick(), 0);
    ASSERT_EQ(sched_block(&s_, 1), STATUS_OK);
    ASSERT_EQ(sched_block(&s_, 2), STATUS_OK);
    ExpectRejected([&] { return sched_handoff(&s_, 1, 2); }); // from is not running
    ExpectRejected([&] { return sched_handoff(&s_, 0, 0); }); // to is not BLOCKED
    ExpectRejected([&] { return sched_handoff(&s_, 0, SCHED_MAX_ENTITIES); });
    ExpectRejected([&] { return sched_handoff(&s_, SCHED_MAX_ENTITIES, 1); });
    Add(3, 4);
    ExpectRejected([&] { return sched_handoff(&s_, 0, 2); }); // 3 is as urgent as 2
    ASSERT_EQ(sched_handoff(&s_, 0, 1), STATUS_OK);           // 3 is less urgent than 1
    EXPECT_EQ(sched_current(&s_), 1);
    EXPECT_EQ(sched_state(&s_, 0), SCHED_BLOCKED);
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
}

TEST_F(SchedTest, InvariantCheckCatchesCorruption)
{
    Add(0, 5);
    Add(1, 5);
    Add(2, 6);
    Pick();
    sched good;
    std::memcpy(&good, &s_, sizeof(good));

    s_.ready_mask ^= 1u << 3; // bitmap bit for an empty queue
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    std::memcpy(&s_, &good, sizeof(good));
    s_.entity[1].next = 0; // a cycle 0 -> 1 -> 0
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    std::memcpy(&s_, &good, sizeof(good));
    s_.entity[1].priority = 4; // queued under the wrong priority
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    std::memcpy(&s_, &good, sizeof(good));
    s_.ready_count++;
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    std::memcpy(&s_, &good, sizeof(good));
    s_.current = 0; // a READY entity as current
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    std::memcpy(&s_, &good, sizeof(good));
    s_.entity[9].state = SCHED_READY; // READY but in no queue
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    std::memcpy(&s_, &good, sizeof(good));
    s_.queue[5].tail = 0; // tail is not the last
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    std::memcpy(&s_, &good, sizeof(good));
    s_.entity[2].slice = SCHED_SLICE_TICKS + 1;
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
}

// Affinity (issue 15): an entity bound to some CPUs is only taken by them;
// each CPU takes the first entity it may run, in priority order.
TEST_F(SchedTest, AnEntityIsOnlyTakenByTheCpusItIsBoundTo)
{
    Add(1, 5);
    Add(2, 5);
    Add(3, 2);
    ASSERT_EQ(sched_set_affinity(&s_, 1, 1u << 1), STATUS_OK); // CPU 1 only
    ASSERT_EQ(sched_set_affinity(&s_, 2, 1u << 1), STATUS_OK);
    ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
    // CPU 0 passes over 1 and 2, more urgent, for 3.
    sched_set_cpu(&s_, 0);
    EXPECT_EQ(sched_ready_head(&s_), 3);
    EXPECT_EQ(sched_ready_top_on(&s_, 0), 2);
    EXPECT_EQ(sched_ready_top_on(&s_, 1), 5);
    EXPECT_EQ(Pick(), 3);
    EXPECT_EQ(sched_cpu_leave(&s_), 3);
    // With 3 on CPU 0, CPU 0 has nothing it may run: idle, nothing taken.
    EXPECT_EQ(sched_ready_top_on(&s_, 0), -1);
    EXPECT_EQ(Pick(), SCHED_IDLE_ID);
    EXPECT_EQ(sched_ready_count(&s_), 2u);
    // CPU 1 takes them in their order.
    sched_set_cpu(&s_, 1);
    EXPECT_EQ(Pick(), 1);
    EXPECT_EQ(sched_block_next(&s_, 1), 2);
    ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
    // A handoff or preemption to an entity bound elsewhere is refused.
    sched_set_cpu(&s_, 0);
    ASSERT_EQ(sched_cpu_leave(&s_), 2);
    ASSERT_EQ(sched_cpu_enter(&s_, 3), 3);
    EXPECT_EQ(sched_handoff(&s_, 3, 1), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(sched_preempt_to(&s_, 3, 1), STATUS_INVALID_ARGUMENT);
    // Blocking with only entities bound elsewhere READY changes nothing.
    ASSERT_EQ(sched_unblock(&s_, 1), STATUS_OK);
    EXPECT_EQ(sched_block_next(&s_, 3), SCHED_IDLE_ID);
    EXPECT_EQ(sched_current(&s_), 3);
    ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
}

TEST_F(SchedTest, AnEmptyAffinityIsRefused)
{
    Add(1, 5);
    EXPECT_EQ(sched_set_affinity(&s_, 1, 0), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(sched_set_affinity(&s_, 9, 1), STATUS_INVALID_ARGUMENT); // unused
    EXPECT_EQ(sched_set_affinity(&s_, SCHED_MAX_ENTITIES, 1), STATUS_INVALID_ARGUMENT);
    sched_set_cpu(&s_, 5);
    EXPECT_EQ(Pick(), 1);               // still any CPU
    sched_set_cpu(&s_, SCHED_MAX_CPUS); // out of range: CPU 0
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
    // A broken field is caught: an entity in use with no CPU.
    s_.entity[1].affinity = 0;
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    s_.entity[1].affinity = 1; // bound, but not counted
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
    s_.bound = 1;
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_OK);
    s_.cpu = SCHED_MAX_CPUS;
    EXPECT_EQ(sched_check_invariants(&s_), STATUS_BAD_FORMAT);
}

/**
 * Seeded random operations, valid and invalid, on a few ids (so that
 * collisions are common): the invariants hold after each, a failing call
 * changes nothing, and a picked entity is always one of the most urgent.
 */
// Several CPUs (issue 15): a CPU leaving the kernel parks its current
// entity ON_CPU; another CPU's entity can then run; the first comes back
// to the same entity, unless it was stopped meanwhile.
TEST_F(SchedTest, LeavingTheKernelParksTheCurrentOnItsCpu)
{
    Add(1, 3);
    Add(2, 3);
    ASSERT_EQ(Pick(), 1);
    EXPECT_EQ(sched_cpu_leave(&s_), 1); // CPU A leaves, running 1
    ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
    EXPECT_EQ(sched_current(&s_), SCHED_IDLE_ID);
    EXPECT_TRUE(sched_on_other_cpu(&s_, 1));
    EXPECT_EQ(sched_state(&s_, 1), SCHED_RUNNING); // to the rest of the kernel
    EXPECT_EQ(Pick(), 2);                          // CPU B takes the next
    EXPECT_EQ(sched_cpu_leave(&s_), 2);
    EXPECT_EQ(sched_cpu_enter(&s_, 1), 1); // CPU A is back
    ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
    EXPECT_FALSE(sched_on_other_cpu(&s_, 1));
    EXPECT_TRUE(sched_on_other_cpu(&s_, 2));
    // A CPU that ran nothing leaves and comes back to nothing.
    EXPECT_EQ(sched_cpu_leave(&s_), 1);
    EXPECT_EQ(sched_cpu_enter(&s_, SCHED_IDLE_ID), SCHED_IDLE_ID);
    EXPECT_EQ(sched_cpu_leave(&s_), SCHED_IDLE_ID);
}

TEST_F(SchedTest, AnEntityStoppedOnAnotherCpuIsGoneWhenItsCpuComesBack)
{
    for (int how = 0; how < 3; how++) {
        sched_init(&s_);
        Add(1, 3);
        ASSERT_EQ(Pick(), 1);
        ASSERT_EQ(sched_cpu_leave(&s_), 1);
        status_t st = how == 0   ? sched_set_faulted(&s_, 1)
                      : how == 1 ? sched_set_exited(&s_, 1)
                                 : sched_remove(&s_, 1);
        ASSERT_EQ(st, STATUS_OK) << how;
        ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
        EXPECT_EQ(sched_cpu_enter(&s_, 1), SCHED_IDLE_ID) << how;
        EXPECT_FALSE(sched_on_other_cpu(&s_, 1));
    }
}

TEST_F(SchedTest, WhatAnEntityOnAnotherCpuRefuses)
{
    Add(1, 3);
    Add(2, 5);
    ASSERT_EQ(Pick(), 2);
    ASSERT_EQ(sched_cpu_leave(&s_), 2);
    ASSERT_EQ(Pick(), 1);
    // It blocks itself on its own CPU, is woken only from BLOCKED, and is
    // no one's to hand the CPU to or from here.
    ExpectRejected([&] { return sched_block(&s_, 2); });
    ExpectRejected([&] { return sched_unblock(&s_, 2); });
    ExpectRejected([&] { return sched_handoff(&s_, 2, 1); });
    ExpectRejected([&] { return sched_add(&s_, 2, 1); });
    // A CPU comes back only to what is ON_CPU, and only with none current.
    sched before;
    std::memcpy(&before, &s_, sizeof(before));
    EXPECT_EQ(sched_cpu_enter(&s_, 2), 1); // 1 is current: nothing changes
    EXPECT_EQ(std::memcmp(&before, &s_, sizeof(before)), 0);
    // Its priority may change while it runs elsewhere.
    EXPECT_EQ(sched_set_priority(&s_, 2, 7), STATUS_OK);
    EXPECT_TRUE(sched_on_other_cpu(&s_, 2));
    ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK);
}

TEST_F(SchedTest, RandomSequencesKeepInvariants)
{
    for (uint32_t seed = 1; seed <= 8; seed++) {
        sched_init(&s_);
        std::mt19937 rng(seed);
        std::vector<int32_t> other_cpus; // what other CPUs ran when they left
        for (int step = 0; step < 4000; step++) {
            uint32_t op = rng() % 13;
            uint32_t id = rng() % 20; // 0..19: some out of range when > 15
            id = id >= 16 ? SCHED_MAX_ENTITIES + id : id;
            uint32_t prio = rng() % (SCHED_PRIORITIES + 2);
            sched before;
            std::memcpy(&before, &s_, sizeof(before));
            status_t st = STATUS_OK;
            switch (op) {
            case 0:
                st = sched_add(&s_, id, prio % 4);
                break;
            case 1:
                st = sched_remove(&s_, id);
                break;
            case 2:
                st = sched_block(&s_, id);
                break;
            case 3:
                st = sched_unblock(&s_, id);
                break;
            case 4:
                st = (rng() % 2) ? sched_set_faulted(&s_, id) : sched_set_exited(&s_, id);
                break;
            case 5:
                st = sched_set_priority(&s_, id, prio);
                break;
            case 6:
                sched_yield_current(&s_);
                break;
            case 7:
                (void)sched_tick(&s_);
                break;
            case 9: {
                // Another CPU's turn: this one's current goes ON_CPU, and
                // one that left earlier comes back (or a stray id).
                int32_t left = sched_cpu_leave(&s_);
                if (left != SCHED_IDLE_ID) {
                    other_cpus.push_back(left);
                }
                if (!other_cpus.empty() && rng() % 2 == 0) {
                    size_t k = rng() % other_cpus.size();
                    int32_t back = other_cpus[k];
                    other_cpus.erase(other_cpus.begin() + static_cast<std::ptrdiff_t>(k));
                    bool still = sched_on_other_cpu(&s_, static_cast<uint32_t>(back));
                    int32_t cur = sched_cpu_enter(&s_, back);
                    ASSERT_EQ(cur, still ? back : SCHED_IDLE_ID);
                }
                break;
            }
            case 8: {
                // From the current entity, mostly; sometimes from any id.
                int32_t cur = sched_current(&s_);
                uint32_t from = (cur >= 0 && rng() % 4 != 0) ? static_cast<uint32_t>(cur) : id;
                st = sched_handoff(&s_, from, rng() % 16);
                break;
            }
            default: {
                int32_t got = sched_pick_next(&s_);
                if (got != SCHED_IDLE_ID) {
                    // Nothing READY is more urgent than what runs.
                    for (uint32_t i = 0; i < SCHED_MAX_ENTITIES; i++) {
                        if (sched_state(&s_, i) == SCHED_READY) {
                            ASSERT_LE(s_.entity[i].priority, s_.entity[got].priority);
                        }
                    }
                } else {
                    ASSERT_EQ(sched_ready_count(&s_), 0u);
                }
                break;
            }
            }
            ASSERT_EQ(sched_check_invariants(&s_), STATUS_OK)
                << "seed " << seed << " step " << step;
            if (st != STATUS_OK) {
                ASSERT_EQ(st, STATUS_INVALID_ARGUMENT);
                ASSERT_EQ(std::memcmp(&before, &s_, sizeof(before)), 0);
            }
        }
    }
}

/**
 * The fast paths' one-step calls against the calls they stand for, on
 * random schedulers: sched_yield_next is sched_yield_current then
 * sched_pick_next; sched_preempt_to(from, to) is sched_unblock(to) then
 * sched_pick_next when it accepts, and changes nothing when it refuses;
 * sched_block_next(from) is sched_block(from) then sched_pick_next when it
 * accepts; sched_keeps says whether sched_pick_next changes nothing;
 * sched_ready_head is what sched_pick_next takes with none current.
 */
TEST(SchedFastTest, OneStepCallsEqualTheCallsTheyStandFor)
{
    std::mt19937 rng(7);
    uint32_t accepted[3] = {};
    for (int round = 0; round < 6000; round++) {
        sched s;
        sched_init(&s);
        const uint32_t n = 2 + rng() % 8;
        for (uint32_t id = 0; id < n; id++) {
            ASSERT_EQ(STATUS_OK, sched_add(&s, id, rng() % 4));
        }
        for (int i = 0; i < 12; i++) { // a random history
            const uint32_t id = rng() % n;
            switch (rng() % 4) {
            case 0:
                (void)sched_block(&s, id);
                break;
            case 1:
                (void)sched_unblock(&s, id);
                break;
            case 2:
                (void)sched_tick(&s);
                break;
            default:
                (void)sched_pick_next(&s);
                break;
            }
        }
        ASSERT_EQ(STATUS_OK, sched_check_invariants(&s));
        sched fast = s;
        sched slow = s;
        const uint32_t from = s.current < 0 ? 0 : static_cast<uint32_t>(s.current);
        const uint32_t to = rng() % n;
        switch (rng() % 3) {
        case 0: {
            const int32_t next = sched_yield_next(&fast);
            if (s.current >= 0) {
                sched_yield_current(&slow);
                ASSERT_EQ(sched_pick_next(&slow), next);
                accepted[0]++;
            }
            break;
        }
        case 1:
            if (sched_preempt_to(&fast, from, to) == STATUS_OK) {
                ASSERT_EQ(STATUS_OK, sched_unblock(&slow, to));
                ASSERT_EQ(static_cast<int32_t>(to), sched_pick_next(&slow));
                accepted[1]++;
            }
            break;
        default: {
            const int32_t next = sched_block_next(&fast, from);
            if (next >= 0) {
                ASSERT_EQ(STATUS_OK, sched_block(&slow, from));
                ASSERT_EQ(sched_pick_next(&slow), next);
                accepted[2]++;
            }
            break;
        }
        }
        ASSERT_EQ(0, std::memcmp(&fast, &slow, sizeof(sched))) << "round " << round;
        ASSERT_EQ(STATUS_OK, sched_check_invariants(&fast));
        // sched_keeps and sched_ready_head change nothing and say what the pick would do.
        sched picked = s;
        const int32_t head = sched_ready_head(&s);
        if (s.current < 0) {
            ASSERT_EQ(head, sched_pick_next(&picked));
        } else {
            const bool keeps = sched_keeps(&s, from);
            (void)sched_pick_next(&picked);
            ASSERT_EQ(keeps, std::memcmp(&picked, &s, sizeof(sched)) == 0) << "round " << round;
        }
    }
    EXPECT_GT(accepted[0], 200u);
    EXPECT_GT(accepted[1], 30u);
    EXPECT_GT(accepted[2], 200u);
}

} // namespace
