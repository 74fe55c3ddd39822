// The loader over fake RAM: segments and stack mapped with their
// permissions and contents, and every refusal (malformed image, bad stack,
// overlaps, memory running out at each page) leaving nothing mapped.

#include "kernel/loader/loader.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "hal/addr.h"
#include "hal/fake/cache_fake.h"
#include "hal/mmu.h"
#include "kernel/abi/status.h"
#include "kernel/elf/elf.h"
#include "kernel/elf/elf_builder.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/vm/fake_ram.h"
#include "kernel/vm/vm.h"
#include "gtest/gtest.h"

namespace {

constexpr uint64_t kPage = HAL_MMU_PAGE_SIZE;
constexpr uint64_t kText = 0x400000;
constexpr uint64_t kData = 0x403000;
constexpr uint64_t kStackTop = 0x7ff0000000;

using elf_builder::Segment;

std::vector<uint8_t> Elf(uint64_t entry, const std::vector<Segment> &segs)
{
    return elf_builder::Build(entry, segs);
}

// Text RX over two pages, data RW with bss over two more.
std::vector<uint8_t> Program()
{
    return Elf(kText + 0x100,
               {{5, 0x1000, kText, 0x1800, 0x1800}, {6, 0x3000, kData, 0x10, 0x2000}});
}

// The table quota of the space loaded into: reserved whole, so it must fit the fake RAM.
constexpr uint32_t kQuota = 64;

class LoaderTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ASSERT_EQ(STATUS_OK, ram_.status);
        vm_ = std::make_unique<struct vm>();
        vm_init(vm_.get());
        ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    }

    status_t Load(const std::vector<uint8_t> &image, uint64_t stack_top = kStackTop,
                  uint32_t stack_pages = 4)
    {
        return loader_load(vm_.get(), &ram_.fa, 0, image.data(), image.size(), stack_top,
                           stack_pages, &result_, &why_);
    }

    hal_mmu_result Translate(uint64_t va, bool write, paddr_t *pa)
    {
        return hal_mmu_user_translate(vm_space_root(vm_.get(), 0), va, write, pa);
    }

    // Expects a refusal that left nothing mapped and no page taken.
    void ExpectRefused(status_t status, const std::vector<uint8_t> &image,
                       uint64_t stack_top = kStackTop, uint32_t stack_pages = 4)
    {
        const uint64_t before = frame_alloc_free_count(&ram_.fa);
        EXPECT_EQ(status, Load(image, stack_top, stack_pages));
        EXPECT_EQ(0u, vm_mapping_count(vm_.get()));
        EXPECT_EQ(0u, vm_anon_count(vm_.get()));
        EXPECT_EQ(before, frame_alloc_free_count(&ram_.fa));
    }

    fake_ram::Ram ram_{512};
    std::unique_ptr<struct vm> vm_;
    loader_result result_{};
    elf_result why_ = ELF_OK;
};

TEST_F(LoaderTest, SegmentsAndStackAreMappedWithTheirContents)
{
    const std::vector<uint8_t> image = Program();
    ASSERT_EQ(STATUS_OK, Load(image));
    EXPECT_EQ(ELF_OK, why_);
    EXPECT_EQ(kText + 0x100, result_.entry);
    EXPECT_EQ(kStackTop, result_.stack);
    EXPECT_EQ(2u + 2u + 4u, result_.pages);
    EXPECT_EQ(8u, vm_anon_count(vm_.get()));

    paddr_t pa{};
    // Text: readable, not writable, its bytes in place.
    for (uint64_t off = 0; off < 0x1800; off += 0x3ff) {
        ASSERT_EQ(HAL_MMU_OK, Translate(kText + off, false, &pa));
        EXPECT_EQ(image[0x1000 + off], *ram_.At(pa)) << off;
    }
    EXPECT_EQ(HAL_MMU_ERR_PERMISSION, Translate(kText, true, &pa));
    // The rest of the text's last page is zero.
    ASSERT_EQ(HAL_MMU_OK, Translate(kText + 0x1800, false, &pa));
    EXPECT_EQ(0, *ram_.At(pa));
    // Data: writable, 16 bytes then zeros to the end of the bss.
    ASSERT_EQ(HAL_MMU_OK, Translate(kData + 5, true, &pa));
    EXPECT_EQ(image[0x3000 + 5], *ram_.At(pa));
    ASSERT_EQ(HAL_MMU_OK, Translate(kData + 0x10, true, &pa));
    EXPECT_EQ(0, *ram_.At(pa));
    ASSERT_EQ(HAL_MMU_OK, Translate(kData + 0x1fff, true, &pa));
    EXPECT_EQ(0, *ram_.At(pa));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(kData + 0x2000, false, &pa));
    // Stack: four RW pages, the guard below unmapped.
    EXPECT_EQ(HAL_MMU_OK, Translate(kStackTop - 1, true, &pa));
    EXPECT_EQ(HAL_MMU_OK, Translate(kStackTop - 4 * kPage, true, &pa));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(kStackTop - 4 * kPage - 1, false, &pa));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(kStackTop, false, &pa));
}

