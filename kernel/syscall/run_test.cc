// The portable half of the trap path (run.h) on fake RAM: blocked calls
// owed their outcome, faults, ticks and the choice of the next task.

#include "kernel/syscall/run.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "hal/fake/timer_fake.h"
#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/notification.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"
#include "kernel/vm/fake_ram.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/init.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#include "gtest/gtest.h"

namespace {

class RunTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ASSERT_EQ(STATUS_OK, ram_.status);
        timer_fake_reset();
        k_ = std::make_unique<kernel_state>();
        std::memset(k_.get(), 0, sizeof(kernel_state));
        kernel_state_init(k_.get());
        kernel_state_set_frames(k_.get(), &ram_.fa);
        kernel_root_handles h{};
        ASSERT_EQ(STATUS_OK, kernel_create_root_task(k_.get(), 10, &root_, &h));
        ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), root_, 0x1000, 0x2000, 0));
        // A notification and a second task in a space of its own, holding it.
        notif_ = Call(root_, SYS_NOTIFY_CREATE, INIT_HANDLE_KERNEL).x[1];
        space_ = Call(root_, SYS_SPACE_CREATE, INIT_HANDLE_KERNEL).x[1];
        syscall_regs r = Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space_, 10, notif_);
        child_task_ = r.x[1];
        child_notif_ = r.x[2];
        child_ = 1;
        ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), child_, 0x1000, 0x2000, 7));
        ASSERT_EQ((int32_t)root_, kernel_run_next(k_.get()));
    }

    syscall_regs Call(uint32_t task, uint64_t number, uint64_t x0 = 0, uint64_t x1 = 0,
                      uint64_t x2 = 0, uint64_t x3 = 0)
    {
        syscall_regs r{};
        r.number = number;
        r.x[0] = x0;
        r.x[1] = x1;
        r.x[2] = x2;
        r.x[3] = x3;
        kernel_run_syscall(k_.get(), task, &r);
        EXPECT_EQ(0u, r.x[0]) << "call " << number;
        return r;
    }

    // Init's space reserves VM_QUOTA_MAX (1024) frames.
    fake_ram::Ram ram_{2048};
    std::unique_ptr<kernel_state> k_;
    uint32_t root_ = 0;
    uint32_t child_ = 0;
    uint64_t notif_ = 0, space_ = 0, child_task_ = 0, child_notif_ = 0;
};

TEST_F(RunTest, ABlockedCallIsOwedItsOutcomeOnce)
{
    syscall_regs wait = Call(child_, SYS_NOTIFY_WAIT, child_notif_);
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, child_));
    EXPECT_EQ(1u, k_->tasks[child_].waiting);
    // Nothing to deliver until it is woken... and the registers stay as saved.
    Call(root_, SYS_NOTIFY_SIGNAL, notif_, 0x30);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, child_));
    syscall_regs saved = wait;
    saved.x[0] = 0xdead;
    ASSERT_TRUE(kernel_run_deliver(k_.get(), child_, &saved));
    EXPECT_EQ(0u, saved.x[0]);
    EXPECT_EQ(0x30u, saved.x[1]);
    EXPECT_FALSE(kernel_run_deliver(k_.get(), child_, &saved)) << "once";
}

TEST_F(RunTest, AWokenReceiverGetsTheMessageInItsRegisters)
{
    const uint64_t ep = Call(root_, SYS_ENDPOINT_CREATE, INIT_HANDLE_KERNEL).x[1];
    syscall_regs r = Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space_, 10, ep);
    const uint32_t receiver = 2;
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), receiver, 0x1000, 0x2000, 0));
    syscall_regs recv = Call(receiver, SYS_RECV, r.x[2]);
    syscall_regs send{};
    send.number = SYS_SEND;
    send.x[0] = ep;
    send.x[1] = sys_msg_info(0x42, 2, 0);
    send.x[2] = 11;
    send.x[3] = 22;
    kernel_run_syscall(k_.get(), root_, &send);
    ASSERT_EQ(0u, send.x[0]);
    ASSERT_TRUE(kernel_run_deliver(k_.get(), receiver, &recv));
    EXPECT_EQ(0u, recv.x[0]);
    EXPECT_EQ(sys_msg_info(0x42, 2, 0), recv.x[1]);
    EXPECT_EQ(11u, recv.x[2]);
    EXPECT_EQ(22u, recv.x[3]);
    EXPECT_EQ(0u, recv.x[4]);
}

