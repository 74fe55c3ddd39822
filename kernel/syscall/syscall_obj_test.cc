// Tests for the object calls of kernel/syscall: the privileged whitelist
// behind the kernel capability, object creation with exhaustion at each
// step, map/unmap/protect, task create and start, exit, and the teardown
// (kernel_reap) of destroyed objects, cascading through capability tables,
// with every frame accounted for. Runs on fake RAM and the fake MMU.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "hal/addr.h"
#include "hal/fake/console_fake.h"
#include "hal/mmu.h"
#include "kernel/cap/cap.h"
#include "kernel/crypto/sha256.h"
#include "kernel/elf/elf_builder.h"
#include "kernel/images/images.h"
#include "kernel/ipc/ipc.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/run.h"
#include "kernel/syscall/syscall.h"
#include "kernel/vm/fake_ram.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#include "kernel/syscall/syscall_test_regs.h"
#include "gtest/gtest.h"

namespace {

using syscall_test::Regs;

constexpr uint64_t kPage = HAL_MMU_PAGE_SIZE;

class ObjCallTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ASSERT_EQ(STATUS_OK, ram_.status);
        k_ = std::make_unique<kernel_state>();
        before_ = std::make_unique<kernel_state>();
        std::memset(k_.get(), 0, sizeof(kernel_state));
        kernel_state_init(k_.get());
        kernel_state_set_frames(k_.get(), &ram_.fa);
        initial_free_ = Free();
        ASSERT_EQ(STATUS_OK, kernel_create_root_task(k_.get(), 10, &root_, &h_));
        ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), root_, 0x1000, 0x20000, 0));
        ASSERT_EQ((int32_t)root_, sched_pick_next(&k_->sched));
        k_->current = (int32_t)root_;
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, Invariants());
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
        if (st == STATUS_OK) {
            st = vm_check_invariants(&k_->vm);
        }
        if (st == STATUS_OK) {
            st = kernel_check_links(k_.get());
        }
        if (st == STATUS_OK) {
            st = kernel_check_memory(k_.get());
        }
        return st;
    }

    uint64_t Free()
    {
        return frame_alloc_free_count(&ram_.fa);
    }

    // Free frames no space has reserved.
    uint64_t Available()
    {
        return frame_alloc_available_count(&ram_.fa);
    }

    // Takes available frames until keep are left; give them back with Release.
    std::vector<paddr_t> Exhaust(uint64_t keep)
    {
        std::vector<paddr_t> taken;
        while (Available() > keep) {
            paddr_t pa{};
            EXPECT_EQ(STATUS_OK, frame_alloc_one(&ram_.fa, &pa));
            taken.push_back(pa);
        }
        return taken;
    }

    void Release(const std::vector<paddr_t> &taken)
    {
        for (paddr_t pa : taken) {
            EXPECT_EQ(STATUS_OK, frame_alloc_free(&ram_.fa, pa));
        }
    }

    status_t Call(syscall_regs &r, uint32_t task)
    {
        return syscall_test::Call(k_.get(), r, (int32_t)task);
    }

    status_t Call(syscall_regs &&r)
    {
        return Call(r, root_);
    }

    /** Runs r as task and expects status with no effect on the kernel, x1-x7 or the frames. */
    void ExpectFails(status_t status, syscall_regs r, uint32_t task)
    {
        k_->current = (int32_t)task;
        std::memcpy(before_.get(), k_.get(), sizeof(kernel_state));
        const uint64_t free_before = Free();
        const uint64_t reserved_before = frame_alloc_reserved_count(&ram_.fa);
        syscall_regs in = r;
        syscall_dispatch(k_.get(), &r);
        EXPECT_EQ((uint64_t)(uint32_t)status, r.x[0]) << "call " << r.number;
        for (int i = 1; i < 8; i++) {
            EXPECT_EQ(in.x[i], r.x[i]) << "x" << i << " changed by call " << r.number;
        }
        EXPECT_EQ(0, std::memcmp(before_.get(), k_.get(), sizeof(kernel_state)))
            << "call " << r.number << " failed with " << status << " but changed the kernel";
        EXPECT_EQ(free_before, Free()) << "call " << r.number << " took or gave frames";
        EXPECT_EQ(reserved_before, frame_alloc_reserved_count(&ram_.fa))
            << "call " << r.number << " reserved or released frames";
    }

    void ExpectFails(status_t status, syscall_regs r)
    {
        ExpectFails(status, r, root_);
    }

    /** A privileged create call as root; the new handle. */
    handle_t Create(uint64_t number)
    {
        syscall_regs r = Regs(number, h_.kernel);
        EXPECT_EQ(STATUS_OK, Call(r, root_)) << "create " << number;
        return r.x[1];
    }

    handle_t Derive(handle_t h, rights_t rights, uint32_t task)
    {
        syscall_regs r = Regs(SYS_CAP_DERIVE, h, rights);
        EXPECT_EQ(STATUS_OK, Call(r, task));
        return r.x[1];
    }

    const cap *Lookup(uint32_t task, handle_t h)
    {
        cap *c = nullptr;
        EXPECT_EQ(STATUS_OK, cap_lookup(&k_->caps, task, h, OBJECT_NONE, 0, &c));
        return c;
    }

    /** Creates a task in a new space as root, giving it `give`; its id, handle and given handle. */
    struct Child {
        uint32_t id;
        handle_t task;
        handle_t space;
        handle_t given;
    };
    Child NewChild(handle_t give = HANDLE_NONE, uint64_t priority = 10)
    {
        Child c{};
        c.space = Create(SYS_SPACE_CREATE);
        syscall_regs r = Regs(SYS_TASK_CREATE, h_.kernel, c.space, priority, give);
        EXPECT_EQ(STATUS_OK, Call(r, root_));
        c.task = r.x[1];
        c.given = r.x[2];
        c.id = Lookup(root_, c.task)->object.index;
        return c;
    }

    hal_mmu_result Translate(handle_t space, uint64_t va, bool write, paddr_t *pa)
    {
        uint32_t index = Lookup(root_, space)->object.index;
        return hal_mmu_user_translate(vm_space_root(&k_->vm, index), va, write, pa);
    }

    // Init's space reserves VM_QUOTA_MAX (1024) frames; the rest for the tests.
    fake_ram::Ram ram_{2048};
    std::unique_ptr<kernel_state> k_;
    std::unique_ptr<kernel_state> before_;
    uint64_t initial_free_ = 0;
    uint32_t root_ = 0;
    kernel_root_handles h_{};
};

TEST_F(ObjCallTest, RootTaskHoldsTheKernelItsSpaceAndItself)
{
    EXPECT_EQ(OBJECT_KERNEL, Lookup(root_, h_.kernel)->object.kind);
    EXPECT_EQ(RIGHTS_ALL, Lookup(root_, h_.kernel)->rights);
    EXPECT_EQ(OBJECT_ADDRESS_SPACE, Lookup(root_, h_.space)->object.kind);
    EXPECT_EQ(OBJECT_TASK, Lookup(root_, h_.self)->object.kind);
    EXPECT_EQ(root_, Lookup(root_, h_.self)->object.index);
    EXPECT_EQ(OBJECT_CONSOLE, Lookup(root_, h_.console)->object.kind);
    EXPECT_EQ(RIGHT_WRITE | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE,
              Lookup(root_, h_.console)->rights);
    EXPECT_EQ(4u, cap_table_count(&k_->caps, root_));
    EXPECT_EQ(initial_free_ - 1, Free()) << "one root table";
    EXPECT_EQ(0x1000u, k_->tasks[root_].entry);
    EXPECT_EQ(0x20000u, k_->tasks[root_].stack);

    uint32_t other = 0;
    kernel_root_handles h{};
    EXPECT_EQ(STATUS_BAD_STATE, kernel_create_root_task(k_.get(), 10, &other, &h));
    EXPECT_EQ(STATUS_BAD_STATE, kernel_task_start(k_.get(), root_, 0x1000, 0x20000, 0));
}

TEST_F(ObjCallTest, RootTaskErrors)
{
    auto fresh = std::make_unique<kernel_state>();
    std::memset(fresh.get(), 0, sizeof(kernel_state));
    kernel_state_init(fresh.get());
    uint32_t task = 0;
    kernel_root_handles h{};
    EXPECT_EQ(STATUS_NO_MEMORY, kernel_create_root_task(fresh.get(), 10, &task, &h));
    EXPECT_EQ(0u, obj_count(&fresh->caps.objects, OBJECT_KERNEL));
    kernel_state_set_frames(fresh.get(), &ram_.fa);
    // Init's space reserves VM_QUOTA_MAX frames: one short is refused, nothing taken.
    std::vector<paddr_t> taken = Exhaust(VM_QUOTA_MAX - 1);
    const uint64_t free = Free();
    EXPECT_EQ(STATUS_NO_MEMORY, kernel_create_root_task(fresh.get(), 10, &task, &h));
    EXPECT_EQ(0u, obj_count(&fresh->caps.objects, OBJECT_KERNEL));
    EXPECT_EQ(0u, obj_count(&fresh->caps.objects, OBJECT_ADDRESS_SPACE));
    EXPECT_EQ(free, Free());
    EXPECT_EQ(VM_QUOTA_MAX - 1, Available());
    Release(taken);
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, kernel_create_root_task(nullptr, 10, &task, &h));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, kernel_create_root_task(fresh.get(), 10, nullptr, &h));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, kernel_create_root_task(fresh.get(), 10, &task, nullptr));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              kernel_create_root_task(fresh.get(), SCHED_PRIORITIES, &task, &h));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, kernel_task_start(nullptr, 0, 0, 0, 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, kernel_task_start(fresh.get(), OBJ_MAX_TASKS, 0, 0, 0));
    EXPECT_EQ(STATUS_BAD_STATE, kernel_task_start(fresh.get(), 0, 0, 0, 0)) << "no such task";
}

