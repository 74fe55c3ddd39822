// hal/aarch64/cache.c's maintenance sequence, over the recording fake.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "hal/aarch64/cache.h"
#include "hal/addr.h"
#include "hal/cache.h"
#include "hal/fake/cache_fake.h"
#include "hal/fake/mmu_fake.h"
#include "hal/mmu.h"

namespace {

constexpr uint64_t kBase = 0x40000000;
constexpr size_t kPages = 4;
constexpr size_t kPage = HAL_MMU_PAGE_SIZE;
// CTR_EL0 of a Cortex-A53: VIPT instruction cache, 64-byte lines.
constexpr uint64_t kCtrA53 = 0x84448004;

class CacheTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        std::memset(ram_, 0, sizeof ram_);
        mmu_fake_init(ram_, paddr_make(kBase), sizeof ram_);
        cache_fake_reset();
    }

    uintptr_t Va(uint64_t pa)
    {
        return reinterpret_cast<uintptr_t>(hal_mmu_phys_to_virt(paddr_make(pa)));
    }

    std::vector<cache_fake_kind> Kinds()
    {
        std::vector<cache_fake_kind> k;
        for (size_t i = 0; i < cache_fake_count(); i++) {
            k.push_back(cache_fake_ops()[i].kind);
        }
        return k;
    }

    alignas(4096) uint8_t ram_[kPages * kPage];
};

TEST_F(CacheTest, CtrDecoding)
{
    EXPECT_EQ(cache_dline(CACHE_FAKE_CTR_DEFAULT), 64u);
    EXPECT_EQ(cache_iline(CACHE_FAKE_CTR_DEFAULT), 64u);
    EXPECT_TRUE(cache_icache_by_line(CACHE_FAKE_CTR_DEFAULT));
    EXPECT_FALSE(cache_icache_by_line(kCtrA53));
    EXPECT_EQ(cache_dline(0x00050000), 128u);
    EXPECT_EQ(cache_iline(0x00000002), 16u);
}

// Clean every data line to PoU, DSB ISH, invalidate every instruction
// line, DSB ISH, ISB: in that order, over exactly the page.
TEST_F(CacheTest, PageSyncCleansThenInvalidatesWithBarriers)
{
    hal_cache_sync_icache(paddr_make(kBase + kPage), kPage);
    ASSERT_EQ(cache_fake_count(), 2 * 64 + 3);
    const cache_fake_op *ops = cache_fake_ops();
    for (size_t i = 0; i < 64; i++) {
        EXPECT_EQ(ops[i].kind, CACHE_FAKE_DC_CVAU);
        EXPECT_EQ(ops[i].va, Va(kBase + kPage) + i * 64);
    }
    EXPECT_EQ(ops[64].kind, CACHE_FAKE_DSB_ISH);
    for (size_t i = 0; i < 64; i++) {
        EXPECT_EQ(ops[65 + i].kind, CACHE_FAKE_IC_IVAU);
        EXPECT_EQ(ops[65 + i].va, Va(kBase + kPage) + i * 64);
    }
    EXPECT_EQ(ops[129].kind, CACHE_FAKE_DSB_ISH);
    EXPECT_EQ(ops[130].kind, CACHE_FAKE_ISB);
    paddr_t pages[4];
    size_t count = 0;
    EXPECT_EQ(cache_fake_synced_pages(pages, 4, &count), 0u);
    ASSERT_EQ(count, 1u);
    EXPECT_EQ(pages[0].value, kBase + kPage);
}

// The clean sees the bytes as they are when it is issued.
TEST_F(CacheTest, CleanRecordsTheContentsItPublishes)
{
    uint64_t word = 0xd503201fd503201full; // two NOPs
    std::memcpy(&ram_[2 * kPage + 128], &word, sizeof word);
    hal_cache_sync_icache(paddr_make(kBase + 2 * kPage), kPage);
    EXPECT_EQ(cache_fake_ops()[2].va, Va(kBase + 2 * kPage) + 128);
    EXPECT_EQ(cache_fake_ops()[2].data, word);
    EXPECT_EQ(cache_fake_ops()[0].data, 0u);
}

