// Tests for kernel/mm/frame_alloc: exact counts for 128 MiB, 1 GiB and 4 GiB,
// RAM with holes, exhaustion and back, every error of init and free, and the
// edge cases of trimming RAM and widening reserved ranges.
//
// RAM is fake: the allocator only dereferences its bookkeeping, at physical +
// phys_to_virt. Each test backs just the part of its RAM where the bookkeeping
// goes with a poisoned heap buffer (phys_to_virt = buffer - fake base) and
// checks that nothing outside the bookkeeping was written.

#include "kernel/mm/frame_alloc.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "gtest/gtest.h"

namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;
constexpr uint64_t kFrame = FRAME_SIZE;
constexpr uint64_t kRamBase = 0x40000000;
constexpr unsigned char kPoison = 0xa5;

/** QEMU virt's layout: the blob at the start of RAM, the image at +1 MiB. */
constexpr frame_range kDtb = {{kRamBase}, 64 * kKiB};
constexpr frame_range kImage = {{kRamBase + 1 * kMiB}, 2 * kMiB};

frame_range Range(uint64_t base, uint64_t size)
{
    return frame_range{paddr_make(base), size};
}

/** A heap buffer standing for the fake physical range [base, base + bytes). */
class FakeRam {
  public:
    FakeRam(uint64_t base, uint64_t bytes)
        : base_(base), bytes_(bytes),
          buffer_(static_cast<unsigned char *>(std::aligned_alloc(kFrame, bytes)))
    {
        std::fill(buffer_, buffer_ + bytes_, kPoison);
    }
    ~FakeRam()
    {
        std::free(buffer_);
    }
    FakeRam(const FakeRam &) = delete;
    FakeRam &operator=(const FakeRam &) = delete;

    /** The offset the allocator adds to a physical address (modulo 2^64). */
    uint64_t PhysToVirt() const
    {
        return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(buffer_)) - base_;
    }

    /** Whether every byte outside physical range r still holds the poison. */
    bool UntouchedOutside(const frame_range &r) const
    {
        for (uint64_t i = 0; i < bytes_; i++) {
            uint64_t pa = base_ + i;
            bool inside = pa >= r.base.value && pa - r.base.value < r.size;
            if (!inside && buffer_[i] != kPoison) {
                return false;
            }
        }
        return true;
    }

  private:
    uint64_t base_;
    uint64_t bytes_;
    unsigned char *buffer_;
};

/** Whether the frame at pa lies wholly inside r. */
bool FrameInside(uint64_t pa, const frame_range &r)
{
    return r.size != 0 && pa >= r.base.value && pa + (kFrame - 1) <= r.base.value + (r.size - 1);
}

/** Whether the frame at pa shares a byte with r. */
bool FrameTouches(uint64_t pa, const frame_range &r)
{
    return r.size != 0 && pa <= r.base.value + (r.size - 1) && r.base.value <= pa + (kFrame - 1);
}

status_t Init(frame_alloc *fa, const std::vector<frame_range> &ram,
              const std::vector<frame_range> &reserved, const FakeRam &mem)
{
    return frame_alloc_init(fa, ram.data(), ram.size(), reserved.data(), reserved.size(),
                            mem.PhysToVirt());
}

/** Allocates until STATUS_NO_MEMORY, checking each frame: aligned, wholly in RAM, touching
 * no reserved range nor the bookkeeping, returned once. Returns the frames. */
std::vector<uint64_t> AllocAll(frame_alloc *fa, const std::vector<frame_range> &ram,
                               const std::vector<frame_range> &reserved)
{
    std::vector<uint64_t> frames;
    frame_range meta = frame_alloc_bookkeeping(fa);
    paddr_t pa;
    while (frame_alloc_one(fa, &pa) == STATUS_OK) {
        frames.push_back(pa.value);
        EXPECT_EQ(pa.value % kFrame, 0u);
        EXPECT_TRUE(std::any_of(ram.begin(), ram.end(),
                                [&](const frame_range &r) { return FrameInside(pa.value, r); }))
            << std::hex << pa.value;
        EXPECT_FALSE(std::any_of(reserved.begin(), reserved.end(),
                                 [&](const frame_range &r) { return FrameTouches(pa.value, r); }))
            << std::hex << pa.value;
        EXPECT_FALSE(FrameTouches(pa.value, meta)) << std::hex << pa.value;
    }
    EXPECT_EQ(frame_alloc_one(fa, &pa), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_free_count(fa), 0u);
    std::vector<uint64_t> sorted = frames;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "duplicate";
    return frames;
}

