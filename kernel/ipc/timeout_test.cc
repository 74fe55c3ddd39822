// Tests for deadlines on kernel/ipc's blocking calls: a waiter timed out in
// every queue (receivers, senders, callers, notification waiters) and while
// waiting for a reply (the replier's reply then fails with nothing
// changed); a waiter woken before its deadline (the deadline ends with the
// wait, also on the fast paths); a deadline at or before now returning
// STATUS_TIMED_OUT at once with no effect when the call would wait, and not
// when it would not; deadlines near UINT64_MAX; a task destroyed while it
// waits with a deadline; and the earliest pending deadline reported.

#include <cstdint>

#include "kernel/cap/cap.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_test_fixture.h"
#include "kernel/ipc/notification.h"
#include "kernel/sched/sched.h"

#include "gtest/gtest.h"

namespace {

class TimeoutTest : public IpcTest {
  protected:
    void SetUp() override
    {
        IpcTest::SetUp();
        for (uint32_t id = 1; id <= 4; id++) {
            AddTask(id);
        }
    }

    /** Fills task id's outgoing message: label, one word, the handles. */
    void SetMsg(uint32_t id, uint64_t label, handle_t cap = HANDLE_NONE)
    {
        ipc_msg &m = Task(id).msg;
        m = ipc_msg{};
        m.label = label;
        m.word_count = 1;
        m.words[0] = label * 10;
        m.cap_count = cap == HANDLE_NONE ? 0 : 1;
        m.caps[0] = cap;
    }
    /** The next call of task id waits at most until deadline (0: no deadline). */
    void Deadline(uint32_t id, uint64_t deadline)
    {
        Task(id).deadline = deadline;
    }
    /** As kernel/syscall after each call: the deadline ends unless the task waits. */
    void EndCall(uint32_t id)
    {
        if (Task(id).wait == IPC_WAIT_NONE) {
            Task(id).deadline = 0;
        }
    }
    status_t Send(uint32_t ep, uint32_t id)
    {
        status_t st = ipc_send(ipc_.get(), sched_.get(), caps_.get(), ep, id);
        EndCall(id);
        return st;
    }
    status_t Recv(uint32_t ep, uint32_t id)
    {
        status_t st = ipc_recv(ipc_.get(), sched_.get(), caps_.get(), ep, id);
        EndCall(id);
        return st;
    }
    status_t Call(uint32_t ep, uint32_t id)
    {
        status_t st = ipc_call(ipc_.get(), sched_.get(), caps_.get(), ep, id);
        EndCall(id);
        return st;
    }
    status_t Reply(uint32_t id)
    {
        return ipc_reply(ipc_.get(), sched_.get(), caps_.get(), id);
    }
    status_t ReplyRecv(uint32_t ep, uint32_t id)
    {
        status_t st = ipc_reply_recv(ipc_.get(), sched_.get(), caps_.get(), ep, id);
        EndCall(id);
        return st;
    }
    status_t Wait(uint32_t n, uint32_t id)
    {
        status_t st = ipc_notify_wait(ipc_.get(), sched_.get(), n, id);
        EndCall(id);
        return st;
    }
    uint32_t Expire(uint64_t now, uint64_t *next = nullptr)
    {
        return ipc_timeouts_expire(ipc_.get(), sched_.get(), now, next);
    }
    /** Task id was woken with status and waits on nothing, with no deadline. */
    void ExpectWoken(uint32_t id, status_t status)
    {
        EXPECT_EQ(SCHED_READY, State(id));
        EXPECT_EQ(IPC_WAIT_NONE, Task(id).wait);
        EXPECT_EQ(status, Task(id).wake_status);
        EXPECT_EQ(0u, Task(id).deadline);
        EXPECT_EQ(IPC_NO_TASK, Task(id).next);
        EXPECT_EQ(IPC_NO_TASK, Task(id).prev);
    }
    bool HoldsCap(uint32_t table, handle_t h)
    {
        cap *c = nullptr;
        return cap_lookup(caps_.get(), table, h, OBJECT_NONE, 0, &c) == STATUS_OK;
    }
};

TEST_F(TimeoutTest, ReceiverTimesOutInTheQueue)
{
    Deadline(1, 100);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    ASSERT_EQ(SCHED_BLOCKED, State(1));
    uint64_t next = 0;
    EXPECT_EQ(0u, Expire(99, &next));
    EXPECT_EQ(100u, next);
    EXPECT_EQ(SCHED_BLOCKED, State(1));
    EXPECT_EQ(1u, Expire(100, &next));
    EXPECT_EQ(0u, next);
    ExpectWoken(1, STATUS_TIMED_OUT);
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].receivers.head);
    // It is out of the queue: a sender now queues instead of reaching it.
    SetMsg(2, 7);
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    EXPECT_EQ(SCHED_BLOCKED, State(2));
    EXPECT_EQ(2, ipc_->endpoints[0].senders.head);
    ASSERT_EQ(STATUS_OK, Recv(0, 3));
    ExpectWoken(2, STATUS_OK);
}