TEST_F(RunTest, AWokenReceiverGetsTheBadgeInX8)
{
    const uint64_t ep = Call(root_, SYS_ENDPOINT_CREATE, INIT_HANDLE_KERNEL).x[1];
    const uint64_t badged = Call(root_, SYS_CAP_BADGE, ep, RIGHT_SEND, 0xb0b).x[1];
    syscall_regs r = Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space_, 10, ep);
    const uint32_t receiver = 2;
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), receiver, 0x1000, 0x2000, 0));
    syscall_regs recv = Call(receiver, SYS_RECV, r.x[2]);
    syscall_regs send{};
    send.number = SYS_SEND;
    send.x[0] = badged;
    send.x[1] = sys_msg_info(0x42, 0, 0);
    kernel_run_syscall(k_.get(), root_, &send);
    ASSERT_EQ(0u, send.x[0]);
    EXPECT_EQ((uint64_t)SYS_SEND, send.number) << "the sender's x8 stays";
    ASSERT_TRUE(kernel_run_deliver(k_.get(), receiver, &recv));
    EXPECT_EQ(0u, recv.x[0]);
    EXPECT_EQ(0xb0bu, recv.number);
    EXPECT_EQ(sys_msg_info(0x42, 0, 0), recv.x[1]);
}

TEST_F(RunTest, ATaskStoppedWhileBlockedIsOwedNothing)
{
    syscall_regs wait = Call(child_, SYS_NOTIFY_WAIT, child_notif_);
    ASSERT_EQ(1u, k_->tasks[child_].waiting);
    Call(root_, SYS_CAP_DELETE, space_); // its space goes: it stops
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, child_));
    EXPECT_FALSE(kernel_run_deliver(k_.get(), child_, &wait));
}

TEST_F(RunTest, FaultsStopTheTaskAndNothingElse)
{
    kernel_run_fault(k_.get(), child_);
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, child_));
    EXPECT_EQ(SCHED_RUNNING, sched_state(&k_->sched, root_));
    EXPECT_TRUE(kernel_run_alive(k_.get()));
    kernel_run_fault(k_.get(), child_); // twice: no effect
    Call(root_, SYS_EXIT);
    EXPECT_FALSE(kernel_run_alive(k_.get()));
    EXPECT_EQ(-1, kernel_run_next(k_.get()));
}

TEST_F(RunTest, TicksEndTheSliceAndTheNextTaskRuns)
{
    EXPECT_EQ((int32_t)root_, kernel_run_next(k_.get())) << "slice left";
    kernel_run_ticks(k_.get(), SCHED_SLICE_TICKS);
    EXPECT_EQ((int32_t)child_, kernel_run_next(k_.get())) << "round robin at equal priority";
    EXPECT_EQ((int32_t)child_, k_->current);
}

TEST_F(RunTest, TheSpaceOfATask)
{
    uint32_t asid = 0;
    paddr_t root = kernel_run_space(k_.get(), child_, &asid);
    EXPECT_NE(0u, root.value);
    EXPECT_EQ(vm_space_asid(k_->tasks[child_].space.index), asid);
    Call(root_, SYS_CAP_DELETE, space_);
    EXPECT_EQ(0u, kernel_run_space(k_.get(), child_, &asid).value);
    EXPECT_EQ(0u, asid);
    EXPECT_EQ(7u, k_->tasks[child_].arg);
}

