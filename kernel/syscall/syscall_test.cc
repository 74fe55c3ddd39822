// Tests for kernel/syscall: every error path of every call (unknown number,
// no current task, malformed, bad and stale handles, wrong kind, missing
// right, malformed message registers) leaving the whole kernel_state and
// x1-x7 unchanged; derive, delete and revoke; notifications; send/recv and
// call/reply with messages in registers (x1 info with a 48-bit label, two
// capabilities in x6/x7); and a seeded random sequence of calls with every
// invariant checked after each step.

#include "kernel/syscall/syscall.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <random>
#include <vector>

#include "hal/fake/timer_fake.h"
#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#include "gtest/gtest.h"

namespace {

class SyscallTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        k_ = std::make_unique<kernel_state>();
        before_ = std::make_unique<kernel_state>();
        Reset();
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, Invariants());
    }

    /** Three tasks, task 0 running; a notification, an endpoint, a frame and capabilities. */
    void Reset()
    {
        std::memset(k_.get(), 0, sizeof(kernel_state));
        timer_fake_reset();
        kernel_state_init(k_.get());
        for (uint32_t t = 0; t < 3; t++) {
            ASSERT_EQ(STATUS_OK, sched_add(&k_->sched, t, 10));
        }
        ASSERT_EQ(0, sched_pick_next(&k_->sched));
        k_->current = 0;
        notif_ = NewObject(OBJECT_NOTIFICATION);
        ep_ = NewObject(OBJECT_ENDPOINT);
        frame_ = NewObject(OBJECT_FRAME);
        nfull_ = Cap(0, notif_, RIGHTS_ALL);
        nsend_ = Cap(0, notif_, RIGHT_SEND);
        nrecv_ = Cap(0, notif_, RIGHT_RECV);
        efull_ = Cap(0, ep_, RIGHTS_ALL);
        esend_ = Cap(0, ep_, RIGHT_SEND);
        erecv_ = Cap(0, ep_, RIGHT_RECV);
        fcap_ = Cap(0, frame_, RIGHTS_ALL);
        fnone_ = Cap(0, frame_, RIGHT_SEND);
        e1_ = Cap(1, ep_, RIGHTS_ALL);
        n1_ = Cap(1, notif_, RIGHTS_ALL);
        e2_ = Cap(2, ep_, RIGHTS_ALL);
    }

    status_t Invariants()
    {
        status_t st = cap_check_invariants(&k_->caps);
        if (st == STATUS_OK) {
            st = sched_check_invariants(&k_->sched);
        }
        if (st == STATUS_OK) {
            st = ipc_check_invariants(&k_->ipc, &k_->sched);
        }
        return st;
    }

    obj_ref NewObject(uint32_t kind)
    {
        obj_ref ref{};
        EXPECT_EQ(STATUS_OK, obj_alloc(&k_->caps.objects, kind, &ref));
        return ref;
    }

    handle_t Cap(uint32_t table, obj_ref ref, rights_t rights)
    {
        handle_t h = HANDLE_NONE;
        EXPECT_EQ(STATUS_OK, cap_insert_new(&k_->caps, table, ref, rights, &h));
        return h;
    }

    static syscall_regs Regs(uint64_t number, uint64_t x0 = 0, uint64_t x1 = 0)
    {
        syscall_regs r{};
        for (uint64_t i = 0; i < 8; i++) {
            r.x[i] = 0x1111 * (i + 1); // recognisable, to see which registers change
        }
        r.number = number;
        r.x[0] = x0;
        r.x[1] = x1;
        return r;
    }

    /** An info word (x1) that only says how many capabilities a receive accepts. */
    static uint64_t Slots(uint32_t n)
    {
        return sys_msg_with_slots(0, n);
    }

    /**
     * Message registers: x1 the info word (label, n words, one capability per
     * handle), x2-x5 label + i, the handles in x6 and x7; registers beyond the
     * counts keep Regs' recognisable values.
     */
    static syscall_regs Msg(uint64_t number, handle_t ep, uint64_t label, uint32_t words,
                            std::initializer_list<handle_t> caps = {})
    {
        syscall_regs r = Regs(number, ep, sys_msg_info(label, words, (uint32_t)caps.size()));
        for (uint32_t w = 0; w < 4; w++) {
            r.x[2 + w] = label + w;
        }
        uint32_t c = 0;
        for (handle_t h : caps) {
            r.x[6 + c++] = h;
        }
        return r;
    }

    status_t Call(syscall_regs &r, int32_t task)
    {
        k_->current = task;
        syscall_dispatch(k_.get(), &r);
        return (status_t)(uint32_t)r.x[0];
    }

    /** Runs r as task and expects status with no effect on the kernel or x1-x7. */
    void ExpectFails(status_t status, syscall_regs r, int32_t task = 0)
    {
        k_->current = task;
        std::memcpy(before_.get(), k_.get(), sizeof(kernel_state));
        syscall_regs in = r;
        syscall_dispatch(k_.get(), &r);
        EXPECT_EQ((uint64_t)(uint32_t)status, r.x[0]) << "call " << in.number;
        EXPECT_EQ(0, std::memcmp(&in.x[1], &r.x[1], 7 * sizeof(uint64_t))) << "call " << in.number;
        EXPECT_EQ(0, std::memcmp(before_.get(), k_.get(), sizeof(kernel_state)))
            << "call " << in.number;
    }

    /** A handle of table 0 whose capability was deleted. */
    handle_t Stale()
    {
        handle_t h = HANDLE_NONE;
        EXPECT_EQ(STATUS_OK, cap_derive(&k_->caps, 0, efull_, RIGHT_SEND, &h));
        EXPECT_EQ(STATUS_OK, cap_delete(&k_->caps, 0, h));
        return h;
    }

    /** Whether handle h names a capability to an object of kind in table, with exactly rights. */
    bool Holds(uint32_t table, handle_t h, uint32_t kind, rights_t rights)
    {
        cap *c = nullptr;
        return cap_lookup(&k_->caps, table, h, kind, 0, &c) == STATUS_OK && c->rights == rights;
    }

    std::unique_ptr<kernel_state> k_;
    std::unique_ptr<kernel_state> before_;
    obj_ref notif_{}, ep_{}, frame_{};
    handle_t nfull_ = 0, nsend_ = 0, nrecv_ = 0, efull_ = 0, esend_ = 0, erecv_ = 0, fcap_ = 0,
             fnone_ = 0, e1_ = 0, n1_ = 0, e2_ = 0;
};

