// Tests for badged endpoint capabilities (SYS_CAP_BADGE, the badge in x8
// on a receive): every error of the call leaving the whole kernel_state and
// every register but x0 unchanged; the badge fixed once set, kept by
// derive and by a move through IPC, deleted by a revoke; a receiver telling
// senders apart by it whatever label they choose; a queued message whose
// capability was revoked meanwhile never delivering its badge.

#include <cstdint>
#include <cstring>
#include <memory>

#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/run.h"
#include "kernel/syscall/syscall.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#include "gtest/gtest.h"

namespace {

constexpr rights_t kEndpointRights =
    RIGHT_SEND | RIGHT_RECV | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE;

/** Three tasks 0-2 (0 running); task 1 serves an endpoint the others call. */
class BadgeTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        k_ = std::make_unique<kernel_state>();
        before_ = std::make_unique<kernel_state>();
        std::memset(k_.get(), 0, sizeof(kernel_state));
        kernel_state_init(k_.get());
        for (uint32_t t = 0; t < 3; t++) {
            ASSERT_EQ(STATUS_OK, sched_add(&k_->sched, t, 10));
        }
        ASSERT_EQ(0, sched_pick_next(&k_->sched));
        k_->current = 0;
        ep_ = NewObject(OBJECT_ENDPOINT);
        efull_ = Cap(0, ep_, kEndpointRights);
        eserver_ = Cap(1, ep_, kEndpointRights);
        nfull_ = Cap(0, NewObject(OBJECT_NOTIFICATION), RIGHTS_ALL);
        fcap_ = Cap(0, NewObject(OBJECT_FRAME), RIGHTS_ALL);
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, cap_check_invariants(&k_->caps));
        EXPECT_EQ(STATUS_OK, sched_check_invariants(&k_->sched));
        EXPECT_EQ(STATUS_OK, ipc_check_invariants(&k_->ipc, &k_->sched));
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

    static syscall_regs Regs(uint64_t number, uint64_t x0 = 0, uint64_t x1 = 0, uint64_t x2 = 0)
    {
        syscall_regs r{};
        for (uint64_t i = 0; i < 8; i++) {
            r.x[i] = 0x1111 * (i + 1); // recognisable, to see which registers change
        }
        r.number = number;
        r.x[0] = x0;
        r.x[1] = x1;
        r.x[2] = x2;
        return r;
    }

    /** A message of one word (the label) on ep with label; no capability. */
    static syscall_regs Msg(uint64_t number, handle_t ep, uint64_t label)
    {
        syscall_regs r = Regs(number, ep, sys_msg_info(label, 1, 0), label);
        return r;
    }

    /** Runs r as task as the board would (the task is owed the outcome if it blocks). */
    status_t Run(syscall_regs &r, uint32_t task)
    {
        kernel_run_syscall(k_.get(), task, &r);
        return (status_t)(uint32_t)r.x[0];
    }

    /** Runs r as task and expects status with no effect on the kernel or any register but x0. */
    void ExpectFails(status_t status, syscall_regs r, int32_t task = 0)
    {
        k_->current = task;
        std::memcpy(before_.get(), k_.get(), sizeof(kernel_state));
        syscall_regs in = r;
        syscall_dispatch(k_.get(), &r);
        EXPECT_EQ((uint64_t)(uint32_t)status, r.x[0]) << "call " << in.number;
        EXPECT_EQ(0, std::memcmp(&in.x[1], &r.x[1], 7 * sizeof(uint64_t))) << "call " << in.number;
        EXPECT_EQ(in.number, r.number);
        EXPECT_EQ(0, std::memcmp(before_.get(), k_.get(), sizeof(kernel_state)))
            << "call " << in.number;
    }

    /** SYS_CAP_BADGE by task on h; the new handle. */
    handle_t Badge(uint32_t task, handle_t h, uint64_t badge, rights_t rights = kEndpointRights)
    {
        syscall_regs r = Regs(SYS_CAP_BADGE, h, rights, badge);
        k_->current = (int32_t)task;
        syscall_dispatch(k_.get(), &r);
        EXPECT_EQ(0u, r.x[0]);
        return r.x[1];
    }

    const cap *Lookup(uint32_t table, handle_t h)
    {
        cap *c = nullptr;
        EXPECT_EQ(STATUS_OK, cap_lookup(&k_->caps, table, h, OBJECT_NONE, 0, &c));
        return c;
    }

    std::unique_ptr<kernel_state> k_;
    std::unique_ptr<kernel_state> before_;
    obj_ref ep_{};
    handle_t efull_ = 0, eserver_ = 0, nfull_ = 0, fcap_ = 0;
};

