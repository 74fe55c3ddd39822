// What the kernel does on a trap (kernel/trap), on fake RAM with the fake
// contexts and interrupt controller (hal/fake): the test calls the upcalls
// as the vectors would, with the context of the task that trapped.

#include "kernel/trap/trap.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "hal/fake/console_fake.h"
#include "hal/fake/context_fake.h"
#include "hal/fake/cpu_fake.h"
#include "hal/fake/irq_fake.h"
#include "hal/fake/mmu_fake.h"
#include "hal/fake/power_fake.h"
#include "hal/fake/timer_fake.h"
#include "hal/irq.h"
#include "hal/trap.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/run.h"
#include "kernel/syscall/syscall.h"
#include "kernel/time/tick.h"
#include "kernel/vm/fake_ram.h"

#include "kernel/abi/init.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#include "gtest/gtest.h"

namespace {

constexpr uint32_t kTimerLine = 27;
constexpr uint32_t kDeviceLine = 40;

class TrapTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ASSERT_EQ(STATUS_OK, ram_.status);
        timer_fake_reset();
        irq_fake_reset(IRQ_FAKE_DEFAULT_LINES);
        context_fake_reset();
        console_fake_reset();
        power_fake_reset();
        cpu_fake_set_online(1);
        (void)cpu_fake_take_kicks();
        // Powering off (no task left) ends no test here: it would exit(0).
        power_fake_set_handler([] { std::abort(); });
        trap_reset();
        trap_set_timer_line(kTimerLine);
        k_ = std::make_unique<kernel_state>();
        std::memset(k_.get(), 0, sizeof(kernel_state));
        kernel_state_init(k_.get());
        kernel_state_set_frames(k_.get(), &ram_.fa);
        kernel_root_handles h{};
        ASSERT_EQ(STATUS_OK, kernel_create_root_task(k_.get(), 10, &root_, &h));
        ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), root_, 0x1000, 0x2000, 0x11));
        k_->tasks[root_].boot_flags = 0x5;
        // A notification and a second task in a space of its own, holding it.
        syscall_regs r = Call(root_, SYS_NOTIFY_CREATE, INIT_HANDLE_KERNEL);
        uint64_t notif = r.x[1];
        uint64_t space = Call(root_, SYS_SPACE_CREATE, INIT_HANDLE_KERNEL).x[1];
        r = Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space, 10, notif);
        child_notif_ = r.x[2];
        child_ = 1;
        ASSERT_EQ(STATUS_OK, kernel_task_start(k_.get(), child_, 0x3000, 0x4000, 7));
    }

    syscall_regs Call(uint32_t task, uint64_t number, uint64_t x0 = 0, uint64_t x1 = 0,
                      uint64_t x2 = 0, uint64_t x3 = 0, uint64_t x4 = 0)
    {
        syscall_regs r{};
        r.number = number;
        r.x[0] = x0;
        r.x[1] = x1;
        r.x[2] = x2;
        r.x[3] = x3;
        r.x[4] = x4;
        kernel_run_syscall(k_.get(), task, &r);
        EXPECT_EQ(0u, r.x[0]) << "call " << number;
        return r;
    }

    // A system call by the task whose context c is, as the SVC vector makes it.
    static hal_context *Svc(hal_context *c, uint64_t number, uint64_t x0 = 0, uint64_t x1 = 0,
                            uint64_t deadline = 0)
    {
        c->x[8] = number;
        c->x[0] = x0;
        c->x[1] = x1;
        c->x[9] = deadline;
        return trap_syscall(c);
    }

    // An interrupt of line while the task of context c runs.
    static hal_context *Interrupt(hal_context *c, uint32_t line)
    {
        EXPECT_EQ(0, irq_fake_raise(line));
        return trap_interrupt(c);
    }

    static std::string Console()
    {
        return std::string(console_fake_contents(), console_fake_length());
    }

    fake_ram::Ram ram_{2048};
    std::unique_ptr<kernel_state> k_;
    uint32_t root_ = 0;
    uint32_t child_ = 0;
    uint64_t child_notif_ = 0;
};