const uint64_t kHandleCalls[] = {
    SYS_CAP_DERIVE,  SYS_CAP_DELETE, SYS_CAP_REVOKE, SYS_NOTIFY_SIGNAL, SYS_NOTIFY_WAIT,
    SYS_NOTIFY_POLL, SYS_SEND,       SYS_CALL,       SYS_RECV,          SYS_REPLY_RECV};

TEST_F(SyscallTest, UnknownNumber)
{
    for (uint64_t n :
         {(uint64_t)SYS_COUNT, (uint64_t)SYS_COUNT + 1, (uint64_t)0x80000000, UINT64_MAX}) {
        ExpectFails(STATUS_UNKNOWN_SYSCALL, Regs(n, efull_));
        // Checked before the current task.
        ExpectFails(STATUS_UNKNOWN_SYSCALL, Regs(n, efull_), KERNEL_NO_TASK);
    }
}

TEST_F(SyscallTest, NoCurrentTask)
{
    // Task 2 blocks on the notification: it is not a task that can call.
    syscall_regs w = Regs(SYS_NOTIFY_WAIT, nfull_);
    k_->current = 0;
    ASSERT_EQ(STATUS_OK, cap_insert_new(&k_->caps, 2, notif_, RIGHT_RECV, &w.x[0]));
    ASSERT_EQ(STATUS_OK, Call(w, 2));
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 2));
    for (uint64_t n = 0; n < SYS_COUNT; n++) {
        for (int32_t task :
             {KERNEL_NO_TASK, -7, 3 /* unused */, 2 /* blocked */, SCHED_MAX_ENTITIES, INT32_MAX}) {
            ExpectFails(STATUS_NO_CURRENT_TASK, Msg(n, e2_, 5, 1), task);
        }
    }
}

TEST_F(SyscallTest, BadAndStaleHandles)
{
    handle_t stale = Stale();
    handle_t good = efull_;
    for (uint64_t n : kHandleCalls) {
        ExpectFails(STATUS_BAD_HANDLE, Msg(n, HANDLE_NONE, 1, 0));
        ExpectFails(STATUS_BAD_HANDLE, Msg(n, good | (1ull << 60), 1, 0));
        ExpectFails(STATUS_BAD_HANDLE, Msg(n, handle_make(CAP_TABLE_SLOTS, 1), 1, 0));
        ExpectFails(STATUS_BAD_HANDLE, Msg(n, handle_make(CAP_TABLE_SLOTS - 1, 1), 1, 0));
        ExpectFails(STATUS_STALE_HANDLE, Msg(n, stale, 1, 0));
        // A handle valid in table 1 but empty in table 0's same slot is bad there.
        ExpectFails(STATUS_BAD_HANDLE, Msg(n, handle_make(40, 1), 1, 0), 1);
    }
}

TEST_F(SyscallTest, WrongKind)
{
    for (uint64_t n : {SYS_NOTIFY_SIGNAL, SYS_NOTIFY_WAIT, SYS_NOTIFY_POLL}) {
        ExpectFails(STATUS_WRONG_KIND, Regs(n, efull_));
        ExpectFails(STATUS_WRONG_KIND, Regs(n, fcap_));
    }
    for (uint64_t n : {SYS_SEND, SYS_CALL, SYS_RECV, SYS_REPLY_RECV}) {
        ExpectFails(STATUS_WRONG_KIND, Msg(n, nfull_, 1, 1));
        ExpectFails(STATUS_WRONG_KIND, Msg(n, fcap_, 1, 1));
    }
}

TEST_F(SyscallTest, MissingRight)
{
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_NOTIFY_SIGNAL, nrecv_, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_NOTIFY_WAIT, nsend_));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_NOTIFY_POLL, nsend_));
    ExpectFails(STATUS_MISSING_RIGHT, Msg(SYS_SEND, erecv_, 1, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Msg(SYS_CALL, erecv_, 1, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Msg(SYS_RECV, esend_, 1, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Msg(SYS_REPLY_RECV, esend_, 1, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CAP_DERIVE, esend_, RIGHT_SEND));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CAP_REVOKE, esend_));
    // Derive only narrows.
    handle_t d = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(&k_->caps, 0, efull_, RIGHT_DERIVE | RIGHT_SEND, &d));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CAP_DERIVE, d, RIGHT_RECV));
    // A capability sent without RIGHT_GRANT, with a receiver waiting and without.
    ExpectFails(STATUS_MISSING_RIGHT, Msg(SYS_SEND, efull_, 1, 1, {fnone_}));
    syscall_regs r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Msg(SYS_SEND, efull_, 1, 1, {fnone_}));
    ExpectFails(STATUS_MISSING_RIGHT, Msg(SYS_CALL, efull_, 1, 1, {fnone_}));
}

