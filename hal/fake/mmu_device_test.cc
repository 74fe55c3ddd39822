// hal/mmu.h's device mappings (HAL_MMU_DEVICE), through the real
// hal/aarch64 MMU code over fake RAM: the leaf is Device-nGnRE and
// never executable; executable device memory is refused.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "hal/aarch64/pt.h"
#include "hal/addr.h"
#include "hal/fake/mmu_fake.h"
#include "hal/mmu.h"

namespace {

constexpr uint64_t kBase = 0x40000000;
constexpr size_t kPages = 8;
constexpr size_t kPage = HAL_MMU_PAGE_SIZE;
constexpr uint64_t kMmio = 0x09000000; // never touched: only mapped
constexpr uint64_t kVa = 0x200000;

class MmuDeviceTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        std::memset(ram_, 0, sizeof ram_);
        mmu_fake_init(ram_, paddr_make(kBase), sizeof ram_);
        for (size_t i = 0; i < kPages; i++) {
            frames_[i] = paddr_make(kBase + i * kPage);
        }
        ASSERT_EQ(HAL_MMU_OK, hal_mmu_space_create(&pool_, &root_));
    }

    pt_mapping Leaf(uint64_t va)
    {
        pt_mapping m{};
        uint64_t p2v = reinterpret_cast<uintptr_t>(ram_) - kBase;
        EXPECT_EQ(PT_OK, pt_translate(root_, vaddr_make(va), p2v, &m));
        return m;
    }

    alignas(4096) uint8_t ram_[kPages * kPage];
    paddr_t frames_[kPages];
    hal_mmu_frames pool_{frames_, kPages, 0};
    paddr_t root_{};
};

TEST_F(MmuDeviceTest, DeviceMappingIsDeviceMemoryAndNeverExecutable)
{
    ASSERT_EQ(HAL_MMU_OK, hal_mmu_map(root_, 1, kVa, paddr_make(kMmio), kPage,
                                      HAL_MMU_READ | HAL_MMU_WRITE | HAL_MMU_DEVICE, &pool_));
    pt_mapping m = Leaf(kVa);
    EXPECT_EQ(kMmio, m.pa.value);
    EXPECT_EQ(uint32_t{PT_MEM_DEVICE}, m.mem);
    EXPECT_EQ(0u, m.perm & (PT_PERM_EXEC | PT_PERM_USER_EXEC));
    EXPECT_NE(0u, m.perm & PT_PERM_USER);
    // RAM mapped without the bit stays Normal memory.
    ASSERT_EQ(HAL_MMU_OK,
              hal_mmu_map(root_, 1, kVa + kPage, paddr_make(kBase), kPage, HAL_MMU_READ, &pool_));
    EXPECT_EQ(uint32_t{PT_MEM_NORMAL}, Leaf(kVa + kPage).mem);
    // protect keeps the memory type.
    ASSERT_EQ(HAL_MMU_OK, hal_mmu_protect(root_, 1, kVa, kPage, HAL_MMU_READ));
    EXPECT_EQ(uint32_t{PT_MEM_DEVICE}, Leaf(kVa).mem);
    EXPECT_EQ(HAL_MMU_ERR_PERMISSION,
              hal_mmu_protect(root_, 1, kVa, kPage, HAL_MMU_READ | HAL_MMU_EXEC));
}

TEST_F(MmuDeviceTest, ExecutableDeviceMemoryIsRefused)
{
    const size_t used = pool_.used;
    EXPECT_EQ(HAL_MMU_ERR_PERMISSION,
              hal_mmu_map(root_, 1, kVa, paddr_make(kMmio), kPage,
                          HAL_MMU_READ | HAL_MMU_EXEC | HAL_MMU_DEVICE, &pool_));
    EXPECT_EQ(used, pool_.used) << "no table taken";
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, hal_mmu_user_translate(root_, kVa, false, &pa));
    EXPECT_EQ(HAL_MMU_ERR_PERMISSION,
              hal_mmu_map(root_, 1, kVa, paddr_make(kMmio), kPage, HAL_MMU_READ | 0x10u, &pool_))
        << "unknown bits";
}

} // namespace