// Every file byte lands at its address and every other byte of the pages is
// zero, wherever the image sits in memory (aligned like the pages or not:
// the copy goes word by word only where both sides allow it) and wherever a
// segment starts and ends within its pages.
TEST_F(LoaderTest, EveryByteLandsWhateverTheAlignment)
{
    std::vector<uint8_t> image = Elf(kText + 0x14, {{5, 0x1013, kText + 0x13, 0x1235, 0x1235},
                                                    {6, 0x3005, kData + 5, 0x7f3, 0x1100}});
    for (size_t i = 0x1000; i < image.size(); i++) {
        image[i] = static_cast<uint8_t>(i * 13 + 1); // no zero bytes in the segments
    }
    for (size_t shift = 0; shift < 8; shift++) {
        SCOPED_TRACE(shift);
        std::vector<uint8_t> buffer(image.size() + 8);
        std::copy(image.begin(), image.end(), buffer.begin() + shift);
        ASSERT_EQ(STATUS_OK, loader_load(vm_.get(), &ram_.fa, 0, buffer.data() + shift,
                                         image.size(), kStackTop, 1, &result_, &why_));
        struct Want {
            uint64_t page, page_end, file, file_end, offset;
        };
        for (const Want &w : {Want{kText, kText + 0x2000, kText + 0x13, kText + 0x1248, 0x1013},
                              Want{kData, kData + 0x2000, kData + 5, kData + 0x7f8, 0x3005}}) {
            for (uint64_t va = w.page; va < w.page_end; va++) {
                paddr_t pa{};
                ASSERT_EQ(HAL_MMU_OK, Translate(va, false, &pa)) << std::hex << va;
                const uint8_t want =
                    va >= w.file && va < w.file_end ? image[w.offset + (va - w.file)] : 0;
                ASSERT_EQ(want, *ram_.At(pa)) << std::hex << va;
            }
        }
        // Unmap everything for the next placement.
        for (uint64_t va = kText; va < kText + 0x2000; va += kPage) {
            ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, va));
        }
        for (uint64_t va = kData; va < kData + 0x2000; va += kPage) {
            ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, va));
        }
        ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, kStackTop - kPage));
    }
}

