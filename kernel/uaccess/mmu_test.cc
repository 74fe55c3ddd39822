// hal/mmu.h through its fake (the real pt code over fake RAM).
#include "hal/mmu.h"

#include <cstdint>

#include "fake_space.h"
#include "hal/addr.h"
#include "hal/fake/mmu_fake.h"
#include "gtest/gtest.h"

namespace {

using fake_space::kBase;
using fake_space::kData;
using fake_space::kPage;
using Mmu = fake_space::Space;

constexpr uint32_t R = HAL_MMU_READ;
constexpr uint32_t W = HAL_MMU_WRITE;
constexpr uint32_t X = HAL_MMU_EXEC;
constexpr uint64_t kVa = 0x400000;

hal_mmu_result Translate(paddr_t root, uint64_t va, bool write, uint64_t *pa)
{
    paddr_t out = paddr_make(0);
    hal_mmu_result r = hal_mmu_user_translate(root, va, write, &out);
    *pa = out.value;
    return r;
}

TEST_F(Mmu, MapTranslateUnmap)
{
    EXPECT_EQ(frames_.used, 1u); // the root
    ASSERT_EQ(Map(kVa, 0, 2, R | W), HAL_MMU_OK);
    EXPECT_EQ(frames_.used, 4u); // root + L1, L2, L3
    uint64_t pa = 0;
    EXPECT_EQ(Translate(root_, kVa + kPage + 0x123, true, &pa), HAL_MMU_OK);
    EXPECT_EQ(pa, kData + kPage + 0x123);
    EXPECT_EQ(Translate(root_, kVa + 2 * kPage, false, &pa), HAL_MMU_ERR_NOT_MAPPED);

    ASSERT_EQ(hal_mmu_unmap(root_, 9, kVa, kPage), HAL_MMU_OK);
    EXPECT_EQ(mmu_fake_invalidations(), 1u);
    EXPECT_EQ(mmu_fake_tlb_pages(), 1u);
    EXPECT_EQ(mmu_fake_last_asid(), 9u);
    EXPECT_EQ(Translate(root_, kVa, false, &pa), HAL_MMU_ERR_NOT_MAPPED);
    EXPECT_EQ(Translate(root_, kVa + kPage, false, &pa), HAL_MMU_OK);
    // Unmapping a hole changes nothing and invalidates nothing.
    EXPECT_EQ(hal_mmu_unmap(root_, 9, kVa, 2 * kPage), HAL_MMU_ERR_NOT_MAPPED);
    EXPECT_EQ(Translate(root_, kVa + kPage, false, &pa), HAL_MMU_OK);
    EXPECT_EQ(mmu_fake_tlb_pages(), 1u);
}

TEST_F(Mmu, TablesNeededBoundsMap)
{
    size_t need = hal_mmu_tables_needed(kVa, 3 * kPage);
    EXPECT_EQ(need, 3u);
    size_t before = frames_.used;
    ASSERT_EQ(Map(kVa, 0, 3, R), HAL_MMU_OK);
    EXPECT_EQ(frames_.used - before, need);
    EXPECT_EQ(hal_mmu_tables_needed(kVa + 1, kPage), 0u);
    EXPECT_EQ(hal_mmu_tables_needed(HAL_MMU_USER_TOP - kPage, 2 * kPage), 0u);
}

TEST_F(Mmu, ProtectChangesUserPermissions)
{
    ASSERT_EQ(Map(kVa, 0, 2, R | W), HAL_MMU_OK);
    ASSERT_EQ(hal_mmu_protect(root_, kAsid, kVa, 2 * kPage, R), HAL_MMU_OK);
    EXPECT_EQ(mmu_fake_invalidations(), 1u);
    EXPECT_EQ(mmu_fake_tlb_pages(), 2u);
    EXPECT_EQ(mmu_fake_last_asid(), kAsid);
    uint64_t pa = 0;
    EXPECT_EQ(Translate(root_, kVa, false, &pa), HAL_MMU_OK);
    EXPECT_EQ(Translate(root_, kVa, true, &pa), HAL_MMU_ERR_PERMISSION);
    EXPECT_EQ(hal_mmu_protect(root_, kAsid, kVa, 2 * kPage, R | X), HAL_MMU_OK);
    EXPECT_EQ(hal_mmu_protect(root_, kAsid, kVa, 2 * kPage, W | X), HAL_MMU_ERR_PERMISSION);
    EXPECT_EQ(hal_mmu_protect(root_, kAsid, kVa, 3 * kPage, R), HAL_MMU_ERR_NOT_MAPPED);
    EXPECT_EQ(mmu_fake_invalidations(), 2u);
}

TEST_F(Mmu, PermissionRulesRefused)
{
    EXPECT_EQ(Map(kVa, 0, 1, R | W | X), HAL_MMU_ERR_PERMISSION); // W^X
    EXPECT_EQ(Map(kVa, 0, 1, 0), HAL_MMU_ERR_PERMISSION);         // no READ
    EXPECT_EQ(Map(kVa, 0, 1, W), HAL_MMU_ERR_PERMISSION);         // write-only
    EXPECT_EQ(Map(kVa, 0, 1, X), HAL_MMU_ERR_PERMISSION);         // exec-only
    EXPECT_EQ(Map(kVa, 0, 1, R | 8), HAL_MMU_ERR_PERMISSION);     // unknown bit
    EXPECT_EQ(frames_.used, 1u);
    EXPECT_EQ(Map(kVa, 0, 1, R | X), HAL_MMU_OK);
}

TEST_F(Mmu, NonUserAndBadRangesRefused)
{
    EXPECT_EQ(Map(0xffff000000000000ull, 0, 1, R), HAL_MMU_ERR_RANGE);
    EXPECT_EQ(Map(HAL_MMU_USER_TOP - kPage, 0, 2, R), HAL_MMU_ERR_RANGE);
    EXPECT_EQ(Map(kVa, 0, 0, R), HAL_MMU_ERR_RANGE);
    EXPECT_EQ(hal_mmu_map(root_, HAL_MMU_ASID_LIMIT, kVa, paddr_make(kData), kPage, R, &frames_),
              HAL_MMU_ERR_RANGE);
    EXPECT_EQ(hal_mmu_map(root_, kAsid, kVa + 1, paddr_make(kData), kPage, R, &frames_),
              HAL_MMU_ERR_MISALIGNED);
    EXPECT_EQ(hal_mmu_map(root_, kAsid, kVa, paddr_make(kData + 1), kPage, R, &frames_),
              HAL_MMU_ERR_MISALIGNED);
    EXPECT_EQ(hal_mmu_map(root_, kAsid, kVa, paddr_make(1ull << 48), kPage, R, &frames_),
              HAL_MMU_ERR_RANGE);
    EXPECT_EQ(hal_mmu_unmap(root_, kAsid, 0xffff000000000000ull, kPage), HAL_MMU_ERR_RANGE);
    EXPECT_EQ(hal_mmu_protect(root_, kAsid, HAL_MMU_USER_TOP, kPage, R), HAL_MMU_ERR_RANGE);
    uint64_t pa = 0;
    EXPECT_EQ(Translate(root_, 0xffff000000001000ull, false, &pa), HAL_MMU_ERR_RANGE);
    EXPECT_EQ(frames_.used, 1u);
}

TEST_F(Mmu, DoubleMapRefused)
{
    ASSERT_EQ(Map(kVa + kPage, 0, 1, R), HAL_MMU_OK);
    size_t used = frames_.used;
    EXPECT_EQ(Map(kVa, 1, 2, R | W), HAL_MMU_ERR_ALREADY_MAPPED);
    EXPECT_EQ(frames_.used, used);
    uint64_t pa = 0;
    EXPECT_EQ(Translate(root_, kVa, false, &pa), HAL_MMU_ERR_NOT_MAPPED);
    EXPECT_EQ(Translate(root_, kVa + kPage, false, &pa), HAL_MMU_OK);
    EXPECT_EQ(pa, kData);
}

TEST_F(Mmu, NoTablesLeavesListUntouched)
{
    hal_mmu_frames few = {table_frames_.data() + 10, 2, 0};
    EXPECT_EQ(hal_mmu_map(root_, kAsid, kVa, paddr_make(kData), kPage, R, &few),
              HAL_MMU_ERR_NO_TABLES);
    EXPECT_EQ(few.used, 0u);
    hal_mmu_frames none = {table_frames_.data(), 0, 0};
    paddr_t root = paddr_make(0);
    EXPECT_EQ(hal_mmu_space_create(&none, &root), HAL_MMU_ERR_NO_TABLES);
}

TEST_F(Mmu, PhysToVirtIsTheFakeRam)
{
    EXPECT_EQ(hal_mmu_phys_to_virt(paddr_make(kBase + 5 * kPage + 3)),
              static_cast<void *>(ram_.get() + 5 * kPage + 3));
}

} // namespace
