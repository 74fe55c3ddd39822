// Tests for kernel/ipc endpoints: send before and after recv, FIFO among
// equal priorities and higher priority first (senders and receivers),
// call/reply round trips, the one-shot reply right, reply+recv, capability
// transfer with and without RIGHT_GRANT, a full receiver table, queued
// senders whose message became undeliverable (dropped and woken with the
// error, the receive going on), wake on endpoint and task destruction,
// every error path leaving the scheduler, the IPC state and the capability
// space byte for byte unchanged, and a seeded random sequence with every
// invariant checked after each step.

#include "kernel/ipc/endpoint.h"

#include <cstdint>
#include <initializer_list>
#include <random>

#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_test_fixture.h"
#include "kernel/ipc/notification.h"
#include "kernel/sched/sched.h"

#include "gtest/gtest.h"

namespace {

class EndpointTest : public IpcTest {
  protected:
    /** Fills task id's outgoing message: a label, words 1..n times label, handles. */
    void SetMsg(uint32_t id, uint64_t label, uint32_t words = 0,
                std::initializer_list<handle_t> hs = {})
    {
        ipc_msg &m = Task(id).msg;
        m = ipc_msg{};
        m.label = label;
        m.word_count = words;
        for (uint32_t w = 0; w < words && w < IPC_MSG_WORDS; w++) {
            m.words[w] = label * 100 + w;
        }
        m.cap_count = 0;
        for (handle_t h : hs) {
            m.caps[m.cap_count++] = h;
        }
    }
    status_t Send(uint32_t ep, uint32_t id)
    {
        return ipc_send(ipc_.get(), sched_.get(), caps_.get(), ep, id);
    }
    status_t Recv(uint32_t ep, uint32_t id)
    {
        return ipc_recv(ipc_.get(), sched_.get(), caps_.get(), ep, id);
    }
    status_t Call(uint32_t ep, uint32_t id)
    {
        return ipc_call(ipc_.get(), sched_.get(), caps_.get(), ep, id);
    }
    status_t Reply(uint32_t id)
    {
        return ipc_reply(ipc_.get(), sched_.get(), caps_.get(), id);
    }
    status_t ReplyRecv(uint32_t ep, uint32_t id)
    {
        return ipc_reply_recv(ipc_.get(), sched_.get(), caps_.get(), ep, id);
    }
    /** Whether handle h names a capability in table with the rights. */
    bool Holds(uint32_t table, handle_t h, rights_t rights)
    {
        cap *c = nullptr;
        return cap_lookup(caps_.get(), table, h, OBJECT_NONE, 0, &c) == STATUS_OK &&
               c->rights == rights;
    }
    void Fill(uint32_t table)
    {
        while (cap_table_count(caps_.get(), table) < CAP_TABLE_SLOTS) {
            NewCap(table);
        }
    }
    void ExpectMsg(uint32_t id, uint64_t label, uint32_t words)
    {
        const ipc_msg &m = Task(id).msg;
        EXPECT_EQ(label, m.label);
        EXPECT_EQ(words, m.word_count);
        for (uint32_t w = 0; w < IPC_MSG_WORDS; w++) {
            EXPECT_EQ(w < words ? label * 100 + w : 0, m.words[w]) << "word " << w;
        }
    }
};

TEST_F(EndpointTest, RecvBeforeSend)
{
    AddTask(0);
    AddTask(1);
    ASSERT_EQ(STATUS_OK, Recv(2, 1));
    EXPECT_EQ(SCHED_BLOCKED, State(1));
    EXPECT_EQ(uint32_t{IPC_WAIT_RECV}, Task(1).wait);
    SetMsg(0, 7, 3);
    ASSERT_EQ(STATUS_OK, Send(2, 0));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(SCHED_READY, State(1));
    EXPECT_EQ(STATUS_OK, Task(1).wake_status);
    ExpectMsg(1, 7, 3);
    EXPECT_EQ(IPC_NO_TASK, Task(1).reply_to);
}

TEST_F(EndpointTest, SendBeforeRecv)
{
    AddTask(0);
    AddTask(1);
    SetMsg(0, 9, 4);
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    EXPECT_EQ(SCHED_BLOCKED, State(0));
    EXPECT_EQ(uint32_t{IPC_WAIT_SEND}, Task(0).wait);
    ASSERT_EQ(STATUS_OK, Invariants());
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(STATUS_OK, Task(0).wake_status);
    EXPECT_EQ(SCHED_READY, State(1));
    ExpectMsg(1, 9, 4);
}

TEST_F(EndpointTest, SendersFifoAmongEqualsHigherPriorityFirst)
{
    // (id, priority): served 2, 4 (priority 20, FIFO), then 1, 3 (5), then 5 (1).
    const uint32_t prio[] = {0, 5, 20, 5, 20, 1};
    for (uint32_t id = 1; id <= 5; id++) {
        AddTask(id, prio[id]);
        SetMsg(id, id);
        ASSERT_EQ(STATUS_OK, Send(3, id));
    }
    AddTask(0, 0);
    ASSERT_EQ(STATUS_OK, Invariants());
    for (uint32_t want : {2u, 4u, 1u, 3u, 5u}) {
        ASSERT_EQ(STATUS_OK, Recv(3, 0));
        EXPECT_EQ(want, Task(0).msg.label);
        EXPECT_EQ(SCHED_READY, State(want));
    }
    ASSERT_EQ(STATUS_OK, Recv(3, 0));
    EXPECT_EQ(SCHED_BLOCKED, State(0));
}

TEST_F(EndpointTest, ReceiversFifoAmongEqualsHigherPriorityFirst)
{
    const uint32_t prio[] = {0, 3, 3, 9, 3};
    for (uint32_t id = 1; id <= 4; id++) {
        AddTask(id, prio[id]);
        ASSERT_EQ(STATUS_OK, Recv(0, id));
    }
    AddTask(0);
    uint64_t label = 100;
    for (uint32_t want : {3u, 1u, 2u, 4u}) {
        SetMsg(0, label);
        ASSERT_EQ(STATUS_OK, Send(0, 0));
        EXPECT_EQ(SCHED_READY, State(want));
        EXPECT_EQ(label, Task(want).msg.label);
        label++;
    }
}

TEST_F(EndpointTest, CallReplyRoundTripReceiverFirst)
{
    AddTask(0); // client
    AddTask(1); // server
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(0, 42, 2);
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    EXPECT_EQ(SCHED_BLOCKED, State(0));
    EXPECT_EQ(uint32_t{IPC_WAIT_REPLY}, Task(0).wait);
    EXPECT_EQ(1u, Task(0).wait_object);
    EXPECT_EQ(SCHED_READY, State(1));
    EXPECT_EQ(0, Task(1).reply_to);
    ExpectMsg(1, 42, 2);
    ASSERT_EQ(STATUS_OK, Invariants());
    SetMsg(1, 43, 4);
    ASSERT_EQ(STATUS_OK, Reply(1));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(STATUS_OK, Task(0).wake_status);
    ExpectMsg(0, 43, 4);
    EXPECT_EQ(IPC_NO_TASK, Task(1).reply_to);
}

TEST_F(EndpointTest, CallReplyRoundTripCallerFirstAndOneShot)
{
    AddTask(0);
    AddTask(1);
    SetMsg(0, 5, 1);
    ASSERT_EQ(STATUS_OK, Call(4, 0));
    EXPECT_EQ(uint32_t{IPC_WAIT_CALL}, Task(0).wait);
    ASSERT_EQ(STATUS_OK, Recv(4, 1));
    EXPECT_EQ(SCHED_BLOCKED, State(0));
    EXPECT_EQ(uint32_t{IPC_WAIT_REPLY}, Task(0).wait);
    ExpectMsg(1, 5, 1);
    SetMsg(1, 6, 0);
    ASSERT_EQ(STATUS_OK, Reply(1));
    ExpectMsg(0, 6, 0);
    Snapshot();
    EXPECT_EQ(STATUS_BAD_HANDLE, Reply(1));
    EXPECT_TRUE(Unchanged());
}

TEST_F(EndpointTest, ReplyWithoutCallIsBadHandle)
{
    AddTask(0);
    AddTask(1);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(0, 1);
    ASSERT_EQ(STATUS_OK, Send(0, 0)); // a plain send gives no reply right
    Snapshot();
    EXPECT_EQ(STATUS_BAD_HANDLE, Reply(1));
    EXPECT_EQ(STATUS_BAD_HANDLE, ReplyRecv(0, 1));
    EXPECT_TRUE(Unchanged());
}

TEST_F(EndpointTest, RecvWhileHoldingReplyRightIsRefused)
{
    AddTask(0);
    AddTask(1);
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, Recv(0, 1));
    EXPECT_TRUE(Unchanged());
}