TEST_F(RunTest, AWatcherHearsOfAFaultAnExitAndAStop)
{
    const uint64_t watch = Call(root_, SYS_NOTIFY_CREATE, INIT_HANDLE_KERNEL).x[1];
    Call(root_, SYS_TASK_WATCH, child_task_, watch, 0x4);
    kernel_run_fault(k_.get(), child_);
    syscall_regs poll = Call(root_, SYS_NOTIFY_POLL, watch);
    EXPECT_EQ(0x4u, poll.x[1]) << "fault";
    kernel_run_fault(k_.get(), child_); // stopped already: no second signal
    syscall_regs again{};
    again.number = SYS_NOTIFY_POLL;
    again.x[0] = watch;
    kernel_run_syscall(k_.get(), root_, &again);
    EXPECT_EQ((uint64_t)STATUS_WOULD_BLOCK, again.x[0]);

    // A second task that exits, and a third whose space goes.
    syscall_regs r = Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space_, 10, HANDLE_NONE);
    const uint32_t exiting = 2;
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), exiting, 0x1000, 0x2000, 0));
    Call(root_, SYS_TASK_WATCH, r.x[1], watch, 0x10);
    Call(exiting, SYS_EXIT);
    EXPECT_EQ(0x10u, Call(root_, SYS_NOTIFY_POLL, watch).x[1]) << "exit";
    EXPECT_STREQ("task", k_->tasks[exiting].name);
    EXPECT_STREQ("init", k_->tasks[root_].name);
}

TEST_F(RunTest, WatchErrors)
{
    const uint64_t watch = Call(root_, SYS_NOTIFY_CREATE, INIT_HANDLE_KERNEL).x[1];
    struct Case {
        uint64_t task, notification, bits;
        status_t want;
    } cases[] = {
        {notif_, watch, 1, STATUS_WRONG_KIND},
        {child_task_, child_task_, 1, STATUS_WRONG_KIND},
        {child_task_, watch, 0, STATUS_INVALID_ARGUMENT},
        {HANDLE_NONE, watch, 1, STATUS_BAD_HANDLE},
    };
    for (const Case &c : cases) {
        syscall_regs r{};
        r.number = SYS_TASK_WATCH;
        r.x[0] = c.task;
        r.x[1] = c.notification;
        r.x[2] = c.bits;
        kernel_run_syscall(k_.get(), root_, &r);
        EXPECT_EQ((uint64_t)(uint32_t)c.want, r.x[0]);
    }
    const uint64_t no_watch = Call(root_, SYS_CAP_DERIVE, child_task_, RIGHT_CONTROL).x[1];
    const uint64_t no_send = Call(root_, SYS_CAP_DERIVE, watch, RIGHT_RECV).x[1];
    for (auto [t, n] : {std::pair<uint64_t, uint64_t>{no_watch, watch}, {child_task_, no_send}}) {
        syscall_regs r{};
        r.number = SYS_TASK_WATCH;
        r.x[0] = t;
        r.x[1] = n;
        r.x[2] = 1;
        kernel_run_syscall(k_.get(), root_, &r);
        EXPECT_EQ((uint64_t)STATUS_MISSING_RIGHT, r.x[0]);
    }
    EXPECT_EQ(0u, k_->tasks[child_].watch_set);
    // The watcher's notification gone: a fault signals nothing, and nothing breaks.
    Call(root_, SYS_TASK_WATCH, child_task_, watch, 1);
    Call(root_, SYS_CAP_DELETE, watch);
    kernel_run_fault(k_.get(), child_);
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, child_));
}

TEST_F(RunTest, WatchingATaskObjectWithNoRecordIsABadState)
{
    // A task object made without SYS_TASK_CREATE or SYS_TASK_SPAWN has no
    // kernel record (the kernel never makes one; tests can).
    obj_ref bare{};
    ASSERT_EQ(STATUS_OK, obj_alloc(&k_->caps.objects, OBJECT_TASK, &bare));
    handle_t h = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_insert_new(&k_->caps, root_, bare, RIGHTS_ALL, &h));
    const uint64_t watch = Call(root_, SYS_NOTIFY_CREATE, INIT_HANDLE_KERNEL).x[1];
    syscall_regs r{};
    r.number = SYS_TASK_WATCH;
    r.x[0] = h;
    r.x[1] = watch;
    r.x[2] = 1;
    kernel_run_syscall(k_.get(), root_, &r);
    EXPECT_EQ((uint64_t)STATUS_BAD_STATE, r.x[0]);
    EXPECT_EQ(0u, k_->tasks[bare.index].watch_set);
}