TEST_F(SyscallTest, MalformedArguments)
{
    // Counts too large, whatever the label; decoded before anything else, so
    // SYS_REPLY and SYS_REPLY_RECV refuse them even with no reply right to use.
    for (uint64_t n : {SYS_SEND, SYS_CALL, SYS_REPLY, SYS_REPLY_RECV}) {
        for (uint64_t info :
             {sys_msg_info(1, 5, 0), sys_msg_info(1, 0, 3), sys_msg_info(0, 255, 255),
              sys_msg_info(SYS_MSG_LABEL_MASK, 4, 3), sys_msg_info(SYS_MSG_LABEL_MASK, 5, 2),
              (uint64_t)0x0005, (uint64_t)0x0300, (uint64_t)0xff00, UINT64_MAX}) {
            syscall_regs r = Msg(n, efull_, 1, 0);
            r.x[1] = info;
            ExpectFails(STATUS_INVALID_ARGUMENT, r);
        }
    }
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_CAP_DERIVE, efull_, 1ull << 32 | RIGHT_SEND));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CAP_DERIVE, efull_, 1u << 20));
    // No reply right to use.
    ExpectFails(STATUS_BAD_HANDLE, Msg(SYS_REPLY, HANDLE_NONE, 1, 1));
    ExpectFails(STATUS_BAD_HANDLE, Msg(SYS_REPLY_RECV, efull_, 1, 1));
    // Nothing pending.
    ExpectFails(STATUS_WOULD_BLOCK, Regs(SYS_NOTIFY_POLL, nfull_));
}

TEST_F(SyscallTest, DeriveDeleteRevoke)
{
    syscall_regs r = Regs(SYS_CAP_DERIVE, efull_, RIGHT_SEND | RIGHT_DERIVE);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    handle_t child = r.x[1];
    EXPECT_EQ((uint64_t)0x3333, r.x[2]); // untouched
    cap *c = nullptr;
    ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, 0, child, OBJECT_ENDPOINT, 0, &c));
    EXPECT_EQ(RIGHT_SEND | RIGHT_DERIVE, c->rights);
    r = Regs(SYS_CAP_DERIVE, child, RIGHT_SEND);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    handle_t grandchild = r.x[1];

    // Revoke the root: both descendants go, the root stays.
    uint32_t count = cap_table_count(&k_->caps, 0);
    r = Regs(SYS_CAP_REVOKE, efull_);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    EXPECT_EQ(count - 2, cap_table_count(&k_->caps, 0));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_CAP_DELETE, child));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_CAP_DELETE, grandchild));

    r = Regs(SYS_CAP_DELETE, esend_);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    EXPECT_EQ(count - 3, cap_table_count(&k_->caps, 0));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_SEND, esend_));
}

TEST_F(SyscallTest, DeletingLastEndpointCapabilityWakesWaiters)
{
    // Task 1 waits on the endpoint; then every capability to it is deleted.
    syscall_regs r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 1));
    for (auto [task, h] :
         {std::pair<int32_t, handle_t>{0, efull_}, {0, esend_}, {0, erecv_}, {2, e2_}}) {
        r = Regs(SYS_CAP_DELETE, h);
        ASSERT_EQ(STATUS_OK, Call(r, task));
        EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 1));
    }
    // Task 1's own capability keeps the endpoint alive.
    EXPECT_EQ(STATUS_OK, obj_check(&k_->caps.objects, ep_, OBJECT_ENDPOINT));
    // Now make task 0 hold the last reference: move it from table 1 and delete it.
    handle_t moved = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, 1, e1_, 0, true, &moved));
    r = Regs(SYS_CAP_DELETE, moved);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(&k_->caps.objects, ep_, OBJECT_ENDPOINT));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 1));
    EXPECT_EQ(STATUS_OBJECT_DESTROYED, k_->ipc.tasks[1].wake_status);
}

TEST_F(SyscallTest, SignalPollWait)
{
    syscall_regs r = Regs(SYS_NOTIFY_SIGNAL, nsend_, 0x5);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    r = Regs(SYS_NOTIFY_SIGNAL, nfull_, 0x30);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    r = Regs(SYS_NOTIFY_POLL, nrecv_);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    EXPECT_EQ(0x35u, r.x[1]);
    EXPECT_EQ((uint64_t)0x3333, r.x[2]);
    ExpectFails(STATUS_WOULD_BLOCK, Regs(SYS_NOTIFY_POLL, nrecv_));

    // Wait with a bit pending returns at once.
    r = Regs(SYS_NOTIFY_SIGNAL, nfull_, 0x100);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    r = Regs(SYS_NOTIFY_WAIT, nfull_);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    EXPECT_EQ(0x100u, r.x[1]);

    // Wait with nothing pending blocks; a signal from task 0 wakes task 1 with the bits.
    r = Regs(SYS_NOTIFY_WAIT, n1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(0u, r.x[1]); // no result yet: x1 keeps the argument
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 1));
    r = Regs(SYS_NOTIFY_SIGNAL, nsend_, 0x8);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 1));
    EXPECT_EQ(0x8u, k_->ipc.tasks[1].bits);
    EXPECT_EQ(STATUS_OK, k_->ipc.tasks[1].wake_status);
}