TEST_F(ObjCallTest, PrivilegedCallsNeedTheKernelCapabilityWithControl)
{
    const handle_t no_control = Derive(h_.kernel, RIGHTS_ALL & ~RIGHT_CONTROL, root_);
    const handle_t stale = Derive(h_.kernel, RIGHT_CONTROL, root_);
    syscall_regs del = Regs(SYS_CAP_DELETE, stale);
    ASSERT_EQ(STATUS_OK, Call(del, root_));
    for (uint64_t n = 0; n < SYS_COUNT; n++) {
        if (!sys_is_privileged(n)) {
            continue;
        }
        // Arguments that would succeed with the right capability in x0.
        ExpectFails(STATUS_WRONG_KIND, Regs(n, h_.space, h_.space, 1, HANDLE_NONE));
        ExpectFails(STATUS_MISSING_RIGHT, Regs(n, no_control, h_.space, 1, HANDLE_NONE));
        ExpectFails(STATUS_BAD_HANDLE, Regs(n, HANDLE_NONE, h_.space, 1, HANDLE_NONE));
        ExpectFails(STATUS_STALE_HANDLE, Regs(n, stale, h_.space, 1, HANDLE_NONE));
        ExpectFails(STATUS_BAD_HANDLE, Regs(n, 1ull << 60, h_.space, 1, HANDLE_NONE));
    }
    // The unprivileged calls ignore the kernel capability: an
    // unprivileged map with a space handle in x0 reaches its own checks.
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_MAP, h_.space, h_.space, 0x1000, SYS_MAP_READ));
}

TEST_F(ObjCallTest, PrivilegedCallsRefuseATaskWithoutTheKernel)
{
    Child c = NewChild();
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c.id, 0x1000, 0x2000, 0));
    for (uint64_t n = 0; n < SYS_COUNT; n++) {
        if (!sys_is_privileged(n)) {
            continue;
        }
        // The root's kernel handle names an empty slot of the child's table.
        ExpectFails(STATUS_BAD_HANDLE, Regs(n, h_.kernel, 0, 1), c.id);
    }
}

TEST_F(ObjCallTest, CreatedObjectsHaveTheirKindAndRights)
{
    const handle_t ep = Create(SYS_ENDPOINT_CREATE);
    const handle_t n = Create(SYS_NOTIFY_CREATE);
    const handle_t f = Create(SYS_FRAME_CREATE);
    const handle_t s = Create(SYS_SPACE_CREATE);
    EXPECT_EQ(OBJECT_ENDPOINT, Lookup(root_, ep)->object.kind);
    EXPECT_EQ(RIGHT_SEND | RIGHT_RECV | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE,
              Lookup(root_, ep)->rights);
    EXPECT_EQ(OBJECT_NOTIFICATION, Lookup(root_, n)->object.kind);
    EXPECT_EQ(OBJECT_FRAME, Lookup(root_, f)->object.kind);
    EXPECT_EQ(RIGHT_READ | RIGHT_WRITE | RIGHT_EXECUTE | RIGHT_MAP | RIGHT_GRANT | RIGHT_DERIVE |
                  RIGHT_REVOKE,
              Lookup(root_, f)->rights);
    EXPECT_EQ(OBJECT_ADDRESS_SPACE, Lookup(root_, s)->object.kind);
    EXPECT_EQ(RIGHT_MAP | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE, Lookup(root_, s)->rights);
    EXPECT_EQ(initial_free_ - 3, Free()) << "root table, frame, new root table";
    // The frame is zeroed (the fake RAM was filled with 0x5a).
    const uint8_t *page = ram_.At(k_->vm.frames[Lookup(root_, f)->object.index].pa);
    for (uint64_t i = 0; i < kPage; i++) {
        ASSERT_EQ(0, page[i]);
    }
    // The notification works.
    syscall_regs sig = Regs(SYS_NOTIFY_SIGNAL, n, 0x5);
    ASSERT_EQ(STATUS_OK, Call(sig, root_));
    syscall_regs poll = Regs(SYS_NOTIFY_POLL, n);
    ASSERT_EQ(STATUS_OK, Call(poll, root_));
    EXPECT_EQ(0x5u, poll.x[1]);
}

TEST_F(ObjCallTest, CreationFailsWholeWhenAnythingIsShort)
{
    // The caller's table full: 4 handles now, fill the rest.
    std::vector<handle_t> fill;
    while (cap_table_count(&k_->caps, root_) < CAP_TABLE_SLOTS) {
        fill.push_back(Derive(h_.space, RIGHT_MAP, root_));
    }
    for (uint64_t n :
         {SYS_ENDPOINT_CREATE, SYS_NOTIFY_CREATE, SYS_FRAME_CREATE, SYS_SPACE_CREATE}) {
        ExpectFails(STATUS_TABLE_FULL, Regs(n, h_.kernel));
    }
    ExpectFails(STATUS_TABLE_FULL, Regs(SYS_TASK_CREATE, h_.kernel, h_.space, 1, HANDLE_NONE));
    for (handle_t h : fill) {
        syscall_regs del = Regs(SYS_CAP_DELETE, h);
        ASSERT_EQ(STATUS_OK, Call(del, root_));
    }

    // No available page (the free ones all reserved, by init's space).
    std::vector<paddr_t> taken = Exhaust(0);
    EXPECT_LT(0u, Free());
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_FRAME_CREATE, h_.kernel));
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_SPACE_CREATE, h_.kernel));
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_SPACE_CREATE, h_.kernel, 1));
    Release(taken);

    // No free slot of the kind.
    std::vector<handle_t> eps;
    const uint32_t room = CAP_TABLE_SLOTS - cap_table_count(&k_->caps, root_);
    for (uint32_t i = 0; i < OBJ_MAX_ENDPOINTS && i < room; i++) {
        eps.push_back(Create(SYS_ENDPOINT_CREATE));
    }
    if (OBJ_MAX_ENDPOINTS <= room) {
        ExpectFails(STATUS_NO_MEMORY, Regs(SYS_ENDPOINT_CREATE, h_.kernel));
    }
    for (handle_t h : eps) {
        syscall_regs del = Regs(SYS_CAP_DELETE, h);
        ASSERT_EQ(STATUS_OK, Call(del, root_));
    }
    EXPECT_EQ(initial_free_ - 1, Free());
}

TEST_F(ObjCallTest, TaskArenaExhaustionIsAnError)
{
    // Fill the task arena (the root task is one) through a chain: each new
    // task holds the only capability to the one before, so root's table
    // stays small.
    const handle_t space = Create(SYS_SPACE_CREATE);
    handle_t last = HANDLE_NONE;
    for (uint32_t i = 1; i < OBJ_MAX_TASKS; i++) {
        syscall_regs r = Regs(SYS_TASK_CREATE, h_.kernel, space, 1, last);
        ASSERT_EQ(STATUS_OK, Call(r, root_)) << i;
        if (last != HANDLE_NONE) {
            ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, last)));
        }
        last = r.x[1];
    }
    EXPECT_EQ(uint32_t{OBJ_MAX_TASKS}, obj_count(&k_->caps.objects, OBJECT_TASK));
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_TASK_CREATE, h_.kernel, space, 1, HANDLE_NONE));
    // Deleting the last link frees the whole chain.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, last)));
    EXPECT_EQ(1u, obj_count(&k_->caps.objects, OBJECT_TASK));
    for (uint32_t t = 0; t < OBJ_MAX_TASKS; t++) {
        EXPECT_EQ(t == root_ ? 1u : 0u, k_->tasks[t].used) << t;
    }
}

TEST_F(ObjCallTest, MapUnmapProtectThroughCapabilities)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    const uint64_t va = 0x400000;
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, va, SYS_MAP_READ | SYS_MAP_WRITE)));
    paddr_t pa{};
    ASSERT_EQ(HAL_MMU_OK, Translate(h_.space, va + 8, true, &pa));
    EXPECT_EQ(k_->vm.frames[Lookup(root_, f)->object.index].pa.value + 8, pa.value);
    EXPECT_EQ(STATUS_OK, vm_check_invariants(&k_->vm));

    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_PROTECT, h_.space, va, SYS_MAP_READ | SYS_MAP_EXEC)));
    EXPECT_EQ(HAL_MMU_ERR_PERMISSION, Translate(h_.space, va, true, &pa));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_UNMAP, h_.space, va)));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(h_.space, va, false, &pa));
}