TEST_F(BadgeTest, BadgeMakesABadgedChildThatRevokeDeletes)
{
    syscall_regs r = Regs(SYS_CAP_BADGE, efull_, RIGHT_SEND | RIGHT_DERIVE, 0xfeedface12345678);
    k_->current = 0;
    syscall_dispatch(k_.get(), &r);
    ASSERT_EQ(0u, r.x[0]);
    const handle_t badged = r.x[1];
    EXPECT_EQ(0xfeedface12345678u, r.x[2]) << "not a result: untouched";
    EXPECT_EQ(0x4444u, r.x[3]);
    const cap *c = Lookup(0, badged);
    EXPECT_EQ(uint32_t{OBJECT_ENDPOINT}, c->object.kind);
    EXPECT_EQ(RIGHT_SEND | RIGHT_DERIVE, c->rights);
    EXPECT_EQ(0xfeedface12345678u, c->badge);
    EXPECT_EQ(cap_position(&k_->caps, Lookup(0, efull_)), c->parent);
    EXPECT_EQ(0u, Lookup(0, efull_)->badge) << "the source keeps no badge";

    // Derive keeps the badge.
    syscall_regs d = Regs(SYS_CAP_DERIVE, badged, RIGHT_SEND);
    k_->current = 0;
    syscall_dispatch(k_.get(), &d);
    ASSERT_EQ(0u, d.x[0]);
    EXPECT_EQ(0xfeedface12345678u, Lookup(0, d.x[1])->badge);

    // Revoking the source deletes both.
    syscall_regs rv = Regs(SYS_CAP_REVOKE, efull_);
    k_->current = 0;
    syscall_dispatch(k_.get(), &rv);
    ASSERT_EQ(0u, rv.x[0]);
    ExpectFails(STATUS_STALE_HANDLE, Msg(SYS_SEND, badged, 1));
    ExpectFails(STATUS_STALE_HANDLE, Msg(SYS_SEND, d.x[1], 1));
}

TEST_F(BadgeTest, EveryErrorChangesNothing)
{
    const handle_t badged = Badge(0, efull_, 7);
    const handle_t child_of_badged = Badge(0, efull_, 8, RIGHT_SEND | RIGHT_DERIVE);
    syscall_regs d = Regs(SYS_CAP_DERIVE, efull_, RIGHT_SEND | RIGHT_DERIVE);
    syscall_dispatch(k_.get(), &d);
    ASSERT_EQ(0u, d.x[0]);
    const handle_t narrow = d.x[1];
    const handle_t no_derive = Cap(0, ep_, RIGHT_SEND | RIGHT_RECV);

    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_CAP_BADGE, efull_, RIGHT_SEND, 0));
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_CAP_BADGE, efull_, 1ull << 32 | RIGHT_SEND, 1));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_CAP_BADGE, nfull_, RIGHT_SEND, 1));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_CAP_BADGE, fcap_, RIGHT_READ, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CAP_BADGE, no_derive, RIGHT_SEND, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CAP_BADGE, narrow, RIGHT_RECV, 1));
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_CAP_BADGE, badged, RIGHT_SEND, 9));
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_CAP_BADGE, badged, RIGHT_SEND, 7));
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_CAP_BADGE, child_of_badged, RIGHT_SEND, 9));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_CAP_BADGE, HANDLE_NONE, RIGHT_SEND, 1));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_CAP_BADGE, efull_ | (1ull << 60), RIGHT_SEND, 1));
    // Task 1's table has nothing in that slot.
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_CAP_BADGE, efull_ + 3, RIGHT_SEND, 1), 1);
    ExpectFails(STATUS_NO_CURRENT_TASK, Regs(SYS_CAP_BADGE, efull_, RIGHT_SEND, 1), KERNEL_NO_TASK);
    syscall_regs del = Regs(SYS_CAP_DELETE, narrow);
    k_->current = 0;
    syscall_dispatch(k_.get(), &del);
    ASSERT_EQ(0u, del.x[0]);
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_CAP_BADGE, narrow, RIGHT_SEND, 1));
    // A full table: nothing is taken.
    while (cap_table_count(&k_->caps, 0) < CAP_TABLE_SLOTS) {
        Cap(0, ep_, RIGHT_SEND);
    }
    ExpectFails(STATUS_TABLE_FULL, Regs(SYS_CAP_BADGE, efull_, RIGHT_SEND, 1));
}