void FreeAll(frame_alloc *fa, const std::vector<uint64_t> &frames)
{
    for (uint64_t f : frames) {
        ASSERT_EQ(frame_alloc_free(fa, paddr_make(f)), STATUS_OK) << std::hex << f;
    }
}

/** One of the board-sized configurations: RAM size and its bookkeeping size. */
struct Size {
    uint64_t ram;
    uint64_t bookkeeping;
};

class FrameAllocSizeTest : public testing::TestWithParam<Size> {};

// QEMU's layout with 128 MiB, 1 GiB and 4 GiB: exact counts, exhaustion,
// full release and a second exhaustion. Only the first MiB is backed.
TEST_P(FrameAllocSizeTest, CountsAllocateAllFreeAll)
{
    const Size size = GetParam();
    FakeRam mem(kRamBase, 1 * kMiB);
    std::vector<frame_range> ram = {Range(kRamBase, size.ram)};
    std::vector<frame_range> reserved = {kDtb, kImage};
    frame_alloc fa;
    ASSERT_EQ(Init(&fa, ram, reserved, mem), STATUS_OK);

    frame_range meta = frame_alloc_bookkeeping(&fa);
    EXPECT_EQ(meta.base.value, kDtb.base.value + kDtb.size); // first free frame
    EXPECT_EQ(meta.size, size.bookkeeping);
    uint64_t expected = (size.ram - kDtb.size - kImage.size - size.bookkeeping) / kFrame;
    EXPECT_EQ(frame_alloc_total_count(&fa), expected);
    EXPECT_EQ(frame_alloc_free_count(&fa), expected);
    EXPECT_TRUE(mem.UntouchedOutside(meta));

    std::vector<uint64_t> frames = AllocAll(&fa, ram, reserved);
    EXPECT_EQ(frames.size(), expected);
    FreeAll(&fa, frames);
    EXPECT_EQ(frame_alloc_free_count(&fa), expected);
    EXPECT_EQ(frame_alloc_total_count(&fa), expected);
    EXPECT_EQ(AllocAll(&fa, ram, reserved).size(), expected);
    EXPECT_TRUE(mem.UntouchedOutside(meta));
}

// Bookkeeping: 2 bitmaps * frames / 8 bits, rounded up to a frame.
INSTANTIATE_TEST_SUITE_P(Sizes, FrameAllocSizeTest,
                         testing::Values(Size{128 * kMiB, 8 * kKiB}, Size{1 * kGiB, 64 * kKiB},
                                         Size{4 * kGiB, 256 * kKiB}));

/** A 1 MiB RAM at kRamBase, wholly backed: 256 frames, 1 frame of bookkeeping. */
class FrameAllocSmallTest : public testing::Test {
  protected:
    FakeRam mem_{kRamBase, 1 * kMiB};
    std::vector<frame_range> ram_ = {Range(kRamBase, 1 * kMiB)};
    frame_alloc fa_;

    /** Inits with reserved; expects success, the bookkeeping at meta and total frames. */
    void InitExpect(const std::vector<frame_range> &reserved, uint64_t meta, uint64_t total)
    {
        ASSERT_EQ(Init(&fa_, ram_, reserved, mem_), STATUS_OK);
        EXPECT_EQ(frame_alloc_bookkeeping(&fa_).base.value, meta);
        EXPECT_EQ(frame_alloc_bookkeeping(&fa_).size, kFrame);
        EXPECT_EQ(frame_alloc_total_count(&fa_), total);
        EXPECT_EQ(AllocAll(&fa_, ram_, reserved).size(), total);
        EXPECT_TRUE(mem_.UntouchedOutside(frame_alloc_bookkeeping(&fa_)));
    }
};