TEST_F(ObjCallTest, MapErrorsChangeNothing)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    const handle_t ep = Create(SYS_ENDPOINT_CREATE);
    const handle_t f_read = Derive(f, RIGHT_READ | RIGHT_MAP, root_);
    const handle_t f_nomap = Derive(f, RIGHT_READ | RIGHT_WRITE, root_);
    const handle_t s_nomap = Derive(h_.space, RIGHT_GRANT, root_);
    const uint64_t R = SYS_MAP_READ;
    const uint64_t W = SYS_MAP_WRITE;
    const uint64_t X = SYS_MAP_EXEC;
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x1000, R)));

    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_MAP, ep, f, 0x2000, R));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_MAP, h_.space, ep, 0x2000, R));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_MAP, s_nomap, f, 0x2000, R));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_MAP, h_.space, f_nomap, 0x2000, R));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_MAP, h_.space, f_read, 0x2000, R | W));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_MAP, h_.space, f_read, 0x2000, R | X));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_MAP, h_.space, HANDLE_NONE, 0x2000, R));
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_MAP, h_.space, f, 0x2000, 8));
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_MAP, h_.space, f, 0x2000, 1ull << 32 | R));
    ExpectFails(STATUS_PERMISSION, Regs(SYS_MAP, h_.space, f, 0x2000, R | W | X));
    ExpectFails(STATUS_PERMISSION, Regs(SYS_MAP, h_.space, f, 0x2000, W));
    ExpectFails(STATUS_MISALIGNED, Regs(SYS_MAP, h_.space, f, 0x2004, R));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_MAP, h_.space, f, HAL_MMU_USER_TOP, R));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_MAP, h_.space, f, 0xffff000000000000ull, R));
    ExpectFails(STATUS_ALREADY_MAPPED, Regs(SYS_MAP, h_.space, f, 0x1000, R));

    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_UNMAP, s_nomap, 0x1000));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_UNMAP, f, 0x1000));
    ExpectFails(STATUS_NOT_MAPPED, Regs(SYS_UNMAP, h_.space, 0x2000));
    ExpectFails(STATUS_MISALIGNED, Regs(SYS_UNMAP, h_.space, 0x1001));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_UNMAP, h_.space, HAL_MMU_USER_TOP));

    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_PROTECT, s_nomap, 0x1000, R));
    ExpectFails(STATUS_NOT_MAPPED, Regs(SYS_PROTECT, h_.space, 0x2000, R));
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_PROTECT, h_.space, 0x1000, 16));
    ExpectFails(STATUS_PERMISSION, Regs(SYS_PROTECT, h_.space, 0x1000, R | W | X));
    ExpectFails(STATUS_PERMISSION, Regs(SYS_PROTECT, h_.space, 0x1000, X));

    // The ceiling of protect is what the frame capability allowed at map time.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f_read, 0x3000, R)));
    ExpectFails(STATUS_PERMISSION, Regs(SYS_PROTECT, h_.space, 0x3000, R | W));
}

TEST_F(ObjCallTest, MapWithNoFrameAllocatorFails)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    kernel_state_set_frames(k_.get(), nullptr);
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_MAP, h_.space, f, 0x1000, SYS_MAP_READ));
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_FRAME_CREATE, h_.kernel));
    kernel_state_set_frames(k_.get(), &ram_.fa);
}

TEST_F(ObjCallTest, DeletingTheLastFrameCapabilityUnmapsAndFreesIt)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    const handle_t s = Create(SYS_SPACE_CREATE);
    const handle_t copy = Derive(f, RIGHT_READ | RIGHT_MAP, root_);
    // Each mapping lives as long as the capability it was made through.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x1000, SYS_MAP_READ)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, s, copy, 0x5000, SYS_MAP_READ)));
    const uint64_t mapped = Free();
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, f)));
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(h_.space, 0x1000, false, &pa));
    EXPECT_EQ(HAL_MMU_OK, Translate(s, 0x5000, false, &pa)) << "made through the copy, still there";
    // The three tables the unmap emptied come back; the frame stays.
    EXPECT_EQ(mapped + 3, Free()) << "a capability is left: the frame stays";
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, copy)));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(s, 0x5000, false, &pa));
    EXPECT_EQ(mapped + 3 + 1 + 3, Free()); // and s's three tables and the frame
    EXPECT_EQ(0u, vm_mapping_count(&k_->vm));
}

TEST_F(ObjCallTest, DeletingTheLastSpaceCapabilityFreesEveryTable)
{
    const uint64_t before = Free();
    const handle_t f = Create(SYS_FRAME_CREATE);
    const handle_t s = Create(SYS_SPACE_CREATE);
    for (uint64_t va : {0x1000ull, 0x40000000ull, 0x8000000000ull}) {
        ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, s, f, va, SYS_MAP_READ)));
    }
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, s)));
    EXPECT_EQ(before - 1, Free()) << "only the frame is left";
    EXPECT_EQ(0u, vm_mapping_count(&k_->vm));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, f)));
    EXPECT_EQ(before, Free());
}

TEST_F(ObjCallTest, TaskCreateAndStart)
{
    const handle_t ep = Create(SYS_ENDPOINT_CREATE);
    Child c = NewChild(ep, 7);
    EXPECT_EQ(OBJECT_TASK, Lookup(root_, c.task)->object.kind);
    EXPECT_EQ(RIGHT_CONTROL | RIGHT_WATCH | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE,
              Lookup(root_, c.task)->rights);
    EXPECT_EQ(1u, cap_table_count(&k_->caps, c.id));
    EXPECT_EQ(OBJECT_ENDPOINT, Lookup(c.id, c.given)->object.kind);
    EXPECT_EQ(Lookup(root_, ep)->rights, Lookup(c.id, c.given)->rights) << "a copy";
    EXPECT_EQ(SCHED_UNUSED, sched_state(&k_->sched, c.id)) << "not started yet";
    // Not started: it cannot make calls.
    ExpectFails(STATUS_NO_CURRENT_TASK, Regs(SYS_YIELD), c.id);

    ExpectFails(STATUS_MISALIGNED, Regs(SYS_TASK_START, c.task, 0x1002, 0x8000));
    ExpectFails(STATUS_MISALIGNED, Regs(SYS_TASK_START, c.task, 0x1000, 0x8008));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_TASK_START, c.task, HAL_MMU_USER_TOP, 0x8000));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_TASK_START, c.task, 0x1000, HAL_MMU_USER_TOP + 16));
    const handle_t watch = Derive(c.task, RIGHT_WATCH, root_);
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_TASK_START, watch, 0x1000, 0x8000));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_TASK_START, ep, 0x1000, 0x8000));

    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_TASK_START, c.task, 0x1000, HAL_MMU_USER_TOP, c.given)));
    EXPECT_EQ(c.given, k_->tasks[c.id].arg);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, c.id));
    EXPECT_EQ(0x1000u, k_->tasks[c.id].entry);
    EXPECT_EQ(HAL_MMU_USER_TOP, k_->tasks[c.id].stack);
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_TASK_START, c.task, 0x1000, 0x8000));
    // Now it can.
    syscall_regs y = Regs(SYS_YIELD);
    EXPECT_EQ(STATUS_OK, Call(y, c.id));
}

TEST_F(ObjCallTest, TaskCreateErrorsChangeNothing)
{
    const handle_t ep = Create(SYS_ENDPOINT_CREATE);
    const handle_t ep_nogrant = Derive(ep, RIGHT_SEND, root_);
    const handle_t s_nomap = Derive(h_.space, RIGHT_GRANT, root_);
    ExpectFails(STATUS_INVALID_ARGUMENT,
                Regs(SYS_TASK_CREATE, h_.kernel, h_.space, SCHED_PRIORITIES, HANDLE_NONE));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_TASK_CREATE, h_.kernel, s_nomap, 1, HANDLE_NONE));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_TASK_CREATE, h_.kernel, ep, 1, HANDLE_NONE));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_TASK_CREATE, h_.kernel, h_.space, 1, ep_nogrant));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_TASK_CREATE, h_.kernel, h_.space, 1, 0x7777));
}

// Affinity (issue 15): checked before anything is made, kept, and given to
// the scheduler when the task starts.
TEST_F(ObjCallTest, TaskAffinityIsCheckedAtCreationAndKept)
{
    k_->cpus = 0x3; // CPUs 0 and 1 run the kernel
    auto with = [&](uint64_t affinity) {
        syscall_regs r = Regs(SYS_TASK_CREATE, h_.kernel, h_.space, 1, HANDLE_NONE);
        r.x[4] = affinity;
        return r;
    };
    ExpectFails(STATUS_BAD_AFFINITY, with(SYS_AFFINITY(0)));       // empty
    ExpectFails(STATUS_BAD_AFFINITY, with(SYS_AFFINITY(1u << 2))); // CPU 2 is not online
    ExpectFails(STATUS_BAD_AFFINITY, with(SYS_AFFINITY(0x103)));   // past the CPUs a mask names
    ExpectFails(STATUS_BAD_AFFINITY, with(SYS_AFFINITY(1ull << 40)));
    syscall_regs r = with(SYS_AFFINITY(1u << 1));
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    const uint32_t child = Lookup(root_, r.x[1])->object.index;
    EXPECT_EQ(1u << 1, k_->tasks[child].affinity);
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), child, 0x1000, 0x2000, 0));
    EXPECT_EQ(1u << 1, k_->sched.entity[child].affinity);
    // CPU 0 passes it over; CPU 1 takes it.
    EXPECT_NE((int32_t)child, sched_ready_head(&k_->sched));
    sched_set_cpu(&k_->sched, 1);
    EXPECT_EQ((int32_t)child, sched_ready_head(&k_->sched));
    sched_set_cpu(&k_->sched, 0);
    // Without bit 63 the argument is not an affinity: any CPU, as before.
    syscall_regs any = with(0x5555);
    ASSERT_EQ(STATUS_OK, Call(any, root_));
    EXPECT_EQ(SCHED_AFFINITY_ANY, k_->tasks[Lookup(root_, any.x[1])->object.index].affinity);
    // SYS_TASK_INFO reports the CPU it last ran on and its CPUs.
    syscall_regs info = Regs(SYS_TASK_INFO, r.x[1]);
    ASSERT_EQ(STATUS_OK, Call(info, root_));
    EXPECT_EQ(0u, info.x[1]);
    EXPECT_EQ(1u << 1, info.x[2]);
    k_->tasks[child].cpu = 1; // as the trap layer records it
    info = Regs(SYS_TASK_INFO, r.x[1]);
    ASSERT_EQ(STATUS_OK, Call(info, root_));
    EXPECT_EQ(1u, info.x[1]);
    info = Regs(SYS_TASK_INFO, any.x[1]);
    ASSERT_EQ(STATUS_OK, Call(info, root_));
    EXPECT_EQ(0x3u, info.x[2]); // any CPU: every one online
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_TASK_INFO, 0x7777));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_TASK_INFO, h_.space));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_TASK_INFO, Derive(r.x[1], RIGHT_CONTROL, root_)));
}