TEST_F(BadgeTest, AReceiverTellsSendersApartByBadgeWhateverTheirLabel)
{
    const handle_t a = Badge(0, efull_, 0xa);
    const handle_t b = Badge(0, efull_, 0xb);
    handle_t b2 = HANDLE_NONE; // task 2 holds b's badge, moved to it
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, 0, b, 2, true, &b2));
    EXPECT_EQ(0xbu, Lookup(2, b2)->badge) << "a move keeps the badge";

    // Task 0 sends through a with label 0xb (claiming to be b): queued.
    syscall_regs s0 = Msg(SYS_SEND, a, 0xb);
    s0.number = SYS_SEND;
    ASSERT_EQ(STATUS_OK, Run(s0, 0));
    // Task 2 sends through b2 with label 0xa: queued behind.
    syscall_regs s2 = Msg(SYS_SEND, b2, 0xa);
    ASSERT_EQ(STATUS_OK, Run(s2, 2));
    // Task 1 receives both at once: x8 the badge, the label the sender's.
    syscall_regs r = Regs(SYS_RECV, eserver_);
    ASSERT_EQ(STATUS_OK, Run(r, 1));
    EXPECT_EQ(0xau, r.number);
    EXPECT_EQ(0xbu, sys_msg_label(r.x[1]));
    r = Regs(SYS_RECV, eserver_);
    ASSERT_EQ(STATUS_OK, Run(r, 1));
    EXPECT_EQ(0xbu, r.number);
    EXPECT_EQ(0xau, sys_msg_label(r.x[1]));
    // Unbadged: 0, whatever x8 held.
    syscall_regs s = Msg(SYS_SEND, efull_, 5);
    ASSERT_EQ(STATUS_OK, Run(s, 0));
    r = Regs(SYS_RECV, eserver_);
    r.x[1] = 0;
    ASSERT_EQ(STATUS_OK, Run(r, 1));
    EXPECT_EQ(0u, r.number);
    EXPECT_EQ(5u, sys_msg_label(r.x[1]));
}

TEST_F(BadgeTest, AWokenReceiverGetsTheBadgeAndACallerKeepsItsX8)
{
    const handle_t a = Badge(0, efull_, 0x1234);
    // The server blocks first; the call wakes it (the board delivers).
    syscall_regs r = Regs(SYS_RECV, eserver_);
    ASSERT_EQ(STATUS_OK, Run(r, 1));
    syscall_regs c = Msg(SYS_CALL, a, 77);
    ASSERT_EQ(STATUS_OK, Run(c, 0));
    ASSERT_TRUE(kernel_run_deliver(k_.get(), 1, &r));
    EXPECT_EQ(0x1234u, r.number);
    EXPECT_EQ(77u, sys_msg_label(r.x[1]));
    // Reply+recv: the caller's reply leaves its x8 (the number) as it was.
    syscall_regs rr = Msg(SYS_REPLY_RECV, eserver_, 78);
    ASSERT_EQ(STATUS_OK, Run(rr, 1));
    ASSERT_TRUE(kernel_run_deliver(k_.get(), 0, &c));
    EXPECT_EQ(0u, c.x[0]);
    EXPECT_EQ(78u, sys_msg_label(c.x[1]));
    EXPECT_EQ((uint64_t)SYS_CALL, c.number);
    // The next call, through the unbadged capability, reaches the waiting server with 0.
    syscall_regs c2 = Msg(SYS_CALL, efull_, 79);
    ASSERT_EQ(STATUS_OK, Run(c2, 0));
    ASSERT_TRUE(kernel_run_deliver(k_.get(), 1, &rr));
    EXPECT_EQ(0u, rr.number);
    EXPECT_EQ(79u, sys_msg_label(rr.x[1]));
}