TEST_F(FrameAllocSmallTest, NoReservedRanges)
{
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    EXPECT_EQ(frame_alloc_bookkeeping(&fa_).base.value, kRamBase);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 255u);
    // A null reserved array is fine when it is empty.
    EXPECT_EQ(frame_alloc_init(&fa_, ram_.data(), 1, nullptr, 0, mem_.PhysToVirt()), STATUS_OK);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 255u);
}

TEST_F(FrameAllocSmallTest, ReservedCrossingRamEdgesOutsideAndEmpty)
{
    InitExpect({Range(kRamBase - 64 * kKiB, 128 * kKiB),             // 16 frames inside
                Range(kRamBase + 1 * kMiB - 32 * kKiB, 1 * kMiB),    // 8 frames inside
                Range(0x1000, 0x1000), Range(0x50000000, 0x1000),    // wholly outside
                Range(kRamBase + 0x50000, 0), Range(UINT64_MAX, 0)}, // empty: ignored
               kRamBase + 64 * kKiB, 256 - 16 - 8 - 1);
}

TEST_F(FrameAllocSmallTest, ReservedOverlappingEachOther)
{
    InitExpect({Range(kRamBase, 0x8000), Range(kRamBase + 0x4000, 0x8000),
                Range(kRamBase + 0x2000, 0x1000), Range(kRamBase, 0x8000)},
               kRamBase + 0xc000, 256 - 12 - 1);
}

TEST_F(FrameAllocSmallTest, ReservedUnalignedIsWidened)
{
    // Frame 0 for 0x100 bytes inside it; frames 1 and 2 for 2 bytes across them.
    InitExpect({Range(kRamBase + 0x800, 0x100), Range(kRamBase + 0x1fff, 2)}, kRamBase + 0x3000,
               256 - 3 - 1);
    EXPECT_EQ(frame_alloc_free(&fa_, paddr_make(kRamBase + 0x2000)), STATUS_RESERVED);
}

TEST_F(FrameAllocSmallTest, FreeErrorsHaveNoEffect)
{
    std::vector<frame_range> reserved = {Range(kRamBase, 0x2000)}; // "the image"
    ASSERT_EQ(Init(&fa_, ram_, reserved, mem_), STATUS_OK);
    paddr_t a;
    ASSERT_EQ(frame_alloc_one(&fa_, &a), STATUS_OK);
    uint64_t free_before = frame_alloc_free_count(&fa_);
    const struct {
        uint64_t pa;
        status_t status;
    } cases[] = {
        {a.value + 1, STATUS_MISALIGNED},
        {a.value + 0x800, STATUS_MISALIGNED},
        {UINT64_MAX, STATUS_MISALIGNED},
        {kRamBase - kFrame, STATUS_OUT_OF_RANGE},
        {0, STATUS_OUT_OF_RANGE},
        {kRamBase + 1 * kMiB, STATUS_OUT_OF_RANGE},
        {UINT64_MAX & ~(kFrame - 1), STATUS_OUT_OF_RANGE},
        {kRamBase, STATUS_RESERVED},          // reserved, first frame
        {kRamBase + kFrame, STATUS_RESERVED}, // reserved, last frame
        {frame_alloc_bookkeeping(&fa_).base.value, STATUS_RESERVED},
        {a.value + kFrame, STATUS_NOT_ALLOCATED}, // never allocated
    };
    for (const auto &c : cases) {
        EXPECT_EQ(frame_alloc_free(&fa_, paddr_make(c.pa)), c.status) << std::hex << c.pa;
        EXPECT_EQ(frame_alloc_free_count(&fa_), free_before);
    }
    EXPECT_EQ(frame_alloc_free(&fa_, a), STATUS_OK);
    EXPECT_EQ(frame_alloc_free_count(&fa_), free_before + 1);
    EXPECT_EQ(frame_alloc_free(&fa_, a), STATUS_NOT_ALLOCATED); // double free
    EXPECT_EQ(frame_alloc_free_count(&fa_), free_before + 1);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 256u - 2 - 1);
    EXPECT_EQ(AllocAll(&fa_, ram_, reserved).size(), 256u - 2 - 1);
}