TEST_F(EndpointTest, ReplyRecvServesClientsInTurn)
{
    AddTask(0); // server
    AddTask(1);
    AddTask(2);
    SetMsg(1, 11);
    SetMsg(2, 22);
    ASSERT_EQ(STATUS_OK, Call(0, 1));
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    ASSERT_EQ(STATUS_OK, Recv(0, 0));
    EXPECT_EQ(11u, Task(0).msg.label);
    SetMsg(0, 111);
    ASSERT_EQ(STATUS_OK, ReplyRecv(0, 0));
    EXPECT_EQ(SCHED_READY, State(1));
    EXPECT_EQ(111u, Task(1).msg.label);
    EXPECT_EQ(22u, Task(0).msg.label);
    EXPECT_EQ(2, Task(0).reply_to);
    SetMsg(0, 222);
    ASSERT_EQ(STATUS_OK, ReplyRecv(0, 0)); // nobody left: the server blocks
    EXPECT_EQ(222u, Task(2).msg.label);
    EXPECT_EQ(SCHED_READY, State(2));
    EXPECT_EQ(SCHED_BLOCKED, State(0));
    EXPECT_EQ(uint32_t{IPC_WAIT_RECV}, Task(0).wait);
}

TEST_F(EndpointTest, CapabilitiesMoveWithGrant)
{
    AddTask(0);
    AddTask(1);
    const rights_t r1 = RIGHT_GRANT | RIGHT_READ;
    handle_t h1 = NewCap(0, r1);
    handle_t h2 = NewCap(0, RIGHTS_ALL);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(0, 1, 0, {h1, h2});
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    EXPECT_EQ(2u, Task(1).msg.cap_count);
    EXPECT_TRUE(Holds(1, Task(1).msg.caps[0], r1));
    EXPECT_TRUE(Holds(1, Task(1).msg.caps[1], RIGHTS_ALL));
    EXPECT_FALSE(Holds(0, h1, r1));
    EXPECT_EQ(0u, cap_table_count(caps_.get(), 0));
    EXPECT_EQ(2u, cap_table_count(caps_.get(), 1));
    EXPECT_EQ(STATUS_OK, cap_check_invariants(caps_.get()));
}

