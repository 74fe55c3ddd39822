// Tests for devices in user mode: IRQ handler objects (create, bind,
// acknowledge, the line firing, unbinding when a capability goes or the
// driver dies), device frames and the console's report (SYS_CONSOLE_DEVICE),
// every error path unchanged-on-failure.
// Runs on fake RAM, the fake MMU and the fake interrupt controller lines.

#include <cstdint>
#include <cstring>
#include <memory>

#include "hal/addr.h"
#include "hal/fake/irq_fake.h"
#include "hal/mmu.h"
#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
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
constexpr uint64_t kUart = 0x09000000;   // PL011, reg size 0x1000
constexpr uint64_t kRtc = 0x09010000;    // a second device, two pages
constexpr uint64_t kVirtio = 0x0a000000; // reg size 0x200: no whole page
constexpr uint64_t kGic = 0x08000000;
constexpr uint32_t kUartIrq = 33;
constexpr uint32_t kRtcIrq = 34;
constexpr uint32_t kTickIrq = 27;
constexpr uint32_t kLines = 288;

class IrqCallTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ASSERT_EQ(STATUS_OK, ram_.status);
        irq_fake_reset(kLines);
        k_ = std::make_unique<kernel_state>();
        before_ = std::make_unique<kernel_state>();
        std::memset(k_.get(), 0, sizeof(kernel_state));
        kernel_state_init(k_.get());
        kernel_state_set_frames(k_.get(), &ram_.fa);
        devices_ = std::make_unique<kernel_devices>();
        std::memset(devices_.get(), 0, sizeof(kernel_devices));
        devices_->mmio[0] = {kUart, 0x1000};
        devices_->mmio[1] = {kRtc, 0x2000};
        devices_->mmio[2] = {kVirtio, 0x200};
        devices_->mmio[3] = {kGic, 0x10000};            // declared, but the kernel's
        devices_->mmio[4] = {fake_ram::kBase, 0x10000}; // a device tree claiming RAM
        devices_->mmio_count = 5;
        devices_->refused[0] = {fake_ram::kBase, 1024 * kPage};
        devices_->refused[1] = {kGic, 0x10000};
        devices_->refused_count = 2;
        devices_->irqs[0] = kUartIrq;
        devices_->irqs[1] = kRtcIrq;
        devices_->irqs[2] = kTickIrq; // declared by the timer node: still the kernel's
        devices_->irqs[3] = 5;        // an SGI in a device node: refused all the same
        devices_->irqs[4] = 400;      // past the controller's lines
        devices_->irq_count = 5;
        devices_->own_irqs[0] = kTickIrq;
        devices_->own_irqs[1] = 30;
        devices_->own_irq_count = 2;
        kernel_state_set_devices(k_.get(), devices_.get());
        ASSERT_EQ(STATUS_OK, kernel_create_root_task(k_.get(), 10, &root_, &h_));
        ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), root_, 0x1000, 0x20000, 0));
        ASSERT_EQ((int32_t)root_, sched_pick_next(&k_->sched));
        k_->current = (int32_t)root_;
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, cap_check_invariants(&k_->caps));
        EXPECT_EQ(STATUS_OK, ipc_check_invariants(&k_->ipc, &k_->sched));
        EXPECT_EQ(STATUS_OK, vm_check_invariants(&k_->vm));
        EXPECT_EQ(STATUS_OK, kernel_check_links(k_.get()));
    }

    status_t Call(syscall_regs &r, uint32_t task)
    {
        return syscall_test::Call(k_.get(), r, (int32_t)task);
    }

    /** Runs r as task and expects status with no effect on the kernel, x1-x7, frames or lines. */
    void ExpectFails(status_t status, syscall_regs r, uint32_t task)
    {
        k_->current = (int32_t)task;
        std::memcpy(before_.get(), k_.get(), sizeof(kernel_state));
        const uint64_t free_before = frame_alloc_free_count(&ram_.fa);
        const uint32_t masks = irq_fake_mask_calls();
        const uint32_t unmasks = irq_fake_unmask_calls();
        syscall_regs in = r;
        syscall_dispatch(k_.get(), &r);
        EXPECT_EQ((uint64_t)(uint32_t)status, r.x[0]) << "call " << r.number;
        for (int i = 1; i < 8; i++) {
            EXPECT_EQ(in.x[i], r.x[i]) << "x" << i << " changed by call " << r.number;
        }
        EXPECT_EQ(0, std::memcmp(before_.get(), k_.get(), sizeof(kernel_state)))
            << "call " << r.number << " failed with " << status << " but changed the kernel";
        EXPECT_EQ(free_before, frame_alloc_free_count(&ram_.fa));
        EXPECT_EQ(masks, irq_fake_mask_calls()) << "call " << r.number << " masked a line";
        EXPECT_EQ(unmasks, irq_fake_unmask_calls()) << "call " << r.number << " unmasked a line";
    }

    void ExpectFails(status_t status, syscall_regs r)
    {
        ExpectFails(status, r, root_);
    }

    handle_t Ok(syscall_regs r, uint32_t task)
    {
        EXPECT_EQ(STATUS_OK, Call(r, task)) << "call " << r.number;
        return r.x[1];
    }

    handle_t Ok(syscall_regs r)
    {
        return Ok(r, root_);
    }

    handle_t Irq(uint32_t intid)
    {
        return Ok(Regs(SYS_IRQ_CREATE, h_.kernel, intid));
    }

    handle_t Note()
    {
        return Ok(Regs(SYS_NOTIFY_CREATE, h_.kernel));
    }

    /** Polls notification note as root: its bits, or 0 when none is pending. */
    uint64_t Poll(handle_t note)
    {
        syscall_regs r = Regs(SYS_NOTIFY_POLL, note);
        return Call(r, root_) == STATUS_OK ? r.x[1] : 0;
    }

    const kernel_irq *Record(handle_t irq)
    {
        cap *c = nullptr;
        EXPECT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, irq, OBJECT_IRQ_HANDLER, 0, &c));
        return c == nullptr ? nullptr : &k_->irqs[c->object.index];
    }

    fake_ram::Ram ram_{2048}; // init reserves a quota of 1024 tables
    std::unique_ptr<kernel_state> k_;
    std::unique_ptr<kernel_state> before_;
    std::unique_ptr<kernel_devices> devices_;
    uint32_t root_ = 0;
    kernel_root_handles h_{};
};