// Reservations are counted, not taken: frame_alloc_one leaves the last
// `reserved` free frames, only frame_alloc_one_reserved takes them, and
// free = reserved + available throughout.
TEST_F(FrameAllocSmallTest, ReservedFramesAreOnlyForTheirReservation)
{
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    const uint64_t total = frame_alloc_total_count(&fa_);
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 0u);
    EXPECT_EQ(frame_alloc_available_count(&fa_), total);
    ASSERT_EQ(frame_alloc_reserve(&fa_, 10), STATUS_OK);
    EXPECT_EQ(frame_alloc_free_count(&fa_), total) << "nothing taken";
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 10u);
    EXPECT_EQ(frame_alloc_available_count(&fa_), total - 10);
    // Everyone else can take only the rest.
    std::vector<paddr_t> others;
    paddr_t pa;
    while (frame_alloc_one(&fa_, &pa) == STATUS_OK) {
        others.push_back(pa);
    }
    EXPECT_EQ(others.size(), total - 10);
    EXPECT_EQ(frame_alloc_free_count(&fa_), 10u);
    EXPECT_EQ(frame_alloc_available_count(&fa_), 0u);
    // A new reservation cannot be covered: refused, nothing changed.
    EXPECT_EQ(frame_alloc_reserve(&fa_, 1), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 10u);
    // The reservation's owner still gets its frames, each spending one.
    std::vector<paddr_t> mine;
    for (int i = 0; i < 10; i++) {
        ASSERT_EQ(frame_alloc_one_reserved(&fa_, &pa), STATUS_OK) << i;
        mine.push_back(pa);
    }
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 0u);
    EXPECT_EQ(frame_alloc_free_count(&fa_), 0u);
    pa = paddr_make(0x1234);
    EXPECT_EQ(frame_alloc_one_reserved(&fa_, &pa), STATUS_NO_MEMORY);
    EXPECT_EQ(pa.value, 0x1234u) << "*out unchanged";
    // Given back into the reservation: not available to others.
    ASSERT_EQ(frame_alloc_free_reserved(&fa_, mine.back()), STATUS_OK);
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 1u);
    EXPECT_EQ(frame_alloc_free_count(&fa_), 1u);
    EXPECT_EQ(frame_alloc_one(&fa_, &pa), STATUS_NO_MEMORY);
    // A bad free into the reservation changes nothing.
    EXPECT_EQ(frame_alloc_free_reserved(&fa_, mine.back()), STATUS_NOT_ALLOCATED);
    EXPECT_EQ(frame_alloc_free_reserved(&fa_, paddr_make(mine[0].value + 1)), STATUS_MISALIGNED);
    EXPECT_EQ(frame_alloc_free_reserved(nullptr, mine[0]), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 1u);
    EXPECT_EQ(frame_alloc_free_count(&fa_), 1u);
    // Ending more than is reserved is refused; ending it makes the frame available.
    EXPECT_EQ(frame_alloc_unreserve(&fa_, 2), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 1u);
    ASSERT_EQ(frame_alloc_unreserve(&fa_, 1), STATUS_OK);
    EXPECT_EQ(frame_alloc_available_count(&fa_), 1u);
    EXPECT_EQ(frame_alloc_one(&fa_, &pa), STATUS_OK);
    EXPECT_EQ(pa.value, mine.back().value);
    mine.back() = pa;
    for (paddr_t p : others) {
        ASSERT_EQ(frame_alloc_free(&fa_, p), STATUS_OK);
    }
    for (paddr_t p : mine) {
        ASSERT_EQ(frame_alloc_free(&fa_, p), STATUS_OK);
    }
    EXPECT_EQ(frame_alloc_free_count(&fa_), total);
    EXPECT_EQ(frame_alloc_available_count(&fa_), total);
}