TEST_F(RunTest, AWaitThatTimesOutIsOwedTimedOut)
{
    timer_fake_set_count(100);
    syscall_regs wait{};
    wait.number = SYS_NOTIFY_WAIT;
    wait.x[0] = child_notif_;
    wait.x[1] = 0x77;
    wait.deadline = 150;
    kernel_run_syscall(k_.get(), child_, &wait);
    ASSERT_EQ(0u, wait.x[0]);
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, child_));
    EXPECT_EQ(150u, k_->ipc.tasks[child_].deadline);
    EXPECT_EQ(150u, timer_fake_alarm()) << "the alarm brought forward to it";
    EXPECT_EQ(150u, k_->alarm);
    EXPECT_EQ(0u, k_->ipc.now) << "scratch of the call";
    EXPECT_EQ(150u, kernel_run_timeouts(k_.get(), 149)) << "the alarm to program";
    EXPECT_EQ(150u, timer_fake_alarm());
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, child_));
    EXPECT_EQ(0u, kernel_run_timeouts(k_.get(), 150)) << "none left";
    EXPECT_EQ(0u, timer_fake_alarm()) << "no alarm without a deadline";
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, child_));
    syscall_regs saved = wait;
    ASSERT_TRUE(kernel_run_deliver(k_.get(), child_, &saved));
    EXPECT_EQ((uint64_t)STATUS_TIMED_OUT, saved.x[0]);
    EXPECT_EQ(0x77u, saved.x[1]) << "no bits on a timeout";
    EXPECT_EQ(150u, saved.deadline) << "x9 is never written";
    // A signal now is only pending: nobody waits.
    Call(root_, SYS_NOTIFY_SIGNAL, notif_, 1);
    EXPECT_EQ(1u, k_->ipc.notifications[0].pending | k_->ipc.notifications[1].pending);
}

TEST_F(RunTest, APassedDeadlineTimesOutAtOnceAndTheTaskGoesOn)
{
    timer_fake_set_count(1000);
    syscall_regs wait{};
    wait.number = SYS_NOTIFY_WAIT;
    wait.x[0] = child_notif_;
    wait.deadline = 999;
    // Not a failure to resume at once: SYS_REPLY_RECV's reply may have woken
    // a more urgent task, so the scheduler is asked.
    EXPECT_FALSE(kernel_run_syscall(k_.get(), child_, &wait));
    EXPECT_EQ((uint64_t)STATUS_TIMED_OUT, wait.x[0]);
    EXPECT_EQ(0u, k_->tasks[child_].waiting);
    EXPECT_NE(SCHED_BLOCKED, sched_state(&k_->sched, child_));
    EXPECT_EQ(0u, k_->ipc.tasks[child_].deadline);
}

TEST_F(RunTest, TheAlarmIsTheEarliestDeadline)
{
    const uint64_t ep = Call(root_, SYS_ENDPOINT_CREATE, INIT_HANDLE_KERNEL).x[1];
    timer_fake_set_count(1000);
    syscall_regs wait{};
    wait.number = SYS_NOTIFY_WAIT;
    wait.x[0] = child_notif_;
    wait.deadline = 5000;
    kernel_run_syscall(k_.get(), child_, &wait);
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, child_));
    EXPECT_EQ(5000u, timer_fake_alarm());
    // A later deadline leaves the alarm; an earlier one brings it forward.
    syscall_regs r = Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space_, 10, ep);
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), 2, 0x1000, 0x2000, 0));
    syscall_regs recv{};
    recv.number = SYS_RECV;
    recv.x[0] = r.x[2];
    recv.deadline = 9000;
    kernel_run_syscall(k_.get(), 2, &recv);
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 2));
    EXPECT_EQ(5000u, timer_fake_alarm());
    EXPECT_EQ(5000u, kernel_run_timeouts(k_.get(), 4999));
    EXPECT_EQ(9000u, kernel_run_timeouts(k_.get(), 5000)) << "the next one";
    EXPECT_EQ(9000u, timer_fake_alarm());
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, child_));
    // The receiver woken in time: the alarm stays until it fires, finds nothing.
    syscall_regs send{};
    send.number = SYS_SEND;
    send.x[0] = ep;
    kernel_run_syscall(k_.get(), root_, &send);
    ASSERT_EQ(0u, send.x[0]);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 2));
    EXPECT_EQ(9000u, timer_fake_alarm());
    EXPECT_EQ(0u, kernel_run_timeouts(k_.get(), 9000));
    EXPECT_EQ(0u, timer_fake_alarm());
    ASSERT_TRUE(kernel_run_deliver(k_.get(), 2, &recv));
    EXPECT_EQ(0u, recv.x[0]);
}

