// A user address space in fake RAM, shared by the tests of this package.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "hal/addr.h"
#include "hal/fake/mmu_fake.h"
#include "hal/mmu.h"
#include "gtest/gtest.h"

namespace fake_space {

constexpr uint64_t kPage = HAL_MMU_PAGE_SIZE;
// QEMU virt's RAM base, where the fake RAM pretends to sit.
constexpr uint64_t kBase = 0x40000000;
constexpr size_t kFrames = 64;
// Frames [1, kTableFrames) are the table list; data frames come after.
constexpr size_t kTableFrames = 16;
constexpr uint64_t kData = kBase + 32 * kPage;

class Space : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ram_.reset(static_cast<uint8_t *>(std::aligned_alloc(kPage, kFrames * kPage)));
        std::memset(ram_.get(), 0x5a, kFrames * kPage);
        mmu_fake_init(ram_.get(), paddr_make(kBase), kFrames * kPage);
        for (size_t i = 1; i < kTableFrames; i++) {
            table_frames_.push_back(paddr_make(kBase + i * kPage));
        }
        frames_ = {table_frames_.data(), table_frames_.size(), 0};
        ASSERT_EQ(hal_mmu_space_create(&frames_, &root_), HAL_MMU_OK);
    }

    // Maps pages [va, va + n pages) to data frame `frame` onwards.
    hal_mmu_result Map(uint64_t va, size_t frame, size_t n, uint32_t perms)
    {
        return hal_mmu_map(root_, kAsid, va, paddr_make(kData + frame * kPage), n * kPage, perms,
                           &frames_);
    }

    // The fake RAM byte behind data frame `frame`, offset `off`.
    uint8_t *Data(size_t frame, size_t off = 0)
    {
        return ram_.get() + (kData - kBase) + frame * kPage + off;
    }

    static constexpr uint32_t kAsid = 7;
    struct Free {
        void operator()(uint8_t *p) const
        {
            std::free(p);
        }
    };
    std::unique_ptr<uint8_t, Free> ram_;
    std::vector<paddr_t> table_frames_;
    hal_mmu_frames frames_{};
    paddr_t root_{};
};

} // namespace fake_space
