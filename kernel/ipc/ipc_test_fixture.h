// A test fixture for kernel/ipc: a scheduler with tasks, the IPC state and a
// capability space, snapshots of all three for "on error nothing changes",
// and the invariants of all three checked after every test.

#pragma once

#include <cstdint>
#include <cstring>
#include <memory>

#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"

#include "gtest/gtest.h"

class IpcTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ipc_ = std::make_unique<ipc>();
        sched_ = std::make_unique<sched>();
        caps_ = std::make_unique<cap_space>();
        ipc_before_ = std::make_unique<ipc>();
        sched_before_ = std::make_unique<sched>();
        caps_before_ = std::make_unique<cap_space>();
        ipc_init(ipc_.get());
        sched_init(sched_.get());
        cap_space_init(caps_.get());
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, Invariants());
    }

    status_t Invariants()
    {
        status_t st = ipc_check_invariants(ipc_.get(), sched_.get());
        if (st == STATUS_OK) {
            st = sched_check_invariants(sched_.get());
        }
        if (st == STATUS_OK) {
            st = cap_check_invariants(caps_.get());
        }
        return st;
    }

    /** Adds task id, READY at priority. */
    void AddTask(uint32_t id, uint32_t priority = 10)
    {
        ASSERT_EQ(STATUS_OK, sched_add(sched_.get(), id, priority));
    }

    /** A new object of kind with a root capability in table. */
    handle_t NewCap(uint32_t table, rights_t rights = RIGHTS_ALL, uint32_t kind = OBJECT_FRAME)
    {
        obj_ref ref{};
        EXPECT_EQ(STATUS_OK, obj_alloc(&caps_->objects, kind, &ref));
        handle_t h = HANDLE_NONE;
        EXPECT_EQ(STATUS_OK, cap_insert_new(caps_.get(), table, ref, rights, &h));
        return h;
    }

    ipc_task &Task(uint32_t id)
    {
        return ipc_->tasks[id];
    }

    sched_entity_state State(uint32_t id)
    {
        return sched_state(sched_.get(), id);
    }

    void Snapshot()
    {
        std::memcpy(ipc_before_.get(), ipc_.get(), sizeof(struct ipc));
        std::memcpy(sched_before_.get(), sched_.get(), sizeof(struct sched));
        std::memcpy(caps_before_.get(), caps_.get(), sizeof(cap_space));
    }

    bool Unchanged()
    {
        return std::memcmp(ipc_before_.get(), ipc_.get(), sizeof(struct ipc)) == 0 &&
               std::memcmp(sched_before_.get(), sched_.get(), sizeof(struct sched)) == 0 &&
               std::memcmp(caps_before_.get(), caps_.get(), sizeof(cap_space)) == 0;
    }

    std::unique_ptr<struct ipc> ipc_;
    std::unique_ptr<struct sched> sched_;
    std::unique_ptr<cap_space> caps_;
    std::unique_ptr<struct ipc> ipc_before_;
    std::unique_ptr<struct sched> sched_before_;
    std::unique_ptr<cap_space> caps_before_;
};