/** A copy of a kernel state and of every task's registers, compared byte for byte. */
struct Snapshot {
    std::unique_ptr<kernel_state> k = std::make_unique<kernel_state>();
    std::vector<syscall_regs> regs;

    Snapshot(const kernel_state *from, const std::vector<syscall_regs> &r) : regs(r)
    {
        std::memcpy(k.get(), from, sizeof(kernel_state));
    }
    bool Same(const kernel_state *other, const std::vector<syscall_regs> &r) const
    {
        return std::memcmp(k.get(), other, sizeof(kernel_state)) == 0 &&
               std::memcmp(regs.data(), r.data(), r.size() * sizeof(syscall_regs)) == 0;
    }
};

/**
 * Random tasks of random priorities calling, replying and receiving on one
 * endpoint (with bad handles, bad counts and capabilities mixed in): each
 * call goes to kernel_run_fast on a copy and through the general path
 * (kernel_run_syscall, kernel_run_next, kernel_run_deliver, as the board
 * runs them) on the original. Wherever the fast path takes a call, both end
 * byte-identical, registers included, but for the two tasks' message
 * buffers (scratch, ipc.h); wherever it refuses one, the copy is unchanged.
 */
TEST_F(RunTest, TheFastPathEndsExactlyAsTheGeneralPath)
{
    uint32_t taken = 0;
    uint32_t refused = 0;
    uint32_t badged = 0;
    for (uint32_t seed = 1; seed <= 40; seed++) {
        if (seed > 1) {
            ram_.Reset(); // the last kernel's memory, reservations included, is dropped
            SetUp();
        }
        std::mt19937 rng(seed);
        kernel_run_fault(k_.get(), child_); // it holds no endpoint: out of the way
        const uint64_t ep = Call(root_, SYS_ENDPOINT_CREATE, INIT_HANDLE_KERNEL).x[1];
        std::vector<uint64_t> handle(OBJ_MAX_TASKS, HANDLE_NONE);
        handle[root_] = ep;
        for (int i = 0; i < 6; i++) {
            // Most tasks get a badged capability (badges 1 and 2 shared by
            // two tasks each), some the unbadged one: a receiver's x8 must
            // come out the same both ways.
            const uint32_t badge = rng() % 3;
            const uint64_t given =
                badge == 0 ? ep
                           : Call(root_, SYS_CAP_BADGE, ep,
                                  RIGHT_SEND | RIGHT_RECV | RIGHT_GRANT | RIGHT_DERIVE, badge)
                                 .x[1];
            syscall_regs r =
                Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space_, 8 + rng() % 6, given);
            cap *c = nullptr;
            ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, r.x[1], OBJECT_TASK, 0, &c));
            ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c->object.index, 0x1000, 0x2000, 0));
            handle[c->object.index] = r.x[2];
        }
        std::vector<syscall_regs> regs(OBJ_MAX_TASKS);
        std::vector<syscall_regs *> contexts(OBJ_MAX_TASKS);
        int32_t cur = kernel_run_next(k_.get());
        uint64_t now = 1000;
        for (int step = 0; step < 1500 && cur >= 0; step++) {
            if (rng() % 32 == 0) {
                // A timer interrupt instead of a call: ticks, deadlines, then the pick.
                kernel_run_ticks(k_.get(), 1 + rng() % SCHED_SLICE_TICKS);
                now += rng() % 40;
                (void)kernel_run_timeouts(k_.get(), now);
                cur = kernel_run_next(k_.get());
                if (cur >= 0) {
                    (void)kernel_run_deliver(k_.get(), static_cast<uint32_t>(cur), &regs[cur]);
                }
                continue;
            }
            const uint32_t t = static_cast<uint32_t>(cur);
            const bool replier = k_->ipc.tasks[t].reply_to != IPC_NO_TASK;
            const uint32_t dice = rng() % 20;
            syscall_regs &r = regs[t];
            // Odd ids serve, even ids call, mostly; every call can come from anyone.
            if (replier) {
                r.number = dice < 16 ? SYS_REPLY_RECV : dice < 18 ? SYS_REPLY : SYS_CALL;
            } else if (t % 2 == 1) {
                r.number = dice < 15 ? SYS_RECV : dice < 17 ? SYS_CALL : SYS_REPLY_RECV;
            } else {
                r.number = dice < 17 ? SYS_CALL : dice < 18 ? SYS_YIELD : SYS_RECV;
            }
            r.x[0] = rng() % 16 == 0 ? rng() : handle[t];
            uint32_t words = rng() % 16 == 0 ? 5 : rng() % 5;
            uint32_t caps = rng() % 16 == 0 ? 1 : 0;
            r.x[1] = sys_msg_info(rng() & SYS_MSG_LABEL_MASK, words, caps);
            // Receive slots: mostly none (the fast path's case), sometimes
            // some (the general path), rarely too many (refused).
            const uint32_t slot_dice = rng() % 16;
            r.x[1] = sys_msg_with_slots(r.x[1], slot_dice < 12   ? 0
                                                : slot_dice < 15 ? 1 + rng() % 2
                                                                 : 3);
            for (int i = 2; i < 8; i++) {
                r.x[i] = rng();
            }
            // A message with a capability takes the general path; a bad
            // handle there keeps every task's endpoint where it is.
            r.x[6] = rng() % 2 ? rng() : HANDLE_NONE;
            // A deadline now and then (passed, near or far): the general
            // path's, which the fast path must leave to it.
            const uint32_t deadline_dice = rng() % 16;
            r.deadline = deadline_dice == 0   ? now - rng() % 100
                         : deadline_dice == 1 ? now + 1 + rng() % 60
                         : deadline_dice == 2 ? UINT64_MAX
                                              : 0;
            if (r.deadline != 0) {
                timer_fake_set_count(now); // as the board does
            }

            Snapshot before(k_.get(), regs);
            Snapshot fast(k_.get(), regs);
            for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
                contexts[i] = &fast.regs[i];
            }
            const int32_t fast_next =
                kernel_run_fast(fast.k.get(), t, &fast.regs[t], contexts.data());

            if (kernel_run_syscall(k_.get(), t, &r)) {
                // Failed: nothing changed but x0, and the task goes on.
                ASSERT_NE(0u, r.x[0]);
                Snapshot failed(k_.get(), regs);
                failed.regs[t].x[0] = before.regs[t].x[0];
                ASSERT_TRUE(failed.Same(before.k.get(), before.regs));
                ASSERT_EQ(static_cast<int32_t>(t), kernel_run_next(k_.get()));
                ASSERT_LT(fast_next, 0);
                refused++;
                continue;
            }
            cur = kernel_run_next(k_.get());
            if (cur >= 0) {
                (void)kernel_run_deliver(k_.get(), static_cast<uint32_t>(cur), &regs[cur]);
            }
            ASSERT_EQ(STATUS_OK, ipc_check_invariants(&k_->ipc, &k_->sched));
            if (fast_next >= 0) {
                taken++;
                badged += r.number == SYS_CALL && regs[cur].number != 0 ? 1 : 0;
                ASSERT_EQ(cur, fast_next) << "seed " << seed << " step " << step;
                // The two message buffers are scratch the fast path leaves alone.
                Snapshot slow(k_.get(), regs);
                for (int32_t id : {cur, static_cast<int32_t>(t)}) {
                    std::memcpy(&slow.k->ipc.tasks[id].msg, &fast.k->ipc.tasks[id].msg,
                                sizeof(ipc_msg));
                }
                ASSERT_TRUE(fast.Same(slow.k.get(), slow.regs))
                    << "seed " << seed << " step " << step;
            } else {
                refused++;
                ASSERT_TRUE(fast.Same(before.k.get(), before.regs))
                    << "seed " << seed << " step " << step;
            }
        }
    }
    std::printf("fast path: %u taken, %u refused, %u badges received\n", taken, refused, badged);
    // Both outcomes were exercised, the fast one often.
    EXPECT_GT(taken, 1000u);
    EXPECT_GT(refused, 1000u);
    EXPECT_GT(badged, 200u) << "fast calls through badged capabilities";
}