TEST_F(IrqCallTest, CreateRefusesLinesADriverMayNotHave)
{
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_IRQ_CREATE, h_.kernel, 400)); // declared, no line
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_IRQ_CREATE, h_.kernel, kLines));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_IRQ_CREATE, h_.kernel, 1023));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_IRQ_CREATE, h_.kernel, UINT64_MAX));
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_IRQ_CREATE, h_.kernel, (1ull << 32) + kUartIrq));
    ExpectFails(STATUS_PERMISSION, Regs(SYS_IRQ_CREATE, h_.kernel, kTickIrq)); // the tick
    ExpectFails(STATUS_PERMISSION, Regs(SYS_IRQ_CREATE, h_.kernel, 30));       // a timer line
    ExpectFails(STATUS_PERMISSION, Regs(SYS_IRQ_CREATE, h_.kernel, 5));        // an SGI
    ExpectFails(STATUS_PERMISSION, Regs(SYS_IRQ_CREATE, h_.kernel, 0));
    ExpectFails(STATUS_NOT_FOUND, Regs(SYS_IRQ_CREATE, h_.kernel, 40)); // no device has it
    kernel_state_set_devices(k_.get(), nullptr);
    ExpectFails(STATUS_NOT_FOUND, Regs(SYS_IRQ_CREATE, h_.kernel, kUartIrq)); // no device tree
}