TEST_F(TimeoutTest, SenderTimesOutInTheQueueAndKeepsItsCapability)
{
    handle_t h = NewCap(2);
    SetMsg(2, 5, h);
    Deadline(2, 50);
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    SetMsg(3, 6);
    ASSERT_EQ(STATUS_OK, Send(0, 3)); // queued behind, no deadline
    EXPECT_EQ(1u, Expire(60));
    ExpectWoken(2, STATUS_TIMED_OUT);
    EXPECT_TRUE(HoldsCap(2, h));
    EXPECT_EQ(1u, cap_table_count(caps_.get(), 2));
    // The receiver gets the next sender's message, not the timed-out one.
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    EXPECT_EQ(6u, Task(1).msg.label);
    EXPECT_EQ(0u, cap_table_count(caps_.get(), 1));
    ExpectWoken(3, STATUS_OK);
}

TEST_F(TimeoutTest, QueuedCallerTimesOut)
{
    SetMsg(2, 5);
    Deadline(2, 50);
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    ASSERT_EQ(IPC_WAIT_CALL, Task(2).wait);
    EXPECT_EQ(1u, Expire(50));
    ExpectWoken(2, STATUS_TIMED_OUT);
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].senders.head);
    // The server then finds nobody: it waits, and holds no reply right.
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    EXPECT_EQ(SCHED_BLOCKED, State(1));
    EXPECT_EQ(IPC_NO_TASK, Task(1).reply_to);
}

TEST_F(TimeoutTest, CallerTimedOutAfterReceiveLeavesTheServersReplyHarmless)
{
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(2, 5);
    Deadline(2, 70);
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    ASSERT_EQ(IPC_WAIT_REPLY, Task(2).wait);
    ASSERT_EQ(2, Task(1).reply_to);
    EXPECT_EQ(1u, Expire(80));
    ExpectWoken(2, STATUS_TIMED_OUT);
    // The server's reply right went with the caller: its reply fails with
    // a named status and changes nothing (the caller is not woken again).
    EXPECT_EQ(IPC_NO_TASK, Task(1).reply_to);
    handle_t h = NewCap(1);
    SetMsg(1, 9, h);
    Snapshot();
    EXPECT_EQ(STATUS_BAD_HANDLE, Reply(1));
    EXPECT_TRUE(Unchanged());
    EXPECT_EQ(STATUS_BAD_HANDLE, ipc_reply_recv(ipc_.get(), sched_.get(), caps_.get(), 0, 1));
    EXPECT_TRUE(Unchanged());
    EXPECT_TRUE(HoldsCap(1, h));
    // Both go on: the server receives, the caller calls again and is served.
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(2, 6);
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    EXPECT_EQ(6u, Task(1).msg.label);
    SetMsg(1, 10);
    ASSERT_EQ(STATUS_OK, Reply(1));
    ExpectWoken(2, STATUS_OK);
    EXPECT_EQ(10u, Task(2).msg.label);
}