TEST_F(ObjCallTest, ExitEmptiesTheTableAndFreesWhatOnlyTheTaskHeld)
{
    const uint64_t before = Free();
    const handle_t f = Create(SYS_FRAME_CREATE);
    Child c = NewChild(f);
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c.id, 0x1000, 0x2000, 0));
    // Root gives up its own frame and space capabilities: the child's copy
    // of the frame is the last, and only the child's task object keeps the space.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, f)));
    EXPECT_EQ(before - 2, Free()) << "frame and the child's root table";
    syscall_regs ex = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex, c.id));
    EXPECT_EQ(SCHED_EXITED, sched_state(&k_->sched, c.id));
    EXPECT_EQ(0u, cap_table_count(&k_->caps, c.id));
    EXPECT_EQ(before - 1, Free()) << "the frame is freed with the child's table";
    // The task object lives on while root holds it; deleting it removes the task.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.task)));
    EXPECT_EQ(SCHED_UNUSED, sched_state(&k_->sched, c.id));
    EXPECT_EQ(0u, k_->tasks[c.id].used);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.space)));
    EXPECT_EQ(before, Free());
}

TEST_F(ObjCallTest, DestroyingABlockedTaskTakesItOutOfItsQueue)
{
    const handle_t ep = Create(SYS_ENDPOINT_CREATE);
    Child c = NewChild(ep);
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c.id, 0x1000, 0x2000, 0));
    syscall_regs recv = Regs(SYS_RECV, c.given);
    ASSERT_EQ(STATUS_OK, Call(recv, c.id));
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, c.id));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.task)));
    EXPECT_EQ(SCHED_UNUSED, sched_state(&k_->sched, c.id));
    EXPECT_EQ(0u, cap_table_count(&k_->caps, c.id));
    EXPECT_EQ(IPC_NO_TASK, k_->ipc.endpoints[Lookup(root_, ep)->object.index].receivers.head);
    // A send now finds no receiver: root blocks as the only sender.
    syscall_regs send = Regs(SYS_SEND, ep, sys_msg_info(1, 0, 0));
    ASSERT_EQ(STATUS_OK, Call(send, root_));
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, root_));
}

TEST_F(ObjCallTest, DestroyingASpaceStopsTheTasksInIt)
{
    // The task object holds no capability to its space: deleting root's
    // only one destroys the space, and the tasks in it can no longer run.
    Child running = NewChild();
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), running.id, 0x1000, 0x2000, 0));
    const handle_t n = Create(SYS_NOTIFY_CREATE);
    Child blocked = NewChild(n);
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), blocked.id, 0x1000, 0x2000, 0));
    syscall_regs wait = Regs(SYS_NOTIFY_WAIT, blocked.given);
    ASSERT_EQ(STATUS_OK, Call(wait, blocked.id));
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, blocked.id));

    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, running.space)));
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, running.id));
    ExpectFails(STATUS_NO_CURRENT_TASK, Regs(SYS_YIELD), running.id);
    EXPECT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, blocked.id)) << "another space";

    // A task blocked in IPC leaves its queue when its space goes.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, blocked.space)));
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, blocked.id));
    EXPECT_EQ(IPC_WAIT_NONE, k_->ipc.tasks[blocked.id].wait);

    // A task created but not started in a destroyed space cannot start.
    Child idle = NewChild();
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, idle.space)));
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_TASK_START, idle.task, 0x1000, 0x2000));
    EXPECT_EQ(SCHED_UNUSED, sched_state(&k_->sched, idle.id));
}

TEST_F(ObjCallTest, TeardownCascadesThroughTables)
{
    const uint64_t before = Free();
    // root -> task A (only root's capability) -> task B (only A's) -> frame (only B's).
    const handle_t f = Create(SYS_FRAME_CREATE);
    Child b = NewChild(f);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, f)));
    Child a = NewChild(b.task);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, b.task)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, b.space)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, a.space)));
    EXPECT_EQ(3u, obj_count(&k_->caps.objects, OBJECT_TASK));
    EXPECT_EQ(1u, obj_count(&k_->caps.objects, OBJECT_FRAME));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, a.task)));
    EXPECT_EQ(1u, obj_count(&k_->caps.objects, OBJECT_TASK)) << "A and B are gone";
    EXPECT_EQ(0u, obj_count(&k_->caps.objects, OBJECT_FRAME));
    EXPECT_EQ(1u, obj_count(&k_->caps.objects, OBJECT_ADDRESS_SPACE)) << "root's own";
    EXPECT_EQ(before, Free()) << "every page and table came back";
    EXPECT_EQ(k_->reaped, obj_destroyed_count(&k_->caps.objects));
}

/** What a leak would show: pages taken, objects of each kind, spaces (ASIDs) in use. */
struct Usage {
    uint64_t free;
    uint32_t tasks, spaces, frames, endpoints, asids;
    bool operator==(const Usage &o) const
    {
        return free == o.free && tasks == o.tasks && spaces == o.spaces && frames == o.frames &&
               endpoints == o.endpoints && asids == o.asids;
    }
};

class StopTest : public ObjCallTest {
  protected:
    Usage Now()
    {
        Usage u{Free(),
                obj_count(&k_->caps.objects, OBJECT_TASK),
                obj_count(&k_->caps.objects, OBJECT_ADDRESS_SPACE),
                obj_count(&k_->caps.objects, OBJECT_FRAME),
                obj_count(&k_->caps.objects, OBJECT_ENDPOINT),
                0};
        for (uint32_t i = 0; i < OBJ_MAX_ADDRESS_SPACES; i++) {
            u.asids += k_->vm.spaces[i].used ? 1 : 0; // a space's ASID is its index + 1
        }
        return u;
    }

    /** Copies root's capability h into task's table; the handle there. */
    handle_t Give(handle_t h, uint32_t task)
    {
        handle_t out = HANDLE_NONE;
        EXPECT_EQ(STATUS_OK, cap_transfer(&k_->caps, root_, h, task, false, &out));
        return out;
    }

    /**
     * A started child that holds a capability to its own space, a frame
     * mapped there and an endpoint, and none of which root keeps: only the
     * child's table holds them (and root its task capability).
     */
    Child Holder()
    {
        Child c = NewChild();
        const handle_t f = Create(SYS_FRAME_CREATE);
        const handle_t ep = Create(SYS_ENDPOINT_CREATE);
        EXPECT_EQ(STATUS_OK, Call(Regs(SYS_MAP, c.space, f, 0x4000, SYS_MAP_READ | SYS_MAP_WRITE)));
        Give(c.space, c.id);
        Give(f, c.id);
        Give(ep, c.id);
        EXPECT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, f)));
        EXPECT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, ep)));
        EXPECT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.space)));
        EXPECT_EQ(STATUS_OK, kernel_task_start(k_.get(), c.id, 0x1000, 0x2000, 0));
        return c;
    }

    /** The running task id faults, as the board reports it. */
    void Fault(uint32_t id)
    {
        k_->current = (int32_t)id;
        kernel_run_fault(k_.get(), id);
        EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, id));
        EXPECT_EQ(0u, cap_table_count(&k_->caps, id)) << "a stopped task holds nothing";
        EXPECT_EQ(STATUS_OK, Invariants());
        EXPECT_EQ(k_->reaped, obj_destroyed_count(&k_->caps.objects)) << "torn down at once";
    }
};

TEST_F(StopTest, AFaultedTaskHoldingItselfGoesWithTheLastOutsideCapability)
{
    const Usage before = Now();
    Child c = Holder();
    Give(c.task, c.id); // the child holds itself
    ASSERT_EQ(4u, cap_table_count(&k_->caps, c.id));
    Fault(c.id);
    // What only the child held is gone with its table: space (and ASID),
    // its tables, the frame, the endpoint. The task object stays for root,
    // which sees it stopped.
    Usage stopped = before;
    stopped.tasks += 1;
    EXPECT_EQ(stopped, Now());
    EXPECT_EQ(1u, k_->tasks[c.id].used);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.task)));
    EXPECT_EQ(0u, k_->tasks[c.id].used);
    EXPECT_EQ(SCHED_UNUSED, sched_state(&k_->sched, c.id));
    EXPECT_EQ(before, Now()) << "every page, object and ASID came back";
}

TEST_F(StopTest, ATaskHoldingItselfStoppedByItsSpaceGoingHoldsNothing)
{
    const Usage before = Now();
    Child c = NewChild();
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c.id, 0x1000, 0x2000, 0));
    Give(c.task, c.id);
    const handle_t ep = Create(SYS_ENDPOINT_CREATE);
    Give(ep, c.id);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, ep)));
    // Root's capability to the space was the last: the task stops, from
    // inside kernel_reap, and its table goes in the same call.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.space)));
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, c.id));
    EXPECT_EQ(0u, cap_table_count(&k_->caps, c.id));
    EXPECT_EQ(k_->reaped, obj_destroyed_count(&k_->caps.objects));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.task)));
    EXPECT_EQ(before, Now());
}

TEST_F(StopTest, ACycleOfFaultedTasksIsTornDown)
{
    const Usage before = Now();
    Child a = Holder();
    Child b = Holder();
    Give(a.task, b.id); // b holds a
    Give(b.task, a.id); // a holds b
    Fault(a.id);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, b.id)) << "b runs on";
    Fault(b.id);
    Usage stopped = before;
    stopped.tasks += 2;
    EXPECT_EQ(stopped, Now());
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, a.task)));
    EXPECT_EQ(0u, k_->tasks[a.id].used);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, b.task)));
    EXPECT_EQ(0u, k_->tasks[b.id].used);
    EXPECT_EQ(before, Now()) << "every page, object and ASID came back";
}