TEST_F(IrqCallTest, OneHandlerObjectPerLine)
{
    handle_t irq = Irq(kUartIrq);
    EXPECT_TRUE(irq_fake_masked(kUartIrq)) << "created masked";
    cap *c = nullptr;
    ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, irq, OBJECT_IRQ_HANDLER, 0, &c));
    EXPECT_EQ(RIGHT_CONTROL | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE, c->rights);
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_IRQ_CREATE, h_.kernel, kUartIrq));
    handle_t note = Note();
    Ok(Regs(SYS_IRQ_BIND, irq, note, 1));
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_IRQ_CREATE, h_.kernel, kUartIrq)); // bound
    EXPECT_NE(HANDLE_NONE, Irq(kRtcIrq)) << "another line is free";
}

TEST_F(IrqCallTest, CreateRunsOutOfSlotsAndTableRoomCleanly)
{
    // Fill the root's table: the create then fails TABLE_FULL with nothing taken.
    while (cap_table_count(&k_->caps, root_) < CAP_TABLE_SLOTS) {
        Note();
    }
    ExpectFails(STATUS_TABLE_FULL, Regs(SYS_IRQ_CREATE, h_.kernel, kUartIrq));
    ExpectFails(STATUS_TABLE_FULL, Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, kUart));
}

TEST_F(IrqCallTest, FireMasksSignalsAndAckUnmasks)
{
    handle_t irq = Irq(kUartIrq);
    handle_t note = Note();
    EXPECT_FALSE(kernel_irq_fired(k_.get(), kUartIrq)) << "not bound: nobody takes it";
    EXPECT_TRUE(irq_fake_masked(kUartIrq));
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_IRQ_ACK, irq)); // never fired

    Ok(Regs(SYS_IRQ_BIND, irq, note, 0x30));
    EXPECT_FALSE(irq_fake_masked(kUartIrq)) << "bound: unmasked";
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_IRQ_ACK, irq)); // bound, not fired
    EXPECT_EQ(0u, Poll(note));

    EXPECT_TRUE(kernel_irq_fired(k_.get(), kUartIrq));
    EXPECT_TRUE(irq_fake_masked(kUartIrq)) << "masked when it fires";
    EXPECT_EQ(1u, Record(irq)->pending);
    EXPECT_EQ(0x30u, Poll(note));
    EXPECT_TRUE(kernel_irq_fired(k_.get(), kUartIrq)) << "a late one while pending";
    EXPECT_EQ(0u, Poll(note)) << "signalled once per acknowledge";

    Ok(Regs(SYS_IRQ_ACK, irq));
    EXPECT_FALSE(irq_fake_masked(kUartIrq)) << "unmasked on acknowledge";
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_IRQ_ACK, irq)); // acknowledged twice

    EXPECT_TRUE(kernel_irq_fired(k_.get(), kUartIrq));
    EXPECT_EQ(0x30u, Poll(note));
    EXPECT_FALSE(kernel_irq_fired(k_.get(), 40)) << "a line with no handler";
    EXPECT_TRUE(irq_fake_masked(40));
}

TEST_F(IrqCallTest, FireWakesAWaiter)
{
    handle_t irq = Irq(kUartIrq);
    handle_t note = Note();
    Ok(Regs(SYS_IRQ_BIND, irq, note, 4));
    syscall_regs w = Regs(SYS_NOTIFY_WAIT, note);
    ASSERT_EQ(STATUS_OK, Call(w, root_));
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, root_));
    EXPECT_TRUE(kernel_irq_fired(k_.get(), kUartIrq));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, root_));
    EXPECT_EQ(4u, k_->ipc.tasks[root_].bits);
}