// Every text page is synchronized for instruction fetch after its bytes
// are written (the clean of each line saw them), and no other page is:
// not the data, the bss or the stack.
TEST_F(LoaderTest, TextPagesAreSynchronizedAfterTheyAreWritten)
{
    const std::vector<uint8_t> image = Program();
    cache_fake_reset();
    ASSERT_EQ(STATUS_OK, Load(image));
    paddr_t text[2];
    ASSERT_EQ(HAL_MMU_OK, Translate(kText, false, &text[0]));
    ASSERT_EQ(HAL_MMU_OK, Translate(kText + kPage, false, &text[1]));

    paddr_t pages[16];
    size_t count = 0;
    ASSERT_EQ(0u, cache_fake_synced_pages(pages, 16, &count)) << "not whole page syncs";
    ASSERT_LE(count, 16u);
    std::vector<uint64_t> synced;
    for (size_t i = 0; i < count; i++) {
        synced.push_back(pages[i].value);
        EXPECT_TRUE(pages[i].value == text[0].value || pages[i].value == text[1].value)
            << "a page that is not text: " << std::hex << pages[i].value;
    }
    // The last sync of each text page came after its bytes were in place:
    // each line's clean saw the bytes the image has there.
    const size_t per_sync = 2 * (kPage / 64) + 3;
    for (int t = 0; t < 2; t++) {
        size_t last = count;
        for (size_t i = 0; i < count; i++) {
            if (pages[i].value == text[t].value) {
                last = i;
            }
        }
        ASSERT_LT(last, count) << "text page " << t << " never synchronized";
        const cache_fake_op *ops = cache_fake_ops() + last * per_sync;
        for (uint64_t line = 0; line < kPage / 64; line++) {
            uint64_t off = t * kPage + line * 64;
            uint64_t want = 0;
            if (off < 0x1800) {
                std::memcpy(&want, &image[0x1000 + off], sizeof want);
            }
            ASSERT_EQ(want, ops[line].data) << "text page " << t << " line " << line;
        }
    }
}

TEST_F(LoaderTest, LoadedPagesKeepTheirElfPermissionsAsTheirCeiling)
{
    ASSERT_EQ(STATUS_OK, Load(Program()));
    constexpr uint32_t R = HAL_MMU_READ;
    constexpr uint32_t W = HAL_MMU_WRITE;
    constexpr uint32_t X = HAL_MMU_EXEC;
    // Text never becomes writable, data and stack never executable.
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, kText, R | W));
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, kData, R | X));
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, kStackTop - kPage, R | X));
    // Narrowing within the ceiling, and back, is allowed.
    EXPECT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, kText, R));
    EXPECT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, kText, R | X));
    EXPECT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, kData, R));
    EXPECT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, kData, R | W));
}

TEST_F(LoaderTest, ExecuteOnlyAndWriteOnlySegmentsAlsoGetRead)
{
    ASSERT_EQ(STATUS_OK,
              Load(Elf(kText, {{1, 0x1000, kText, 0x10, 0x10}, {2, 0x2000, kData, 0x10, 0x10}})));
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_OK, Translate(kText, false, &pa));
    EXPECT_EQ(HAL_MMU_OK, Translate(kData, true, &pa));
}

TEST_F(LoaderTest, MalformedImagesAreRefusedWithTheirNamedError)
{
    std::vector<uint8_t> bad = Program();
    bad[0] = 0;
    ExpectRefused(STATUS_BAD_FORMAT, bad);
    EXPECT_EQ(ELF_ERR_MAGIC, why_);
    // Writable and executable.
    ExpectRefused(STATUS_PERMISSION, Elf(kText, {{7, 0x1000, kText, 0x10, 0x10}}));
    EXPECT_EQ(ELF_ERR_WX, why_);
    // Entry outside every executable segment.
    ExpectRefused(STATUS_OUT_OF_RANGE, Elf(kData, {{5, 0x1000, kText, 0x10, 0x10}}));
    EXPECT_EQ(ELF_ERR_ENTRY_NOT_EXEC, why_);
    // Truncated.
    std::vector<uint8_t> cut = Program();
    cut.resize(100);
    ExpectRefused(STATUS_OUT_OF_RANGE, cut);
    EXPECT_NE(ELF_OK, why_);
}

TEST_F(LoaderTest, BadStacksAreRefused)
{
    const std::vector<uint8_t> image = Program();
    ExpectRefused(STATUS_MISALIGNED, image, kStackTop + 8);
    ExpectRefused(STATUS_INVALID_ARGUMENT, image, kStackTop, 0);
    ExpectRefused(STATUS_INVALID_ARGUMENT, image, kStackTop, LOADER_MAX_STACK_PAGES + 1);
    ExpectRefused(STATUS_OUT_OF_RANGE, image, HAL_MMU_USER_TOP + kPage);
    ExpectRefused(STATUS_OUT_OF_RANGE, image, 4 * kPage); // no room for the guard page
    EXPECT_EQ(ELF_OK, why_);
    // The stack, or its guard page, over a segment.
    ExpectRefused(STATUS_ALREADY_MAPPED, image, kData + kPage, 1);
    // The stack fits in the gap between text and data; its guard is the text's last page.
    ExpectRefused(STATUS_ALREADY_MAPPED, image, kText + 3 * kPage, 1);
    EXPECT_EQ(STATUS_OK, Load(image, kText + 7 * kPage, 1)); // just clear of the data
}