TEST_F(StopTest, ACycleGoesWhenOneOfItStopsAndNothingOutsideHoldsIt)
{
    // Root lets go of both first: the cycle alone keeps them. When a
    // faults, its table lets go of b, whose table lets go of a: both go,
    // b (which never faulted) included, since nothing can reach it.
    const Usage before = Now();
    Child a = Holder();
    Child b = Holder();
    Give(a.task, b.id);
    Give(b.task, a.id);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, a.task)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, b.task)));
    k_->current = (int32_t)a.id;
    kernel_run_fault(k_.get(), a.id);
    EXPECT_EQ(0u, k_->tasks[a.id].used);
    EXPECT_EQ(0u, k_->tasks[b.id].used);
    EXPECT_EQ(SCHED_UNUSED, sched_state(&k_->sched, a.id));
    EXPECT_EQ(SCHED_UNUSED, sched_state(&k_->sched, b.id));
    EXPECT_EQ(before, Now());
}

TEST_F(ObjCallTest, ConsoleWriteCopiesFromTheCallersSpace)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x1000, SYS_MAP_READ | SYS_MAP_WRITE)));
    uint8_t *page = ram_.At(k_->vm.frames[Lookup(root_, f)->object.index].pa);
    std::memcpy(page + kPage - 6, "hello, world", 6);
    console_fake_reset();
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CONSOLE_WRITE, h_.console, 0x2000 - 6, 6)));
    EXPECT_EQ("hello,", std::string(console_fake_contents(), console_fake_length()));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CONSOLE_WRITE, h_.console, 0x1000, 0)));
    EXPECT_EQ(6u, console_fake_length());

    const handle_t no_write = Derive(h_.console, RIGHT_GRANT, root_);
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CONSOLE_WRITE, no_write, 0x1000, 4));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_CONSOLE_WRITE, f, 0x1000, 4));
    ExpectFails(STATUS_INVALID_ARGUMENT,
                Regs(SYS_CONSOLE_WRITE, h_.console, 0x1000, SYS_CONSOLE_WRITE_MAX + 1));
    // Unmapped, partly unmapped (the page after), kernel and wrapping addresses.
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_CONSOLE_WRITE, h_.console, 0x3000, 4));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_CONSOLE_WRITE, h_.console, 0x2000 - 2, 4));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_CONSOLE_WRITE, h_.console, 0xffff000000001000ull, 4));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_CONSOLE_WRITE, h_.console, ~0ull - 1, 4));
    EXPECT_EQ(6u, console_fake_length()) << "nothing written by a failed call";

    // A task whose space is gone has no memory to write from.
    Child c = NewChild(h_.console);
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c.id, 0x1000, 0x2000, 0));
    syscall_regs empty = Regs(SYS_CONSOLE_WRITE, c.given, 0x1000, 0);
    ASSERT_EQ(STATUS_OK, Call(empty, c.id));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.space)));
    ASSERT_EQ(SCHED_FAULTED, sched_state(&k_->sched, c.id));
    EXPECT_EQ(0u, cap_table_count(&k_->caps, c.id)) << "stopped, it holds nothing";
    // Faulted, it cannot call at all; even a live task whose record names a
    // destroyed space is refused (made READY again here by hand, and given
    // the console again).
    ASSERT_EQ(STATUS_OK, sched_remove(&k_->sched, c.id));
    ASSERT_EQ(STATUS_OK, sched_add(&k_->sched, c.id, 10));
    handle_t console = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, root_, h_.console, c.id, false, &console));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_CONSOLE_WRITE, console, 0x1000, 0), c.id);
}

TEST_F(ObjCallTest, PowerOffIsARequestForTheBoard)
{
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_POWER_OFF, h_.kernel, 2));
    EXPECT_EQ(KERNEL_POWER_NONE, k_->power_request);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_POWER_OFF, h_.kernel, SYS_POWER_OFF_RESET)));
    EXPECT_EQ(KERNEL_POWER_RESET, k_->power_request);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_POWER_OFF, h_.kernel, SYS_POWER_OFF_HALT)));
    EXPECT_EQ(KERNEL_POWER_OFF, k_->power_request);
}

TEST_F(ObjCallTest, KernelStatsReportsFramesAndObjectsPerKind)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x1000, SYS_MAP_READ | SYS_MAP_WRITE)));
    Create(SYS_ENDPOINT_CREATE);
    Create(SYS_ENDPOINT_CREATE);
    Create(SYS_NOTIFY_CREATE);
    uint8_t *page = ram_.At(k_->vm.frames[Lookup(root_, f)->object.index].pa);
    std::memset(page, 0xa5, kPage);
    for (int i = 0; i < SYS_BOOT_PHASES; i++) {
        k_->boot_instructions[i] = 1000u * (i + 1) + 7; // as kernel_main would record them
    }
    const uint64_t free_now = Free();
    syscall_regs r = Regs(SYS_KERNEL_STATS, h_.kernel, 0x1000, sizeof(sys_kernel_stats));
    const syscall_regs in = r;
    std::memcpy(before_.get(), k_.get(), sizeof(kernel_state));
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    EXPECT_EQ(0, std::memcmp(before_.get(), k_.get(), sizeof(kernel_state)))
        << "a statistics call changes nothing in the kernel";
    for (int i = 1; i < 8; i++) {
        EXPECT_EQ(in.x[i], r.x[i]) << "x" << i << ": the call has no result registers";
    }
    sys_kernel_stats s{};
    std::memcpy(&s, page, sizeof s);
    EXPECT_EQ(free_now, s.frames_free);
    EXPECT_EQ(frame_alloc_total_count(&ram_.fa), s.frames_total);
    EXPECT_EQ(frame_alloc_reserved_count(&ram_.fa), s.frames_reserved);
    EXPECT_GT(s.frames_reserved, 0u) << "the root task's space reserves its quota";
    EXPECT_LE(s.frames_reserved, s.frames_free);
    EXPECT_EQ((uint32_t)OBJECT_KIND_COUNT, s.kind_count);
    EXPECT_EQ(0u, s.reserved);
    EXPECT_EQ(1u, s.objects_used[OBJECT_TASK]);
    EXPECT_EQ(2u, s.objects_used[OBJECT_ENDPOINT]);
    EXPECT_EQ(1u, s.objects_used[OBJECT_NOTIFICATION]);
    EXPECT_EQ(1u, s.objects_used[OBJECT_ADDRESS_SPACE]);
    for (int i = 0; i < SYS_BOOT_PHASES; i++) {
        EXPECT_EQ(1000u * (i + 1) + 7, s.boot_instructions[i]) << i;
    }
    EXPECT_EQ(1u, s.objects_used[OBJECT_FRAME]);
    EXPECT_EQ(1u, s.objects_used[OBJECT_KERNEL]);
    EXPECT_EQ(1u, s.objects_used[OBJECT_CONSOLE]);
    EXPECT_EQ(0u, s.objects_used[OBJECT_NONE]);
    EXPECT_EQ((uint32_t)OBJ_MAX_TASKS, s.objects_max[OBJECT_TASK]);
    EXPECT_EQ((uint32_t)OBJ_MAX_FRAMES, s.objects_max[OBJECT_FRAME]);
    for (uint32_t kind = OBJECT_KIND_COUNT; kind < SYS_KERNEL_STATS_KINDS; kind++) {
        EXPECT_EQ(0u, s.objects_used[kind]);
        EXPECT_EQ(0u, s.objects_max[kind]);
    }
    EXPECT_EQ(0xa5, page[sizeof s]) << "nothing written past the structure";

    // Another object, another count.
    Create(SYS_NOTIFY_CREATE);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_KERNEL_STATS, h_.kernel, 0x1000, sizeof s)));
    std::memcpy(&s, page, sizeof s);
    EXPECT_EQ(2u, s.objects_used[OBJECT_NOTIFICATION]);
}

TEST_F(ObjCallTest, KernelStatsErrorsChangeNothing)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x1000, SYS_MAP_READ | SYS_MAP_WRITE)));
    const handle_t ro = Create(SYS_FRAME_CREATE);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, ro, 0x3000, SYS_MAP_READ)));
    uint8_t *page = ram_.At(k_->vm.frames[Lookup(root_, f)->object.index].pa);
    std::memset(page, 0xa5, kPage);
    const uint64_t size = sizeof(sys_kernel_stats);
    // The kernel capability (wrong kind, missing right, none).
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_KERNEL_STATS, h_.space, 0x1000, size));
    ExpectFails(STATUS_MISSING_RIGHT,
                Regs(SYS_KERNEL_STATS, Derive(h_.kernel, RIGHTS_ALL & ~RIGHT_CONTROL, root_),
                     0x1000, size));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_KERNEL_STATS, HANDLE_NONE, 0x1000, size));
    // A length that is not the structure's.
    for (uint64_t len : {(uint64_t)0, size - 1, size + 1, (uint64_t)kPage, UINT64_MAX}) {
        ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_KERNEL_STATS, h_.kernel, 0x1000, len));
    }
    // Unmapped, running into an unmapped page, read-only, kernel, wrapping.
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_KERNEL_STATS, h_.kernel, 0x5000, size));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_KERNEL_STATS, h_.kernel, 0x2000 - 8, size));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_KERNEL_STATS, h_.kernel, 0x3000, size));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_KERNEL_STATS, h_.kernel, 0xffff000000001000ull, size));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_KERNEL_STATS, h_.kernel, ~0ull - 8, size));
    for (uint64_t i = 0; i < kPage; i++) {
        ASSERT_EQ(0xa5, page[i]) << "byte " << i << " written by a failed call";
    }
    // A task holding a kernel capability whose space is gone has nowhere to write.
    Child c = NewChild(h_.kernel);
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), c.id, 0x1000, 0x2000, 0));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, c.space)));
    ASSERT_EQ(STATUS_OK, sched_remove(&k_->sched, c.id));
    ASSERT_EQ(STATUS_OK, sched_add(&k_->sched, c.id, 10));
    handle_t kernel = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, root_, h_.kernel, c.id, false, &kernel));
    ExpectFails(STATUS_BAD_BUFFER, Regs(SYS_KERNEL_STATS, kernel, 0x1000, size), c.id);
}