TEST_F(FrameAllocSmallTest, ReservationErrorsHaveNoEffect)
{
    paddr_t pa;
    EXPECT_EQ(frame_alloc_reserve(nullptr, 1), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_unreserve(nullptr, 0), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_one_reserved(nullptr, &pa), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_reserved_count(nullptr), 0u);
    EXPECT_EQ(frame_alloc_available_count(nullptr), 0u);
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    const uint64_t total = frame_alloc_total_count(&fa_);
    EXPECT_EQ(frame_alloc_one_reserved(&fa_, nullptr), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_reserve(&fa_, total + 1), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_reserve(&fa_, UINT64_MAX), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), 0u);
    ASSERT_EQ(frame_alloc_reserve(&fa_, total), STATUS_OK);
    EXPECT_EQ(frame_alloc_available_count(&fa_), 0u);
    EXPECT_EQ(frame_alloc_one(&fa_, &pa), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_reserve(&fa_, 1), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_reserve(&fa_, 0), STATUS_OK);
    EXPECT_EQ(frame_alloc_unreserve(&fa_, total + 1), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_reserved_count(&fa_), total);
    EXPECT_EQ(frame_alloc_free_count(&fa_), total);
    ASSERT_EQ(frame_alloc_unreserve(&fa_, total), STATUS_OK);
    EXPECT_EQ(frame_alloc_available_count(&fa_), total);
}

// Next fit: a frame freed behind the cursor comes back only after wrapping.
TEST_F(FrameAllocSmallTest, NextFitWrapsAround)
{
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    std::vector<uint64_t> frames = AllocAll(&fa_, ram_, {});
    ASSERT_EQ(frames.size(), 255u);
    uint64_t early = kRamBase + 5 * kFrame;           // word 0
    uint64_t late = kRamBase + 1 * kMiB - 3 * kFrame; // the last word, where the cursor is
    ASSERT_EQ(frame_alloc_free(&fa_, paddr_make(early)), STATUS_OK);
    ASSERT_EQ(frame_alloc_free(&fa_, paddr_make(late)), STATUS_OK);
    paddr_t pa;
    ASSERT_EQ(frame_alloc_one(&fa_, &pa), STATUS_OK);
    EXPECT_EQ(pa.value, late);
    ASSERT_EQ(frame_alloc_one(&fa_, &pa), STATUS_OK);
    EXPECT_EQ(pa.value, early);
}