TEST_F(EndpointTest, CapabilitiesMoveFromBlockedSenderAndInReply)
{
    AddTask(0);
    AddTask(1);
    handle_t h = NewCap(0, RIGHT_GRANT);
    SetMsg(0, 1, 0, {h});
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    handle_t got = Task(1).msg.caps[0];
    EXPECT_TRUE(Holds(1, got, RIGHT_GRANT));
    EXPECT_EQ(HANDLE_NONE, Task(1).msg.caps[1]);
    SetMsg(1, 2, 0, {got});
    ASSERT_EQ(STATUS_OK, Reply(1));
    EXPECT_TRUE(Holds(0, Task(0).msg.caps[0], RIGHT_GRANT));
    EXPECT_EQ(0u, cap_table_count(caps_.get(), 1));
}

TEST_F(EndpointTest, CapabilityWithoutGrantFailsWholeMessage)
{
    AddTask(0);
    AddTask(1);
    handle_t ok = NewCap(0, RIGHT_GRANT);
    handle_t no = NewCap(0, RIGHTS_ALL & ~RIGHT_GRANT);
    SetMsg(0, 1, 0, {ok, no});
    Snapshot();
    EXPECT_EQ(STATUS_MISSING_RIGHT, Send(0, 0)); // no receiver: checked before blocking
    EXPECT_EQ(STATUS_MISSING_RIGHT, Call(0, 0));
    EXPECT_TRUE(Unchanged());
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    Snapshot();
    EXPECT_EQ(STATUS_MISSING_RIGHT, Send(0, 0));
    EXPECT_TRUE(Unchanged());
    EXPECT_TRUE(Holds(0, ok, RIGHT_GRANT));
    EXPECT_EQ(0u, cap_table_count(caps_.get(), 1));
}

TEST_F(EndpointTest, QueuedSenderWhoseCapabilityWentStaleIsDropped)
{
    AddTask(0); // sender, loses its capability while queued
    AddTask(1); // sender behind it
    AddTask(2); // receiver
    handle_t h0 = NewCap(0, RIGHT_GRANT);
    handle_t h1 = NewCap(1, RIGHT_GRANT | RIGHT_READ);
    SetMsg(0, 10, 1, {h0});
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    SetMsg(1, 11, 2, {h1});
    ASSERT_EQ(STATUS_OK, Send(0, 1));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, h0));
    ASSERT_EQ(STATUS_OK, Recv(0, 2));
    // Sender 0 is out of the queue and runs again, told why.
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(uint32_t{IPC_WAIT_NONE}, Task(0).wait);
    EXPECT_EQ(STATUS_STALE_HANDLE, Task(0).wake_status);
    // The receiver got sender 1's message and capability at once.
    EXPECT_EQ(SCHED_READY, State(2));
    ExpectMsg(2, 11, 2);
    ASSERT_EQ(1u, Task(2).msg.cap_count);
    EXPECT_TRUE(Holds(2, Task(2).msg.caps[0], RIGHT_GRANT | RIGHT_READ));
    EXPECT_EQ(1u, cap_table_count(caps_.get(), 2));
    EXPECT_EQ(SCHED_READY, State(1));
    EXPECT_EQ(STATUS_OK, Task(1).wake_status);
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].senders.head);
}

TEST_F(EndpointTest, QueuedCallerWhoseCapabilityWentStaleIsDropped)
{
    AddTask(0); // caller, loses its capability while queued
    AddTask(1); // plain sender behind it
    AddTask(2); // receiver
    handle_t h = NewCap(0, RIGHT_GRANT);
    SetMsg(0, 10, 0, {h});
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    SetMsg(1, 22, 1);
    ASSERT_EQ(STATUS_OK, Send(0, 1));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, h));
    ASSERT_EQ(STATUS_OK, Recv(0, 2));
    // The call failed: the caller runs again and waits for no reply.
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(uint32_t{IPC_WAIT_NONE}, Task(0).wait);
    EXPECT_EQ(STATUS_STALE_HANDLE, Task(0).wake_status);
    // The receiver got the plain send and holds no reply right.
    ExpectMsg(2, 22, 1);
    EXPECT_EQ(IPC_NO_TASK, Task(2).reply_to);
    EXPECT_EQ(SCHED_READY, State(1));
    Snapshot();
    EXPECT_EQ(STATUS_BAD_HANDLE, Reply(2));
    EXPECT_TRUE(Unchanged());
}

TEST_F(EndpointTest, TheBadgeGoesWithTheMessageAndItsCapabilityIsCheckedAgain)
{
    AddTask(0); // sends through an endpoint capability, which goes while it is queued
    AddTask(1); // sends with no capability to check
    AddTask(2); // receiver
    const handle_t via = NewCap(0, RIGHT_SEND, OBJECT_ENDPOINT);
    SetMsg(0, 5, 1);
    Task(0).msg.via = via;
    Task(0).msg.badge = 0x77;
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    SetMsg(1, 6, 0);
    Task(1).msg.badge = 0x88;
    ASSERT_EQ(STATUS_OK, Send(0, 1));
    ASSERT_EQ(STATUS_OK, Recv(0, 2));
    ExpectMsg(2, 5, 1);
    EXPECT_EQ(0x77u, Task(2).msg.badge);
    EXPECT_EQ(HANDLE_NONE, Task(2).msg.via) << "a received message names no capability";
    ASSERT_EQ(STATUS_OK, Recv(0, 2));
    ExpectMsg(2, 6, 0);
    EXPECT_EQ(0x88u, Task(2).msg.badge);

    // Queued again; its capability goes: dropped, the receive blocks.
    SetMsg(0, 7, 0);
    Task(0).msg.via = via;
    Task(0).msg.badge = 0x77;
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, via));
    ASSERT_EQ(STATUS_OK, Recv(0, 2));
    EXPECT_EQ(STATUS_STALE_HANDLE, Task(0).wake_status);
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(SCHED_BLOCKED, State(2));
    EXPECT_EQ(uint32_t{IPC_WAIT_RECV}, Task(2).wait);
}

