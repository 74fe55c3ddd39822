// bcm_irq over host memory laid out like the raspi3b's two interrupt
// controllers (the local controller's 256 bytes, the BCM2835 controller's
// 512), every register access recorded (bcm_mmio_fake): set-up, the line
// numbering, masking and unmasking writing the right enable and disable
// bits, acknowledge's order and priority, and lines that do not exist.

#include "bsp/raspi3b/bcm_irq.h"

#include <cstdint>
#include <vector>

#include "bsp/raspi3b/bcm_irq_regs.h"
#include "bsp/raspi3b/bcm_mmio_fake.h"
#include "hal/irq.h"
#include "gtest/gtest.h"

namespace {

using bcm_fake::Barrier;
using bcm_fake::Op;
using bcm_fake::Read;
using bcm_fake::Write;

class BcmIrqTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        Init(0);
    }

    void Init(uint32_t core)
    {
        local_.assign(0x100 / 4, 0);
        armctrl_.assign(0x200 / 4, 0);
        bcm_irq_init(LocalBase(), ArmctrlBase(), core);
        bcm_fake::Clear();
    }

    uintptr_t LocalBase()
    {
        return reinterpret_cast<uintptr_t>(local_.data());
    }
    uintptr_t ArmctrlBase()
    {
        return reinterpret_cast<uintptr_t>(armctrl_.data());
    }
    uintptr_t L(uint32_t offset)
    {
        return LocalBase() + offset;
    }
    uintptr_t A(uint32_t offset)
    {
        return ArmctrlBase() + offset;
    }
    uint32_t &LocalReg(uint32_t offset)
    {
        return local_[offset / 4];
    }
    uint32_t &ArmReg(uint32_t offset)
    {
        return armctrl_[offset / 4];
    }

    std::vector<uint32_t> local_;
    std::vector<uint32_t> armctrl_;
};

TEST_F(BcmIrqTest, InitDisablesEverythingAndRoutesTheGpuToTheCore)
{
    local_.assign(0x100 / 4, 0xdeadbeef);
    armctrl_.assign(0x200 / 4, 0xdeadbeef);
    bcm_fake::Clear();
    bcm_irq_init(LocalBase(), ArmctrlBase(), 2);
    std::vector<bcm_fake::Access> want = {
        Write(A(BCM_ARMCTRL_DISABLE_1), 0xffffffffu),
        Write(A(BCM_ARMCTRL_DISABLE_2), 0xffffffffu),
        Write(A(BCM_ARMCTRL_DISABLE_BASIC), 0xffu),
        Write(A(BCM_ARMCTRL_FIQ_CONTROL), 0),
        Barrier(),
        Write(L(BCM_LOCAL_TIMER_CTL(2)), 0),
        Write(L(BCM_LOCAL_MBOX_CTL(2)), 0),
        Write(L(BCM_LOCAL_PMU_ROUTE_CLR), (1u << 2) | (1u << 6)),
        Write(L(BCM_LOCAL_GPU_ROUTE), 2u | (2u << 2)),
        Barrier(),
    };
    EXPECT_EQ(bcm_fake::Log(), want);
    // Other cores' registers are not touched.
    EXPECT_EQ(LocalReg(BCM_LOCAL_TIMER_CTL(0)), 0xdeadbeefu);
    EXPECT_EQ(LocalReg(BCM_LOCAL_MBOX_CTL(3)), 0xdeadbeefu);
    EXPECT_EQ(hal_irq_line_count(), BCM_IRQ_LINE_COUNT);
}

TEST_F(BcmIrqTest, ACoreAboveThreeIsCoreZero)
{
    Init(7);
    hal_irq_line_unmask(BCM_IRQ_CNTV);
    EXPECT_EQ(LocalReg(BCM_LOCAL_TIMER_CTL(0)), 1u << 3);
}