TEST_F(FrameAllocSmallTest, UnalignedRamIsTrimmed)
{
    ram_ = {Range(kRamBase + 0x800, 1 * kMiB - 0x1000)}; // ends at +0xff800
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    EXPECT_EQ(frame_alloc_bookkeeping(&fa_).base.value, kRamBase + kFrame);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 254u - 1);
    EXPECT_EQ(frame_alloc_free(&fa_, paddr_make(kRamBase)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free(&fa_, paddr_make(kRamBase + 0xff000)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(AllocAll(&fa_, ram_, {}).size(), 253u);
}

TEST_F(FrameAllocSmallTest, RamSmallerThanAFrameIsIgnored)
{
    ram_.push_back(Range(0x50000800, 0x800));  // inside one frame
    ram_.push_back(Range(0x60000800, 0x1000)); // across two, whole in neither
    ram_.push_back(Range(0x70000000, 0));      // empty
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    // The span (and so the bookkeeping) ignores them: one frame, not several.
    EXPECT_EQ(frame_alloc_bookkeeping(&fa_).size, kFrame);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 255u);
    EXPECT_EQ(frame_alloc_free(&fa_, paddr_make(0x50000000)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free(&fa_, paddr_make(0x60001000)), STATUS_OUT_OF_RANGE);
    std::vector<frame_range> tiny = {Range(0x50000800, 0x800), Range(0x60000000, 0)};
    EXPECT_EQ(Init(&fa_, tiny, {}, mem_), STATUS_NO_MEMORY);
}

TEST_F(FrameAllocSmallTest, TouchingRamRangesAreAccepted)
{
    ram_ = {Range(kRamBase + 512 * kKiB, 512 * kKiB), Range(kRamBase, 512 * kKiB)};
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 255u);
    EXPECT_EQ(AllocAll(&fa_, ram_, {}).size(), 255u);
}

TEST_F(FrameAllocSmallTest, OverlappingRamIsInvalid)
{
    const std::vector<frame_range> cases[] = {
        {Range(kRamBase, 1 * kMiB), Range(kRamBase + 1 * kMiB - 1, 2)},
        {Range(kRamBase, 1 * kMiB), Range(kRamBase, 1 * kMiB)},
        {Range(kRamBase + kFrame, kFrame), Range(kRamBase, 1 * kMiB)},
        {Range(0x80000000, kFrame), Range(kRamBase, 1 * kMiB), Range(0x80000fff, 1)},
    };
    for (const auto &ram : cases) {
        EXPECT_EQ(Init(&fa_, ram, {}, mem_), STATUS_INVALID_ARGUMENT);
    }
    EXPECT_TRUE(mem_.UntouchedOutside(Range(0, 0)));
}

TEST_F(FrameAllocSmallTest, OverflowingRangesAreInvalid)
{
    std::vector<frame_range> wraps = {Range(UINT64_MAX - 0xfff, 0x2000)};
    EXPECT_EQ(Init(&fa_, wraps, {}, mem_), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(Init(&fa_, {Range(kRamBase, 1 * kMiB), Range(UINT64_MAX, 2)}, {}, mem_),
              STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(Init(&fa_, ram_, {Range(UINT64_MAX - 0xfff, 0x1001)}, mem_), STATUS_INVALID_ARGUMENT);
    // The largest sizes that do not wrap are fine (as reserved: all of memory).
    EXPECT_EQ(Init(&fa_, ram_, {Range(0, UINT64_MAX)}, mem_), STATUS_NO_MEMORY);
    EXPECT_EQ(Init(&fa_, ram_, {Range(1, UINT64_MAX)}, mem_), STATUS_NO_MEMORY);
    EXPECT_TRUE(mem_.UntouchedOutside(Range(0, 0)));
}

TEST_F(FrameAllocSmallTest, EverythingReservedIsNoMemory)
{
    EXPECT_EQ(Init(&fa_, ram_, {Range(kRamBase, 1 * kMiB)}, mem_), STATUS_NO_MEMORY);
    // One frame left: the bookkeeping takes it, none is left to hand out.
    EXPECT_EQ(Init(&fa_, ram_, {Range(kRamBase + kFrame, 1 * kMiB)}, mem_), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 0u);
    // Two frames left: one for the bookkeeping, one to hand out.
    ASSERT_EQ(Init(&fa_, ram_, {Range(kRamBase + 2 * kFrame, 1 * kMiB)}, mem_), STATUS_OK);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 1u);
    paddr_t pa;
    ASSERT_EQ(frame_alloc_one(&fa_, &pa), STATUS_OK);
    EXPECT_EQ(pa.value, kRamBase + kFrame);
    EXPECT_EQ(frame_alloc_one(&fa_, &pa), STATUS_NO_MEMORY);
    EXPECT_EQ(pa.value, kRamBase + kFrame); // unchanged
}

TEST_F(FrameAllocSmallTest, BadArgumentsAreInvalid)
{
    frame_range nine[FRAME_MAX_RANGES + 1]; // one more than the most: refused before any write
    for (int i = 0; i < FRAME_MAX_RANGES + 1; i++) {
        nine[i] = Range(kRamBase + static_cast<uint64_t>(i) * 2 * kFrame, kFrame);
    }
    uint64_t p2v = mem_.PhysToVirt();
    EXPECT_EQ(frame_alloc_init(nullptr, ram_.data(), 1, nullptr, 0, p2v), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_init(&fa_, nullptr, 1, nullptr, 0, p2v), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_init(&fa_, ram_.data(), 0, nullptr, 0, p2v), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_init(&fa_, nine, FRAME_MAX_RANGES + 1, nullptr, 0, p2v),
              STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_init(&fa_, ram_.data(), 1, nullptr, 1, p2v), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_init(&fa_, nine, 8, nullptr, 0, p2v), STATUS_OK);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 8u - 1);

    paddr_t pa;
    EXPECT_EQ(frame_alloc_one(nullptr, &pa), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_one(&fa_, nullptr), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_free(nullptr, paddr_make(kRamBase)), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(frame_alloc_free_count(nullptr), 0u);
    EXPECT_EQ(frame_alloc_total_count(nullptr), 0u);
    EXPECT_EQ(frame_alloc_bookkeeping(nullptr).size, 0u);
}

// A failed init leaves the allocator empty, not half set up.
TEST_F(FrameAllocSmallTest, FailedInitLeavesAllocatorEmpty)
{
    ASSERT_EQ(Init(&fa_, ram_, {}, mem_), STATUS_OK);
    EXPECT_EQ(Init(&fa_, {}, {}, mem_), STATUS_INVALID_ARGUMENT);
    paddr_t pa = paddr_make(1);
    EXPECT_EQ(frame_alloc_one(&fa_, &pa), STATUS_NO_MEMORY);
    EXPECT_EQ(pa.value, 1u);
    EXPECT_EQ(frame_alloc_free(&fa_, paddr_make(kRamBase + kFrame)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free_count(&fa_), 0u);
    EXPECT_EQ(frame_alloc_total_count(&fa_), 0u);
    EXPECT_EQ(frame_alloc_bookkeeping(&fa_).size, 0u);
}

// Two ranges with a hole, given high first: 256 MiB at 1 GiB and 256 MiB at 2 GiB.
TEST(FrameAllocTest, TwoRangesWithAHole)
{
    FakeRam mem(kRamBase, 1 * kMiB);
    std::vector<frame_range> ram = {Range(0x80000000, 256 * kMiB), Range(kRamBase, 256 * kMiB)};
    std::vector<frame_range> reserved = {kDtb, kImage};
    frame_alloc fa;
    ASSERT_EQ(Init(&fa, ram, reserved, mem), STATUS_OK);
    // Span 1.25 GiB = 327680 frames: 2 bitmaps of 40 KiB.
    EXPECT_EQ(frame_alloc_bookkeeping(&fa).base.value, kRamBase + kDtb.size);
    EXPECT_EQ(frame_alloc_bookkeeping(&fa).size, 80 * kKiB);
    uint64_t expected = 2 * 65536 - 16 - 512 - 20;
    EXPECT_EQ(frame_alloc_total_count(&fa), expected);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0x60000000)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0x50000000)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0x7ffff000)), STATUS_OUT_OF_RANGE);
    std::vector<uint64_t> frames = AllocAll(&fa, ram, reserved);
    EXPECT_EQ(frames.size(), expected);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0x60000000)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0x80000000)), STATUS_OK);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0x8ffff000)), STATUS_OK);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0x90000000)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free_count(&fa), 2u);
    EXPECT_TRUE(mem.UntouchedOutside(frame_alloc_bookkeeping(&fa)));
}