TEST_F(TrapTest, AFreshTaskStartsFromItsEntry)
{
    hal_context *c = trap_start(k_.get());
    ASSERT_EQ(hal_context_get(root_), c);
    EXPECT_EQ(0x1000u, c->pc);
    EXPECT_EQ(0x2000u, c->sp);
    EXPECT_TRUE(c->user_mode);
    EXPECT_EQ(0x11u, c->x[0]) << "its argument";
    EXPECT_EQ(62500000u, c->x[1]) << "the timer's Hz";
    EXPECT_EQ(0x5u, c->x[2]) << "the boot flags";
    for (int i = 3; i < 31; i++) {
        EXPECT_EQ(0u, c->x[i]) << "x" << i;
    }
    uint32_t asid = 0;
    paddr_t root = kernel_run_space(k_.get(), root_, &asid);
    EXPECT_EQ(root.value | (uint64_t)asid << 48, mmu_fake_ttbr0()) << "its space is active";
    EXPECT_EQ((uint32_t)KERNEL_TICK_HZ, timer_fake_tick_hz()) << "the timer ticks";
}

TEST_F(TrapTest, ATimerThatCannotTickIsReportedAndTasksStillRun)
{
    timer_fake_set_start_fails(1);
    EXPECT_EQ(hal_context_get(root_), trap_start(k_.get()));
    EXPECT_NE(std::string::npos, Console().find("basalt: timer: cannot tick"));
}

TEST_F(TrapTest, AFaultStopsTheTaskAndReportsIt)
{
    hal_context *c = trap_start(k_.get());
    hal_context *child = Svc(c, SYS_YIELD);
    ASSERT_EQ(hal_context_get(child_), child);
    hal_fault fault{"data abort from a lower EL", 0xdead0000, 0, 0x3456, false};
    EXPECT_EQ(c, trap_fault(child, &fault)) << "the other task runs";
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, child_));
    EXPECT_EQ(SCHED_RUNNING, sched_state(&k_->sched, root_));
    std::string line = "basalt: task 1 (" + std::string(k_->tasks[child_].name) +
                       ") faulted: data abort from a lower EL, address 0x00000000dead0000, pc "
                       "0x0000000000003456";
    EXPECT_NE(std::string::npos, Console().find(line)) << Console();
    uint32_t asid = 0;
    paddr_t root = kernel_run_space(k_.get(), root_, &asid);
    EXPECT_EQ(root.value | (uint64_t)asid << 48, mmu_fake_ttbr0()) << "in its own space";
}

TEST_F(TrapTest, AnAsynchronousFaultIsReportedWithItsSyndrome)
{
    hal_context *c = trap_start(k_.get());
    hal_context *child = Svc(c, SYS_YIELD);
    ASSERT_EQ(hal_context_get(child_), child);
    hal_fault fault{"SError", 0, 0xbe000000, 0x3008, true};
    EXPECT_EQ(c, trap_fault(child, &fault));
    EXPECT_EQ(SCHED_FAULTED, sched_state(&k_->sched, child_));
    EXPECT_NE(std::string::npos, Console().find(") faulted: SError, syndrome 0x00000000be000000, "
                                                "pc 0x0000000000003008"))
        << Console();
}

TEST_F(TrapTest, TheTimersInterruptsAccountTicks)
{
    hal_context *c = trap_start(k_.get());
    uint64_t ticks = kernel_ticks();
    uint64_t interrupts = kernel_timer_interrupts();
    for (uint32_t i = 0; i + 1 < SCHED_SLICE_TICKS; i++) {
        ASSERT_EQ(c, Interrupt(c, kTimerLine)) << "slice left after " << i + 1;
    }
    hal_context *next = Interrupt(c, kTimerLine);
    EXPECT_EQ(hal_context_get(child_), next) << "the slice is used up: round robin";
    EXPECT_EQ(ticks + SCHED_SLICE_TICKS, kernel_ticks());
    EXPECT_EQ(interrupts + SCHED_SLICE_TICKS, kernel_timer_interrupts());
    EXPECT_EQ(SCHED_SLICE_TICKS, irq_fake_ended());
    EXPECT_EQ(kTimerLine, irq_fake_last_ended());
}

TEST_F(TrapTest, ALineNobodyTakesIsMaskedReportedAndEnded)
{
    hal_context *c = trap_start(k_.get());
    hal_irq_line_unmask(kDeviceLine);
    uint64_t ticks = kernel_ticks();
    EXPECT_EQ(c, Interrupt(c, kDeviceLine));
    EXPECT_TRUE(irq_fake_masked(kDeviceLine));
    EXPECT_NE(std::string::npos, Console().find("basalt: unexpected interrupt 40")) << Console();
    EXPECT_EQ(1u, irq_fake_ended());
    EXPECT_EQ(kDeviceLine, irq_fake_last_ended());
    EXPECT_EQ(ticks, kernel_ticks()) << "no tick from a device's line";
}