// loader_check finds, without a space or a page, every refusal loader_load
// makes on an empty space, with the same status; what it accepts loads.
TEST_F(LoaderTest, CheckFindsEveryRefusalOfTheLoadFirst)
{
    struct Case {
        std::vector<uint8_t> image;
        uint64_t stack_top;
        uint32_t stack_pages;
    };
    std::vector<uint8_t> bad_magic = Program();
    bad_magic[0] = 0;
    const std::vector<Case> cases = {
        {Program(), kStackTop, 4},
        {bad_magic, kStackTop, 4},
        {Elf(kText, {{7, 0x1000, kText, 0x10, 0x10}}), kStackTop, 4}, // W+X
        {Program(), kStackTop + 8, 4},
        {Program(), kStackTop, 0},
        {Program(), kStackTop, LOADER_MAX_STACK_PAGES + 1},
        {Program(), HAL_MMU_USER_TOP + kPage, 4},
        {Program(), 4 * kPage, 4},
        {Program(), kData + kPage, 1},     // the stack over the data
        {Program(), kText + 3 * kPage, 1}, // the guard page over the text
        {Program(), kText + 7 * kPage, 1}, // just clear
        // A segment inside the stack, and one inside its guard page.
        {Elf(kStackTop - kPage, {{5, 0x1000, kStackTop - kPage, 0x10, 0x10}}), kStackTop, 4},
        {Elf(kStackTop - 5 * kPage, {{5, 0x1000, kStackTop - 5 * kPage, 0x10, 0x10}}), kStackTop,
         4},
        // A segment right above the stack top, and one right below the guard.
        {Elf(kStackTop, {{5, 0x1000, kStackTop, 0x10, 0x10}}), kStackTop, 4},
        {Elf(kStackTop - 6 * kPage, {{5, 0x1000, kStackTop - 6 * kPage, 0x10, 0x10}}), kStackTop,
         4},
    };
    for (size_t i = 0; i < cases.size(); i++) {
        const Case &c = cases[i];
        elf_image elf{};
        elf.entry = 0x1234;
        elf_result why = ELF_ERR_NULL;
        const status_t checked =
            loader_check(c.image.data(), c.image.size(), c.stack_top, c.stack_pages, &elf, &why);
        if (checked != STATUS_OK) {
            if (checked != STATUS_ALREADY_MAPPED) {
                EXPECT_EQ(0x1234u, elf.entry) << "case " << i << ": *elf written on a refusal";
            }
            ExpectRefused(checked, c.image, c.stack_top, c.stack_pages);
            EXPECT_EQ(why, why_) << "case " << i;
            continue;
        }
        EXPECT_EQ(ELF_OK, why) << "case " << i;
        EXPECT_NE(0u, elf.segment_count) << "case " << i;
        ASSERT_EQ(STATUS_OK, Load(c.image, c.stack_top, c.stack_pages)) << "case " << i;
        EXPECT_EQ(elf.entry, result_.entry) << "case " << i;
        // Start the next case from an empty space.
        ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
        ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    }
    const std::vector<uint8_t> image = Program();
    elf_image elf{};
    elf_result why = ELF_OK;
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, loader_check(nullptr, 0, kStackTop, 1, &elf, &why));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              loader_check(image.data(), image.size(), kStackTop, 1, nullptr, &why));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              loader_check(image.data(), image.size(), kStackTop, 1, &elf, nullptr));
}

