// hal/mmu.h through its fake (the real pt code over fake RAM).
#include "hal/mmu.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <vector>

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

// ---- hal_mmu_space_destroy and hal_mmu_asid_invalidate --------------------

constexpr uint64_t kSentinel = 0xdead000;

// Destroys the space at root max tables a call, checking each batch against
// the contract in hal/mmu.h; returns the frames in the order they came back.
std::vector<uint64_t> Destroy(paddr_t root, uint32_t asid, size_t max)
{
    std::vector<uint64_t> order;
    std::vector<paddr_t> out(max + 1);
    bool done = false;
    for (size_t batch = 0; !done; batch++) {
        if (batch > 4096) {
            ADD_FAILURE() << "teardown does not end";
            break;
        }
        uint32_t before = mmu_fake_asid_invalidations();
        out[max] = paddr_make(kSentinel);
        size_t n = hal_mmu_space_destroy(root, asid, out.data(), max, &done);
        EXPECT_GE(n, 1u);
        EXPECT_LE(n, max);
        EXPECT_EQ(out[max].value, kSentinel) << "wrote past max";
        if (!done) {
            EXPECT_EQ(n, max) << "a short batch without the root";
        }
        // The whole ASID was invalidated once, in this very call.
        EXPECT_EQ(mmu_fake_asid_invalidations(), before + 1);
        EXPECT_EQ(mmu_fake_last_asid_invalidated(), asid);
        for (size_t i = 0; i < n && i < max; i++) {
            EXPECT_EQ(out[i].value == root.value, done && i == n - 1) << "root not last";
            order.push_back(out[i].value);
        }
    }
    return order;
}

// The frames f handed out: frames[0..used).
std::multiset<uint64_t> Consumed(const hal_mmu_frames &f)
{
    std::multiset<uint64_t> taken;
    for (size_t i = 0; i < f.used; i++) {
        taken.insert(f.frames[i].value);
    }
    return taken;
}

// Maps pages under several tables of every level: root entries 0 and 1; L1
// entries 0 and 1; L2 entries 2 and 3. Ten tables in all, with the root.
void MapSpread(paddr_t root, hal_mmu_frames *f)
{
    const uint64_t vas[] = {kVa, kVa + 0x200000 - kPage, 0x40000000 + kVa, 0x8000000000 + kVa};
    for (uint64_t va : vas) {
        ASSERT_EQ(hal_mmu_map(root, 5, va, paddr_make(kData), 2 * kPage, R | W, f), HAL_MMU_OK)
            << std::hex << va;
    }
    ASSERT_EQ(f->used, 10u);
}

TEST_F(Mmu, DestroyGivesBackEveryTableInAnyBatchSize)
{
    MapSpread(root_, &frames_);
    ASSERT_FALSE(HasFatalFailure());
    std::vector<paddr_t> list = table_frames_;
    hal_mmu_frames f = frames_;
    paddr_t root = root_;
    for (size_t max : {1u, 2u, 3u, 9u, 10u, 64u}) {
        std::multiset<uint64_t> taken = Consumed(f);
        ASSERT_EQ(taken.size(), 10u);
        std::vector<uint64_t> back = Destroy(root, kAsid, max);
        EXPECT_EQ(std::multiset<uint64_t>(back.begin(), back.end()), taken) << "max " << max;
        ASSERT_FALSE(back.empty());
        EXPECT_EQ(back.back(), root.value);
        // The frames given back are reused at once, garbage and all: a new
        // space built from them maps as if they were fresh.
        list.clear();
        for (auto it = back.rbegin(); it != back.rend(); ++it) {
            list.push_back(paddr_make(*it));
        }
        f = {list.data(), list.size(), 0};
        ASSERT_EQ(hal_mmu_space_create(&f, &root), HAL_MMU_OK);
        MapSpread(root, &f);
        ASSERT_FALSE(HasFatalFailure());
        uint64_t pa = 0;
        EXPECT_EQ(Translate(root, kVa + kPage, true, &pa), HAL_MMU_OK);
        EXPECT_EQ(pa, kData + kPage);
        EXPECT_EQ(Translate(root, kVa + 2 * kPage, false, &pa), HAL_MMU_ERR_NOT_MAPPED);
    }
    EXPECT_EQ(mmu_fake_invalidations(), 0u) << "no invalidation by range";
}