TEST_F(EndpointTest, ASendingCapabilityThatDoesNotSendIsRefused)
{
    AddTask(0);
    AddTask(1);
    ASSERT_EQ(STATUS_OK, Recv(1, 1)); // a receiver waits on endpoint 1
    const handle_t frame = NewCap(0, RIGHTS_ALL, OBJECT_FRAME);
    const handle_t no_send = NewCap(0, RIGHT_RECV, OBJECT_ENDPOINT);
    const handle_t ok = NewCap(0, RIGHT_SEND, OBJECT_ENDPOINT);
    struct Case {
        handle_t via;
        status_t want;
    };
    for (const Case &c : {Case{frame, STATUS_WRONG_KIND}, Case{no_send, STATUS_MISSING_RIGHT},
                          Case{handle_make(40, 1), STATUS_BAD_HANDLE}}) {
        for (uint32_t ep : {0u, 1u}) {
            SetMsg(0, 1, 0);
            Task(0).msg.via = c.via;
            Snapshot();
            EXPECT_EQ(c.want, Send(ep, 0));
            EXPECT_EQ(c.want, Call(ep, 0));
            EXPECT_TRUE(Unchanged());
        }
    }
    // Without a capability space the capability cannot be checked: refused.
    SetMsg(0, 1, 0);
    Task(0).msg.via = ok;
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_send(ipc_.get(), sched_.get(), nullptr, 1, 0));
    EXPECT_TRUE(Unchanged());
    ASSERT_EQ(STATUS_OK, Send(1, 0)); // with one, it goes
    EXPECT_EQ(SCHED_READY, State(1));
}

TEST_F(EndpointTest, AllQueuedSendersAtFaultReceiverBlocks)
{
    for (uint32_t id = 0; id < 4; id++) {
        AddTask(id);
    }
    // Sender 0's capability is deleted, caller 1's revoked through its parent,
    // sender 2's object destroyed with its last capability.
    handle_t h0 = NewCap(0, RIGHT_GRANT);
    handle_t parent = NewCap(1, RIGHTS_ALL);
    handle_t child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(caps_.get(), 1, parent, RIGHT_GRANT, &child));
    handle_t h2 = NewCap(2, RIGHT_GRANT);
    SetMsg(0, 1, 0, {h0});
    SetMsg(1, 2, 0, {child});
    SetMsg(2, 3, 0, {h2});
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    ASSERT_EQ(STATUS_OK, Call(0, 1));
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, h0));
    ASSERT_EQ(STATUS_OK, cap_revoke(caps_.get(), 1, parent));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 2, h2));
    ASSERT_EQ(STATUS_OK, Recv(0, 3));
    for (uint32_t id = 0; id < 3; id++) {
        EXPECT_EQ(SCHED_READY, State(id)) << "task " << id;
        EXPECT_EQ(uint32_t{IPC_WAIT_NONE}, Task(id).wait) << "task " << id;
        EXPECT_EQ(STATUS_STALE_HANDLE, Task(id).wake_status) << "task " << id;
    }
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].senders.head);
    EXPECT_EQ(SCHED_BLOCKED, State(3));
    EXPECT_EQ(uint32_t{IPC_WAIT_RECV}, Task(3).wait);
    EXPECT_EQ(IPC_NO_TASK, Task(3).reply_to);
    EXPECT_EQ(0u, cap_table_count(caps_.get(), 3));
    ASSERT_EQ(STATUS_OK, Invariants());
    // The endpoint works on: sender 0 tries again, without the capability.
    SetMsg(0, 4, 1);
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    EXPECT_EQ(SCHED_READY, State(3));
    ExpectMsg(3, 4, 1);
}

TEST_F(EndpointTest, ReceiverTableFullFailsTheSenderNotTheEndpoint)
{
    AddTask(0); // sender at fault, at the head
    AddTask(1); // sender with a good capability
    AddTask(2); // receiver, its table full
    AddTask(3); // sender with no capability, last
    handle_t h0 = NewCap(0, RIGHT_GRANT);
    handle_t h1 = NewCap(1, RIGHT_GRANT);
    SetMsg(0, 10, 0, {h0});
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    SetMsg(1, 11, 0, {h1});
    ASSERT_EQ(STATUS_OK, Call(0, 1));
    SetMsg(3, 13, 2);
    ASSERT_EQ(STATUS_OK, Send(0, 3));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, h0));
    Fill(2);
    // Neither message with a capability can go to task 2: both senders
    // fail (the call gets no reply) and the receive takes task 3's.
    ASSERT_EQ(STATUS_OK, Recv(0, 2));
    EXPECT_EQ(STATUS_STALE_HANDLE, Task(0).wake_status);
    EXPECT_EQ(STATUS_TABLE_FULL, Task(1).wake_status);
    EXPECT_EQ(SCHED_READY, State(1));
    EXPECT_EQ(uint32_t{IPC_WAIT_NONE}, Task(1).wait);
    EXPECT_TRUE(Holds(1, h1, RIGHT_GRANT)) << "a move that does not fit stays with the sender";
    ExpectMsg(2, 13, 2);
    EXPECT_EQ(STATUS_OK, Task(3).wake_status);
    EXPECT_EQ(SCHED_READY, State(3));
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].senders.head);
    EXPECT_EQ(uint32_t{CAP_TABLE_SLOTS}, cap_table_count(caps_.get(), 2));
    ASSERT_EQ(STATUS_OK, Invariants());
}