TEST_F(BcmIrqTest, LineNumbering)
{
    EXPECT_EQ(BCM_IRQ_LINE_COUNT, 128u);
    EXPECT_EQ(BCM_IRQ_GPU(57), 121u); // UART0
    EXPECT_EQ(BCM_IRQ_GPU(0), 64u);
    EXPECT_EQ(BCM_IRQ_GPU(63), 127u);
    EXPECT_EQ(BCM_IRQ_CNTV, 3u);
    EXPECT_EQ(bcm_irq_timer_line(), BCM_IRQ_CNTV);
    // The device tree's <bank number> of the BCM2835 controller is line
    // 32 + 32 * bank + number: UART0 is <2 25>.
    EXPECT_EQ(32u + 32u * 2u + 25u, BCM_IRQ_GPU(57));
    EXPECT_EQ(32u + 32u * 0u + 0u, BCM_IRQ_BASIC_FIRST);
}

TEST_F(BcmIrqTest, TimerEnableUnmasksTheVirtualTimerOnly)
{
    LocalReg(BCM_LOCAL_TIMER_CTL(0)) = 0;
    bcm_irq_timer_enable();
    EXPECT_EQ(LocalReg(BCM_LOCAL_TIMER_CTL(0)), 1u << 3); // nCNTVIRQ IRQ, no FIQ
    std::vector<bcm_fake::Access> want = {
        Read(L(BCM_LOCAL_TIMER_CTL(0)), 0),
        Write(L(BCM_LOCAL_TIMER_CTL(0)), 1u << 3),
    };
    EXPECT_EQ(bcm_fake::Log(), want);
}

TEST_F(BcmIrqTest, LocalTimerLinesSetAndClearTheirOwnBit)
{
    for (uint32_t line = BCM_IRQ_CNTPS; line <= BCM_IRQ_CNTV; line++) {
        LocalReg(BCM_LOCAL_TIMER_CTL(0)) = 0xa5; // other bits, FIQ half included, kept
        hal_irq_line_unmask(line);
        EXPECT_EQ(LocalReg(BCM_LOCAL_TIMER_CTL(0)), 0xa5u | (1u << line)) << line;
        hal_irq_line_mask(line);
        EXPECT_EQ(LocalReg(BCM_LOCAL_TIMER_CTL(0)), 0xa5u & ~(1u << line)) << line;
    }
}

TEST_F(BcmIrqTest, MailboxLinesUseTheMailboxControl)
{
    Init(1);
    hal_irq_line_unmask(BCM_IRQ_MAILBOX0 + 2);
    EXPECT_EQ(LocalReg(BCM_LOCAL_MBOX_CTL(1)), 1u << 2);
    EXPECT_EQ(LocalReg(BCM_LOCAL_TIMER_CTL(1)), 0u);
    hal_irq_line_mask(BCM_IRQ_MAILBOX0 + 2);
    EXPECT_EQ(LocalReg(BCM_LOCAL_MBOX_CTL(1)), 0u);
}

TEST_F(BcmIrqTest, PmuLineRoutesThroughSetAndClear)
{
    Init(3);
    hal_irq_line_unmask(BCM_IRQ_PMU);
    EXPECT_EQ(bcm_fake::Only(Op::kWrite),
              std::vector<bcm_fake::Access>{Write(L(BCM_LOCAL_PMU_ROUTE_SET), 1u << 3)});
    bcm_fake::Clear();
    hal_irq_line_mask(BCM_IRQ_PMU);
    std::vector<bcm_fake::Access> want = {
        Write(L(BCM_LOCAL_PMU_ROUTE_CLR), 1u << 3),
        Barrier(),
        Read(L(BCM_LOCAL_PMU_ROUTE_CLR), 1u << 3),
    };
    EXPECT_EQ(bcm_fake::Log(), want);
}

TEST_F(BcmIrqTest, GpuLinesWriteOneBitToEnableOrDisable)
{
    hal_irq_line_unmask(BCM_IRQ_GPU(57));
    hal_irq_line_unmask(BCM_IRQ_GPU(5));
    hal_irq_line_unmask(BCM_IRQ_BASIC_FIRST + 1);
    std::vector<bcm_fake::Access> want = {
        Write(A(BCM_ARMCTRL_ENABLE_2), 1u << 25),
        Write(A(BCM_ARMCTRL_ENABLE_1), 1u << 5),
        Write(A(BCM_ARMCTRL_ENABLE_BASIC), 1u << 1),
    };
    // Write-1-to-set registers: no read-modify-write.
    EXPECT_EQ(bcm_fake::Log(), want);
}