TEST_F(Mmu, DestroyRightAfterCreateGivesTheRoot)
{
    paddr_t out[2] = {paddr_make(kSentinel), paddr_make(kSentinel)};
    bool done = false;
    EXPECT_EQ(hal_mmu_space_destroy(root_, 42, out, 2, &done), 1u);
    EXPECT_TRUE(done);
    EXPECT_EQ(out[0].value, root_.value);
    EXPECT_EQ(out[0].value, table_frames_[0].value);
    EXPECT_EQ(out[1].value, kSentinel);
    EXPECT_EQ(mmu_fake_asid_invalidations(), 1u);
    EXPECT_EQ(mmu_fake_last_asid_invalidated(), 42u);
}

TEST_F(Mmu, DestroyAfterUnmapGivesBackTheEmptyTables)
{
    MapSpread(root_, &frames_);
    ASSERT_FALSE(HasFatalFailure());
    for (uint64_t va : {kVa, kVa + 0x200000 - kPage, 0x40000000 + kVa, 0x8000000000 + kVa}) {
        ASSERT_EQ(hal_mmu_unmap(root_, kAsid, va, 2 * kPage), HAL_MMU_OK);
    }
    std::vector<uint64_t> back = Destroy(root_, kAsid, 4);
    EXPECT_EQ(std::multiset<uint64_t>(back.begin(), back.end()), Consumed(frames_));
    EXPECT_EQ(back.size(), 10u);
}

TEST_F(Mmu, AsidInvalidate)
{
    hal_mmu_asid_invalidate(HAL_MMU_ASID_LIMIT - 1);
    EXPECT_EQ(mmu_fake_asid_invalidations(), 1u);
    EXPECT_EQ(mmu_fake_last_asid_invalidated(), HAL_MMU_ASID_LIMIT - 1);
    hal_mmu_asid_invalidate(0);
    EXPECT_EQ(mmu_fake_asid_invalidations(), 2u);
    EXPECT_EQ(mmu_fake_last_asid_invalidated(), 0u);
    EXPECT_EQ(mmu_fake_invalidations(), 0u);
    mmu_fake_reset();
    EXPECT_EQ(mmu_fake_asid_invalidations(), 0u);
}

TEST_F(Mmu, BadAsidHalts)
{
    bool done = false;
    paddr_t out[1];
    EXPECT_DEATH(hal_mmu_asid_invalidate(HAL_MMU_ASID_LIMIT), "");
    EXPECT_DEATH(hal_mmu_space_destroy(root_, HAL_MMU_ASID_LIMIT, out, 1, &done), "");
    EXPECT_DEATH(hal_mmu_space_destroy(root_, kAsid, out, 0, &done), "");
}

// A space in fake RAM with room for many tables, for random maps and unmaps
// (the shared fixture holds only fifteen table frames).
class RandomSpace : public ::testing::Test {
  protected:
    static constexpr size_t kRamFrames = 256;

    void SetUp() override
    {
        ram_.reset(static_cast<uint8_t *>(std::aligned_alloc(kPage, kRamFrames * kPage)));
        mmu_fake_init(ram_.get(), paddr_make(kBase), kRamFrames * kPage);
    }

    struct Free {
        void operator()(uint8_t *p) const
        {
            std::free(p);
        }
    };
    std::unique_ptr<uint8_t, Free> ram_;
};