// A static ELF64 AArch64 executable: one segment at 0x400000 with flags
// (PF_R 4 | PF_X 1 by default), 0x100 bytes, entry at its start.
std::vector<uint8_t> Program(uint32_t flags = 5)
{
    return elf_builder::OnePage(flags);
}

class SpawnTest : public ObjCallTest {
  protected:
    void SetUp() override
    {
        ObjCallTest::SetUp();
        // Two images: "good" and "wx" (writable and executable); the blob
        // holds both, each at a page-aligned offset.
        good_ = Program();
        bad_ = Program(7);
        // "stack" and "guard": well-formed images with their one segment in
        // the spawn stack's pages or in its guard page below them.
        const uint64_t stack_va = KERNEL_TASK_STACK_TOP - kPage;
        const uint64_t guard_va = KERNEL_TASK_STACK_TOP - (KERNEL_TASK_STACK_PAGES + 1) * kPage;
        stack_ = elf_builder::Build(stack_va, {{5, 0x1000, stack_va, 0x100, 0x100}});
        guard_ = elf_builder::Build(guard_va, {{5, 0x1000, guard_va, 0x100, 0x100}});
        blob_.assign(0x8000, 0);
        std::memcpy(blob_.data(), good_.data(), good_.size());
        std::memcpy(blob_.data() + 0x2000, bad_.data(), bad_.size());
        std::memcpy(blob_.data() + 0x4000, stack_.data(), stack_.size());
        std::memcpy(blob_.data() + 0x6000, guard_.data(), guard_.size());
        // In name order, as the table requires.
        Entry(0, "good", 0, good_.size());
        Entry(1, "guard", 0x6000, guard_.size());
        Entry(2, "stack", 0x4000, stack_.size());
        Entry(3, "wx", 0x2000, bad_.size());
        table_ = {IMAGE_TABLE_MAGIC, 4, entries_, blob_.data(), blob_.size()};
        kernel_state_set_images(k_.get(), &table_);
        // Root's page of names at 0x10000.
        const handle_t f = Create(SYS_FRAME_CREATE);
        ASSERT_EQ(STATUS_OK,
                  Call(Regs(SYS_MAP, h_.space, f, kNames, SYS_MAP_READ | SYS_MAP_WRITE)));
        names_ = ram_.At(k_->vm.frames[Lookup(root_, f)->object.index].pa);
        std::memcpy(names_, "goodwxhello\0x", 13);
        std::memcpy(names_ + kStackName, "stackguard", 10);
    }

    void Entry(int i, const char *name, uint64_t offset, uint64_t size)
    {
        std::memset(&entries_[i], 0, sizeof entries_[i]);
        std::strncpy(entries_[i].name, name, IMAGE_NAME_MAX - 1);
        entries_[i].offset = offset;
        entries_[i].size = size;
        sha256(blob_.data() + offset, size, entries_[i].sha256);
    }

    static syscall_regs Spawn(handle_t kernel, uint64_t name, uint64_t len, uint64_t prio,
                              handle_t give)
    {
        syscall_regs r = Regs(SYS_TASK_SPAWN, kernel, name, len, prio);
        r.x[4] = give;
        return r;
    }

    static constexpr uint64_t kNames = 0x10000;
    static constexpr uint64_t kStackName = 0x20; // "stack" then "guard"
    std::vector<uint8_t> good_, bad_, stack_, guard_, blob_;
    image_entry entries_[4]{};
    image_table table_{};
    uint8_t *names_ = nullptr;
};

TEST_F(SpawnTest, SpawnLoadsTheImageAndStartsTheTask)
{
    const uint64_t before = Free();
    syscall_regs r = Spawn(h_.kernel, kNames, 4, 12, h_.console);
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    const uint32_t child = Lookup(root_, r.x[1])->object.index;
    EXPECT_EQ(OBJECT_TASK, Lookup(root_, r.x[1])->object.kind);
    EXPECT_EQ(OBJECT_ADDRESS_SPACE, Lookup(root_, r.x[2])->object.kind);
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, child));
    EXPECT_EQ(0x400000u, k_->tasks[child].entry);
    EXPECT_EQ(KERNEL_TASK_STACK_TOP, k_->tasks[child].stack);
    // Its x0 is the console's handle in its own table.
    EXPECT_EQ(OBJECT_CONSOLE, Lookup(child, k_->tasks[child].arg)->object.kind);
    EXPECT_EQ(1u + KERNEL_TASK_STACK_PAGES, vm_anon_count(&k_->vm));
    paddr_t pa{};
    ASSERT_EQ(HAL_MMU_OK, Translate(r.x[2], 0x400000, false, &pa));
    EXPECT_EQ(good_[0x1000], *ram_.At(pa));
    // Deleting both handles takes it all back.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, r.x[1])));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, r.x[2])));
    EXPECT_EQ(before, Free());
    EXPECT_EQ(0u, vm_anon_count(&k_->vm));
}

TEST_F(SpawnTest, SpawnChecksTheAffinityFirst)
{
    syscall_regs r = Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE);
    r.x[5] = SYS_AFFINITY(0);
    ExpectFails(STATUS_BAD_AFFINITY, r);
    r.x[5] = SYS_AFFINITY(1u << 1); // one CPU online: only CPU 0
    ExpectFails(STATUS_BAD_AFFINITY, r);
    r.x[5] = SYS_AFFINITY(1u); // every CPU online: no binding
    syscall_regs all = r;
    ASSERT_EQ(STATUS_OK, Call(all, root_));
    EXPECT_EQ(SCHED_AFFINITY_ANY, k_->sched.entity[Lookup(root_, all.x[1])->object.index].affinity);
    EXPECT_EQ(0u, k_->sched.bound);
    k_->cpus = 0x3;
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    EXPECT_EQ(1u, k_->sched.entity[Lookup(root_, r.x[1])->object.index].affinity);
    EXPECT_EQ(1u, k_->sched.bound);
}

// Spawn's memory check counts its space's reservation with its pages,
// before anything is taken: one frame short of both together is refused
// with nothing changed (not a halt in the middle of the load).
TEST_F(SpawnTest, SpawnCountsItsSpacesReservation)
{
    const uint64_t available = Available();
    syscall_regs r = Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE);
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    const uint64_t needed = available - Available();
    const uint32_t space = Lookup(root_, r.x[2])->object.index;
    const uint32_t quota = k_->vm.spaces[space].quota;
    EXPECT_EQ(quota + 1u + KERNEL_TASK_STACK_PAGES, needed) << "its quota and its pages";
    EXPECT_LE(VM_QUOTA_DEFAULT + 1, quota) << "room for the load and the default";
    EXPECT_EQ(STATUS_OK, Invariants());
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, r.x[1])));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, r.x[2])));
    ASSERT_EQ(available, Available());
    std::vector<paddr_t> taken = Exhaust(needed - 1);
    ExpectFails(STATUS_NO_MEMORY, Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE));
    Release(taken);
    taken = Exhaust(needed);
    syscall_regs ok = Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE);
    ASSERT_EQ(STATUS_OK, Call(ok, root_));
    EXPECT_EQ(0u, Available());
    EXPECT_EQ(STATUS_OK, Invariants());
    Release(taken);
}

// One space filling its table quota takes nothing from the shared pool:
// with the pool holding exactly what a spawn needs, a space mapping one
// frame across its address space until STATUS_QUOTA leaves another
// space's map and the spawn unhurt.
TEST_F(SpawnTest, OneSpaceFillingItsQuotaHurtsNoOtherSpaceOrSpawn)
{
    // What a spawn needs, measured.
    const uint64_t available = Available();
    syscall_regs first = Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE);
    ASSERT_EQ(STATUS_OK, Call(first, root_));
    const uint64_t spawn_needs = available - Available();
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, first.x[1])));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, first.x[2])));

    syscall_regs a = Regs(SYS_SPACE_CREATE, h_.kernel, 32);
    ASSERT_EQ(STATUS_OK, Call(a, root_));
    const handle_t greedy = a.x[1];
    const handle_t other = Create(SYS_SPACE_CREATE);
    const handle_t f = Create(SYS_FRAME_CREATE);
    std::vector<paddr_t> taken = Exhaust(spawn_needs);
    // The greedy space maps 1 GiB apart until its quota refuses it.
    uint64_t va = 0;
    uint32_t mapped = 0;
    status_t st = STATUS_OK;
    while (st == STATUS_OK && mapped < 1000) {
        syscall_regs m = Regs(SYS_MAP, greedy, f, va, SYS_MAP_READ);
        st = Call(m, root_);
        mapped += st == STATUS_OK ? 1 : 0;
        va += 1ull << 30;
    }
    EXPECT_EQ(STATUS_QUOTA, st);
    EXPECT_EQ(14u, mapped); // root + L1 + 14 * (L2 + L3) + a record page = 31; 33 for 15
    EXPECT_EQ(spawn_needs, Available()) << "the greedy space took nothing from the pool";
    EXPECT_EQ(STATUS_OK, Invariants());
    // The other space maps in fresh regions; the spawn still fits.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, other, f, 0x7000000000, SYS_MAP_READ)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, other, f, 0x40000000, SYS_MAP_READ)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x7000000000, SYS_MAP_READ)));
    EXPECT_EQ(spawn_needs, Available());
    syscall_regs second = Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE);
    ASSERT_EQ(STATUS_OK, Call(second, root_));
    EXPECT_EQ(0u, Available());
    EXPECT_EQ(STATUS_OK, Invariants());
    Release(taken);
}