TEST_F(TimeoutTest, NotificationWaiterTimesOut)
{
    Deadline(1, 10);
    ASSERT_EQ(STATUS_OK, Wait(3, 1));
    Deadline(2, 20);
    ASSERT_EQ(STATUS_OK, Wait(3, 2));
    uint64_t next = 0;
    EXPECT_EQ(1u, Expire(15, &next));
    EXPECT_EQ(20u, next);
    ExpectWoken(1, STATUS_TIMED_OUT);
    EXPECT_EQ(SCHED_BLOCKED, State(2));
    // A signal now goes to the one still waiting.
    ASSERT_EQ(STATUS_OK, ipc_notify_signal(ipc_.get(), sched_.get(), 3, 4));
    ExpectWoken(2, STATUS_OK);
    EXPECT_EQ(4u, Task(2).bits);
    EXPECT_EQ(0u, Expire(1000, &next));
    EXPECT_EQ(0u, next);
}

TEST_F(TimeoutTest, WokenBeforeTheDeadlineTheDeadlineEnds)
{
    Deadline(1, 100);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(2, 5);
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    ExpectWoken(1, STATUS_OK);
    EXPECT_EQ(5u, Task(1).msg.label);
    uint64_t next = 1;
    EXPECT_EQ(0u, Expire(1000, &next));
    EXPECT_EQ(0u, next);
    EXPECT_EQ(STATUS_OK, Task(1).wake_status);
    // A caller with a deadline that gets its reply in time.
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(2, 6);
    Deadline(2, 2000);
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    SetMsg(1, 7);
    ASSERT_EQ(STATUS_OK, Reply(1));
    ExpectWoken(2, STATUS_OK);
    EXPECT_EQ(0u, Expire(3000));
    EXPECT_EQ(STATUS_OK, Task(2).wake_status);
}

TEST_F(TimeoutTest, FastPathsEndTheWokenTasksDeadline)
{
    // Server 1 receives with a deadline; caller 2 (running) calls fast.
    // Both above tasks 3 and 4, so that each hand-off is the scheduler's choice.
    ASSERT_EQ(STATUS_OK, sched_set_priority(sched_.get(), 1, 20));
    ASSERT_EQ(STATUS_OK, sched_set_priority(sched_.get(), 2, 20));
    ASSERT_EQ(1, sched_pick_next(sched_.get()));
    Deadline(1, 100);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    ASSERT_EQ(2, sched_pick_next(sched_.get()));
    ASSERT_EQ(1, ipc_call_fast(ipc_.get(), sched_.get(), 0, 2));
    EXPECT_EQ(0u, Task(1).deadline);
    EXPECT_EQ(0u, Expire(1000));
    EXPECT_EQ(IPC_WAIT_REPLY, Task(2).wait);
    ASSERT_EQ(STATUS_OK, Invariants());
    // The caller's deadline (as the general path would have set it) ends
    // with the fast reply.
    Deadline(2, 500);
    ASSERT_EQ(2, ipc_reply_recv_fast(ipc_.get(), sched_.get(), 0, 1));
    EXPECT_EQ(0u, Task(2).deadline);
    EXPECT_EQ(0u, Expire(1000));
    EXPECT_EQ(IPC_WAIT_RECV, Task(1).wait);
}

