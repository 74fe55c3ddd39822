#include "hal/aarch64/idreg.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "hal/mmu.h"

namespace {

// ID_AA64MMFR0_EL1 values of real CPUs: Cortex-A53 r0p4 (16-bit ASIDs,
// 40-bit PA) and one with 8-bit ASIDs; the other fields must not matter.
TEST(IdregTest, AsidWidthFromMmfr0)
{
    EXPECT_EQ(aarch64_asid_bits(0x0000000000001122ull), 16u);
    EXPECT_EQ(aarch64_asid_bits(0x0000000000001102ull), 8u);
    EXPECT_EQ(aarch64_asid_bits(0), 8u);
    EXPECT_EQ(aarch64_asid_bits(0xffffffffffffff2full), 16u);
    EXPECT_EQ(aarch64_asid_bits(0xffffffffffffff0full), 8u);
    // Reserved encodings: only the 8 bits every CPU has.
    for (uint64_t field = 0; field < 16; field++) {
        EXPECT_EQ(aarch64_asid_bits(field << 4), field == 2 ? 16u : 8u) << field;
    }
}

TEST(IdregTest, TcrAsOnlyWith16BitAsids)
{
    EXPECT_EQ(aarch64_tcr_as(0x20), AARCH64_TCR_AS);
    EXPECT_EQ(aarch64_tcr_as(0x00), 0u);
    EXPECT_EQ(aarch64_tcr_as(0x10), 0u);
    EXPECT_EQ(AARCH64_TCR_AS, 1ull << 36);
}

// The kernel's ASIDs must fit the narrowest width: it never asks which
// width the CPU has, so every ASID it uses must work with TCR_EL1.AS = 0.
TEST(IdregTest, KernelAsidsFitEightBits)
{
    EXPECT_LE(HAL_MMU_ASID_LIMIT, 1u << 8);
}

TEST(IdregTest, PanFromMmfr1)
{
    EXPECT_FALSE(aarch64_has_pan(0));
    EXPECT_TRUE(aarch64_has_pan(1ull << 20));
    EXPECT_TRUE(aarch64_has_pan(3ull << 20));
    EXPECT_FALSE(aarch64_has_pan(~(0xfull << 20)));
}

// ID_AA64ISAR0_EL1 of a Cortex-A57 (AES, SHA1, SHA2, CRC32: as QEMU's model
// and most parts), of a Cortex-A53 built without the cryptographic extension
// (CRC32 only, as on the Raspberry Pi 3), and of a CPU with SHA-512 too.
TEST(IdregTest, Sha256FromIsar0)
{
    EXPECT_TRUE(aarch64_has_sha256(0x0000000000011120ull));
    EXPECT_FALSE(aarch64_has_sha256(0x0000000000010000ull));
    EXPECT_TRUE(aarch64_has_sha256(0x0000000000012120ull));
    EXPECT_FALSE(aarch64_has_sha256(~(0xfull << 12)));
    for (uint64_t field = 0; field < 16; field++) {
        EXPECT_EQ(aarch64_has_sha256(field << 12), field != 0) << field;
    }
}

} // namespace