TEST_F(SyscallTest, SendThenRecvThroughRegisters)
{
    // Task 0 sends first (blocks), with a capability; task 1 receives it at once.
    syscall_regs s = Msg(SYS_SEND, esend_, 77, 3, {nfull_});
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 0));
    syscall_regs r = Regs(SYS_RECV, e1_, Slots(2));
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 0));
    EXPECT_EQ(sys_msg_info(77, 3, 1), r.x[1]);
    EXPECT_EQ(77u, r.x[2]);
    EXPECT_EQ(78u, r.x[3]);
    EXPECT_EQ(79u, r.x[4]);
    EXPECT_EQ(0u, r.x[5]);
    EXPECT_TRUE(Holds(1, r.x[6], OBJECT_NOTIFICATION, RIGHTS_ALL));
    EXPECT_EQ(HANDLE_NONE, r.x[7]);
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_NOTIFY_POLL, nfull_)); // it moved
}

TEST_F(SyscallTest, RecvThenSend)
{
    syscall_regs r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(0u, r.x[1]); // blocked: the board writes the message on wake
    syscall_regs s = Msg(SYS_SEND, efull_, 9, 4);
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    EXPECT_EQ(SCHED_RUNNING, sched_state(&k_->sched, 0));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 1));
    syscall_regs woke = Regs(0);
    syscall_regs_from_msg(&woke, &k_->ipc.tasks[1].msg);
    EXPECT_EQ(sys_msg_info(9, 4, 0), woke.x[1]);
    EXPECT_EQ(12u, woke.x[5]);
    EXPECT_EQ(HANDLE_NONE, woke.x[6]);
    EXPECT_EQ(HANDLE_NONE, woke.x[7]);
}

TEST_F(SyscallTest, CallReplyRoundTrip)
{
    syscall_regs r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    syscall_regs c = Msg(SYS_CALL, efull_, 100, 2);
    ASSERT_EQ(STATUS_OK, Call(c, 0));
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 0));
    EXPECT_EQ(100u, k_->ipc.tasks[1].msg.label);
    // The server cannot receive again before it replies.
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_RECV, e1_), 1);
    syscall_regs rep = Msg(SYS_REPLY, HANDLE_NONE, 200, 1);
    ASSERT_EQ(STATUS_OK, Call(rep, 1));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 0));
    EXPECT_EQ(200u, k_->ipc.tasks[0].msg.label);
    EXPECT_EQ(200u, k_->ipc.tasks[0].msg.words[0]);
    ExpectFails(STATUS_BAD_HANDLE, Msg(SYS_REPLY, HANDLE_NONE, 1, 0), 1); // one-shot

    // Second round with reply+recv: task 2 calls, task 1 replies and receives task 0's call.
    c = Msg(SYS_CALL, e2_, 300, 0);
    r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1)); // blocks
    ASSERT_EQ(STATUS_OK, Call(c, 2)); // received at once by task 1
    c = Msg(SYS_CALL, efull_, 400, 0);
    ASSERT_EQ(STATUS_OK, Call(c, 0)); // queued
    syscall_regs rr = Msg(SYS_REPLY_RECV, e1_, 301, 0);
    ASSERT_EQ(STATUS_OK, Call(rr, 1));
    EXPECT_EQ(301u, k_->ipc.tasks[2].msg.label);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 2));
    EXPECT_EQ(sys_msg_info(400, 0, 0), rr.x[1]); // received at once
    EXPECT_EQ(0u, rr.x[2]);
    EXPECT_EQ(HANDLE_NONE, rr.x[6]);
    EXPECT_EQ(HANDLE_NONE, rr.x[7]);
}

TEST_F(SyscallTest, MessageInfoHelpers)
{
    const uint64_t info = sys_msg_info(0xabcdef012345, 3, 2);
    EXPECT_EQ(0xabcdef0123450203u, info);
    EXPECT_EQ(0xabcdef012345u, sys_msg_label(info));
    EXPECT_EQ(3u, sys_msg_words(info));
    EXPECT_EQ(2u, sys_msg_caps(info));
    // Bits beyond a field are dropped, not spilled into the next one.
    EXPECT_EQ(sys_msg_info(5, 1, 0), sys_msg_info(5 | 1ull << SYS_MSG_LABEL_BITS, 0x101, 0x300));
    EXPECT_EQ(SYS_MSG_LABEL_MASK, sys_msg_label(UINT64_MAX));
}

