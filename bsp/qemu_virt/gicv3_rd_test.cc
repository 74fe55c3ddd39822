// gicv3_find_rd over host memory laid out like GICv3 redistributor regions:
// GICR_TYPER at offset 8 of each 128 KiB redistributor, its affinity in
// bits 63:32 and Last in bit 4.

#include "bsp/qemu_virt/gicv3_rd.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "gtest/gtest.h"

namespace {

/** A region of n redistributors serving affinities first, first + 1, ... */
class FakeRegion {
  public:
    FakeRegion(uint32_t n, uint64_t first_affinity, bool last_flag = true)
        : mem_(static_cast<size_t>(n) * GICR_FRAME_STRIDE / sizeof(uint64_t), 0)
    {
        for (uint32_t i = 0; i < n; i++) {
            uint64_t typer = (first_affinity + i) << 32;
            if (last_flag && i + 1 == n) {
                typer |= GICR_TYPER_LAST;
            }
            std::memcpy(Base() + uint64_t{i} * GICR_FRAME_STRIDE + GICR_TYPER, &typer,
                        sizeof typer);
        }
    }
    uint8_t *Base()
    {
        return reinterpret_cast<uint8_t *>(mem_.data());
    }
    gic_rd_region Region()
    {
        return {reinterpret_cast<uintptr_t>(Base()), mem_.size() * sizeof(uint64_t)};
    }

  private:
    std::vector<uint64_t> mem_;
};

uintptr_t Rd(FakeRegion &r, uint32_t index)
{
    return reinterpret_cast<uintptr_t>(r.Base()) + uintptr_t{index} * GICR_FRAME_STRIDE;
}

TEST(Gicv3RdTest, FindsTheCpuInTheSecondRegion)
{
    // QEMU virt with 130 CPUs: 123 redistributors in the first region, the
    // rest in the second. A CPU served by the second region is found there.
    FakeRegion low(123, 0);
    FakeRegion high(7, 123);
    gic_rd_region regions[] = {low.Region(), high.Region()};
    EXPECT_EQ(gicv3_find_rd(regions, 2, 0), Rd(low, 0));
    EXPECT_EQ(gicv3_find_rd(regions, 2, 122), Rd(low, 122));
    EXPECT_EQ(gicv3_find_rd(regions, 2, 123), Rd(high, 0));
    EXPECT_EQ(gicv3_find_rd(regions, 2, 129), Rd(high, 6));
    EXPECT_EQ(gicv3_find_rd(regions, 2, 130), 0u);
    EXPECT_EQ(gicv3_find_rd(regions, 1, 123), 0u); // only the first region given
}

TEST(Gicv3RdTest, LastEndsARegionAndTheRegionsEndBoundsIt)
{
    FakeRegion a(4, 0x100);
    // Pretend the region ends after two redistributors: the third is not read.
    gic_rd_region two = a.Region();
    two.size = 2 * GICR_FRAME_STRIDE;
    EXPECT_EQ(gicv3_find_rd(&two, 1, 0x101), Rd(a, 1));
    EXPECT_EQ(gicv3_find_rd(&two, 1, 0x102), 0u);
    // A Last flag in the middle stops the walk there.
    uint64_t typer = (uint64_t{0x101} << 32) | GICR_TYPER_LAST;
    std::memcpy(a.Base() + GICR_FRAME_STRIDE + GICR_TYPER, &typer, sizeof typer);
    gic_rd_region all = a.Region();
    EXPECT_EQ(gicv3_find_rd(&all, 1, 0x101), Rd(a, 1));
    EXPECT_EQ(gicv3_find_rd(&all, 1, 0x103), 0u);
    // A region smaller than one redistributor holds none.
    gic_rd_region tiny = {all.base, GICR_FRAME_STRIDE - 1};
    EXPECT_EQ(gicv3_find_rd(&tiny, 1, 0x100), 0u);
    EXPECT_EQ(gicv3_find_rd(&tiny, 0, 0x100), 0u);
}

TEST(Gicv3RdTest, AffinityFieldsAreComparedWhole)
{
    // Aff3.Aff2.Aff1.Aff0 = 1.0.2.3 is not 0.0.2.3.
    FakeRegion r(2, 0x01000203);
    gic_rd_region region = r.Region();
    EXPECT_EQ(gicv3_find_rd(&region, 1, 0x01000203), Rd(r, 0));
    EXPECT_EQ(gicv3_find_rd(&region, 1, 0x00000203), 0u);
}

} // namespace