// The bookkeeping skips a RAM range too small for it and a reserved run.
TEST(FrameAllocTest, BookkeepingSkipsRunsTooSmall)
{
    constexpr uint64_t kHigh = 0x48000000;
    FakeRam mem(kHigh, 1 * kMiB); // the low range is never touched
    std::vector<frame_range> ram = {Range(kRamBase, kFrame), Range(kHigh, 1 * kMiB)};
    std::vector<frame_range> reserved = {Range(kHigh, 4 * kFrame),
                                         Range(kHigh + 6 * kFrame, kFrame)};
    frame_alloc fa;
    ASSERT_EQ(Init(&fa, ram, reserved, mem), STATUS_OK);
    // Span 0x8100000 bytes = 33024 frames = 516 words per bitmap: 8256 bytes, 3 frames.
    // Frames 4-5 of the high range are too few; the run starts at frame 7.
    EXPECT_EQ(frame_alloc_bookkeeping(&fa).base.value, kHigh + 7 * kFrame);
    EXPECT_EQ(frame_alloc_bookkeeping(&fa).size, 3 * kFrame);
    EXPECT_EQ(frame_alloc_total_count(&fa), 1u + 256 - 5 - 3);
    EXPECT_EQ(AllocAll(&fa, ram, reserved).size(), 1u + 256 - 5 - 3);
    EXPECT_TRUE(mem.UntouchedOutside(frame_alloc_bookkeeping(&fa)));
}