TEST_F(SyscallTest, TwoCapabilitiesMoveInOneMessage)
{
    // A frame capability with fewer rights than the notification's, both with RIGHT_GRANT.
    handle_t frame = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(&k_->caps, 0, fcap_, RIGHT_GRANT | RIGHT_READ, &frame));
    uint32_t count0 = cap_table_count(&k_->caps, 0);
    uint32_t count1 = cap_table_count(&k_->caps, 1);
    syscall_regs s = Msg(SYS_SEND, esend_, 5, 1, {nfull_, frame});
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    syscall_regs r = Regs(SYS_RECV, e1_, Slots(2));
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(sys_msg_info(5, 1, 2), r.x[1]);
    EXPECT_TRUE(Holds(1, r.x[6], OBJECT_NOTIFICATION, RIGHTS_ALL));
    EXPECT_TRUE(Holds(1, r.x[7], OBJECT_FRAME, RIGHT_GRANT | RIGHT_READ));
    EXPECT_EQ(count0 - 2, cap_table_count(&k_->caps, 0));
    EXPECT_EQ(count1 + 2, cap_table_count(&k_->caps, 1));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_NOTIFY_POLL, nfull_));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_CAP_DELETE, frame));

    // And back, in a call's reply: task 1 receives task 0's call and replies with both.
    syscall_regs back = Msg(SYS_RECV, e1_, 0, 0);
    ASSERT_EQ(STATUS_OK, Call(back, 1));
    syscall_regs c = Msg(SYS_CALL, efull_, 6, 0);
    c.x[1] = sys_msg_with_slots(c.x[1], 2); // accepts both in the reply
    ASSERT_EQ(STATUS_OK, Call(c, 0));
    syscall_regs rep = Msg(SYS_REPLY, HANDLE_NONE, 7, 0, {r.x[7], r.x[6]});
    ASSERT_EQ(STATUS_OK, Call(rep, 1));
    syscall_regs woke = Regs(0);
    syscall_regs_from_msg(&woke, &k_->ipc.tasks[0].msg);
    EXPECT_EQ(sys_msg_info(7, 0, 2), woke.x[1]);
    EXPECT_TRUE(Holds(0, woke.x[6], OBJECT_FRAME, RIGHT_GRANT | RIGHT_READ));
    EXPECT_TRUE(Holds(0, woke.x[7], OBJECT_NOTIFICATION, RIGHTS_ALL));
    EXPECT_EQ(count1, cap_table_count(&k_->caps, 1));
}

TEST_F(SyscallTest, ReceiveSlotsInX1BoundWhatIsAccepted)
{
    // Slots above SYS_MSG_MAX_CAPS are refused by every receiving call.
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_RECV, e1_, Slots(3)), 1);
    syscall_regs bad = Msg(SYS_CALL, efull_, 1, 0);
    bad.x[1] = sys_msg_with_slots(bad.x[1], 3);
    ExpectFails(STATUS_INVALID_ARGUMENT, bad);
    bad.number = SYS_REPLY_RECV;
    ExpectFails(STATUS_INVALID_ARGUMENT, bad);
    // Task 0 queues a message with one capability; task 1 receives
    // accepting none: task 0 fails with TABLE_FULL and keeps it, task 1
    // waits for the next message.
    syscall_regs s = Msg(SYS_SEND, esend_, 5, 1, {nfull_});
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    syscall_regs r = Regs(SYS_RECV, e1_, Slots(0));
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 0));
    EXPECT_EQ(STATUS_TABLE_FULL, k_->ipc.tasks[0].wake_status);
    EXPECT_TRUE(Holds(0, nfull_, OBJECT_NOTIFICATION, RIGHTS_ALL)) << "the move stayed";
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 1));
    // Sent again while task 1 waits accepting none: refused at once.
    ExpectFails(STATUS_TABLE_FULL, Msg(SYS_SEND, esend_, 5, 1, {nfull_}));
    // Without the capability it goes.
    syscall_regs plain = Msg(SYS_SEND, esend_, 6, 1);
    ASSERT_EQ(STATUS_OK, Call(plain, 0));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 1));
    EXPECT_EQ(6u, k_->ipc.tasks[1].msg.label);
    // Accepting one, it gets one.
    s = Msg(SYS_SEND, esend_, 7, 0, {nfull_});
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    r = Regs(SYS_RECV, e1_, Slots(1));
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(sys_msg_info(7, 0, 1), r.x[1]);
    EXPECT_TRUE(Holds(1, r.x[6], OBJECT_NOTIFICATION, RIGHTS_ALL));
    EXPECT_EQ(STATUS_OK, Invariants());
}

TEST_F(SyscallTest, AFullReceiverTableFailsTheSenderNotTheReceive)
{
    // Task 1's table is full; task 0's call with a capability and task 2's
    // plain send queue. Task 1's receive (accepting two) drops task 0's
    // call with TABLE_FULL, its capability kept, and takes task 2's.
    while (cap_table_count(&k_->caps, 1) < CAP_TABLE_SLOTS) {
        Cap(1, NewObject(OBJECT_FRAME), RIGHTS_ALL);
    }
    syscall_regs c = Msg(SYS_CALL, efull_, 1, 0, {nfull_});
    ASSERT_EQ(STATUS_OK, Call(c, 0));
    syscall_regs s = Msg(SYS_SEND, e2_, 2, 2);
    ASSERT_EQ(STATUS_OK, Call(s, 2));
    syscall_regs r = Regs(SYS_RECV, e1_, Slots(2));
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(sys_msg_info(2, 2, 0), r.x[1]);
    EXPECT_EQ(STATUS_TABLE_FULL, k_->ipc.tasks[0].wake_status);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 0));
    EXPECT_EQ(IPC_NO_TASK, k_->ipc.tasks[1].reply_to) << "the failed call is owed no reply";
    EXPECT_TRUE(Holds(0, nfull_, OBJECT_NOTIFICATION, RIGHTS_ALL));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 2));
    EXPECT_EQ(STATUS_OK, Invariants());
}