TEST_F(SpawnTest, EveryRefusalLeavesNothingBehind)
{
    const handle_t no_grant = Derive(h_.console, RIGHT_WRITE, root_);
    ExpectFails(STATUS_NOT_FOUND, Spawn(h_.kernel, kNames + 6, 5, 12, HANDLE_NONE));  // "hello"
    ExpectFails(STATUS_PERMISSION, Spawn(h_.kernel, kNames + 4, 2, 12, HANDLE_NONE)); // "wx": W+X
    ExpectFails(STATUS_INVALID_ARGUMENT, Spawn(h_.kernel, kNames, 0, 12, HANDLE_NONE));
    ExpectFails(STATUS_INVALID_ARGUMENT, Spawn(h_.kernel, kNames, IMAGE_NAME_MAX, 12, HANDLE_NONE));
    ExpectFails(STATUS_INVALID_ARGUMENT, Spawn(h_.kernel, kNames + 6, 7, 12, HANDLE_NONE)); // NUL
    ExpectFails(STATUS_INVALID_ARGUMENT,
                Spawn(h_.kernel, kNames, 4, SCHED_PRIORITIES, HANDLE_NONE));
    ExpectFails(STATUS_BAD_BUFFER, Spawn(h_.kernel, 0x20000, 4, 12, HANDLE_NONE));
    ExpectFails(STATUS_BAD_BUFFER, Spawn(h_.kernel, kNames + 0xffe, 4, 12, HANDLE_NONE));
    ExpectFails(STATUS_MISSING_RIGHT, Spawn(h_.kernel, kNames, 4, 12, no_grant));
    ExpectFails(STATUS_BAD_HANDLE, Spawn(h_.kernel, kNames, 4, 12, 0x7777));
    // A segment in the stack or its guard page: the loader's refusal, named,
    // with nothing taken (this halted the kernel when only elf_parse ran first).
    ExpectFails(STATUS_ALREADY_MAPPED, Spawn(h_.kernel, kNames + kStackName, 5, 12, h_.console));
    ExpectFails(STATUS_ALREADY_MAPPED,
                Spawn(h_.kernel, kNames + kStackName + 5, 5, 12, h_.console));
    // A corrupted image: its hash no longer matches.
    blob_[0x1000] ^= 1;
    ExpectFails(STATUS_PERMISSION, Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE));
    blob_[0x1000] ^= 1;
    // No images at all.
    kernel_state_set_images(k_.get(), nullptr);
    ExpectFails(STATUS_NOT_FOUND, Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE));
    kernel_state_set_images(k_.get(), &table_);
    // Short of memory: every available page but a few taken.
    std::vector<paddr_t> taken = Exhaust(8);
    ExpectFails(STATUS_NO_MEMORY, Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE));
    Release(taken);
    // The caller's table without room for the two handles.
    std::vector<handle_t> fill;
    while (cap_table_count(&k_->caps, root_) < CAP_TABLE_SLOTS - 1) {
        fill.push_back(Derive(h_.space, RIGHT_MAP, root_));
    }
    ExpectFails(STATUS_TABLE_FULL, Spawn(h_.kernel, kNames, 4, 12, HANDLE_NONE));
}

// Mappings and watches live exactly as long as the capability they were made through.
class LinkTest : public ObjCallTest {
  protected:
    static constexpr rights_t kFrameRW = RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT;

    /** A started child with a copy of its own space capability (MAP) in its table. */
    struct Mapper {
        Child c;
        handle_t space; // in the child's table
    };
    Mapper NewMapper()
    {
        Mapper m{};
        m.c = NewChild();
        EXPECT_EQ(STATUS_OK, cap_transfer(&k_->caps, root_, m.c.space, m.c.id, false, &m.space));
        EXPECT_EQ(STATUS_OK, Call(Regs(SYS_TASK_START, m.c.task, 0x1000, 0x8000, 0)));
        return m;
    }

    /** Copies root's capability h into task's table (the IPC primitive, as a copy). */
    handle_t Give(handle_t h, uint32_t task)
    {
        handle_t out = HANDLE_NONE;
        EXPECT_EQ(STATUS_OK, cap_transfer(&k_->caps, root_, h, task, false, &out));
        return out;
    }

    hal_mmu_result ChildTranslate(const Mapper &m, uint64_t va, bool write)
    {
        paddr_t pa{};
        return Translate(m.c.space, va, write, &pa);
    }

    /** Runs a call as task (an rvalue of Regs). */
    status_t CallAs(syscall_regs r, uint32_t task)
    {
        return Call(r, task);
    }

    status_t Poll(handle_t n, uint64_t *bits)
    {
        syscall_regs r = Regs(SYS_NOTIFY_POLL, n);
        status_t st = Call(r, root_);
        *bits = r.x[1];
        return st;
    }
};

TEST_F(LinkTest, RevokeUnmapsWhatADescendantMappedInAnotherTable)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    const handle_t derived = Derive(f, kFrameRW, root_);
    Mapper b = NewMapper();
    const handle_t held = Give(derived, b.c.id);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, derived)));
    ASSERT_EQ(STATUS_OK,
              CallAs(Regs(SYS_MAP, b.space, held, 0x7000, SYS_MAP_READ | SYS_MAP_WRITE), b.c.id));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x1000, SYS_MAP_READ)));
    EXPECT_EQ(HAL_MMU_OK, ChildTranslate(b, 0x7000, true));
    ASSERT_EQ(STATUS_OK, Invariants());

    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_REVOKE, f)));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, ChildTranslate(b, 0x7000, false))
        << "gone with its capability";
    EXPECT_EQ(1u, vm_mapping_count(&k_->vm)) << "root's own mapping, made through f, stays";
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_OK, Translate(h_.space, 0x1000, false, &pa));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_MAP, b.space, held, 0x7000, SYS_MAP_READ), b.c.id);
}

TEST_F(LinkTest, DeleteUnmapsOnlyWhatWasMadeThroughThatCapability)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    const handle_t a = Derive(f, kFrameRW, root_);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, a, 0x1000, SYS_MAP_READ)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, a, 0x2000, SYS_MAP_READ)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x3000, SYS_MAP_READ)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, a)));
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(h_.space, 0x1000, false, &pa));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(h_.space, 0x2000, false, &pa));
    EXPECT_EQ(HAL_MMU_OK, Translate(h_.space, 0x3000, false, &pa));
    EXPECT_EQ(1u, vm_mapping_count(&k_->vm));
}

TEST_F(LinkTest, AMovedCapabilityKeepsItsMappings)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    Mapper b = NewMapper();
    const handle_t held = Give(Derive(f, kFrameRW, root_), b.c.id);
    ASSERT_EQ(STATUS_OK, CallAs(Regs(SYS_MAP, b.space, held, 0x7000, SYS_MAP_READ), b.c.id));
    // Moved back to root's table (as IPC moves it): the mapping follows it.
    handle_t back = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, b.c.id, held, root_, true, &back));
    ASSERT_EQ(STATUS_OK, Invariants()) << "the mapping names the capability's new position";
    EXPECT_EQ(HAL_MMU_OK, ChildTranslate(b, 0x7000, false));
    // A new capability in the emptied slot has no mapping to end.
    const handle_t other = Give(Derive(f, kFrameRW, root_), b.c.id);
    ASSERT_EQ(STATUS_OK, CallAs(Regs(SYS_CAP_DELETE, other), b.c.id));
    EXPECT_EQ(HAL_MMU_OK, ChildTranslate(b, 0x7000, false));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, back)));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, ChildTranslate(b, 0x7000, false));
}

TEST_F(LinkTest, ATasksExitUnmapsWhatItMappedInAnotherSpace)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    Mapper b = NewMapper();
    const handle_t held = Give(Derive(f, kFrameRW, root_), b.c.id);
    const handle_t root_space = Give(h_.space, b.c.id);
    ASSERT_EQ(STATUS_OK, CallAs(Regs(SYS_MAP, root_space, held, 0x5000, SYS_MAP_READ), b.c.id));
    paddr_t pa{};
    ASSERT_EQ(HAL_MMU_OK, Translate(h_.space, 0x5000, false, &pa));
    syscall_regs ex = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex, b.c.id));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(h_.space, 0x5000, false, &pa));
    EXPECT_EQ(0u, vm_mapping_count(&k_->vm));
}

TEST_F(LinkTest, AWatchEndsWithTheTaskCapabilityItWasMadeThrough)
{
    const handle_t n = Create(SYS_NOTIFY_CREATE);
    Mapper b = NewMapper();
    const handle_t watch = Derive(b.c.task, RIGHT_WATCH, root_);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_TASK_WATCH, watch, n, 0x4)));
    ASSERT_EQ(STATUS_OK, Invariants());
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, watch)));
    EXPECT_EQ(0u, k_->tasks[b.c.id].watch_set);
    syscall_regs ex = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex, b.c.id));
    uint64_t bits = 0;
    EXPECT_EQ(STATUS_WOULD_BLOCK, Poll(n, &bits)) << "bits " << bits;
}