TEST_F(TimeoutTest, PassedDeadlineTimesOutAtOnceWithNoEffectWhenTheCallWouldWait)
{
    ipc_->now = 100;
    handle_t h = NewCap(2);
    // Receive with nobody sending; the deadline exactly now, then before it.
    for (uint64_t d : {100ull, 1ull}) {
        Deadline(1, d);
        Snapshot();
        EXPECT_EQ(STATUS_TIMED_OUT, ipc_recv(ipc_.get(), sched_.get(), caps_.get(), 0, 1));
        EXPECT_TRUE(Unchanged());
        EndCall(1);
    }
    // Send with no receiver, with a capability: nothing moves.
    SetMsg(2, 5, h);
    Deadline(2, 99);
    Snapshot();
    EXPECT_EQ(STATUS_TIMED_OUT, ipc_send(ipc_.get(), sched_.get(), caps_.get(), 0, 2));
    EXPECT_TRUE(Unchanged());
    EndCall(2);
    // Notification wait with no bit pending.
    Deadline(1, 100);
    Snapshot();
    EXPECT_EQ(STATUS_TIMED_OUT, ipc_notify_wait(ipc_.get(), sched_.get(), 3, 1));
    EXPECT_TRUE(Unchanged());
    EndCall(1);
    // A call always waits (for its reply): even with a receiver waiting,
    // nothing is delivered and the receiver keeps waiting.
    ASSERT_EQ(STATUS_OK, Recv(0, 3));
    SetMsg(2, 5, h);
    Deadline(2, 100);
    Snapshot();
    EXPECT_EQ(STATUS_TIMED_OUT, ipc_call(ipc_.get(), sched_.get(), caps_.get(), 0, 2));
    EXPECT_TRUE(Unchanged());
    EndCall(2);
    EXPECT_EQ(SCHED_BLOCKED, State(3));
    EXPECT_TRUE(HoldsCap(2, h));
    // A message error still comes first.
    Task(2).msg.word_count = IPC_MSG_WORDS + 1;
    Deadline(2, 100);
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, Call(0, 2));
    SetMsg(2, 5);
}

TEST_F(TimeoutTest, PassedDeadlineDoesNotStopACallThatNeedNotWait)
{
    ipc_->now = 100;
    // A receive with a sender queued takes its message.
    SetMsg(2, 5);
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    Deadline(1, 50);
    EXPECT_EQ(STATUS_OK, Recv(0, 1));
    EXPECT_EQ(5u, Task(1).msg.label);
    ExpectWoken(2, STATUS_OK);
    // A send with a receiver waiting delivers.
    ASSERT_EQ(STATUS_OK, Recv(0, 3));
    SetMsg(2, 6);
    Deadline(2, 50);
    EXPECT_EQ(STATUS_OK, Send(0, 2));
    ExpectWoken(3, STATUS_OK);
    EXPECT_EQ(6u, Task(3).msg.label);
    // A wait with bits pending takes them.
    ASSERT_EQ(STATUS_OK, ipc_notify_signal(ipc_.get(), sched_.get(), 1, 8));
    Deadline(1, 50);
    EXPECT_EQ(STATUS_OK, Wait(1, 1));
    EXPECT_EQ(8u, Task(1).bits);
    EXPECT_EQ(0u, Task(1).deadline);
}

TEST_F(TimeoutTest, PassedDeadlineWithOnlyUndeliverableSendersQueuedChangesNothing)
{
    // Sender 2's capability goes stale while it waits: a receive would drop
    // it, but a receive that times out at once leaves the queue alone.
    handle_t h = NewCap(2);
    SetMsg(2, 5, h);
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 2, h));
    ipc_->now = 100;
    Deadline(1, 100);
    Snapshot();
    EXPECT_EQ(STATUS_TIMED_OUT, ipc_recv(ipc_.get(), sched_.get(), caps_.get(), 0, 1));
    EXPECT_TRUE(Unchanged());
    EndCall(1);
    EXPECT_EQ(SCHED_BLOCKED, State(2));
}