// A VIPT instruction cache may hold the lines under the user address:
// invalidated whole, after the clean and its barrier.
TEST_F(CacheTest, ViptInstructionCacheIsInvalidatedWhole)
{
    cache_fake_set_ctr(kCtrA53);
    hal_cache_sync_icache(paddr_make(kBase), kPage);
    std::vector<cache_fake_kind> want(64, CACHE_FAKE_DC_CVAU);
    want.insert(want.end(),
                {CACHE_FAKE_DSB_ISH, CACHE_FAKE_IC_IALLUIS, CACHE_FAKE_DSB_ISH, CACHE_FAKE_ISB});
    EXPECT_EQ(Kinds(), want);
}

// CTR_EL0.IDC: no clean needed; DIC: no invalidation needed. The barriers stay.
TEST_F(CacheTest, IdcAndDicSkipWhatTheCpuDoesNotNeed)
{
    cache_fake_set_ctr(CACHE_FAKE_CTR_DEFAULT | CACHE_CTR_IDC);
    hal_cache_sync_icache(paddr_make(kBase), kPage);
    std::vector<cache_fake_kind> want = {CACHE_FAKE_DSB_ISH};
    want.insert(want.end(), 64, CACHE_FAKE_IC_IVAU);
    want.insert(want.end(), {CACHE_FAKE_DSB_ISH, CACHE_FAKE_ISB});
    EXPECT_EQ(Kinds(), want);

    cache_fake_reset();
    cache_fake_set_ctr(CACHE_FAKE_CTR_DEFAULT | CACHE_CTR_IDC | CACHE_CTR_DIC);
    hal_cache_sync_icache(paddr_make(kBase), kPage);
    EXPECT_EQ(Kinds(), (std::vector<cache_fake_kind>{CACHE_FAKE_DSB_ISH, CACHE_FAKE_ISB}));
}

// Line sizes come from CTR_EL0; a range not on line boundaries covers every
// line it touches.
TEST_F(CacheTest, LineSizesAndUnalignedRanges)
{
    cache_fake_set_ctr((CACHE_FAKE_CTR_DEFAULT & ~0xf000full) | 0x50005);
    hal_cache_sync_icache(paddr_make(kBase), kPage);
    EXPECT_EQ(cache_fake_count(), 2 * 32 + 3);

    cache_fake_reset();
    hal_cache_sync_icache(paddr_make(kBase + 60), 8); // bytes 60..67: two lines
    std::vector<cache_fake_kind> want = {CACHE_FAKE_DC_CVAU, CACHE_FAKE_DC_CVAU, CACHE_FAKE_DSB_ISH,
                                         CACHE_FAKE_IC_IVAU, CACHE_FAKE_IC_IVAU, CACHE_FAKE_DSB_ISH,
                                         CACHE_FAKE_ISB};
    EXPECT_EQ(Kinds(), want);
    EXPECT_EQ(cache_fake_ops()[0].va, Va(kBase));
    EXPECT_EQ(cache_fake_ops()[1].va, Va(kBase) + 64);

    cache_fake_reset();
    hal_cache_sync_icache(paddr_make(kBase), 0);
    EXPECT_EQ(cache_fake_count(), 0u);
}

// The parser the kernel's tests use rejects a log that is not whole syncs.
TEST_F(CacheTest, SyncedPagesRejectsBrokenSequences)
{
    paddr_t pages[4];
    size_t count = 0;
    hal_cache_sync_icache(paddr_make(kBase), kPage);
    hal_cache_sync_icache(paddr_make(kBase + 3 * kPage), kPage);
    EXPECT_EQ(cache_fake_synced_pages(pages, 4, &count), 0u);
    ASSERT_EQ(count, 2u);
    EXPECT_EQ(pages[0].value, kBase);
    EXPECT_EQ(pages[1].value, kBase + 3 * kPage);

    cache_fake_reset();
    hal_cache_sync_icache(paddr_make(kBase + 8), 64); // not a page
    EXPECT_NE(cache_fake_synced_pages(pages, 4, &count), 0u);

    cache_fake_reset();
    cache_fake_set_ctr(kCtrA53); // not the default sequence
    hal_cache_sync_icache(paddr_make(kBase), kPage);
    EXPECT_NE(cache_fake_synced_pages(pages, 4, &count), 0u);
}

} // namespace