/**
 * The fast paths of the unknown number, yields and notifications against
 * the general path, as TheFastPathEndsExactlyAsTheGeneralPath does for
 * IPC: random tasks of random priorities signalling, waiting, polling and
 * yielding on two notifications (through capabilities with some rights
 * missing, bad handles and deadlines mixed in), with unknown numbers and
 * timer interrupts among them; when every task waits, an interrupt
 * signals. Each call goes to kernel_run_fast on a copy and through the
 * general path (kernel_run_syscall; then kernel_run_next and
 * kernel_run_deliver unless it failed, as the board runs them) on the
 * original. Wherever the fast path takes a call, both end byte-identical,
 * every task's registers included, and it returns the task the board runs
 * next; wherever it refuses one, the copy is unchanged.
 */
// Under AddressSanitizer every copy and comparison of the kernel state is
// checked byte by byte, and the 40 seeds below took 290 s: that build runs
// 6 of them (the same calls and checks, proportionally fewer of each); the
// plain build, and UBSan's, run all 40.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RUN_TEST_UNDER_ASAN 1
#endif
#endif
#ifdef RUN_TEST_UNDER_ASAN
constexpr uint32_t kFastPathSeeds = 6;
#else
constexpr uint32_t kFastPathSeeds = 40;
#endif