TEST_F(TimeoutTest, ReplyRecvWithPassedDeadlineRepliesThenTimesOut)
{
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(2, 5);
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    ipc_->now = 100;
    SetMsg(1, 9);
    Deadline(1, 100);
    EXPECT_EQ(STATUS_TIMED_OUT, ReplyRecv(0, 1));
    ExpectWoken(2, STATUS_OK);
    EXPECT_EQ(9u, Task(2).msg.label);
    EXPECT_EQ(IPC_NO_TASK, Task(1).reply_to);
    EXPECT_EQ(IPC_WAIT_NONE, Task(1).wait);
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].receivers.head);
    // With a sender queued, the same call receives.
    SetMsg(2, 6);
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(3, 7);
    ASSERT_EQ(STATUS_OK, Send(0, 3));
    SetMsg(1, 10);
    Deadline(1, 100);
    EXPECT_EQ(STATUS_OK, ReplyRecv(0, 1));
    EXPECT_EQ(7u, Task(1).msg.label);
}

TEST_F(TimeoutTest, FarDeadlinesDoNotOverflow)
{
    ipc_->now = UINT64_MAX - 1;
    Deadline(1, UINT64_MAX);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    ASSERT_EQ(SCHED_BLOCKED, State(1));
    Deadline(2, UINT64_MAX - 1); // passed: at now
    EXPECT_EQ(STATUS_TIMED_OUT, Wait(0, 2));
    uint64_t next = 0;
    EXPECT_EQ(0u, Expire(UINT64_MAX - 1, &next));
    EXPECT_EQ(UINT64_MAX, next);
    EXPECT_EQ(1u, Expire(UINT64_MAX, &next));
    ExpectWoken(1, STATUS_TIMED_OUT);
    // At counter 0 a deadline of 1 is still to come.
    ipc_->now = 0;
    Deadline(3, 1);
    ASSERT_EQ(STATUS_OK, Wait(0, 3));
    EXPECT_EQ(0u, Expire(0, &next));
    EXPECT_EQ(1u, next);
    EXPECT_EQ(1u, Expire(1));
    ExpectWoken(3, STATUS_TIMED_OUT);
}

TEST_F(TimeoutTest, DestroyedWhileWaitingWithADeadline)
{
    Deadline(1, 100);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    Deadline(2, 100);
    SetMsg(2, 5);
    ASSERT_EQ(STATUS_OK, Call(0, 3 - 1)); // queued caller
    Deadline(3, 100);
    ASSERT_EQ(STATUS_OK, Wait(1, 3));
    for (uint32_t id : {1u, 2u, 3u}) {
        ASSERT_EQ(STATUS_OK, ipc_task_destroy(ipc_.get(), sched_.get(), id));
        EXPECT_EQ(0u, Task(id).deadline);
        ASSERT_EQ(STATUS_OK, sched_remove(sched_.get(), id));
    }
    uint64_t next = 1;
    EXPECT_EQ(0u, Expire(1000, &next));
    EXPECT_EQ(0u, next);
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].senders.head);
    EXPECT_EQ(IPC_NO_TASK, ipc_->notifications[1].waiters.head);
}

TEST_F(TimeoutTest, ManyExpireInOnePassAndTheEarliestLeftIsReported)
{
    uint64_t deadlines[] = {0, 30, 10, 40, 20};
    for (uint32_t id = 1; id <= 4; id++) {
        Deadline(id, deadlines[id]);
        ASSERT_EQ(STATUS_OK, Wait(id, id));
    }
    uint64_t next = 0;
    EXPECT_EQ(2u, Expire(25, &next));
    EXPECT_EQ(30u, next);
    ExpectWoken(2, STATUS_TIMED_OUT);
    ExpectWoken(4, STATUS_TIMED_OUT);
    EXPECT_EQ(SCHED_BLOCKED, State(1));
    EXPECT_EQ(SCHED_BLOCKED, State(3));
    EXPECT_EQ(2u, Expire(40, &next));
    EXPECT_EQ(0u, next);
}

TEST_F(TimeoutTest, AStaleDeadlineOnATaskWaitingOnNothingBreaksTheInvariant)
{
    Deadline(1, 5);
    EXPECT_EQ(STATUS_BAD_FORMAT, ipc_check_invariants(ipc_.get(), sched_.get()));
    Deadline(1, 0);
}

} // namespace
