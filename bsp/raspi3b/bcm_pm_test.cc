// bcm_pm over host memory laid out like the BCM2835 power-management
// block, every register access recorded (bcm_mmio_fake): the values written
// for reset and for power off (password, partition, timeout, RSTC's
// reset configuration, other bits kept) and their order.

#include "bsp/raspi3b/bcm_pm.h"

#include <cstdint>
#include <vector>

#include "bsp/raspi3b/bcm_mmio_fake.h"
#include "hal/console.h"
#include "hal/timer.h"
#include "gtest/gtest.h"

// What bcm_pm uses of hal/timer.h and hal/console.h, here (hal/fake is the
// kernel's): a counter the test sets; console output dropped.
namespace {
uint64_t fake_count;
} // namespace

extern "C" uint64_t hal_timer_count(void)
{
    return fake_count;
}

extern "C" uint64_t hal_timer_frequency(void)
{
    return 62500000u;
}

extern "C" void hal_console_write(const char *s, size_t n)
{
    (void)s;
    (void)n;
}

namespace {

using bcm_fake::Barrier;
using bcm_fake::Op;
using bcm_fake::Write;

class BcmPmTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        // QEMU's reset values (QEMU_FACTS.md 11).
        regs_.assign(0x200 / 4, 0);
        Reg(BCM_PM_RSTC) = 0x102;
        Reg(BCM_PM_RSTS) = 0x1000;
        bcm_pm_init(Base());
        bcm_fake::Clear();
    }
    uintptr_t Base()
    {
        return reinterpret_cast<uintptr_t>(regs_.data());
    }
    uintptr_t At(uint32_t offset)
    {
        return Base() + offset;
    }
    uint32_t &Reg(uint32_t offset)
    {
        return regs_[offset / 4];
    }
    std::vector<uint32_t> regs_;
};

TEST_F(BcmPmTest, ResetBootsPartitionZeroWithAShortTimeoutAndFullReset)
{
    Reg(BCM_PM_RSTS) = 0x1555; // a halt request left over: cleared
    bcm_pm_request_reset(0);
    std::vector<bcm_fake::Access> want = {
        Write(At(BCM_PM_RSTS), 0x5a001000u),
        Write(At(BCM_PM_WDOG), 0x5a00000au),
        Write(At(BCM_PM_RSTC), 0x5a000122u),
        Barrier(),
    };
    EXPECT_EQ(bcm_fake::Only(Op::kWrite).size(), 3u);
    std::vector<bcm_fake::Access> got;
    for (const auto &a : bcm_fake::Log()) {
        if (a.op != Op::kRead) {
            got.push_back(a);
        }
    }
    EXPECT_EQ(got, want);
}

TEST_F(BcmPmTest, PowerOffAsksForTheHaltPartition)
{
    bcm_pm_request_reset(1);
    EXPECT_EQ(Reg(BCM_PM_RSTS), 0x5a001555u);
    EXPECT_EQ(Reg(BCM_PM_WDOG), 0x5a000000u | BCM_PM_RESET_TICKS);
    EXPECT_EQ(Reg(BCM_PM_RSTC), 0x5a000122u);
    // RSTC is written last, after RSTS and WDOG, and a DSB follows it.
    const auto &log = bcm_fake::Log();
    ASSERT_GE(log.size(), 2u);
    EXPECT_EQ(log[log.size() - 2], Write(At(BCM_PM_RSTC), 0x5a000122u));
    EXPECT_EQ(log.back(), Barrier());
}

TEST_F(BcmPmTest, OtherBitsAreKeptAndThePasswordReplacesTheTopByte)
{
    Reg(BCM_PM_RSTS) = 0xff00a0aa; // partition bits clear, others set, a stray top byte
    Reg(BCM_PM_RSTC) = 0xff000fff; // WRCFG 0b11, others set
    bcm_pm_request_reset(1);
    EXPECT_EQ(Reg(BCM_PM_RSTS), 0x5a00a5ffu);
    EXPECT_EQ(Reg(BCM_PM_RSTC), 0x5a000fefu);
    Reg(BCM_PM_RSTS) = 0x00000fff;
    bcm_pm_request_reset(0);
    EXPECT_EQ(Reg(BCM_PM_RSTS), 0x5a000aaau);
}

TEST_F(BcmPmTest, EveryWriteCarriesThePassword)
{
    bcm_pm_request_reset(0);
    bcm_pm_request_reset(1);
    for (const auto &a : bcm_fake::Only(Op::kWrite)) {
        EXPECT_EQ(a.value & BCM_PM_PASSWORD_MASK, BCM_PM_PASSWORD);
    }
}

TEST_F(BcmPmTest, NothingBeforeInit)
{
    bcm_pm_init(0);
    bcm_fake::Clear();
    bcm_pm_request_reset(1);
    EXPECT_TRUE(bcm_fake::Log().empty());
}

// The wait for the reset ends when the counter reaches its deadline (then
// hal_power_off says the reset did not come); at once when it has passed.
TEST(BcmPmWaitTest, EndsAtTheDeadline)
{
    fake_count = 1000;
    bcm_pm_wait_until(1000);
    bcm_pm_wait_until(999);
    bcm_pm_wait_until(0);
    SUCCEED() << "returned once the counter was at or past the deadline";
}

} // namespace