TEST_F(BcmIrqTest, MaskWaitsUntilTheDisableHasTakenEffect)
{
    ArmReg(BCM_ARMCTRL_ENABLE_2) = 1u << 25;
    hal_irq_line_mask(BCM_IRQ_GPU(57));
    // Disable, DSB, then a read of the same controller (its enable register).
    std::vector<bcm_fake::Access> want = {
        Write(A(BCM_ARMCTRL_DISABLE_2), 1u << 25),
        Barrier(),
        Read(A(BCM_ARMCTRL_ENABLE_2), 1u << 25),
    };
    EXPECT_EQ(bcm_fake::Log(), want);
    bcm_fake::Clear();
    hal_irq_line_mask(BCM_IRQ_GPU(31));
    hal_irq_line_mask(BCM_IRQ_BASIC_FIRST + 7);
    std::vector<bcm_fake::Access> writes = {
        Write(A(BCM_ARMCTRL_DISABLE_1), 1u << 31),
        Write(A(BCM_ARMCTRL_DISABLE_BASIC), 1u << 7),
    };
    EXPECT_EQ(bcm_fake::Only(Op::kWrite), writes);
    EXPECT_EQ(bcm_fake::Only(Op::kBarrier).size(), 2u);
    // A local line: read-modify-write, DSB, read back.
    bcm_fake::Clear();
    LocalReg(BCM_LOCAL_TIMER_CTL(0)) = 0x8;
    hal_irq_line_mask(BCM_IRQ_CNTV);
    std::vector<bcm_fake::Access> local = {
        Read(L(BCM_LOCAL_TIMER_CTL(0)), 0x8),
        Write(L(BCM_LOCAL_TIMER_CTL(0)), 0),
        Barrier(),
        Read(L(BCM_LOCAL_TIMER_CTL(0)), 0),
    };
    EXPECT_EQ(bcm_fake::Log(), local);
}

TEST_F(BcmIrqTest, LinesThatDoNotExistAreIgnored)
{
    for (uint32_t line : {BCM_IRQ_GPU_CASCADE, BCM_IRQ_AXI, BCM_IRQ_LOCAL_TIMER, 12u, 31u, 40u, 63u,
                          128u, 129u, 0xffffffffu}) {
        hal_irq_line_unmask(line);
        hal_irq_line_mask(line);
        EXPECT_TRUE(bcm_fake::Log().empty()) << line;
    }
}

TEST_F(BcmIrqTest, NothingHappensBeforeInit)
{
    // A base of 0 leaves the driver as before bcm_irq_init.
    bcm_irq_init(0, ArmctrlBase(), 0);
    EXPECT_TRUE(bcm_fake::Log().empty());
    bcm_irq_init(LocalBase(), 0, 0);
    bcm_fake::Clear();
    EXPECT_EQ(hal_irq_line_count(), 0u);
    hal_irq_line_unmask(BCM_IRQ_CNTV);
    hal_irq_line_mask(BCM_IRQ_GPU(57));
    EXPECT_EQ(hal_irq_acknowledge(), HAL_IRQ_NONE);
    EXPECT_TRUE(bcm_fake::Log().empty());
}

TEST_F(BcmIrqTest, NothingPendingIsNone)
{
    EXPECT_EQ(hal_irq_acknowledge(), HAL_IRQ_NONE);
    // Only the core's source register was read.
    std::vector<bcm_fake::Access> want = {Read(L(BCM_LOCAL_IRQ_SOURCE(0)), 0)};
    EXPECT_EQ(bcm_fake::Log(), want);
}

TEST_F(BcmIrqTest, LocalSourcesInBitOrderTimerFirst)
{
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = (1u << 3) | (1u << 5) | (1u << 9) | (1u << 8);
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = 1u << 0;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_CNTV);
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = (1u << 5) | (1u << 9) | (1u << 8);
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_MAILBOX0 + 1);
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = (1u << 9) | (1u << 8);
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_BASIC_FIRST); // the cascade before the PMU
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = (1u << 9) | (1u << 11);
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_PMU);
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = 1u << 11;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_LOCAL_TIMER);
    // Reserved bits above 11 are not lines.
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = 0xfffff000u;
    EXPECT_EQ(hal_irq_acknowledge(), HAL_IRQ_NONE);
}