TEST_F(RunTest, TheNotificationAndYieldFastPathsEndExactlyAsTheGeneralPath)
{
    uint32_t taken[SYS_COUNT + 1] = {};
    uint32_t switched = 0;
    uint32_t refused = 0;
    for (uint32_t seed = 1; seed <= kFastPathSeeds; seed++) {
        if (seed > 1) {
            ram_.Reset();
            SetUp();
        }
        std::mt19937 rng(seed);
        kernel_run_fault(k_.get(), child_); // out of the way: the tasks below are the players
        uint64_t note[2];
        for (uint64_t &n : note) {
            n = Call(root_, SYS_NOTIFY_CREATE, INIT_HANDLE_KERNEL).x[1];
        }
        // Each task gets one notification (with all rights, or SEND or
        // RECV only), and root keeps both.
        std::vector<uint64_t> handle(OBJ_MAX_TASKS, HANDLE_NONE);
        handle[root_] = note[0];
        for (int i = 0; i < 6; i++) {
            const uint32_t n = rng() % 2;
            const uint32_t rights_dice = rng() % 6;
            const uint64_t given =
                rights_dice < 4 ? note[n]
                                : Call(root_, SYS_CAP_DERIVE, note[n],
                                       (rights_dice == 4 ? RIGHT_SEND : RIGHT_RECV) | RIGHT_GRANT)
                                      .x[1];
            syscall_regs r =
                Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space_, 8 + rng() % 6, given);
            cap *c = nullptr;
            ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, r.x[1], OBJECT_TASK, 0, &c));
            ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c->object.index, 0x1000, 0x2000, 0));
            handle[c->object.index] = r.x[2];
        }
        std::vector<syscall_regs> regs(OBJ_MAX_TASKS);
        std::vector<syscall_regs *> contexts(OBJ_MAX_TASKS);
        int32_t cur = kernel_run_next(k_.get());
        uint64_t now = 1000;
        for (int step = 0; step < 1500; step++) {
            if (cur < 0 || rng() % 32 == 0) {
                // A timer interrupt (ticks, deadlines) or, when every task
                // waits, a device's, which signals; then the pick.
                if (cur < 0) {
                    cap *c = nullptr;
                    ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, note[rng() % 2],
                                                    OBJECT_NOTIFICATION, 0, &c));
                    ASSERT_EQ(STATUS_OK, ipc_notify_signal(&k_->ipc, &k_->sched, c->object.index,
                                                           1u << (rng() % 8)));
                } else {
                    kernel_run_ticks(k_.get(), 1 + rng() % SCHED_SLICE_TICKS);
                }
                now += rng() % 40;
                (void)kernel_run_timeouts(k_.get(), now);
                cur = kernel_run_next(k_.get());
                if (cur >= 0) {
                    (void)kernel_run_deliver(k_.get(), static_cast<uint32_t>(cur), &regs[cur]);
                }
                continue;
            }
            const uint32_t t = static_cast<uint32_t>(cur);
            syscall_regs &r = regs[t];
            const uint32_t dice = rng() % 32;
            r.number = dice < 10   ? SYS_NOTIFY_SIGNAL
                       : dice < 20 ? SYS_NOTIFY_WAIT
                       : dice < 23 ? SYS_NOTIFY_POLL
                       : dice < 29 ? SYS_YIELD
                       : dice < 30 ? SYS_COUNT + rng() % 4
                                   : ~0ull - rng() % 4;
            // Root signals or waits on either notification; the others on theirs.
            r.x[0] = rng() % 16 == 0 ? rng() : t == root_ ? note[rng() % 2] : handle[t];
            r.x[1] = rng() % 8 == 0 ? 0 : 1ull << (rng() % 64);
            for (int i = 2; i < 8; i++) {
                r.x[i] = rng();
            }
            const uint32_t deadline_dice = rng() % 16;
            r.deadline = deadline_dice == 0   ? now - rng() % 100
                         : deadline_dice == 1 ? now + 1 + rng() % 60
                                              : 0;
            if (r.deadline != 0) {
                timer_fake_set_count(now);
            }

            Snapshot before(k_.get(), regs);
            Snapshot fast(k_.get(), regs);
            for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
                contexts[i] = &fast.regs[i];
            }
            const int32_t fast_next =
                kernel_run_fast(fast.k.get(), t, &fast.regs[t], contexts.data());

            if (kernel_run_syscall(k_.get(), t, &r)) {
                ASSERT_NE(0u, r.x[0]);
                ASSERT_EQ(static_cast<int32_t>(t), kernel_run_next(k_.get()));
                // Failed: nothing changed but x0, and the task goes on.
                Snapshot failed(k_.get(), regs);
                failed.regs[t].x[0] = before.regs[t].x[0];
                ASSERT_TRUE(failed.Same(before.k.get(), before.regs));
                cur = static_cast<int32_t>(t);
            } else {
                cur = kernel_run_next(k_.get());
                if (cur >= 0) {
                    (void)kernel_run_deliver(k_.get(), static_cast<uint32_t>(cur), &regs[cur]);
                }
            }
            ASSERT_EQ(STATUS_OK, ipc_check_invariants(&k_->ipc, &k_->sched));
            ASSERT_EQ(STATUS_OK, sched_check_invariants(&k_->sched));
            if (fast_next >= 0) {
                taken[r.number < SYS_COUNT ? r.number : SYS_COUNT]++;
                switched += fast_next != static_cast<int32_t>(t) ? 1 : 0;
                ASSERT_EQ(cur, fast_next) << "seed " << seed << " step " << step;
                ASSERT_TRUE(fast.Same(k_.get(), regs)) << "seed " << seed << " step " << step;
            } else {
                refused++;
                ASSERT_TRUE(fast.Same(before.k.get(), before.regs))
                    << "seed " << seed << " step " << step;
            }
        }
    }
    std::printf("fast paths: %u unknown, %u yields, %u signals, %u waits taken (%u switching), "
                "%u refused\n",
                taken[SYS_COUNT], taken[SYS_YIELD], taken[SYS_NOTIFY_SIGNAL],
                taken[SYS_NOTIFY_WAIT], switched, refused);
    // Every path was exercised, and the general one often.
    // Each well below what the 40 seeds took (5,292 unknown
    // numbers, 8,349 yields, 4,086 signals, 5,999 waits, 10,734 switches,
    // 32,392 refusals), in proportion to the seeds run.
    EXPECT_GT(taken[SYS_COUNT], 500u * kFastPathSeeds / 40);
    EXPECT_GT(taken[SYS_YIELD], 2000u * kFastPathSeeds / 40);
    EXPECT_GT(taken[SYS_NOTIFY_SIGNAL], 300u * kFastPathSeeds / 40);
    EXPECT_GT(taken[SYS_NOTIFY_WAIT], 1000u * kFastPathSeeds / 40);
    EXPECT_EQ(0u, taken[SYS_NOTIFY_POLL]) << "no fast path";
    EXPECT_GT(switched, 1000u * kFastPathSeeds / 40);
    EXPECT_GT(refused, 3000u * kFastPathSeeds / 40);
}

} // namespace
