#include "hal/aarch64/esr.h"

#include <string>

#include "gtest/gtest.h"

namespace {

// ESR values as QEMU reports them for real faults.
constexpr uint64_t kDataAbortTranslationL3Write = 0x96000047; // EC 0x25, WnR, DFSC 0x07
constexpr uint64_t kDataAbortAddressSizeL0Read = 0x96000000;  // EC 0x25, DFSC 0x00
constexpr uint64_t kSvc = 0x56000000;                         // EC 0x15

TEST(EsrTest, ClassAndFields)
{
    EXPECT_EQ(esr_class(kDataAbortTranslationL3Write), ESR_EC_DABT_SAME);
    EXPECT_EQ(esr_fault_status(kDataAbortTranslationL3Write), 0x07u);
    EXPECT_TRUE(esr_abort_is_write(kDataAbortTranslationL3Write));
    EXPECT_FALSE(esr_abort_is_write(kDataAbortAddressSizeL0Read));
    EXPECT_EQ(esr_class(kSvc), ESR_EC_SVC64);
    // Bits above EC (ISS2, RES0) do not leak into the class.
    EXPECT_EQ(esr_class(0xffffffff00000000ull | kSvc), ESR_EC_SVC64);
}

TEST(EsrTest, ClassNames)
{
    EXPECT_EQ(std::string(esr_class_name(ESR_EC_DABT_SAME)), "data abort from the same EL");
    EXPECT_EQ(std::string(esr_class_name(ESR_EC_DABT_LOWER)), "data abort from a lower EL");
    EXPECT_EQ(std::string(esr_class_name(ESR_EC_IABT_SAME)), "instruction abort from the same EL");
    EXPECT_EQ(std::string(esr_class_name(ESR_EC_UNKNOWN)),
              "unknown reason (undefined instruction)");
    EXPECT_EQ(std::string(esr_class_name(ESR_EC_SVC64)), "SVC from AArch64");
    EXPECT_EQ(std::string(esr_class_name(0x3f)), "unknown class");
    for (uint32_t ec = 0; ec < 64; ec++) {
        ASSERT_NE(esr_class_name(ec), nullptr) << ec;
    }
}

TEST(EsrTest, AbortClasses)
{
    EXPECT_TRUE(esr_is_abort(ESR_EC_DABT_SAME));
    EXPECT_TRUE(esr_is_abort(ESR_EC_DABT_LOWER));
    EXPECT_TRUE(esr_is_abort(ESR_EC_IABT_SAME));
    EXPECT_TRUE(esr_is_abort(ESR_EC_IABT_LOWER));
    EXPECT_FALSE(esr_is_abort(ESR_EC_SVC64));
    EXPECT_FALSE(esr_is_abort(ESR_EC_SP_ALIGN));
}

TEST(EsrTest, FaultStatus)
{
    EXPECT_EQ(std::string(esr_fault_status_name(0x00)), "address size fault");
    EXPECT_EQ(std::string(esr_fault_status_name(0x07)), "translation fault");
    EXPECT_EQ(std::string(esr_fault_status_name(0x0b)), "access flag fault");
    EXPECT_EQ(std::string(esr_fault_status_name(0x0f)), "permission fault");
    EXPECT_EQ(std::string(esr_fault_status_name(0x10)), "synchronous external abort");
    EXPECT_EQ(std::string(esr_fault_status_name(0x21)), "alignment fault");
    EXPECT_EQ(std::string(esr_fault_status_name(0x30)), "TLB conflict abort");
    EXPECT_EQ(std::string(esr_fault_status_name(0x3f)), "unknown fault status");
    EXPECT_EQ(esr_fault_level(0x07), 3);
    EXPECT_EQ(esr_fault_level(0x04), 0);
    EXPECT_EQ(esr_fault_level(0x0e), 2);
    EXPECT_EQ(esr_fault_level(0x21), -1);
}

} // namespace