TEST_F(SyscallTest, EachCapabilityIsCheckedOnItsOwn)
{
    // Either capability without RIGHT_GRANT, or stale, refuses the whole message,
    // with a receiver waiting and without.
    const handle_t stale = Stale();
    for (int waiting = 0; waiting < 2; waiting++) {
        for (uint64_t n : {SYS_SEND, SYS_CALL}) {
            ExpectFails(STATUS_MISSING_RIGHT, Msg(n, efull_, 1, 0, {nfull_, fnone_}));
            ExpectFails(STATUS_MISSING_RIGHT, Msg(n, efull_, 1, 0, {fnone_, nfull_}));
            ExpectFails(STATUS_STALE_HANDLE, Msg(n, efull_, 1, 0, {nfull_, stale}));
            ExpectFails(STATUS_BAD_HANDLE, Msg(n, efull_, 1, 0, {nfull_, HANDLE_NONE}));
        }
        if (waiting == 0) {
            syscall_regs r = Regs(SYS_RECV, e1_);
            ASSERT_EQ(STATUS_OK, Call(r, 1));
        }
    }
    EXPECT_TRUE(Holds(0, nfull_, OBJECT_NOTIFICATION, RIGHTS_ALL));
}

TEST_F(SyscallTest, SameHandleTwiceIsRefused)
{
    for (uint64_t n : {SYS_SEND, SYS_CALL}) {
        ExpectFails(STATUS_INVALID_ARGUMENT, Msg(n, efull_, 1, 0, {nfull_, nfull_}));
    }
    syscall_regs r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    for (uint64_t n : {SYS_SEND, SYS_CALL}) {
        ExpectFails(STATUS_INVALID_ARGUMENT, Msg(n, efull_, 1, 0, {nfull_, nfull_}));
    }
    // In a reply too: task 1 holds task 0's reply right and names one handle twice.
    syscall_regs c = Msg(SYS_CALL, efull_, 1, 0);
    c.x[1] = sys_msg_with_slots(c.x[1], 1);
    ASSERT_EQ(STATUS_OK, Call(c, 0));
    handle_t h = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_insert_new(&k_->caps, 1, frame_, RIGHTS_ALL, &h));
    ExpectFails(STATUS_INVALID_ARGUMENT, Msg(SYS_REPLY, HANDLE_NONE, 1, 0, {h, h}), 1);
    ExpectFails(STATUS_INVALID_ARGUMENT, Msg(SYS_REPLY_RECV, e1_, 1, 0, {h, h}), 1);
    syscall_regs rep = Msg(SYS_REPLY, HANDLE_NONE, 1, 0, {h});
    ASSERT_EQ(STATUS_OK, Call(rep, 1));
}

TEST_F(SyscallTest, CapCountThreeIsRefused)
{
    // Task 1 holds a reply right, so the reply calls get past the reply-right check.
    syscall_regs r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    syscall_regs c = Msg(SYS_CALL, efull_, 1, 0);
    ASSERT_EQ(STATUS_OK, Call(c, 0));
    for (uint64_t n : {SYS_SEND, SYS_CALL, SYS_REPLY, SYS_REPLY_RECV}) {
        syscall_regs m = Msg(n, n == SYS_REPLY ? HANDLE_NONE : e1_, 1, 0, {n1_});
        m.x[1] = sys_msg_info(1, 0, 3);
        ExpectFails(STATUS_INVALID_ARGUMENT, m, 1);
        // Task 2 has no reply right: still the count that is refused.
        m.x[0] = n == SYS_REPLY ? HANDLE_NONE : e2_;
        ExpectFails(STATUS_INVALID_ARGUMENT, m, 2);
    }
    syscall_regs rep = Msg(SYS_REPLY, HANDLE_NONE, 1, 0);
    ASSERT_EQ(STATUS_OK, Call(rep, 1));
}

TEST_F(SyscallTest, FullLabelRoundTrips)
{
    // All 48 label bits set, through a queued send and through a call and its reply.
    const uint64_t label = SYS_MSG_LABEL_MASK;
    syscall_regs s = Msg(SYS_SEND, efull_, label, 4);
    EXPECT_EQ(UINT64_MAX - 0xffff + 4, s.x[1]);
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    syscall_regs r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(label, k_->ipc.tasks[1].msg.label);
    EXPECT_EQ(sys_msg_info(label, 4, 0), r.x[1]);
    EXPECT_EQ(label, sys_msg_label(r.x[1]));
    EXPECT_EQ(label + 3, r.x[5]);

    r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    syscall_regs c = Msg(SYS_CALL, efull_, label - 1, 0);
    ASSERT_EQ(STATUS_OK, Call(c, 0));
    EXPECT_EQ(label - 1, k_->ipc.tasks[1].msg.label);
    syscall_regs rep = Msg(SYS_REPLY, HANDLE_NONE, label, 1);
    ASSERT_EQ(STATUS_OK, Call(rep, 1));
    syscall_regs woke = Regs(0);
    syscall_regs_from_msg(&woke, &k_->ipc.tasks[0].msg);
    EXPECT_EQ(sys_msg_info(label, 1, 0), woke.x[1]);
    EXPECT_EQ(label, woke.x[2]);
}