TEST_F(LoaderTest, ArgumentErrors)
{
    const std::vector<uint8_t> image = Program();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, loader_load(nullptr, &ram_.fa, 0, image.data(), image.size(),
                                                   kStackTop, 1, &result_, &why_))
        << "elf " << why_;
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, loader_load(vm_.get(), nullptr, 0, image.data(),
                                                   image.size(), kStackTop, 1, &result_, &why_));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, loader_load(vm_.get(), &ram_.fa, 1, image.data(),
                                                   image.size(), kStackTop, 1, &result_, &why_));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              loader_load(vm_.get(), &ram_.fa, 0, nullptr, 0, kStackTop, 1, &result_, &why_));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, loader_load(vm_.get(), &ram_.fa, 0, image.data(),
                                                   image.size(), kStackTop, 1, nullptr, &why_));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, loader_load(vm_.get(), &ram_.fa, 0, image.data(),
                                                   image.size(), kStackTop, 1, &result_, nullptr));
    EXPECT_EQ(0u, vm_mapping_count(vm_.get()));
}

TEST_F(LoaderTest, APageMappedAlreadyUndoesTheLoad)
{
    paddr_t pa{};
    ASSERT_EQ(STATUS_OK, vm_map_anon(vm_.get(), &ram_.fa, 0, kStackTop - kPage, HAL_MMU_READ, &pa));
    const uint64_t before = frame_alloc_free_count(&ram_.fa);
    const uint32_t tables = vm_->spaces[0].tables;
    EXPECT_EQ(STATUS_ALREADY_MAPPED, Load(Program()));
    EXPECT_EQ(1u, vm_mapping_count(vm_.get())) << "only the page that was there";
    EXPECT_EQ(before, frame_alloc_free_count(&ram_.fa) + (vm_->spaces[0].tables - tables));
}

// The load's pages come from the allocator's unreserved frames, its tables
// from the space's reservation: memory running out at each page undoes the
// load, and the tables and record pages it took stay in the space
// (charged, reusable), not in the shared pool.
TEST_F(LoaderTest, RunningOutOfMemoryAtEachPageUndoesTheLoad)
{
    const std::vector<uint8_t> image = Program();
    // Find what a successful load takes, on a fresh space each time.
    const uint64_t available_start = frame_alloc_available_count(&ram_.fa);
    ASSERT_EQ(STATUS_OK, Load(image));
    const uint64_t needed = available_start - frame_alloc_available_count(&ram_.fa);
    EXPECT_EQ(result_.pages, needed) << "the pages only: tables and records are reserved";
    EXPECT_EQ(kQuota - vm_->spaces[0].tables - vm_->spaces[0].record_pages,
              frame_alloc_reserved_count(&ram_.fa));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    for (uint64_t budget = 0; budget < needed; budget++) {
        ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
        std::vector<paddr_t> taken;
        while (frame_alloc_available_count(&ram_.fa) > budget) {
            paddr_t pa{};
            ASSERT_EQ(STATUS_OK, frame_alloc_one(&ram_.fa, &pa));
            taken.push_back(pa);
        }
        EXPECT_EQ(STATUS_NO_MEMORY, Load(image)) << "budget " << budget;
        EXPECT_EQ(0u, vm_mapping_count(vm_.get())) << "budget " << budget;
        EXPECT_EQ(0u, vm_anon_count(vm_.get()));
        // Every page is back; only tables and record pages stay, with the
        // space and out of its reservation.
        EXPECT_EQ(budget, frame_alloc_available_count(&ram_.fa)) << "budget " << budget;
        EXPECT_EQ(kQuota - vm_->spaces[0].tables - vm_->spaces[0].record_pages,
                  frame_alloc_reserved_count(&ram_.fa));
        ASSERT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
        for (paddr_t pa : taken) {
            ASSERT_EQ(STATUS_OK, frame_alloc_free(&ram_.fa, pa));
        }
        ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    }
    EXPECT_EQ(available_start + kQuota, frame_alloc_available_count(&ram_.fa))
        << "nothing leaked (no space now)";
    EXPECT_EQ(0u, frame_alloc_reserved_count(&ram_.fa));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
}

} // namespace
