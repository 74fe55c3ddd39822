// Tests for kernel/ipc notifications: signal before and after wait, bits
// accumulating, FIFO waiters, poll, destroy waking every waiter, a waiter's
// task destroyed, and every error path leaving all state unchanged.

#include "kernel/ipc/notification.h"

#include <cstdint>

#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_test_fixture.h"
#include "kernel/sched/sched.h"

#include "gtest/gtest.h"

namespace {

class NotificationTest : public IpcTest {
  protected:
    status_t Signal(uint32_t id, uint64_t bits)
    {
        return ipc_notify_signal(ipc_.get(), sched_.get(), id, bits);
    }
    status_t Wait(uint32_t id, uint32_t task)
    {
        return ipc_notify_wait(ipc_.get(), sched_.get(), id, task);
    }
    status_t Poll(uint32_t id, uint32_t task)
    {
        return ipc_notify_poll(ipc_.get(), sched_.get(), id, task);
    }
};

TEST_F(NotificationTest, SignalThenWaitReturnsAtOnce)
{
    AddTask(0);
    ASSERT_EQ(STATUS_OK, Signal(7, 0x5));
    ASSERT_EQ(STATUS_OK, Wait(7, 0));
    EXPECT_EQ(0x5u, Task(0).bits);
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(0u, ipc_->notifications[7].pending);
}

TEST_F(NotificationTest, WaitBlocksUntilSignal)
{
    AddTask(3);
    ASSERT_EQ(STATUS_OK, Wait(1, 3));
    EXPECT_EQ(SCHED_BLOCKED, State(3));
    EXPECT_EQ(uint32_t{IPC_WAIT_NOTIFY}, Task(3).wait);
    ASSERT_EQ(STATUS_OK, Invariants());
    ASSERT_EQ(STATUS_OK, Signal(1, 0x30));
    EXPECT_EQ(SCHED_READY, State(3));
    EXPECT_EQ(0x30u, Task(3).bits);
    EXPECT_EQ(STATUS_OK, Task(3).wake_status);
    EXPECT_EQ(uint32_t{IPC_WAIT_NONE}, Task(3).wait);
    EXPECT_EQ(0u, ipc_->notifications[1].pending);
}

TEST_F(NotificationTest, BitsAccumulate)
{
    AddTask(0);
    ASSERT_EQ(STATUS_OK, Signal(0, 1));
    ASSERT_EQ(STATUS_OK, Signal(0, 2));
    ASSERT_EQ(STATUS_OK, Signal(0, 2));
    ASSERT_EQ(STATUS_OK, Wait(0, 0));
    EXPECT_EQ(3u, Task(0).bits);
}

TEST_F(NotificationTest, ZeroBitsWakeNobody)
{
    AddTask(0);
    ASSERT_EQ(STATUS_OK, Wait(0, 0));
    ASSERT_EQ(STATUS_OK, Signal(0, 0));
    EXPECT_EQ(SCHED_BLOCKED, State(0));
}

TEST_F(NotificationTest, WaitersWakeInFifoOrderOnePerSignal)
{
    // Priorities do not matter for notifications: plain FIFO.
    AddTask(4, 1);
    AddTask(2, 20);
    AddTask(9, 5);
    ASSERT_EQ(STATUS_OK, Wait(5, 4));
    ASSERT_EQ(STATUS_OK, Wait(5, 2));
    ASSERT_EQ(STATUS_OK, Wait(5, 9));
    const uint32_t order[] = {4, 2, 9};
    for (uint32_t i = 0; i < 3; i++) {
        ASSERT_EQ(STATUS_OK, Signal(5, 1u << i));
        EXPECT_EQ(SCHED_READY, State(order[i]));
        EXPECT_EQ(uint64_t{1} << i, Task(order[i]).bits);
        for (uint32_t j = i + 1; j < 3; j++) {
            EXPECT_EQ(SCHED_BLOCKED, State(order[j]));
        }
        ASSERT_EQ(STATUS_OK, Invariants());
    }
}

TEST_F(NotificationTest, PollWithoutBitsWouldBlockAndChangesNothing)
{
    AddTask(0);
    Snapshot();
    EXPECT_EQ(STATUS_WOULD_BLOCK, Poll(0, 0));
    EXPECT_TRUE(Unchanged());
    ASSERT_EQ(STATUS_OK, Signal(0, 0x80));
    ASSERT_EQ(STATUS_OK, Poll(0, 0));
    EXPECT_EQ(0x80u, Task(0).bits);
    EXPECT_EQ(STATUS_WOULD_BLOCK, Poll(0, 0));
}

TEST_F(NotificationTest, DestroyWakesEveryWaiterAndDropsBits)
{
    AddTask(0);
    AddTask(1);
    AddTask(2);
    ASSERT_EQ(STATUS_OK, Wait(3, 0));
    ASSERT_EQ(STATUS_OK, Wait(3, 1));
    ASSERT_EQ(STATUS_OK, ipc_notify_destroy(ipc_.get(), sched_.get(), 3));
    for (uint32_t id : {0u, 1u}) {
        EXPECT_EQ(SCHED_READY, State(id));
        EXPECT_EQ(STATUS_OBJECT_DESTROYED, Task(id).wake_status);
    }
    EXPECT_EQ(IPC_NO_TASK, ipc_->notifications[3].waiters.head);
    ASSERT_EQ(STATUS_OK, Signal(3, 1));
    ASSERT_EQ(STATUS_OK, ipc_notify_destroy(ipc_.get(), sched_.get(), 3));
    EXPECT_EQ(STATUS_WOULD_BLOCK, Poll(3, 2));
}

TEST_F(NotificationTest, DestroyedWaiterLeavesQueue)
{
    AddTask(0);
    AddTask(1);
    ASSERT_EQ(STATUS_OK, Wait(0, 0));
    ASSERT_EQ(STATUS_OK, Wait(0, 1));
    ASSERT_EQ(STATUS_OK, ipc_task_destroy(ipc_.get(), sched_.get(), 0));
    ASSERT_EQ(STATUS_OK, sched_remove(sched_.get(), 0));
    ASSERT_EQ(STATUS_OK, Invariants());
    ASSERT_EQ(STATUS_OK, Signal(0, 1));
    EXPECT_EQ(SCHED_READY, State(1));
    EXPECT_EQ(1u, Task(1).bits);
}

TEST_F(NotificationTest, ErrorsChangeNothing)
{
    AddTask(0);
    AddTask(1);
    AddTask(2);
    ASSERT_EQ(STATUS_OK, Wait(0, 1));                   // task 1 waits
    ASSERT_EQ(STATUS_OK, sched_block(sched_.get(), 2)); // task 2 blocked elsewhere
    ASSERT_EQ(STATUS_OK, Signal(1, 4));                 // bits pending on 1
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_notify_signal(nullptr, sched_.get(), 0, 1));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_notify_signal(ipc_.get(), nullptr, 0, 1));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, Signal(IPC_MAX_NOTIFICATIONS, 1));
    for (auto fn : {ipc_notify_wait, ipc_notify_poll}) {
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(nullptr, sched_.get(), 1, 0));
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), nullptr, 1, 0));
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), sched_.get(), IPC_MAX_NOTIFICATIONS, 0));
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), sched_.get(), 1, SCHED_MAX_ENTITIES));
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), sched_.get(), 1, 1)); // waiting
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), sched_.get(), 1, 2)); // blocked
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), sched_.get(), 1, 5)); // unused
    }
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_notify_destroy(nullptr, sched_.get(), 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_notify_destroy(ipc_.get(), nullptr, 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              ipc_notify_destroy(ipc_.get(), sched_.get(), IPC_MAX_NOTIFICATIONS));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_task_destroy(nullptr, sched_.get(), 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_task_destroy(ipc_.get(), sched_.get(), 64));
    EXPECT_TRUE(Unchanged());
    ASSERT_EQ(STATUS_OK, sched_unblock(sched_.get(), 2));
}

} // namespace