TEST_F(BcmIrqTest, ReadsTheSetUpCoresSourceRegister)
{
    Init(2);
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = 1u << 3; // another core's timer
    EXPECT_EQ(hal_irq_acknowledge(), HAL_IRQ_NONE);
    LocalReg(BCM_LOCAL_IRQ_SOURCE(2)) = 1u << 1;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_CNTPNS);
}

TEST_F(BcmIrqTest, GpuCascadeAsQemuShowsUart0)
{
    // QEMU_FACTS.md 10: UART0's TX interrupt enabled as GPU 57.
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = 0x100;
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = 0x00080200;
    ArmReg(BCM_ARMCTRL_PENDING_2) = 0x02000000;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_GPU(57));
    std::vector<bcm_fake::Access> want = {
        Read(L(BCM_LOCAL_IRQ_SOURCE(0)), 0x100),
        Barrier(), // another peripheral
        Read(A(BCM_ARMCTRL_PENDING_BASIC), 0x00080200),
        Read(A(BCM_ARMCTRL_PENDING_1), 0),
        Read(A(BCM_ARMCTRL_PENDING_2), 0x02000000),
    };
    EXPECT_EQ(bcm_fake::Log(), want);
}

TEST_F(BcmIrqTest, GpuPriorityBasicThenBankOneThenBankTwo)
{
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = 0x100;
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = (1u << 6) | (1u << 2) | 0x300;
    ArmReg(BCM_ARMCTRL_PENDING_1) = 1u << 30;
    ArmReg(BCM_ARMCTRL_PENDING_2) = 1u;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_BASIC_FIRST + 2);
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = 0x300;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_GPU(30));
    ArmReg(BCM_ARMCTRL_PENDING_1) = (1u << 30) | (1u << 4);
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_GPU(4));
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = 0x200;
    ArmReg(BCM_ARMCTRL_PENDING_1) = 0;
    ArmReg(BCM_ARMCTRL_PENDING_2) = (1u << 31) | (1u << 1);
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_GPU(33));
}

TEST_F(BcmIrqTest, AShortcutAloneStillFindsItsLine)
{
    // The real chip may flag a shortcut GPU line (here GPU 57, bit 19)
    // without bit 9: the pending registers are read all the same.
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = 0x100;
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = 1u << 19;
    ArmReg(BCM_ARMCTRL_PENDING_2) = 1u << 25;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_GPU(57));
    // GPU 7's shortcut (bit 10) is in pending 1.
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = 1u << 10;
    ArmReg(BCM_ARMCTRL_PENDING_1) = 1u << 7;
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_GPU(7));
}

TEST_F(BcmIrqTest, ACascadeThatDroppedFallsThroughToHigherSources)
{
    // The GPU source was set when the core read it, the GPU controller has
    // nothing by the time it looks: the PMU above it is next, or nothing.
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = (1u << 8) | (1u << 9);
    EXPECT_EQ(hal_irq_acknowledge(), BCM_IRQ_PMU);
    LocalReg(BCM_LOCAL_IRQ_SOURCE(0)) = 1u << 8;
    EXPECT_EQ(hal_irq_acknowledge(), HAL_IRQ_NONE);
    // Basic pending bits above the shortcuts (21-31) are reserved.
    ArmReg(BCM_ARMCTRL_PENDING_BASIC) = 0xffe00000u;
    ArmReg(BCM_ARMCTRL_PENDING_1) = 1;
    EXPECT_EQ(hal_irq_acknowledge(), HAL_IRQ_NONE);
}

TEST_F(BcmIrqTest, EndDoesNothing)
{
    for (uint32_t line : {0u, 3u, 121u, 128u, HAL_IRQ_NONE}) {
        hal_irq_end(line);
    }
    EXPECT_TRUE(bcm_fake::Log().empty());
}

} // namespace