TEST_F(TrapTest, ALineBeforeTasksRunIsMaskedReportedAndEnded)
{
    hal_irq_line_unmask(kDeviceLine);
    ASSERT_EQ(0, irq_fake_raise(kDeviceLine));
    ASSERT_EQ(0, irq_fake_raise(kTimerLine));
    uint64_t ticks = kernel_ticks();
    trap_kernel_interrupt(); // the kernel waiting with IRQs on, before any task
    EXPECT_TRUE(irq_fake_masked(kDeviceLine));
    EXPECT_NE(std::string::npos, Console().find("basalt: unexpected interrupt 40")) << Console();
    EXPECT_EQ(2u, irq_fake_ended()) << "every line acknowledged is ended";
    EXPECT_EQ(ticks + 1, kernel_ticks()) << "the timer's line ticks";
    EXPECT_EQ(HAL_IRQ_NONE, hal_irq_acknowledge()) << "all taken";
}

TEST_F(TrapTest, TheFastPathsResultIsResumedAtOnce)
{
    hal_context *c = trap_start(k_.get());
    EXPECT_EQ(c, Svc(c, 0x7fff)) << "an unknown call: the task goes on";
    EXPECT_EQ((uint64_t)STATUS_UNKNOWN_SYSCALL, c->x[0]);
    EXPECT_EQ(1u, context_fake_returns()) << "through the short return";
    EXPECT_EQ(c, context_fake_last_return());
}

TEST_F(TrapTest, AYieldSwitchesThreadIDAndSpace)
{
    hal_context *c = trap_start(k_.get());
    context_fake_set_cpu_tls(0xaaaa); // what the root task wrote
    hal_context *next = Svc(c, SYS_YIELD);
    ASSERT_EQ(hal_context_get(child_), next) << "yield to the next READY task";
    EXPECT_EQ(0x3000u, next->pc) << "it never ran: from its entry";
    EXPECT_EQ(7u, next->x[0]);
    EXPECT_EQ(0u, next->x[2]) << "boot flags are init's alone";
    EXPECT_EQ(0xaaaau, c->tpidr) << "saved";
    EXPECT_EQ(0u, context_fake_cpu_tls()) << "the new task's, 0";
    uint32_t asid = 0;
    paddr_t root = kernel_run_space(k_.get(), child_, &asid);
    EXPECT_EQ(root.value | (uint64_t)asid << 48, mmu_fake_ttbr0());
    // And back: the root's thread ID again, and its space.
    EXPECT_EQ(c, Svc(next, SYS_YIELD));
    EXPECT_EQ(0xaaaau, context_fake_cpu_tls());
    root = kernel_run_space(k_.get(), root_, &asid);
    EXPECT_EQ(root.value | (uint64_t)asid << 48, mmu_fake_ttbr0());
}

TEST_F(TrapTest, ATaskOwedAnOutcomeGetsItWhenItRuns)
{
    hal_context *c = trap_start(k_.get());
    hal_context *child = Svc(c, SYS_YIELD);
    ASSERT_EQ(hal_context_get(child_), child);
    // The child waits with a deadline (the general path), and the root runs.
    timer_fake_set_count(100);
    ASSERT_EQ(c, Svc(child, SYS_NOTIFY_WAIT, child_notif_, 0x77, 150));
    ASSERT_EQ(SCHED_BLOCKED, sched_state(&k_->sched, child_));
    // The timer's interrupt after the deadline: the wait times out.
    timer_fake_set_count(200);
    ASSERT_EQ(c, Interrupt(c, kTimerLine)) << "the root's slice is not used up";
    ASSERT_EQ(SCHED_READY, sched_state(&k_->sched, child_));
    EXPECT_NE((uint64_t)STATUS_TIMED_OUT, child->x[0]) << "nothing written before it runs";
    EXPECT_EQ(child, Svc(c, SYS_YIELD));
    EXPECT_EQ((uint64_t)STATUS_TIMED_OUT, child->x[0]) << "its outcome, written as it resumes";
    EXPECT_EQ(0u, k_->tasks[child_].waiting);
}

// What the idle wait saw of the timer (a wait handler cannot capture).
bool idle_wait_tick_off = false;
uint64_t idle_wait_alarm = 0;