TEST_F(EndpointTest, SenderFaultIsCheckedBeforeReceiverRoom)
{
    // The only sender is at fault and the receiver's table is full too: the
    // sender's side is checked first, so the sender is dropped and the
    // receiver blocks.
    AddTask(0);
    AddTask(1);
    handle_t h = NewCap(0, RIGHT_GRANT);
    SetMsg(0, 1, 0, {h});
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, h));
    Fill(1);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    EXPECT_EQ(STATUS_STALE_HANDLE, Task(0).wake_status);
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(SCHED_BLOCKED, State(1));
    EXPECT_EQ(IPC_NO_TASK, Task(1).reply_to);
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
}

TEST_F(EndpointTest, RecvWithoutCapSpaceIsTheReceiversError)
{
    AddTask(0);
    AddTask(1);
    handle_t h = NewCap(0, RIGHT_GRANT);
    SetMsg(0, 1, 0, {h});
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_recv(ipc_.get(), sched_.get(), nullptr, 0, 1));
    EXPECT_TRUE(Unchanged());
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    EXPECT_TRUE(Holds(1, Task(1).msg.caps[0], RIGHT_GRANT));
    // A message without capabilities needs no capability space.
    SetMsg(0, 2, 1);
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    ASSERT_EQ(STATUS_OK, ipc_recv(ipc_.get(), sched_.get(), nullptr, 0, 1));
    ExpectMsg(1, 2, 1);
}

TEST_F(EndpointTest, ReplyRecvDropsQueuedSendersAtFault)
{
    AddTask(0); // client whose call is being served
    AddTask(1); // server
    AddTask(2); // caller at fault, at the head
    AddTask(3); // good sender behind it
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    handle_t h2 = NewCap(2, RIGHT_GRANT);
    SetMsg(2, 20, 0, {h2});
    ASSERT_EQ(STATUS_OK, Call(0, 2));
    SetMsg(3, 30, 3);
    ASSERT_EQ(STATUS_OK, Send(0, 3));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 2, h2));
    SetMsg(1, 5, 1);
    ASSERT_EQ(STATUS_OK, ReplyRecv(0, 1));
    // The reply went out, caller 2 was dropped, sender 3's message came in.
    EXPECT_EQ(SCHED_READY, State(0));
    ExpectMsg(0, 5, 1);
    EXPECT_EQ(SCHED_READY, State(2));
    EXPECT_EQ(uint32_t{IPC_WAIT_NONE}, Task(2).wait);
    EXPECT_EQ(STATUS_STALE_HANDLE, Task(2).wake_status);
    EXPECT_EQ(SCHED_READY, State(3));
    ExpectMsg(1, 30, 3);
    EXPECT_EQ(IPC_NO_TASK, Task(1).reply_to);

    // Only a sender at fault left: the server replies, drops it and blocks.
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    h2 = NewCap(2, RIGHT_GRANT);
    SetMsg(2, 21, 0, {h2});
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 2, h2));
    SetMsg(1, 6);
    ASSERT_EQ(STATUS_OK, ReplyRecv(0, 1));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(6u, Task(0).msg.label);
    EXPECT_EQ(STATUS_STALE_HANDLE, Task(2).wake_status);
    EXPECT_EQ(SCHED_BLOCKED, State(1));
    EXPECT_EQ(uint32_t{IPC_WAIT_RECV}, Task(1).wait);
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
}

TEST_F(EndpointTest, ReplyRecvReplyHalfStaysAllOrNothing)
{
    AddTask(0);
    AddTask(1);
    AddTask(2);
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    // A sender at fault waits behind; the server's own reply is bad too.
    handle_t h2 = NewCap(2, RIGHT_GRANT);
    SetMsg(2, 1, 0, {h2});
    ASSERT_EQ(STATUS_OK, Send(0, 2));
    ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 2, h2));
    handle_t h1 = NewCap(1, RIGHT_READ); // no RIGHT_GRANT
    SetMsg(1, 2, 0, {h1});
    Snapshot();
    EXPECT_EQ(STATUS_MISSING_RIGHT, ReplyRecv(0, 1));
    EXPECT_TRUE(Unchanged()); // the sender at fault was not dropped either
    // A queued message that does not fit the replier's table fails its
    // sender, not the reply+recv: the reply goes, the sender keeps its
    // capability and the replier waits for the next message.
    SetMsg(1, 3);
    AddTask(3);
    handle_t h3 = NewCap(3, RIGHT_GRANT);
    SetMsg(3, 4, 0, {h3});
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
    ASSERT_EQ(STATUS_OK, Send(0, 3));
    Fill(1);
    ASSERT_EQ(STATUS_OK, ReplyRecv(0, 1));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(3u, Task(0).msg.label) << "the reply went";
    EXPECT_EQ(STATUS_TABLE_FULL, Task(3).wake_status);
    EXPECT_TRUE(Holds(3, h3, RIGHT_GRANT));
    EXPECT_EQ(uint32_t{IPC_WAIT_RECV}, Task(1).wait);
    ASSERT_EQ(STATUS_OK, Invariants());
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
}