TEST_F(BadgeTest, ABadgeMovedThroughIpcStillReachesTheServer)
{
    const handle_t a = Badge(0, efull_, 0x55, RIGHT_SEND | RIGHT_GRANT | RIGHT_DERIVE);
    // Task 0 gives the badged capability to task 2 through the endpoint (served by task 2 here).
    syscall_regs r2 = Regs(SYS_RECV, Cap(2, ep_, RIGHT_RECV), sys_msg_with_slots(0, 1));
    ASSERT_EQ(STATUS_OK, Run(r2, 2));
    syscall_regs give = Regs(SYS_SEND, efull_, sys_msg_info(0, 0, 1));
    give.x[6] = a;
    ASSERT_EQ(STATUS_OK, Run(give, 0));
    ASSERT_TRUE(kernel_run_deliver(k_.get(), 2, &r2));
    const handle_t moved = r2.x[6];
    EXPECT_EQ(0u, r2.number) << "sent through the unbadged capability";
    EXPECT_EQ(0x55u, Lookup(2, moved)->badge);
    // Task 2 derives from it (the badge stays) and sends; the server sees 0x55.
    syscall_regs d = Regs(SYS_CAP_DERIVE, moved, RIGHT_SEND);
    ASSERT_EQ(STATUS_OK, Run(d, 2));
    syscall_regs s = Msg(SYS_SEND, d.x[1], 1);
    ASSERT_EQ(STATUS_OK, Run(s, 2));
    syscall_regs r = Regs(SYS_RECV, eserver_);
    ASSERT_EQ(STATUS_OK, Run(r, 1));
    EXPECT_EQ(0x55u, r.number);
}

TEST_F(BadgeTest, AQueuedMessageWhoseCapabilityWasRevokedNeverDeliversItsBadge)
{
    const handle_t a = Badge(0, efull_, 0xdead);
    handle_t a2 = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, 0, a, 2, true, &a2));
    syscall_regs s = Msg(SYS_CALL, a2, 1);
    ASSERT_EQ(STATUS_OK, Run(s, 2)); // queued
    syscall_regs rv = Regs(SYS_CAP_REVOKE, efull_);
    ASSERT_EQ(STATUS_OK, Run(rv, 0));
    // The server finds no message: it blocks; the caller failed with the lookup's error.
    syscall_regs r = Regs(SYS_RECV, eserver_);
    ASSERT_EQ(STATUS_OK, Run(r, 1));
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, 1));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, 2));
    EXPECT_EQ(STATUS_STALE_HANDLE, k_->ipc.tasks[2].wake_status);
    ASSERT_TRUE(kernel_run_deliver(k_.get(), 2, &s));
    EXPECT_EQ((uint64_t)STATUS_STALE_HANDLE, s.x[0]);
    EXPECT_EQ((uint64_t)SYS_CALL, s.number);
    // The next sender is received as usual.
    syscall_regs s0 = Msg(SYS_SEND, efull_, 2);
    ASSERT_EQ(STATUS_OK, Run(s0, 0));
    ASSERT_TRUE(kernel_run_deliver(k_.get(), 1, &r));
    EXPECT_EQ(0u, r.number);
    EXPECT_EQ(2u, sys_msg_label(r.x[1]));
}

TEST_F(BadgeTest, ReceiveErrorsLeaveX8)
{
    const handle_t n1 = Cap(1, NewObject(OBJECT_NOTIFICATION), RIGHTS_ALL);
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_RECV, n1), 1);
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_RECV, HANDLE_NONE), 1);
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_RECV, eserver_, sys_msg_with_slots(0, 3)), 1);
    ExpectFails(STATUS_BAD_HANDLE, Msg(SYS_REPLY_RECV, eserver_, 1), 1); // no reply right
}

} // namespace