// Free frames exist, but no run of them is long enough for the bookkeeping.
TEST(FrameAllocTest, NoRunForBookkeepingIsNoMemory)
{
    FakeRam mem(kRamBase, 1 * kMiB);
    // 1 GiB needs 16 frames of bookkeeping; leave 8 free at each end.
    std::vector<frame_range> ram = {Range(kRamBase, 1 * kGiB)};
    std::vector<frame_range> reserved = {Range(kRamBase + 8 * kFrame, 1 * kGiB - 16 * kFrame)};
    frame_alloc fa;
    EXPECT_EQ(Init(&fa, ram, reserved, mem), STATUS_NO_MEMORY);
    EXPECT_EQ(frame_alloc_total_count(&fa), 0u);
    EXPECT_TRUE(mem.UntouchedOutside(Range(0, 0)));
}

// RAM ending exactly at 2^64: nothing wraps, the top frame is handed out.
TEST(FrameAllocTest, RamEndingAtTopOfAddressSpace)
{
    constexpr uint64_t kTop = 0 - 1 * kMiB; // 2^64 - 1 MiB
    FakeRam mem(kTop, 1 * kMiB);
    std::vector<frame_range> ram = {Range(kTop, 1 * kMiB)};
    std::vector<frame_range> reserved = {Range(UINT64_MAX - 0xff, 0x100)}; // the top frame
    frame_alloc fa;
    ASSERT_EQ(Init(&fa, ram, reserved, mem), STATUS_OK);
    EXPECT_EQ(frame_alloc_total_count(&fa), 256u - 1 - 1);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(UINT64_MAX & ~(kFrame - 1))), STATUS_RESERVED);

    ASSERT_EQ(Init(&fa, ram, {}, mem), STATUS_OK);
    EXPECT_EQ(frame_alloc_total_count(&fa), 255u);
    std::vector<uint64_t> frames = AllocAll(&fa, ram, {});
    ASSERT_EQ(frames.size(), 255u);
    EXPECT_EQ(*std::max_element(frames.begin(), frames.end()), UINT64_MAX & ~(kFrame - 1));
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(UINT64_MAX & ~(kFrame - 1))), STATUS_OK);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(kTop - kFrame)), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(0)), STATUS_OUT_OF_RANGE);
    EXPECT_TRUE(mem.UntouchedOutside(frame_alloc_bookkeeping(&fa)));
}

// Eight ranges spread over 113 MiB, only the lowest backed.
TEST(FrameAllocTest, EightRangesWithHoles)
{
    FakeRam mem(kRamBase, 1 * kMiB);
    std::vector<frame_range> ram;
    for (uint64_t i = 0; i < 8; i++) {
        ram.push_back(Range(kRamBase + (7 - i) * 16 * kMiB, 1 * kMiB));
    }
    std::vector<frame_range> reserved = {kDtb};
    frame_alloc fa;
    ASSERT_EQ(Init(&fa, ram, reserved, mem), STATUS_OK);
    // 28928 frames: 452 words per bitmap, 7232 bytes, 2 frames.
    EXPECT_EQ(frame_alloc_bookkeeping(&fa).size, 2 * kFrame);
    EXPECT_EQ(frame_alloc_total_count(&fa), 8u * 256 - 16 - 2);
    std::vector<uint64_t> frames = AllocAll(&fa, ram, reserved);
    EXPECT_EQ(frames.size(), 8u * 256 - 16 - 2);
    FreeAll(&fa, frames);
    EXPECT_EQ(frame_alloc_free(&fa, paddr_make(kRamBase + 2 * kMiB)), STATUS_OUT_OF_RANGE);
    EXPECT_TRUE(mem.UntouchedOutside(frame_alloc_bookkeeping(&fa)));
}

} // namespace