TEST_F(EndpointTest, ReceiverTableFullFailsTheSenderOnly)
{
    AddTask(0);
    AddTask(1);
    handle_t h = NewCap(0, RIGHT_GRANT);
    Fill(1);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    SetMsg(0, 1, 0, {h});
    Snapshot();
    EXPECT_EQ(STATUS_TABLE_FULL, Send(0, 0));
    EXPECT_EQ(STATUS_TABLE_FULL, Call(0, 0));
    EXPECT_TRUE(Unchanged());
    // The other way round: the sender waits, the receiver's table is full.
    // The receive drops the sender (woken with the error, its capability
    // its own) and blocks for the next message.
    AddTask(2);
    Fill(2);
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    ASSERT_EQ(STATUS_OK, Recv(0, 2));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(STATUS_TABLE_FULL, Task(0).wake_status);
    EXPECT_TRUE(Holds(0, h, RIGHT_GRANT));
    EXPECT_EQ(SCHED_BLOCKED, State(2));
    EXPECT_EQ(uint32_t{IPC_WAIT_RECV}, Task(2).wait);
    ASSERT_EQ(STATUS_OK, Invariants());
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
}

TEST_F(EndpointTest, ReceiveSlotsBoundTheCapabilitiesAccepted)
{
    // Receive slots 0, 1 and 2 against messages of 1 and 2 capabilities,
    // with the receiver waiting (the send fails at once, no effect) and with
    // the sender queued (the receive drops it, its capabilities kept).
    AddTask(0);
    AddTask(1);
    for (uint16_t slots = 0; slots <= IPC_MSG_CAPS; slots++) {
        for (uint32_t count = 1; count <= IPC_MSG_CAPS; count++) {
            const bool fits = count <= slots;
            for (int queued = 0; queued < 2; queued++) {
                SCOPED_TRACE(testing::Message() << "slots " << slots << " caps " << count
                                                << (queued ? " queued" : " waiting"));
                handle_t a = NewCap(0, RIGHT_GRANT);
                handle_t b = NewCap(0, RIGHT_GRANT);
                if (count == 1) {
                    SetMsg(0, 7, 1, {a});
                } else {
                    SetMsg(0, 7, 1, {a, b});
                }
                Task(1).recv_slots = slots;
                const uint32_t held = cap_table_count(caps_.get(), 1);
                if (!queued) {
                    ASSERT_EQ(STATUS_OK, Recv(0, 1));
                    Snapshot();
                    status_t st = Send(0, 0);
                    if (!fits) {
                        EXPECT_EQ(STATUS_TABLE_FULL, st);
                        EXPECT_TRUE(Unchanged());
                        ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
                    } else {
                        EXPECT_EQ(STATUS_OK, st);
                    }
                } else {
                    ASSERT_EQ(STATUS_OK, Send(0, 0));
                    ASSERT_EQ(STATUS_OK, Recv(0, 1));
                    EXPECT_EQ(fits ? STATUS_OK : STATUS_TABLE_FULL, Task(0).wake_status);
                    EXPECT_EQ(SCHED_READY, State(0));
                    if (!fits) {
                        EXPECT_EQ(SCHED_BLOCKED, State(1)) << "waits for the next message";
                        ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
                    }
                }
                EXPECT_EQ(fits, !Holds(0, a, RIGHT_GRANT)) << "moved only when it fits";
                EXPECT_EQ(fits ? held + count : held, cap_table_count(caps_.get(), 1));
                if (fits) {
                    EXPECT_EQ(count, Task(1).msg.cap_count);
                }
                ASSERT_EQ(STATUS_OK, Invariants());
                ASSERT_EQ(SCHED_READY, State(1));
            }
        }
    }
}

TEST_F(EndpointTest, AFloodingClientCannotJamTheServer)
{
    // Client 0 calls with two capabilities each time, client 1 with none;
    // both queue, alternately, before server 2 receives (slots 2) and
    // replies. The server keeps what it gets: its table fills, and then
    // every flooding call fails with TABLE_FULL (capabilities kept) while
    // the honest client is served each time.
    AddTask(0);
    AddTask(1);
    AddTask(2);
    uint32_t flood_ok = 0;
    uint32_t flood_refused = 0;
    for (uint32_t round = 0; round < 40; round++) {
        handle_t a = NewCap(0, RIGHT_GRANT);
        handle_t b = NewCap(0, RIGHT_GRANT);
        SetMsg(0, 1, 0, {a, b});
        ASSERT_EQ(STATUS_OK, Call(0, 0));
        SetMsg(1, 2, 1);
        ASSERT_EQ(STATUS_OK, Call(0, 1));
        for (int served = 0; served < 2;) {
            Task(2).recv_slots = IPC_MSG_CAPS;
            ASSERT_EQ(STATUS_OK, Recv(0, 2)) << "round " << round;
            if (State(2) == SCHED_BLOCKED) {
                // The flooder was dropped and nobody else waits.
                ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
                break;
            }
            SetMsg(2, 9);
            ASSERT_EQ(STATUS_OK, Reply(2));
            served++;
        }
        ASSERT_EQ(SCHED_READY, State(0));
        ASSERT_EQ(SCHED_READY, State(1)) << "round " << round;
        ASSERT_EQ(STATUS_OK, Task(1).wake_status) << "the honest client is served, round " << round;
        if (Task(0).wake_status == STATUS_OK) {
            flood_ok++;
        } else {
            ASSERT_EQ(STATUS_TABLE_FULL, Task(0).wake_status);
            EXPECT_TRUE(Holds(0, a, RIGHT_GRANT));
            EXPECT_TRUE(Holds(0, b, RIGHT_GRANT));
            ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, a));
            ASSERT_EQ(STATUS_OK, cap_delete(caps_.get(), 0, b));
            flood_refused++;
        }
        ASSERT_EQ(STATUS_OK, Invariants());
    }
    EXPECT_EQ(uint32_t{CAP_TABLE_SLOTS / 2}, flood_ok);
    EXPECT_EQ(40u - CAP_TABLE_SLOTS / 2, flood_refused);
}