TEST_F(IrqCallTest, BindErrorsChangeNothing)
{
    handle_t irq = Irq(kUartIrq);
    handle_t note = Note();
    handle_t no_control = Ok(Regs(SYS_CAP_DERIVE, irq, RIGHT_GRANT | RIGHT_DERIVE));
    handle_t no_send = Ok(Regs(SYS_CAP_DERIVE, note, RIGHT_RECV | RIGHT_DERIVE));
    ExpectFails(STATUS_INVALID_ARGUMENT, Regs(SYS_IRQ_BIND, irq, note, 0));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_IRQ_BIND, note, note, 1));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_IRQ_BIND, irq, irq, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_IRQ_BIND, no_control, note, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_IRQ_BIND, irq, no_send, 1));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_IRQ_BIND, HANDLE_NONE, note, 1));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_IRQ_BIND, irq, HANDLE_NONE, 1));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_IRQ_ACK, no_control));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_IRQ_ACK, note));
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_IRQ_ACK, HANDLE_NONE));
    Ok(Regs(SYS_CAP_DELETE, irq));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_IRQ_BIND, irq, note, 1));
    ExpectFails(STATUS_STALE_HANDLE, Regs(SYS_IRQ_ACK, irq));
}

TEST_F(IrqCallTest, DeletingTheLastCapabilityMasksUnbindsAndFreesTheLine)
{
    handle_t irq = Irq(kUartIrq);
    handle_t note = Note();
    Ok(Regs(SYS_IRQ_BIND, irq, note, 1));
    ASSERT_TRUE(kernel_irq_fired(k_.get(), kUartIrq));
    ASSERT_EQ(1u, Poll(note));
    Ok(Regs(SYS_IRQ_ACK, irq));
    ASSERT_FALSE(irq_fake_masked(kUartIrq));
    Ok(Regs(SYS_CAP_DELETE, irq));
    EXPECT_TRUE(irq_fake_masked(kUartIrq));
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        EXPECT_EQ(0u, k_->irqs[i].used) << "record " << i << " still names the line";
    }
    EXPECT_FALSE(kernel_irq_fired(k_.get(), kUartIrq));
    EXPECT_EQ(0u, Poll(note)) << "nothing signalled after the delete";
    EXPECT_NE(HANDLE_NONE, Irq(kUartIrq)) << "the line can be had again";
}

TEST_F(IrqCallTest, TheBindingEndsWithEitherCapabilityItWasMadeThrough)
{
    handle_t irq = Irq(kUartIrq);
    handle_t note = Note();
    handle_t child = Ok(Regs(SYS_CAP_DERIVE, irq, RIGHT_CONTROL));
    Ok(Regs(SYS_IRQ_BIND, child, note, 1));
    ASSERT_TRUE(kernel_irq_fired(k_.get(), kUartIrq));
    Ok(Regs(SYS_CAP_REVOKE, irq)); // deletes child, through which it was bound
    EXPECT_TRUE(irq_fake_masked(kUartIrq));
    EXPECT_EQ(0u, Record(irq)->bound);
    EXPECT_EQ(0u, Record(irq)->pending);
    ExpectFails(STATUS_BAD_STATE, Regs(SYS_IRQ_ACK, irq)); // unbound: nothing to acknowledge

    // Bound again; the notification capability goes: unbound, masked.
    Ok(Regs(SYS_IRQ_BIND, irq, note, 1));
    ASSERT_FALSE(irq_fake_masked(kUartIrq));
    Ok(Regs(SYS_CAP_DELETE, note));
    EXPECT_TRUE(irq_fake_masked(kUartIrq));
    EXPECT_EQ(0u, Record(irq)->bound);
    EXPECT_FALSE(kernel_irq_fired(k_.get(), kUartIrq));
}