TEST_F(SyscallTest, RegistersBeyondTheCountsAreIgnoredAndZeroed)
{
    // One capability: x7 holds garbage that is no handle at all; no words: x2-x5 garbage too.
    syscall_regs s = Msg(SYS_SEND, efull_, 3, 0, {nfull_});
    s.x[7] = UINT64_MAX;
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    syscall_regs r = Regs(SYS_RECV, e1_, Slots(2));
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(sys_msg_info(3, 0, 1), r.x[1]);
    for (int w = 2; w <= 5; w++) {
        EXPECT_EQ(0u, r.x[w]) << "x" << w;
    }
    EXPECT_TRUE(Holds(1, r.x[6], OBJECT_NOTIFICATION, RIGHTS_ALL));
    EXPECT_EQ(HANDLE_NONE, r.x[7]);
    // No capability: x6 and x7 both ignored (one stale, one without RIGHT_GRANT).
    s = Msg(SYS_SEND, efull_, 4, 2);
    s.x[6] = Stale();
    s.x[7] = fnone_;
    ASSERT_EQ(STATUS_OK, Call(s, 0));
    r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(sys_msg_info(4, 2, 0), r.x[1]);
    EXPECT_EQ(5u, r.x[3]);
    EXPECT_EQ(0u, r.x[4]);
    EXPECT_EQ(HANDLE_NONE, r.x[6]);
    EXPECT_EQ(HANDLE_NONE, r.x[7]);
}

TEST_F(SyscallTest, QueuedSenderWhoseCapabilityWasRevokedIsWokenWithTheError)
{
    // Task 0 sends a child of its notification capability, whose parent then
    // moves to task 2; task 1 queues behind task 0.
    syscall_regs d = Regs(SYS_CAP_DERIVE, nfull_, RIGHT_GRANT | RIGHT_SEND);
    ASSERT_EQ(STATUS_OK, Call(d, 0));
    handle_t parent = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, 0, nfull_, 2, true, &parent));
    syscall_regs s0 = Msg(SYS_SEND, esend_, 8, 0, {d.x[1]});
    ASSERT_EQ(STATUS_OK, Call(s0, 0));
    syscall_regs s1 = Msg(SYS_SEND, e1_, 9, 1);
    ASSERT_EQ(STATUS_OK, Call(s1, 1));
    // Task 2 revokes the child, then receives: task 1's message, at once.
    syscall_regs rv = Regs(SYS_CAP_REVOKE, parent);
    ASSERT_EQ(STATUS_OK, Call(rv, 2));
    syscall_regs r = Regs(SYS_RECV, e2_);
    ASSERT_EQ(STATUS_OK, Call(r, 2));
    EXPECT_EQ(sys_msg_info(9, 1, 0), r.x[1]);
    EXPECT_EQ(HANDLE_NONE, r.x[6]);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 0));
    EXPECT_EQ(STATUS_STALE_HANDLE, k_->ipc.tasks[0].wake_status);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 1));
    EXPECT_EQ(STATUS_OK, k_->ipc.tasks[1].wake_status);
}

TEST_F(SyscallTest, APassedDeadlineInX9FailsEveryCallThatWouldWaitWithNoEffect)
{
    timer_fake_set_count(500);
    for (uint64_t d : {500ull, 499ull, 1ull}) {
        syscall_regs r = Regs(SYS_RECV, erecv_);
        r.deadline = d;
        ExpectFails(STATUS_TIMED_OUT, r);
        r = Msg(SYS_SEND, esend_, 3, 1, {fcap_});
        r.deadline = d;
        ExpectFails(STATUS_TIMED_OUT, r);
        r = Msg(SYS_CALL, esend_, 3, 1);
        r.deadline = d;
        ExpectFails(STATUS_TIMED_OUT, r);
        r = Regs(SYS_NOTIFY_WAIT, nrecv_);
        r.deadline = d;
        ExpectFails(STATUS_TIMED_OUT, r);
    }
    // A call always waits: refused even with a receiver there, which keeps waiting.
    syscall_regs recv = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(recv, 1));
    syscall_regs call = Msg(SYS_CALL, esend_, 3, 1);
    call.deadline = 10;
    ExpectFails(STATUS_TIMED_OUT, call);
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 1));
    // Other errors come first.
    syscall_regs bad = Regs(SYS_RECV, Stale());
    bad.deadline = 10;
    ExpectFails(STATUS_STALE_HANDLE, bad);
    syscall_regs reply_recv = Msg(SYS_REPLY_RECV, erecv_, 3, 1);
    reply_recv.deadline = 10;
    ExpectFails(STATUS_BAD_HANDLE, reply_recv);
}

TEST_F(SyscallTest, APassedDeadlineDoesNotStopACallThatNeedNotWait)
{
    timer_fake_set_count(500);
    syscall_regs recv = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(recv, 1));
    syscall_regs send = Msg(SYS_SEND, esend_, 3, 2);
    send.deadline = 10;
    ASSERT_EQ(STATUS_OK, Call(send, 0));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 1));
    EXPECT_EQ(0u, k_->ipc.tasks[0].deadline);
    syscall_regs sig = Regs(SYS_NOTIFY_SIGNAL, nsend_, 6);
    sig.deadline = 10; // ignored by a call that never waits
    ASSERT_EQ(STATUS_OK, Call(sig, 0));
    syscall_regs wait = Regs(SYS_NOTIFY_WAIT, nrecv_);
    wait.deadline = 10;
    ASSERT_EQ(STATUS_OK, Call(wait, 0));
    EXPECT_EQ(6u, wait.x[1]);
    EXPECT_EQ(10u, wait.deadline);
    EXPECT_EQ(0u, k_->ipc.tasks[0].deadline);
}