TEST_F(EndpointTest, AReplyThatDoesNotFitTheCallerFailsTheReplier)
{
    AddTask(0);
    AddTask(1);
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    Task(0).recv_slots = 0; // accepts no capability in the reply
    SetMsg(0, 1);
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    handle_t h = NewCap(1, RIGHT_GRANT);
    SetMsg(1, 2, 0, {h});
    Snapshot();
    EXPECT_EQ(STATUS_TABLE_FULL, Reply(1));
    EXPECT_TRUE(Unchanged());
    SetMsg(1, 2, 1);
    ASSERT_EQ(STATUS_OK, Reply(1));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_TRUE(Holds(1, h, RIGHT_GRANT));
}

TEST_F(EndpointTest, DestroyWakesSendersCallersAndReceivers)
{
    for (uint32_t id = 0; id < 6; id++) {
        AddTask(id);
    }
    ASSERT_EQ(STATUS_OK, Send(0, 0));
    ASSERT_EQ(STATUS_OK, Call(0, 1));
    ASSERT_EQ(STATUS_OK, Recv(1, 2));
    ASSERT_EQ(STATUS_OK, Recv(1, 3));
    ASSERT_EQ(STATUS_OK, Call(2, 4)); // received below: waits for a reply, not on 2
    ASSERT_EQ(STATUS_OK, Recv(2, 5));
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 0));
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 1));
    ASSERT_EQ(STATUS_OK, ipc_endpoint_destroy(ipc_.get(), sched_.get(), 2));
    for (uint32_t id = 0; id < 4; id++) {
        EXPECT_EQ(SCHED_READY, State(id));
        EXPECT_EQ(STATUS_OBJECT_DESTROYED, Task(id).wake_status);
        EXPECT_EQ(uint32_t{IPC_WAIT_NONE}, Task(id).wait);
    }
    EXPECT_EQ(SCHED_BLOCKED, State(4));
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].senders.head);
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[1].receivers.tail);
    ASSERT_EQ(STATUS_OK, Reply(5));
    EXPECT_EQ(SCHED_READY, State(4));
}

TEST_F(EndpointTest, DestroyedServerWakesItsCaller)
{
    AddTask(0);
    AddTask(1);
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    ASSERT_EQ(STATUS_OK, ipc_task_destroy(ipc_.get(), sched_.get(), 1));
    ASSERT_EQ(STATUS_OK, sched_remove(sched_.get(), 1));
    EXPECT_EQ(SCHED_READY, State(0));
    EXPECT_EQ(STATUS_OBJECT_DESTROYED, Task(0).wake_status);
}

TEST_F(EndpointTest, DestroyedCallerTakesTheReplyRightAway)
{
    AddTask(0);
    AddTask(1);
    AddTask(2);
    ASSERT_EQ(STATUS_OK, Call(0, 0));
    ASSERT_EQ(STATUS_OK, Send(0, 2)); // queued behind the caller
    ASSERT_EQ(STATUS_OK, Recv(0, 1));
    ASSERT_EQ(STATUS_OK, ipc_task_destroy(ipc_.get(), sched_.get(), 0));
    ASSERT_EQ(STATUS_OK, sched_remove(sched_.get(), 0));
    ASSERT_EQ(STATUS_OK, Invariants());
    EXPECT_EQ(STATUS_BAD_HANDLE, Reply(1));
    ASSERT_EQ(STATUS_OK, ipc_task_destroy(ipc_.get(), sched_.get(), 2)); // a queued sender
    ASSERT_EQ(STATUS_OK, sched_remove(sched_.get(), 2));
    EXPECT_EQ(IPC_NO_TASK, ipc_->endpoints[0].senders.head);
}