// No task is ready: the CPU waits with its tick off and its alarm (the
// child's deadline) kept, and ticks again once a task runs.
TEST_F(TrapTest, AnIdleCpuWaitsWithoutItsTickButWithItsAlarm)
{
    hal_context *c = trap_start(k_.get());
    hal_context *child = Svc(c, SYS_YIELD);
    ASSERT_EQ(hal_context_get(child_), child);
    timer_fake_set_count(100);
    ASSERT_EQ(c, Svc(child, SYS_NOTIFY_WAIT, child_notif_, 0x77, 150));
    uint64_t note = Call(root_, SYS_NOTIFY_CREATE, INIT_HANDLE_KERNEL).x[1];
    idle_wait_tick_off = false;
    idle_wait_alarm = 0;
    cpu_fake_set_wait_handler([] {
        idle_wait_tick_off = timer_fake_idle();
        idle_wait_alarm = timer_fake_alarm();
        timer_fake_set_count(200); // the deadline passes: the alarm's interrupt
    });
    EXPECT_FALSE(timer_fake_idle());
    // The root waits too: nothing is ready, the CPU waits for the alarm.
    hal_context *next = Svc(c, SYS_NOTIFY_WAIT, note, 1);
    cpu_fake_set_wait_handler(nullptr);
    ASSERT_EQ(child, next) << "the child's wait timed out";
    EXPECT_EQ((uint64_t)STATUS_TIMED_OUT, child->x[0]);
    EXPECT_TRUE(idle_wait_tick_off) << "no tick while idle";
    EXPECT_EQ(150u, idle_wait_alarm) << "the deadline's alarm stays armed";
    EXPECT_FALSE(timer_fake_idle()) << "ticking again for the child";
    EXPECT_EQ(1u, timer_fake_idle_count());
}

TEST_F(TrapTest, WhenTheLastTaskFaultsTheMachineGoesOff)
{
    hal_context *c = trap_start(k_.get());
    hal_context *child = Svc(c, SYS_YIELD);
    hal_fault fault{"undefined instruction", 0, 0, 0x3abc, false};
    ASSERT_EQ(c, trap_fault(child, &fault));
    power_fake_set_handler(nullptr); // exit(0), as QEMU does on SYSTEM_OFF
    fault.pc = 0x1abc;
    EXPECT_EXIT(trap_fault(c, &fault), ::testing::ExitedWithCode(0), "");
}

// Several CPUs (issue 15), driven as the lock's upcalls would: CPU 1 runs
// the child; a task that CPU 1 may run and more urgent than the child,
// made READY on CPU 0, kicks CPU 1 (the priority IPI) as CPU 0 leaves the
// kernel; one less urgent, or bound to CPU 0 only, does not.
TEST_F(TrapTest, AMoreUrgentReadyTaskKicksTheCpuItMayRunOn)
{
    cpu_fake_set_online(0x3);
    hal_context *c = trap_start(k_.get());
    ASSERT_EQ(hal_context_get(root_), c);
    EXPECT_EQ(0x3u, k_->cpus);
    trap_cpu_leave(0); // CPU 0 runs the root at EL0
    trap_cpu_enter(1); // CPU 1 comes in and takes the child
    ASSERT_EQ((int32_t)child_, kernel_run_next(k_.get()));
    trap_cpu_leave(1);
    EXPECT_EQ(0u, cpu_fake_take_kicks()) << "nothing READY";
    // The root makes tasks on CPU 0.
    auto make = [&](uint64_t priority, uint64_t affinity) {
        trap_cpu_enter(0);
        uint64_t space = Call(root_, SYS_SPACE_CREATE, INIT_HANDLE_KERNEL).x[1];
        syscall_regs r = Call(root_, SYS_TASK_CREATE, INIT_HANDLE_KERNEL, space, priority,
                              HANDLE_NONE, affinity);
        cap *t = nullptr;
        EXPECT_EQ(STATUS_OK, cap_lookup(&k_->caps, root_, r.x[1], OBJECT_TASK, 0, &t));
        EXPECT_EQ(STATUS_OK, kernel_task_start(k_.get(), t->object.index, 0x5000, 0x6000, 0));
        trap_cpu_leave(0);
        return cpu_fake_take_kicks();
    };
    EXPECT_EQ(0u, make(5, SYS_AFFINITY(0x2))) << "less urgent than the child";
    EXPECT_EQ(0u, make(20, SYS_AFFINITY(0x1))) << "more urgent, but CPU 1 may not run it";
    EXPECT_EQ(0x2u, make(20, SYS_AFFINITY(0x2))) << "more urgent, CPU 1 may run it: kicked";
    EXPECT_EQ(0u, make(20, SYS_AFFINITY(0x2))) << "kicked once until it enters";
    trap_cpu_enter(1); // CPU 1 comes in: the more urgent task preempts the child
    int32_t next = kernel_run_next(k_.get());
    EXPECT_NE((int32_t)child_, next);
    EXPECT_EQ(20u, sched_priority(&k_->sched, (uint32_t)next));
    EXPECT_EQ(SCHED_READY, sched_state(&k_->sched, child_));
}

} // namespace