TEST_F(IrqCallTest, ADriverThatDiesLeavesTheLineMaskedAndNothingPointingAtIt)
{
    handle_t space = Ok(Regs(SYS_SPACE_CREATE, h_.kernel));
    handle_t irq = Irq(kUartIrq);
    syscall_regs tc = Regs(SYS_TASK_CREATE, h_.kernel, space, 10, irq);
    ASSERT_EQ(STATUS_OK, Call(tc, root_));
    const handle_t driver_irq = tc.x[2];
    cap *t = nullptr;
    ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, tc.x[1], OBJECT_TASK, 0, &t));
    const uint32_t driver = t->object.index;
    ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), driver, 0x1000, 0x2000, 0));
    Ok(Regs(SYS_CAP_DELETE, irq)); // the driver's copy is the last one
    // The driver binds its line to a notification of its own, moved into
    // its table as IPC would.
    handle_t note = Note();
    handle_t moved = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(&k_->caps, root_, note, driver, true, &moved));
    syscall_regs bind = Regs(SYS_IRQ_BIND, driver_irq, moved, 2);
    ASSERT_EQ(STATUS_OK, Call(bind, driver));
    ASSERT_FALSE(irq_fake_masked(kUartIrq));
    ASSERT_TRUE(kernel_irq_fired(k_.get(), kUartIrq)); // dies with its line pending
    syscall_regs ex = Regs(SYS_EXIT);
    ASSERT_EQ(STATUS_OK, Call(ex, driver));
    EXPECT_TRUE(irq_fake_masked(kUartIrq));
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        EXPECT_EQ(0u, k_->irqs[i].used) << "record " << i;
        EXPECT_EQ(0u, k_->irqs[i].bound) << "record " << i;
    }
    EXPECT_EQ(0u, obj_count(&k_->caps.objects, OBJECT_IRQ_HANDLER));
    EXPECT_FALSE(kernel_irq_fired(k_.get(), kUartIrq));
    EXPECT_NE(HANDLE_NONE, Irq(kUartIrq)) << "a restarted driver can have it again";
}

TEST_F(IrqCallTest, DeviceFrameRefusals)
{
    ExpectFails(STATUS_MISALIGNED, Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, kUart + 4));
    ExpectFails(STATUS_PERMISSION,
                Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel,
                     fake_ram::kBase)); // RAM, even where a device node claims it
    ExpectFails(STATUS_PERMISSION,
                Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, fake_ram::kBase + 1023 * kPage));
    ExpectFails(STATUS_PERMISSION, Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, kGic)); // the GIC
    ExpectFails(STATUS_NOT_FOUND,
                Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, kVirtio)); // a device smaller than a page
    ExpectFails(STATUS_NOT_FOUND, Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel,
                                       kRtc + 2 * kPage)); // past the device's reg
    ExpectFails(STATUS_NOT_FOUND,
                Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, 0x0c000000)); // no device there
    ExpectFails(STATUS_OUT_OF_RANGE, Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, 1ull << 48));
    ExpectFails(STATUS_OUT_OF_RANGE,
                Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, UINT64_MAX & ~(kPage - 1)));
    kernel_state_set_devices(k_.get(), nullptr);
    ExpectFails(STATUS_NOT_FOUND, Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, kUart));
}

TEST_F(IrqCallTest, DeviceFrameMapsDeviceMemoryNeverExecutable)
{
    const uint64_t free_before = frame_alloc_free_count(&ram_.fa);
    handle_t frame = Ok(Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, kRtc + kPage));
    EXPECT_EQ(free_before, frame_alloc_free_count(&ram_.fa)) << "no RAM page taken";
    cap *c = nullptr;
    ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, frame, OBJECT_FRAME, 0, &c));
    EXPECT_EQ(0u, c->rights & RIGHT_EXECUTE);
    EXPECT_EQ(1u, k_->vm.frames[c->object.index].device);
    ExpectFails(STATUS_MISSING_RIGHT,
                Regs(SYS_MAP, h_.space, frame, 0x100000, SYS_MAP_READ | SYS_MAP_EXEC));
    handle_t space = h_.space;
    Ok(Regs(SYS_MAP, space, frame, 0x100000, SYS_MAP_READ | SYS_MAP_WRITE));
    paddr_t pa{};
    uint32_t index = 0;
    cap *sc = nullptr;
    ASSERT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, space, OBJECT_ADDRESS_SPACE, 0, &sc));
    index = sc->object.index;
    EXPECT_EQ(HAL_MMU_OK,
              hal_mmu_user_translate(vm_space_root(&k_->vm, index), 0x100000, true, &pa));
    EXPECT_EQ(kRtc + kPage, pa.value);
    ExpectFails(STATUS_PERMISSION, Regs(SYS_PROTECT, space, 0x100000, SYS_MAP_READ | SYS_MAP_EXEC));
    // Deleting it unmaps it and gives nothing to the allocator.
    const uint64_t free_mapped = frame_alloc_free_count(&ram_.fa);
    Ok(Regs(SYS_CAP_DELETE, frame));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED,
              hal_mmu_user_translate(vm_space_root(&k_->vm, index), 0x100000, false, &pa));
    EXPECT_GE(frame_alloc_free_count(&ram_.fa), free_mapped) << "tables back, no device page";
    // Only the space's record page, if its first mapping took one, stays with it.
    const uint32_t record_pages = k_->vm.spaces[index].record_pages;
    EXPECT_LE(record_pages, 1u);
    EXPECT_EQ(free_before - record_pages, frame_alloc_free_count(&ram_.fa));
}

