// Faults and unexpected exceptions as hal/aarch64 describes them for the
// kernel's reports (trap_report.c), from frames laid out as the vectors
// save them.

#include "hal/aarch64/context.h"

#include <cstdint>
#include <cstdlib>
#include <string>

#include "hal/aarch64/esr.h"
#include "hal/aarch64/frame.h"
#include "hal/trap.h"

#include "gtest/gtest.h"

// The kernel's upcall, which aarch64_trap_unexpected calls: not here.
extern "C" void trap_unexpected(const struct hal_exception *)
{
    std::abort();
}

namespace {

constexpr uint64_t EsrOf(uint32_t ec, uint32_t iss)
{
    return (uint64_t)ec << ESR_EC_SHIFT | iss;
}

TEST(TrapReportTest, AnAbortHasItsAddress)
{
    aarch64_frame f{};
    f.esr = EsrOf(ESR_EC_DABT_LOWER, 0x47); // translation fault, level 3, write
    f.far = 0xdead0000;
    f.elr = 0x401000;
    hal_fault fault{};
    aarch64_fault_describe(&f, AARCH64_VECTOR_SYNC, &fault);
    EXPECT_STREQ("data abort from a lower EL", fault.cause);
    EXPECT_EQ(0xdead0000u, fault.address);
    EXPECT_EQ(0x401000u, fault.pc);
    EXPECT_FALSE(fault.asynchronous);
}

TEST(TrapReportTest, FarIsNotAnAddressForOtherClasses)
{
    aarch64_frame f{};
    f.esr = EsrOf(ESR_EC_UNKNOWN, 0);
    f.far = 0x1234; // an earlier fault's, UNKNOWN here
    hal_fault fault{};
    aarch64_fault_describe(&f, AARCH64_VECTOR_SYNC, &fault);
    EXPECT_EQ(0u, fault.address);
    f.esr = EsrOf(ESR_EC_PC_ALIGN, 0);
    aarch64_fault_describe(&f, AARCH64_VECTOR_SYNC, &fault);
    EXPECT_EQ(0x1234u, fault.address) << "a PC alignment fault has one";
}

TEST(TrapReportTest, SErrorAndFiqAreAsynchronous)
{
    aarch64_frame f{};
    f.esr = 0xbe000000;
    f.elr = 0x8;
    hal_fault fault{};
    aarch64_fault_describe(&f, AARCH64_VECTOR_SERROR, &fault);
    EXPECT_STREQ("SError", fault.cause);
    EXPECT_TRUE(fault.asynchronous);
    EXPECT_EQ(0xbe000000u, fault.syndrome);
    aarch64_fault_describe(&f, AARCH64_VECTOR_FIQ, &fault);
    EXPECT_STREQ("FIQ", fault.cause);
    EXPECT_EQ(0u, fault.syndrome) << "an FIQ has no syndrome";
}

TEST(TrapReportTest, AKernelAbortIsDescribedInFull)
{
    aarch64_frame f{};
    for (int i = 0; i < 31; i++) {
        f.x[i] = 100 + i;
    }
    f.sp = 1;
    f.elr = 2;
    f.spsr = 3;
    f.esr = EsrOf(ESR_EC_DABT_SAME, 0x46); // translation fault, level 2, write
    f.far = 5;
    hal_exception e{&f, AARCH64_VECTOR_GROUP_EL1_SPX + AARCH64_VECTOR_SYNC +
                            AARCH64_VECTOR_STACK_OVERFLOW};
    hal_exception_info info{};
    hal_exception_describe(&e, &info);
    EXPECT_TRUE(info.stack_overflow);
    EXPECT_STREQ("synchronous", info.type);
    EXPECT_STREQ("EL1", info.origin);
    EXPECT_EQ((uint32_t)ESR_EC_DABT_SAME, info.cause_code);
    EXPECT_STREQ("data abort from the same EL", info.cause);
    EXPECT_STREQ("translation fault", info.abort_status);
    EXPECT_EQ(2, info.abort_level);
    EXPECT_STREQ(", on a write", info.abort_access);
    ASSERT_EQ(31u, info.reg_count);
    EXPECT_STREQ("x", info.reg_prefix);
    EXPECT_EQ(130u, info.regs[30]);
    ASSERT_EQ(5u, info.other_count);
    std::string names(info.other_names, 5 * HAL_EXCEPTION_NAME_WIDTH);
    EXPECT_EQ("sp  ELR SPSRESR FAR ", names);
    const uint64_t values[5] = {1, 2, 3, f.esr, 5};
    for (uint32_t i = 0; i < 5; i++) {
        EXPECT_EQ(values[i], info.other[i]) << names.substr(i * HAL_EXCEPTION_NAME_WIDTH, 4);
    }
}

TEST(TrapReportTest, OtherExceptionsHaveNoAbortDetails)
{
    aarch64_frame f{};
    f.esr = EsrOf(ESR_EC_BRK64, 0);
    hal_exception e{&f, AARCH64_VECTOR_GROUP_EL0_A32 + AARCH64_VECTOR_IRQ};
    hal_exception_info info{};
    hal_exception_describe(&e, &info);
    EXPECT_FALSE(info.stack_overflow);
    EXPECT_STREQ("IRQ", info.type);
    EXPECT_STREQ("EL0 (AArch32)", info.origin);
    EXPECT_EQ(nullptr, info.abort_status);
}

} // namespace