TEST_F(SyscallTest, AFutureDeadlineInX9BoundsTheWait)
{
    timer_fake_set_count(500);
    syscall_regs r = Regs(SYS_RECV, e1_);
    r.deadline = UINT64_MAX;
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 1));
    EXPECT_EQ(UINT64_MAX, k_->ipc.tasks[1].deadline);
    syscall_regs w = Regs(SYS_NOTIFY_WAIT, n1_);
    w.deadline = 501;
    k_->current = 2;
    ASSERT_EQ(STATUS_OK, cap_insert_new(&k_->caps, 2, notif_, RIGHT_RECV, &w.x[0]));
    ASSERT_EQ(STATUS_OK, Call(w, 2));
    uint64_t next = 0;
    EXPECT_EQ(1u, ipc_timeouts_expire(&k_->ipc, &k_->sched, 501, &next));
    EXPECT_EQ(STATUS_TIMED_OUT, k_->ipc.tasks[2].wake_status);
    EXPECT_EQ(UINT64_MAX, next);
}

TEST_F(SyscallTest, YieldAndExit)
{
    syscall_regs r = Regs(SYS_YIELD);
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 0));
    EXPECT_EQ(1, sched_pick_next(&k_->sched));
    r = Regs(SYS_YIELD); // task 0 is READY, not running: nothing to do
    ASSERT_EQ(STATUS_OK, Call(r, 0));
    // Task 1 receives task 2's call, then exits: task 2 wakes with OBJECT_DESTROYED.
    r = Regs(SYS_RECV, e1_);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    syscall_regs c = Msg(SYS_CALL, e2_, 1, 0);
    ASSERT_EQ(STATUS_OK, Call(c, 2));
    r = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(r, 1));
    EXPECT_EQ(SCHED_EXITED, sched_state(&k_->sched, 1));
    EXPECT_EQ(STATUS_OBJECT_DESTROYED, k_->ipc.tasks[2].wake_status);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 2));
    ExpectFails(STATUS_NO_CURRENT_TASK, Regs(SYS_YIELD), 1);
}

TEST_F(SyscallTest, RandomCalls)
{
    std::mt19937_64 rng(20240611);
    int ok = 0;
    for (int episode = 0; episode < 100; episode++) {
        Reset();
        std::vector<handle_t> pool = {nfull_, nsend_, nrecv_, efull_, esend_, erecv_,
                                      fcap_,  fnone_, e1_,    n1_,    e2_,    Stale()};
        for (int step = 0; step < 60; step++) {
            syscall_regs r{};
            r.number = rng() % 4 == 0 ? rng() % 20 : rng() % SYS_COUNT;
            for (auto &x : r.x) {
                x = rng() % 3 == 0 ? rng() : rng() % 8;
            }
            r.x[0] = rng() % 5 == 0 ? rng() : pool[rng() % pool.size()];
            if (rng() % 2 == 0) {
                // x1 as derive's rights or as a message info word; x6/x7 capabilities.
                if (rng() % 2 == 0) {
                    r.x[1] = rng() % 2 ? RIGHT_SEND : (rights_t)(rng() & RIGHTS_ALL);
                } else {
                    r.x[1] = sys_msg_info(rng(), (uint32_t)(rng() % 6), (uint32_t)(rng() % 4));
                }
                r.x[6] = pool[rng() % pool.size()];
                r.x[7] = pool[rng() % pool.size()];
            }
            int32_t task = rng() % 8 == 0 ? KERNEL_NO_TASK : (int32_t)(rng() % 4);
            // Sometimes let the scheduler run someone, as the board would.
            if (rng() % 4 == 0) {
                sched_pick_next(&k_->sched);
            }
            k_->current = task;
            std::memcpy(before_.get(), k_.get(), sizeof(kernel_state));
            syscall_regs in = r;
            syscall_dispatch(k_.get(), &r);
            status_t st = (status_t)(uint32_t)r.x[0];
            ASSERT_LT(st, STATUS_COUNT);
            if (st != STATUS_OK) {
                ASSERT_EQ(0, std::memcmp(before_.get(), k_.get(), sizeof(kernel_state)))
                    << "step " << step << " call " << in.number << " status " << st;
                ASSERT_EQ(0, std::memcmp(&in.x[1], &r.x[1], 7 * sizeof(uint64_t)));
                ASSERT_EQ(in.number, r.number) << "x8 changes only with a received message";
            } else {
                ok++;
                if (in.number == SYS_CAP_DERIVE || in.number == SYS_CAP_BADGE) {
                    pool.push_back(r.x[1]);
                } else if ((in.number == SYS_RECV || in.number == SYS_REPLY_RECV) &&
                           k_->ipc.tasks[task].wait == IPC_WAIT_NONE) {
                    // Received at once: x6/x7 hold the handles now in this task's table.
                    for (uint32_t c = 0; c < SYS_MSG_MAX_CAPS; c++) {
                        if (c < sys_msg_caps(r.x[1])) {
                            pool.push_back(r.x[6 + c]);
                        } else {
                            ASSERT_EQ(HANDLE_NONE, r.x[6 + c]);
                        }
                    }
                }
            }
            ASSERT_EQ(STATUS_OK, Invariants()) << "step " << step << " call " << in.number;
        }
    }
    EXPECT_GT(ok, 300); // the sequence reaches the success paths too
}

} // namespace