TEST_F(IrqCallTest, ConsoleDeviceReportsTheConsoleAndChangesNothing)
{
    devices_->console = {kUart, 0x1000};
    devices_->console_irq = kUartIrq;
    std::memcpy(before_.get(), k_.get(), sizeof(kernel_state));
    syscall_regs r = Regs(SYS_CONSOLE_DEVICE, h_.kernel);
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    EXPECT_EQ(kUart, r.x[1]);
    EXPECT_EQ(0u, r.x[2]);
    EXPECT_EQ(0x1000u, r.x[3]);
    EXPECT_EQ(kUartIrq, r.x[4]);
    for (int i = 5; i < 8; i++) {
        EXPECT_EQ(0x1111u * (i + 1), r.x[i]) << "x" << i << " is not a result";
    }
    EXPECT_EQ(0, std::memcmp(before_.get(), k_.get(), sizeof(kernel_state)));
    // A device frame of the page it names is granted.
    EXPECT_NE(HANDLE_NONE, Ok(Regs(SYS_DEVICE_FRAME_CREATE, h_.kernel, r.x[1])));
}

TEST_F(IrqCallTest, ConsoleDeviceSplitsAnUnalignedRegAndReportsNoLine)
{
    devices_->console = {kRtc + kPage + 0x840, 0x100};
    devices_->console_irq = 0; // the device tree gives it none: the driver polls
    syscall_regs r = Regs(SYS_CONSOLE_DEVICE, h_.kernel);
    ASSERT_EQ(STATUS_OK, Call(r, root_));
    EXPECT_EQ(kRtc + kPage, r.x[1]);
    EXPECT_EQ(0x840u, r.x[2]);
    EXPECT_EQ(0x100u, r.x[3]);
    EXPECT_EQ(0u, r.x[4]);
}

TEST_F(IrqCallTest, ConsoleDeviceRefusals)
{
    devices_->console = {kUart, 0x1000};
    devices_->console_irq = kUartIrq;
    ExpectFails(STATUS_BAD_HANDLE, Regs(SYS_CONSOLE_DEVICE, HANDLE_NONE));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_CONSOLE_DEVICE, h_.space));
    ExpectFails(STATUS_WRONG_KIND, Regs(SYS_CONSOLE_DEVICE, h_.console));
    const handle_t no_control = Ok(Regs(SYS_CAP_DERIVE, h_.kernel, RIGHTS_ALL & ~RIGHT_CONTROL));
    ExpectFails(STATUS_MISSING_RIGHT, Regs(SYS_CONSOLE_DEVICE, no_control));
    // A board that declared no console, and one with no devices at all.
    devices_->console = {0, 0};
    ExpectFails(STATUS_NOT_FOUND, Regs(SYS_CONSOLE_DEVICE, h_.kernel));
    kernel_state_set_devices(k_.get(), nullptr);
    ExpectFails(STATUS_NOT_FOUND, Regs(SYS_CONSOLE_DEVICE, h_.kernel));
}

} // namespace