TEST_F(EndpointTest, ErrorsChangeNothing)
{
    AddTask(0);
    AddTask(1);
    AddTask(2);
    AddTask(3);
    ASSERT_EQ(STATUS_OK, Recv(1, 1));                   // 1 waits
    ASSERT_EQ(STATUS_OK, sched_block(sched_.get(), 2)); // 2 blocked elsewhere
    handle_t g = NewCap(0, RIGHT_GRANT);
    Snapshot();
    using Fn = status_t (*)(struct ipc *, struct sched *, cap_space *, uint32_t, uint32_t);
    for (Fn fn : {Fn{ipc_send}, Fn{ipc_call}, Fn{ipc_recv}, Fn{ipc_reply_recv}}) {
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(nullptr, sched_.get(), caps_.get(), 0, 0));
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), nullptr, caps_.get(), 0, 0));
        EXPECT_EQ(STATUS_INVALID_ARGUMENT,
                  fn(ipc_.get(), sched_.get(), caps_.get(), IPC_MAX_ENDPOINTS, 0));
        EXPECT_EQ(STATUS_INVALID_ARGUMENT,
                  fn(ipc_.get(), sched_.get(), caps_.get(), 0, SCHED_MAX_ENTITIES));
        for (uint32_t bad : {1u, 2u, 9u}) { // waiting, blocked, unused
            EXPECT_EQ(STATUS_INVALID_ARGUMENT, fn(ipc_.get(), sched_.get(), caps_.get(), 0, bad));
        }
    }
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_reply(nullptr, sched_.get(), caps_.get(), 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_reply(ipc_.get(), nullptr, caps_.get(), 0));
    for (uint32_t bad : {1u, 2u, 9u, 64u}) {
        EXPECT_EQ(STATUS_INVALID_ARGUMENT, Reply(bad));
    }
    EXPECT_EQ(STATUS_BAD_HANDLE, Reply(3));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_endpoint_destroy(nullptr, sched_.get(), 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_endpoint_destroy(ipc_.get(), nullptr, 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              ipc_endpoint_destroy(ipc_.get(), sched_.get(), IPC_MAX_ENDPOINTS));
    EXPECT_TRUE(Unchanged());

    // Bad messages, to a waiting receiver (endpoint 1) and to an empty endpoint (0).
    struct Case {
        uint32_t words;
        std::initializer_list<handle_t> hs;
        status_t want;
    };
    const handle_t stale = handle_make(handle_slot(g), handle_generation(g) + 1);
    const Case cases[] = {
        {IPC_MSG_WORDS + 1, {}, STATUS_INVALID_ARGUMENT},
        {0, {g, g}, STATUS_INVALID_ARGUMENT},
        {0, {HANDLE_NONE}, STATUS_BAD_HANDLE},
        {0, {stale}, STATUS_STALE_HANDLE},
        {0, {handle_make(40, 1)}, STATUS_BAD_HANDLE},
    };
    for (const Case &c : cases) {
        for (uint32_t ep : {0u, 1u}) {
            SetMsg(0, 1, c.words, c.hs);
            Snapshot();
            EXPECT_EQ(c.want, Send(ep, 0));
            EXPECT_EQ(c.want, Call(ep, 0));
            EXPECT_TRUE(Unchanged());
        }
    }
    SetMsg(0, 1, 0, {g});
    Task(0).msg.cap_count = IPC_MSG_CAPS + 1;
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, Send(1, 0));
    EXPECT_TRUE(Unchanged());
    Task(0).msg.cap_count = 1;
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, ipc_send(ipc_.get(), sched_.get(), nullptr, 1, 0));
    EXPECT_TRUE(Unchanged());
    ASSERT_EQ(STATUS_OK, sched_unblock(sched_.get(), 2));
}

/** Seeded random sequence: every step either succeeds or changes nothing. */
TEST_F(EndpointTest, RandomSequenceKeepsInvariants)
{
    constexpr uint32_t kTasks = 8;
    std::mt19937 rng(20261123);
    auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    for (uint32_t id = 0; id < kTasks; id++) {
        AddTask(id, pick(4));
    }
    uint32_t ok = 0;
    for (int step = 0; step < 20000; step++) {
        uint32_t t = pick(kTasks);
        uint32_t ep = pick(3);
        if (pick(8) == 0 && cap_table_count(caps_.get(), t) < CAP_TABLE_SLOTS - 4) {
            NewCap(t, pick(2) ? RIGHTS_ALL : RIGHT_READ);
        }
        ipc_msg &m = Task(t).msg;
        if (sched_state(sched_.get(), t) != SCHED_BLOCKED) {
            m.label = rng();
            m.word_count = pick(IPC_MSG_WORDS + 1);
            m.cap_count = pick(8) == 0 ? pick(IPC_MSG_CAPS + 1) : 0;
            for (uint32_t i = 0; i < IPC_MSG_CAPS; i++) {
                uint32_t slot = pick(8);
                m.caps[i] = handle_make(slot, caps_->tables[t].slots[slot].generation);
            }
        }
        Snapshot();
        status_t st = STATUS_OK;
        switch (pick(11)) {
        case 0:
            st = Send(ep, t);
            break;
        case 1:
            st = Recv(ep, t);
            break;
        case 2:
            st = Call(ep, t);
            break;
        case 3:
            st = Reply(t);
            break;
        case 4:
            st = ReplyRecv(ep, t);
            break;
        case 5:
            st = pick(20) == 0 ? ipc_endpoint_destroy(ipc_.get(), sched_.get(), ep) : STATUS_OK;
            break;
        case 6:
            st = ipc_notify_signal(ipc_.get(), sched_.get(), ep, 1ull << pick(64));
            break;
        case 7:
            st = ipc_notify_wait(ipc_.get(), sched_.get(), ep, t);
            break;
        case 8:
            st = ipc_notify_poll(ipc_.get(), sched_.get(), ep, t);
            break;
        case 9:
            st = pick(20) == 0 ? ipc_notify_destroy(ipc_.get(), sched_.get(), ep) : STATUS_OK;
            break;
        default:
            if (pick(2) == 0) {
                (void)sched_pick_next(sched_.get()); // so that tasks are RUNNING too
            } else if (pick(10) == 0) { // destroy task t and start a fresh one in its place
                ASSERT_EQ(STATUS_OK, ipc_task_destroy(ipc_.get(), sched_.get(), t));
                ASSERT_EQ(STATUS_OK, cap_delete_table(caps_.get(), t));
                ASSERT_EQ(STATUS_OK, sched_remove(sched_.get(), t));
                ASSERT_EQ(STATUS_OK, sched_add(sched_.get(), t, pick(4)));
            }
            break;
        }
        if (st != STATUS_OK) {
            ASSERT_TRUE(Unchanged()) << "step " << step << " status " << st;
        } else {
            ok++;
        }
        ASSERT_EQ(STATUS_OK, Invariants()) << "step " << step;
    }
    EXPECT_GT(ok, 2000u);
}

} // namespace