TEST_F(RandomSpace, DestroyGivesBackExactlyTheFramesConsumed)
{
    // Four 32 MiB windows: across the first 1 GiB boundary, at 512 GiB, and
    // below the top of user space; sixteen L3 tables' worth each.
    const uint64_t windows[] = {0, 0x40000000 - 0x1000000, 0x8000000000,
                                HAL_MMU_USER_TOP - 0x2000000};
    const uint64_t window_pages = 0x2000000 / kPage;
    std::mt19937_64 rng(20250611);
    size_t maps = 0, unmaps = 0, tables = 0;

    for (int round = 0; round < 12; round++) {
        // The table list in a random order, in fake RAM frames 1..255.
        std::vector<paddr_t> list;
        for (size_t i = 1; i < kRamFrames; i++) {
            list.push_back(paddr_make(kBase + i * kPage));
        }
        std::shuffle(list.begin(), list.end(), rng);
        hal_mmu_frames f = {list.data(), list.size(), 0};
        paddr_t root{};
        ASSERT_EQ(hal_mmu_space_create(&f, &root), HAL_MMU_OK);
        const uint32_t asid = static_cast<uint32_t>(rng() % HAL_MMU_ASID_LIMIT);
        std::set<uint64_t> mapped;
        for (int step = 0; step < 150; step++) {
            uint64_t page = rng() % window_pages;
            uint64_t va = windows[rng() % 4] + page * kPage;
            uint64_t pages = 1 + rng() % 16;
            if (rng() % 3 != 0) {
                uint64_t size = std::min(pages, window_pages - page) * kPage;
                hal_mmu_result r = hal_mmu_map(root, asid, va, paddr_make(va), size, R, &f);
                ASSERT_TRUE(r == HAL_MMU_OK || r == HAL_MMU_ERR_ALREADY_MAPPED) << r;
                for (uint64_t a = va; r == HAL_MMU_OK && a < va + size; a += kPage) {
                    mapped.insert(a);
                }
                maps += r == HAL_MMU_OK;
            } else if (!mapped.empty()) {
                // Unmap the mapped run that starts at a mapped page.
                auto it = mapped.lower_bound(va);
                it = it == mapped.end() ? mapped.begin() : it;
                uint64_t start = *it, end = start;
                while (end < start + pages * kPage && mapped.count(end) != 0) {
                    mapped.erase(end);
                    end += kPage;
                }
                ASSERT_EQ(hal_mmu_unmap(root, asid, start, end - start), HAL_MMU_OK);
                unmaps++;
            }
        }
        std::multiset<uint64_t> taken = Consumed(f);
        tables += taken.size();
        std::vector<uint64_t> back = Destroy(root, asid, 1 + rng() % 8);
        ASSERT_EQ(std::multiset<uint64_t>(back.begin(), back.end()), taken) << "round " << round;
    }
    printf("random: %zu maps, %zu unmaps, %zu tables given back\n", maps, unmaps, tables);
    EXPECT_GT(maps, 500u);
    EXPECT_GT(unmaps, 300u);
    EXPECT_GT(tables, 200u);
}

TEST_F(Mmu, PhysToVirtIsTheFakeRam)
{
    EXPECT_EQ(hal_mmu_phys_to_virt(paddr_make(kBase + 5 * kPage + 3)),
              static_cast<void *>(ram_.get() + 5 * kPage + 3));
}

TEST_F(Mmu, ReclaimGivesBackEmptiedTablesAndInvalidatesTheWalk)
{
    ASSERT_EQ(Map(kVa, 0, 2, R | W), HAL_MMU_OK);
    ASSERT_EQ(frames_.used, 4u); // root + L1, L2, L3
    EXPECT_EQ(hal_mmu_table_count(root_), 4u);
    paddr_t out[HAL_MMU_RECLAIM_MAX] = {};
    ASSERT_EQ(hal_mmu_unmap(root_, kAsid, kVa, kPage), HAL_MMU_OK);
    mmu_fake_reset();
    // A table still mapping a page: nothing given back, nothing invalidated.
    EXPECT_EQ(hal_mmu_reclaim(root_, kAsid, kVa, out), 0u);
    EXPECT_EQ(mmu_fake_invalidations(), 0u);
    ASSERT_EQ(hal_mmu_unmap(root_, kAsid, kVa + kPage, kPage), HAL_MMU_OK);
    mmu_fake_reset();
    ASSERT_EQ(hal_mmu_reclaim(root_, kAsid, kVa + kPage, out), 3u);
    // Deepest first: the L3, L2 and L1 tables, in the reverse of their taking.
    EXPECT_EQ(out[0].value, frames_.frames[3].value);
    EXPECT_EQ(out[1].value, frames_.frames[2].value);
    EXPECT_EQ(out[2].value, frames_.frames[1].value);
    // The walk of va invalidated for the space's ASID.
    EXPECT_EQ(mmu_fake_invalidations(), 1u);
    EXPECT_EQ(mmu_fake_last_asid(), kAsid);
    EXPECT_EQ(hal_mmu_table_count(root_), 1u);
    uint64_t pa = 0;
    EXPECT_EQ(Translate(root_, kVa, false, &pa), HAL_MMU_ERR_NOT_MAPPED);
    // The root is never given back.
    EXPECT_EQ(hal_mmu_reclaim(root_, kAsid, kVa, out), 0u);
    std::vector<uint64_t> back = Destroy(root_, kAsid, 4);
    EXPECT_EQ(back.size(), 1u);
}

} // namespace