TEST_F(LinkTest, AWatchSetAfterTheTaskStoppedFiresAtOnce)
{
    const handle_t n = Create(SYS_NOTIFY_CREATE);
    // Exited before anyone watched it (as a spawned task more urgent than
    // its spawner can).
    Mapper b = NewMapper();
    syscall_regs ex = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex, b.c.id));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_TASK_WATCH, b.c.task, n, 0x8)));
    uint64_t bits = 0;
    ASSERT_EQ(STATUS_OK, Poll(n, &bits));
    EXPECT_EQ(0x8u, bits);
    // Faulted (its space gone), then watched.
    Mapper c = NewMapper();
    kernel_task_stop(k_.get(), c.c.id);
    kernel_reap(k_.get());
    ASSERT_EQ(SCHED_FAULTED, sched_state(&k_->sched, c.c.id));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_TASK_WATCH, c.c.task, n, 0x10)));
    ASSERT_EQ(STATUS_OK, Poll(n, &bits));
    EXPECT_EQ(0x10u, bits);
    // A running task is not reported until it stops.
    Mapper d = NewMapper();
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_TASK_WATCH, d.c.task, n, 0x20)));
    EXPECT_EQ(STATUS_WOULD_BLOCK, Poll(n, &bits));
    syscall_regs ex2 = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex2, d.c.id));
    ASSERT_EQ(STATUS_OK, Poll(n, &bits));
    EXPECT_EQ(0x20u, bits);
}

TEST_F(LinkTest, AWatchEndsWithTheNotificationCapabilityItWasMadeThrough)
{
    const handle_t n = Create(SYS_NOTIFY_CREATE);
    const handle_t send = Derive(n, RIGHT_SEND | RIGHT_DERIVE, root_);
    Mapper b = NewMapper();
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_TASK_WATCH, b.c.task, send, 0x4)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_REVOKE, n)));
    EXPECT_EQ(0u, k_->tasks[b.c.id].watch_set);
    syscall_regs ex = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex, b.c.id));
    uint64_t bits = 0;
    EXPECT_EQ(STATUS_WOULD_BLOCK, Poll(n, &bits)) << "bits " << bits;
}

TEST_F(LinkTest, AWatchWhoseCapabilitiesStaySignals)
{
    const handle_t n = Create(SYS_NOTIFY_CREATE);
    Mapper b = NewMapper();
    const handle_t watch = Derive(b.c.task, RIGHT_WATCH | RIGHT_GRANT, root_);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_TASK_WATCH, watch, n, 0x4)));
    // Moved to another table, the capability lives on and so does the watch.
    handle_t moved = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, root_, watch, b.c.id, true, &moved));
    ASSERT_EQ(STATUS_OK, Invariants());
    EXPECT_EQ(1u, k_->tasks[b.c.id].watch_set);
    // b's exit empties its table (the watch capability with it) after signalling.
    syscall_regs ex = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex, b.c.id));
    uint64_t bits = 0;
    EXPECT_EQ(STATUS_OK, Poll(n, &bits));
    EXPECT_EQ(0x4u, bits);
}

TEST_F(ObjCallTest, AFrameIsNeverWritableAndExecutableAcrossItsMappings)
{
    const handle_t f = Create(SYS_FRAME_CREATE);
    const handle_t rx = Derive(f, RIGHT_READ | RIGHT_EXECUTE | RIGHT_MAP, root_);
    const handle_t s = Create(SYS_SPACE_CREATE);
    constexpr uint64_t R = SYS_MAP_READ;
    constexpr uint64_t W = SYS_MAP_WRITE;
    constexpr uint64_t X = SYS_MAP_EXEC;
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x1000, R | W)));
    // Through another capability, in another space: still the same frame.
    ExpectFails(STATUS_WX_CONFLICT, Regs(SYS_MAP, s, rx, 0x2000, R | X));
    ExpectFails(STATUS_WX_CONFLICT, Regs(SYS_MAP, h_.space, f, 0x2000, R | X));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, s, rx, 0x2000, R)));
    ExpectFails(STATUS_WX_CONFLICT, Regs(SYS_PROTECT, s, 0x2000, R | X));
    // The honest way: unmap the writable mapping, then execute.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_UNMAP, h_.space, 0x1000)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_PROTECT, s, 0x2000, R | X)));
    ExpectFails(STATUS_WX_CONFLICT, Regs(SYS_MAP, h_.space, f, 0x1000, R | W));
}

TEST_F(ObjCallTest, SpaceCreateTakesATableQuota)
{
    // Above the bound: refused, nothing changed.
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_SPACE_CREATE, h_.kernel, VM_QUOTA_MAX + 1));
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_SPACE_CREATE, h_.kernel, ~0ull));
    syscall_regs r = Regs(SYS_SPACE_CREATE, h_.kernel, 7);
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    const handle_t small = r.x[1];
    const handle_t other = Create(SYS_SPACE_CREATE); // x1 0: the default quota
    const handle_t f = Create(SYS_FRAME_CREATE);
    constexpr uint64_t R = SYS_MAP_READ;
    // root + L1 + 2 * (L2 + L3) = 6, and a page of mapping records: 7; the
    // third 1 GiB region is refused.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, small, f, 0, R)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, small, f, 1ull << 30, R)));
    ExpectFails(STATUS_QUOTA, Regs(SYS_MAP, small, f, 2ull << 30, R));
    // Only that space is short.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, other, f, 2ull << 30, R)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 2ull << 30, R)));
    // Unmapping gives its tables back, and the quota with them.
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_UNMAP, small, 1ull << 30)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, small, f, 2ull << 30, R)));
    EXPECT_EQ(STATUS_OK, Invariants());
}

// The quota is reserved when the space is made: a quota the available
// frames cannot cover is refused with STATUS_NO_MEMORY and nothing
// changed, and what one space reserved is never counted as available.
// Mapping records are charged to the space that maps: one space mapping
// all it may (more than the 2,048 records the kernel once shared between
// every space) leaves another space's maps unhurt.
TEST_F(ObjCallTest, OneSpacesMappingRecordsHurtNoOtherSpace)
{
    syscall_regs r = Regs(SYS_SPACE_CREATE, h_.kernel, 128);
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    const handle_t greedy = r.x[1];
    const handle_t other = Create(SYS_SPACE_CREATE);
    const handle_t f = Create(SYS_FRAME_CREATE);
    constexpr uint64_t R = SYS_MAP_READ;
    constexpr uint64_t kMost = VM_RECORD_PAGES_MAX * VM_RECORDS_PER_PAGE;
    static_assert(kMost > 2048, "more than the old shared pool");
    for (uint64_t i = 0; i < kMost; i++) {
        ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, greedy, f, i * HAL_MMU_PAGE_SIZE, R))) << i;
    }
    ExpectFails(STATUS_QUOTA, Regs(SYS_MAP, greedy, f, kMost * HAL_MMU_PAGE_SIZE, R));
    EXPECT_EQ(STATUS_OK, Invariants());
    for (uint64_t i = 0; i < 100; i++) {
        ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, other, f, i * HAL_MMU_PAGE_SIZE, R))) << i;
    }
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, h_.space, f, 0x7000000000, R)));
    EXPECT_EQ(STATUS_OK, Invariants());
}

TEST_F(ObjCallTest, SpaceCreateReservesItsQuota)
{
    const uint64_t available = Available();
    const uint64_t free = Free();
    syscall_regs r = Regs(SYS_SPACE_CREATE, h_.kernel, 100);
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    EXPECT_EQ(available - 100, Available()) << "the whole quota reserved";
    EXPECT_EQ(free - 1, Free()) << "only its root taken";
    EXPECT_EQ(STATUS_OK, Invariants());
    // Leave 63 available: the default quota (64) cannot be covered, 63 can.
    std::vector<paddr_t> taken = Exhaust(VM_QUOTA_DEFAULT - 1);
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_SPACE_CREATE, h_.kernel));
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_SPACE_CREATE, h_.kernel, VM_QUOTA_MAX));
    syscall_regs fits = Regs(SYS_SPACE_CREATE, h_.kernel, VM_QUOTA_DEFAULT - 1);
    ASSERT_EQ(STATUS_OK, Call(fits, root_));
    EXPECT_EQ(0u, Available());
    // Nothing is left for anyone else, yet both spaces map within their quotas.
    ExpectFails(STATUS_NO_MEMORY, Regs(SYS_FRAME_CREATE, h_.kernel));
    Release(taken);
    const handle_t f = Create(SYS_FRAME_CREATE);
    taken = Exhaust(0);
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, fits.x[1], f, 0x7000000000, SYS_MAP_READ)));
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_MAP, r.x[1], f, 0x7000000000, SYS_MAP_READ)));
    EXPECT_EQ(STATUS_OK, Invariants());
    Release(taken);
    // Destroying a space ends its reservation.
    const uint64_t before = Available();
    ASSERT_EQ(STATUS_OK, Call(Regs(SYS_CAP_DELETE, r.x[1])));
    EXPECT_EQ(before + 100, Available());
    EXPECT_EQ(STATUS_OK, Invariants());
    // The check catches a reservation no space accounts for.
    ASSERT_EQ(STATUS_OK, frame_alloc_reserve(&ram_.fa, 1));
    EXPECT_EQ(STATUS_BAD_FORMAT, kernel_check_memory(k_.get()));
    ASSERT_EQ(STATUS_OK, frame_alloc_unreserve(&ram_.fa, 1));
    EXPECT_EQ(STATUS_OK, kernel_check_memory(k_.get()));
    EXPECT_EQ(STATUS_BAD_FORMAT, kernel_check_memory(nullptr));
}

} // namespace
