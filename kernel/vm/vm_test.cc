// Frames, address spaces and mappings over the fake MMU and fake RAM.

#include "kernel/vm/vm.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <tuple>
#include <vector>

#include "hal/addr.h"
#include "hal/fake/cache_fake.h"
#include "hal/fake/mmu_fake.h"
#include "hal/mmu.h"
#include "kernel/abi/status.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/vm/fake_ram.h"
#include "gtest/gtest.h"

namespace {

constexpr uint32_t R = HAL_MMU_READ;
constexpr uint32_t W = HAL_MMU_WRITE;
constexpr uint32_t X = HAL_MMU_EXEC;
constexpr uint32_t RWX = R | W | X;
constexpr uint64_t kPage = HAL_MMU_PAGE_SIZE;
// A quota the fake RAM (512 frames) can reserve for several spaces at once.
constexpr uint32_t kQuota = 32;

class VmTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ASSERT_EQ(STATUS_OK, ram_.status);
        vm_ = std::make_unique<struct vm>();
        vm_init(vm_.get());
        initial_free_ = frame_alloc_free_count(&ram_.fa);
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
        ExpectReservationsMatch();
    }

    uint64_t Free()
    {
        return frame_alloc_free_count(&ram_.fa);
    }

    // Free frames no space has reserved.
    uint64_t Available()
    {
        return frame_alloc_available_count(&ram_.fa);
    }

    // The allocator's reservations are exactly the spaces' unspent quotas.
    void ExpectReservationsMatch()
    {
        EXPECT_EQ(vm_reserved_count(vm_.get()), frame_alloc_reserved_count(&ram_.fa));
        EXPECT_EQ(Free(), Available() + frame_alloc_reserved_count(&ram_.fa));
    }

    // Whether EL0 may read (or write) va of space, and the frame it reaches.
    hal_mmu_result Translate(uint32_t space, uint64_t va, bool write, paddr_t *pa)
    {
        return hal_mmu_user_translate(vm_space_root(vm_.get(), space), va, write, pa);
    }

    // Takes every available (unreserved) frame but keep; returns them for Release.
    std::vector<paddr_t> Exhaust(uint64_t keep)
    {
        std::vector<paddr_t> taken;
        while (Available() > keep) {
            paddr_t pa{};
            EXPECT_EQ(STATUS_OK, frame_alloc_one(&ram_.fa, &pa));
            taken.push_back(pa);
        }
        return taken;
    }

    void Release(const std::vector<paddr_t> &taken)
    {
        for (paddr_t pa : taken) {
            EXPECT_EQ(STATUS_OK, frame_alloc_free(&ram_.fa, pa));
        }
    }

    fake_ram::Ram ram_{512};
    std::unique_ptr<struct vm> vm_;
    uint64_t initial_free_ = 0;
};

TEST_F(VmTest, InitialStateIsEmptyAndConsistent)
{
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    EXPECT_EQ(0u, vm_mapping_count(vm_.get()));
    EXPECT_EQ(0u, vm_space_root(vm_.get(), 0).value);
    EXPECT_EQ(1u, vm_space_asid(0));
    EXPECT_EQ(OBJ_MAX_ADDRESS_SPACES, vm_space_asid(OBJ_MAX_ADDRESS_SPACES - 1));
}

TEST_F(VmTest, FrameIsZeroedAndGivenBack)
{
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 3));
    EXPECT_EQ(initial_free_ - 1, Free());
    const uint8_t *page = ram_.At(vm_->frames[3].pa);
    for (uint64_t i = 0; i < kPage; i++) {
        ASSERT_EQ(0, page[i]) << "byte " << i;
    }
    ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, 3));
    EXPECT_EQ(initial_free_, Free());
}

TEST_F(VmTest, FrameErrorsChangeNothing)
{
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_frame_create(nullptr, &ram_.fa, 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_frame_create(vm_.get(), nullptr, 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_frame_create(vm_.get(), &ram_.fa, OBJ_MAX_FRAMES));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_frame_create(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_frame_destroy(vm_.get(), &ram_.fa, 1));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_frame_destroy(vm_.get(), &ram_.fa, OBJ_MAX_FRAMES));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_frame_destroy(nullptr, &ram_.fa, 0));
    EXPECT_EQ(initial_free_ - 1, Free());

    std::vector<paddr_t> taken = Exhaust(0);
    EXPECT_EQ(STATUS_NO_MEMORY, vm_frame_create(vm_.get(), &ram_.fa, 1));
    EXPECT_EQ(0u, vm_->frames[1].used);
    Release(taken);
}

TEST_F(VmTest, SpaceCreateAndDestroyGiveEveryTableBack)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 5, kQuota));
    EXPECT_EQ(initial_free_ - 1, Free());
    EXPECT_NE(0u, vm_space_root(vm_.get(), 5).value);
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_space_create(vm_.get(), &ram_.fa, 5, kQuota));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              vm_space_create(vm_.get(), &ram_.fa, OBJ_MAX_ADDRESS_SPACES, kQuota));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_space_destroy(vm_.get(), &ram_.fa, 4));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 5));
    EXPECT_EQ(initial_free_, Free());
    EXPECT_EQ(0u, vm_space_root(vm_.get(), 5).value);

    std::vector<paddr_t> taken = Exhaust(0);
    EXPECT_EQ(STATUS_NO_MEMORY, vm_space_create(vm_.get(), &ram_.fa, 5, kQuota));
    EXPECT_EQ(0u, vm_->spaces[5].used);
    Release(taken);
}

TEST_F(VmTest, MapUnmapProtect)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    const uint64_t va = 0x400000;
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, va, R | W, R | W, VM_NIL));
    EXPECT_EQ(1u, vm_mapping_count(vm_.get()));
    paddr_t pa{};
    ASSERT_EQ(HAL_MMU_OK, Translate(0, va + 123, true, &pa));
    EXPECT_EQ(vm_->frames[0].pa.value + 123, pa.value);

    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, va, R));
    EXPECT_EQ(HAL_MMU_ERR_PERMISSION, Translate(0, va, true, &pa));
    EXPECT_EQ(HAL_MMU_OK, Translate(0, va, false, &pa));
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));

    mmu_fake_reset();
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, va));
    // The page, then the walk of the three tables it emptied and gave back.
    EXPECT_EQ(2u, mmu_fake_invalidations());
    EXPECT_EQ(vm_space_asid(0), mmu_fake_last_asid());
    EXPECT_EQ(1u, vm_->spaces[0].tables);
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(0, va, false, &pa));
    EXPECT_EQ(0u, vm_mapping_count(vm_.get()));
    EXPECT_EQ(0u, vm_->frames[0].mappings);
}

// The physical pages the maintenance since the last reset synchronized for
// instruction fetch, in order; fails the test on anything but whole page
// syncs (clean to PoU, DSB ISH, invalidate, DSB ISH, ISB).
std::vector<uint64_t> SyncedPages()
{
    paddr_t pages[64];
    size_t count = 0;
    EXPECT_EQ(0u, cache_fake_synced_pages(pages, 64, &count)) << "not whole page syncs";
    std::vector<uint64_t> out;
    for (size_t i = 0; i < count && i < 64; i++) {
        out.push_back(pages[i].value);
    }
    return out;
}

// Exactly the pages that become executable are synchronized for
// instruction fetch, once each, with their contents as they are then:
// map or map_anon with EXEC, protect adding EXEC; nothing for other
// permissions, a page executable already, or a call that fails.
TEST_F(VmTest, PagesMadeExecutableAreSynchronizedForInstructionFetch)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 1));
    const uint64_t f0 = vm_->frames[0].pa.value;
    const uint64_t f1 = vm_->frames[1].pa.value;
    cache_fake_reset();

    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x400000, R | W, RWX, VM_NIL));
    EXPECT_EQ(0u, cache_fake_count());
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 1, 0x500000, R | X, RWX, VM_NIL));
    EXPECT_EQ(std::vector<uint64_t>{f1}, SyncedPages());

    // Failures make nothing executable and synchronize nothing.
    cache_fake_reset();
    EXPECT_EQ(STATUS_ALREADY_MAPPED,
              vm_map(vm_.get(), &ram_.fa, 0, 1, 0x500000, R | X, RWX, VM_NIL));
    EXPECT_EQ(STATUS_PERMISSION, vm_map(vm_.get(), &ram_.fa, 0, 1, 0x600000, R | X, R, VM_NIL));
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, 0x400000, R | W | X));
    // A space with room for its root only: the map is refused for its quota.
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, 1));
    EXPECT_EQ(STATUS_QUOTA, vm_map(vm_.get(), &ram_.fa, 1, 1, 0x7000000000, R | X, RWX, VM_NIL));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 1));
    // No unreserved page for an anonymous executable page.
    std::vector<paddr_t> taken = Exhaust(0);
    paddr_t none{};
    EXPECT_EQ(STATUS_NO_MEMORY, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x7000000000, R | X, &none));
    Release(taken);
    EXPECT_EQ(0u, cache_fake_count());

    // Written, then made executable: synchronized with what was written.
    const uint64_t insn = 0xd503201fd503201full;
    std::memcpy(ram_.At(vm_->frames[0].pa) + 64, &insn, sizeof insn);
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x400000, R));
    EXPECT_EQ(0u, cache_fake_count());
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x400000, R | X));
    EXPECT_EQ(std::vector<uint64_t>{f0}, SyncedPages());
    EXPECT_EQ(insn, cache_fake_ops()[1].data);

    // Executable already, or no longer: nothing to do.
    cache_fake_reset();
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x400000, R | X));
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x500000, R));
    EXPECT_EQ(0u, cache_fake_count());

    // Anonymous pages: synchronized when executable, after zeroing.
    paddr_t anon{};
    ASSERT_EQ(STATUS_OK, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x600000, R | W, &anon));
    EXPECT_EQ(0u, cache_fake_count());
    ASSERT_EQ(STATUS_OK, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x601000, R | X, &anon));
    EXPECT_EQ(std::vector<uint64_t>{anon.value}, SyncedPages());
}

TEST_F(VmTest, MapErrorsChangeNothing)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x10000, R, R, VM_NIL));
    const uint64_t free_before = Free();
    struct Case {
        uint32_t space, frame;
        uint64_t va;
        uint32_t perms, max;
        status_t want;
    };
    const Case cases[] = {
        {1, 0, 0x20000, R, R, STATUS_INVALID_ARGUMENT},                      // space unused
        {OBJ_MAX_ADDRESS_SPACES, 0, 0x20000, R, R, STATUS_INVALID_ARGUMENT}, // out of range
        {0, 1, 0x20000, R, R, STATUS_INVALID_ARGUMENT},                      // frame unused
        {0, OBJ_MAX_FRAMES, 0x20000, R, R, STATUS_INVALID_ARGUMENT},
        {0, 0, 0x20000, R | 8, RWX | 8, STATUS_INVALID_ARGUMENT}, // unknown perm bit
        {0, 0, 0x20000, R, RWX | 16, STATUS_INVALID_ARGUMENT},    // unknown ceiling bit
        {0, 0, 0x20000, R | W, R, STATUS_PERMISSION},             // beyond the ceiling
        {0, 0, 0x20000, W, RWX, STATUS_PERMISSION},               // no read
        {0, 0, 0x20000, R | W | X, RWX, STATUS_PERMISSION},       // W^X
        {0, 0, 0x20001, R, R, STATUS_MISALIGNED},
        {0, 0, HAL_MMU_USER_TOP, R, R, STATUS_OUT_OF_RANGE},
        {0, 0, ~0ull & ~(kPage - 1), R, R, STATUS_OUT_OF_RANGE}, // a kernel address
        {0, 0, 0x10000, R, R, STATUS_ALREADY_MAPPED},
    };
    for (const Case &c : cases) {
        EXPECT_EQ(c.want,
                  vm_map(vm_.get(), &ram_.fa, c.space, c.frame, c.va, c.perms, c.max, VM_NIL))
            << "va " << std::hex << c.va << " perms " << c.perms << " max " << c.max;
        EXPECT_EQ(1u, vm_mapping_count(vm_.get()));
        EXPECT_EQ(free_before, Free()) << "tables taken and kept";
    }
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_map(nullptr, &ram_.fa, 0, 0, 0x20000, R, R, VM_NIL));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_map(vm_.get(), nullptr, 0, 0, 0x20000, R, R, VM_NIL));
}

// The tables of a map come out of its space's reservation: with every
// unreserved frame taken by others, a map within the quota still succeeds,
// and takes nothing from the shared pool.
TEST_F(VmTest, MapWithinTheQuotaNeverRunsShortOfTables)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    EXPECT_EQ(initial_free_ - kQuota, Available()) << "the whole quota is reserved";
    EXPECT_EQ(kQuota - 1, frame_alloc_reserved_count(&ram_.fa)) << "the root came out of it";
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    std::vector<paddr_t> taken = Exhaust(0);
    // A fresh address needs three tables under the root, and the space's
    // first mapping a record page: all from the reservation.
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x40000000, R, R, VM_NIL));
    EXPECT_EQ(4u, vm_->spaces[0].tables);
    EXPECT_EQ(1u, vm_->spaces[0].record_pages);
    EXPECT_EQ(0u, Available());
    EXPECT_EQ(kQuota - 5, frame_alloc_reserved_count(&ram_.fa));
    ExpectReservationsMatch();
    // Its neighbour shares every table: nothing more is taken.
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x40001000, R, R, VM_NIL));
    EXPECT_EQ(4u, vm_->spaces[0].tables);
    // Unmapping gives the tables back to the reservation, not to the pool.
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, 0x40001000));
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, 0x40000000));
    EXPECT_EQ(1u, vm_->spaces[0].tables);
    EXPECT_EQ(0u, Available());
    EXPECT_EQ(kQuota - 2, frame_alloc_reserved_count(&ram_.fa)) << "the record page stays";
    Release(taken);
    // Destroying the space ends its reservation: everything is available again.
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(0u, frame_alloc_reserved_count(&ram_.fa));
    EXPECT_EQ(initial_free_ - 1, Available());
}

// A space whose quota the available frames cannot cover is not made, and
// the allocator is left as it was; other spaces' reservations are never
// counted as available.
TEST_F(VmTest, SpaceCreateReservesItsQuotaOrFailsWithNothingTaken)
{
    const uint64_t avail = Available();
    ASSERT_GT(VM_QUOTA_MAX, avail);
    EXPECT_EQ(STATUS_NO_MEMORY, vm_space_create(vm_.get(), &ram_.fa, 0, VM_QUOTA_MAX));
    EXPECT_EQ(0u, vm_->spaces[0].used);
    EXPECT_EQ(avail, Available());
    EXPECT_EQ(initial_free_, Free());
    EXPECT_EQ(0u, frame_alloc_reserved_count(&ram_.fa));
    // Exactly what is available can be reserved; then nothing more.
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, (uint32_t)(avail - kQuota)));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, kQuota));
    EXPECT_EQ(0u, Available());
    EXPECT_EQ(initial_free_ - 2, Free()) << "only the roots are taken";
    EXPECT_EQ(STATUS_NO_MEMORY, vm_space_create(vm_.get(), &ram_.fa, 2, 1));
    EXPECT_EQ(0u, vm_->spaces[2].used);
    EXPECT_EQ(STATUS_NO_MEMORY, vm_frame_create(vm_.get(), &ram_.fa, 0));
    paddr_t pa{};
    EXPECT_EQ(STATUS_NO_MEMORY, frame_alloc_one(&ram_.fa, &pa));
    ExpectReservationsMatch();
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 1));
    EXPECT_EQ(kQuota, Available());
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(avail, Available());
    EXPECT_EQ(initial_free_, Free());
}

TEST_F(VmTest, RecordsComeFromTheSpacesOwnQuota)
{
    // Space 1 first, with room for one more page of records; then space 0
    // maps one frame at consecutive pages until its quota is spent.
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, 8));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, 16));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    const uint64_t avail = Available();
    uint64_t n = 0;
    status_t st = STATUS_OK;
    while ((st = vm_map(vm_.get(), &ram_.fa, 0, 0, n * kPage, R, R, VM_NIL)) == STATUS_OK) {
        n++;
        ASSERT_LE(n, 16u * VM_RECORDS_PER_PAGE);
    }
    EXPECT_EQ(STATUS_QUOTA, st);
    // Root, a level-1, a level-2 and two level-3 tables; the rest are
    // record pages, each full.
    EXPECT_EQ(5u, vm_->spaces[0].tables);
    EXPECT_EQ(11u, vm_->spaces[0].record_pages);
    EXPECT_EQ(11u * VM_RECORDS_PER_PAGE, n);
    EXPECT_EQ(n, vm_mapping_count(vm_.get()));
    EXPECT_EQ(avail, Available()) << "nothing taken outside the reservation";
    ExpectReservationsMatch();
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    // The refused map changed nothing; another space's map still works.
    const uint64_t before = Free();
    EXPECT_EQ(STATUS_QUOTA, vm_map(vm_.get(), &ram_.fa, 0, 0, n * kPage, R, R, VM_NIL));
    EXPECT_EQ(before, Free());
    EXPECT_EQ(n, vm_mapping_count(vm_.get()));
    EXPECT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 0, 0x1000, R, R, VM_NIL));
    // A record freed is reused: no new page needed.
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, 7 * kPage));
    EXPECT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 7 * kPage, R, R, VM_NIL));
    EXPECT_EQ(11u, vm_->spaces[0].record_pages);
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    // Destroying the space gives its record pages back with its tables.
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    ExpectReservationsMatch();
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 1));
    ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(initial_free_, Free());
}

TEST_F(VmTest, ASpaceHoldsAtMostItsRecordPages)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, 128));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    const uint64_t max = VM_RECORD_PAGES_MAX * VM_RECORDS_PER_PAGE;
    for (uint64_t i = 0; i < max; i++) {
        ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, i * kPage, R, R, VM_NIL)) << i;
    }
    EXPECT_EQ(VM_RECORD_PAGES_MAX, vm_->spaces[0].record_pages);
    EXPECT_LT(vm_->spaces[0].tables + vm_->spaces[0].record_pages, 128u) << "quota left";
    const uint64_t before = Free();
    EXPECT_EQ(STATUS_QUOTA, vm_map(vm_.get(), &ram_.fa, 0, 0, max * kPage, R, R, VM_NIL));
    EXPECT_EQ(before, Free());
    EXPECT_EQ(max, vm_mapping_count(vm_.get()));
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(initial_free_, Free());
}

TEST_F(VmTest, UnmapAndProtectErrorsChangeNothing)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x10000, R, R | X, VM_NIL));
    mmu_fake_reset();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_unmap(nullptr, &ram_.fa, 0, 0x10000));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_unmap(vm_.get(), &ram_.fa, 1, 0x10000));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              vm_unmap(vm_.get(), &ram_.fa, OBJ_MAX_ADDRESS_SPACES, 0x10000));
    EXPECT_EQ(STATUS_MISALIGNED, vm_unmap(vm_.get(), &ram_.fa, 0, 0x10008));
    EXPECT_EQ(STATUS_OUT_OF_RANGE, vm_unmap(vm_.get(), &ram_.fa, 0, HAL_MMU_USER_TOP));
    EXPECT_EQ(STATUS_NOT_MAPPED, vm_unmap(vm_.get(), &ram_.fa, 0, 0x11000));

    EXPECT_EQ(STATUS_NOT_MAPPED, vm_protect(vm_.get(), 0, 0x11000, R));
    EXPECT_EQ(STATUS_MISALIGNED, vm_protect(vm_.get(), 0, 0x10001, R));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_protect(vm_.get(), 0, 0x10000, R | 0x100));
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, 0x10000, R | W)); // beyond R|X
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, 0x10000, X));     // no read
    EXPECT_EQ(0u, mmu_fake_invalidations());
    EXPECT_EQ(R, vm_mapping_at(vm_.get(), vm_->spaces[0].first)->perms);
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x10000, R | X));
    EXPECT_EQ(1u, mmu_fake_invalidations());
}

TEST_F(VmTest, DestroyingAFrameUnmapsItEverywhere)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 9));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 10));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 9, 0x1000, R, R, VM_NIL));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 9, 0x2000, R, R, VM_NIL));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 9, 0x7000, R | W, R | W, VM_NIL));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 10, 0x8000, R, R, VM_NIL));
    mmu_fake_reset();
    ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, 9));
    // Three pages, and the walk of space 0's tables, emptied by its last page.
    EXPECT_EQ(4u, mmu_fake_invalidations());
    EXPECT_EQ(1u, vm_->spaces[0].tables);
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(0, 0x1000, false, &pa));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(0, 0x2000, false, &pa));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(1, 0x7000, false, &pa));
    EXPECT_EQ(HAL_MMU_OK, Translate(1, 0x8000, false, &pa));
    EXPECT_EQ(1u, vm_mapping_count(vm_.get()));
    EXPECT_EQ(0u, vm_->spaces[0].mappings);
    EXPECT_EQ(1u, vm_->spaces[1].mappings);
}

TEST_F(VmTest, UnmapOwnerUnmapsOnlyThatOwnersMappingsOfTheFrame)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 9));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 10));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 9, 0x1000, R, R, 5));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 9, 0x7000, R | W, R | W, 5));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 9, 0x2000, R, R, 6));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 10, 0x8000, R, R, 5));
    mmu_fake_reset();
    EXPECT_EQ(2u, vm_unmap_owner(vm_.get(), &ram_.fa, 9, 5));
    EXPECT_EQ(2u, mmu_fake_invalidations()) << "each page invalidated by ASID and address";
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(0, 0x1000, false, &pa));
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(1, 0x7000, false, &pa));
    EXPECT_EQ(HAL_MMU_OK, Translate(0, 0x2000, false, &pa)) << "another owner";
    EXPECT_EQ(HAL_MMU_OK, Translate(1, 0x8000, false, &pa)) << "the same owner, another frame";
    EXPECT_EQ(2u, vm_mapping_count(vm_.get()));
    EXPECT_EQ(0u, vm_unmap_owner(vm_.get(), &ram_.fa, 9, 5));
    EXPECT_EQ(0u, vm_unmap_owner(vm_.get(), &ram_.fa, 9, VM_NIL));
    EXPECT_EQ(0u, vm_unmap_owner(vm_.get(), &ram_.fa, 11, 6)) << "no such frame";
    EXPECT_EQ(0u, vm_unmap_owner(nullptr, &ram_.fa, 9, 6));
}

TEST_F(VmTest, RehomeGivesTheOwnersMappingsTheNewOwner)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 9));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 9, 0x1000, R, R, 5));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 9, 0x2000, R, R, 6));
    EXPECT_EQ(1u, vm_rehome(vm_.get(), 9, 5, 70));
    EXPECT_EQ(0u, vm_unmap_owner(vm_.get(), &ram_.fa, 9, 5))
        << "nothing is left under the old owner";
    EXPECT_EQ(1u, vm_unmap_owner(vm_.get(), &ram_.fa, 9, 70));
    EXPECT_EQ(1u, vm_mapping_count(vm_.get()));
    int owners = 0;
    for (int32_t m = vm_space_first_mapping(vm_.get(), 0); m != VM_NIL;
         m = vm_mapping_at(vm_.get(), m)->next_in_space) {
        EXPECT_EQ(6, vm_mapping_at(vm_.get(), m)->owner);
        owners++;
    }
    EXPECT_EQ(1, owners);
    EXPECT_EQ(nullptr, vm_mapping_at(vm_.get(), VM_RECORD_INDEX(0, 1, 0))) << "no second page";
    EXPECT_EQ(nullptr, vm_mapping_at(vm_.get(), VM_RECORD_INDEX(1, 0, 0))) << "no space 1";
    EXPECT_EQ(nullptr, vm_mapping_at(vm_.get(), VM_NIL));
    EXPECT_EQ(VM_NIL, vm_space_first_mapping(vm_.get(), 1));
    EXPECT_EQ(VM_NIL, vm_space_first_mapping(vm_.get(), OBJ_MAX_ADDRESS_SPACES));
}

TEST_F(VmTest, AFrameIsNeverWritableAndExecutableAcrossItsMappings)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 3));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 3, 0x1000, R | W, RWX, VM_NIL));
    const uint64_t free_before = Free();
    // An executable alias of a writable frame, in the same space or another: refused.
    EXPECT_EQ(STATUS_WX_CONFLICT, vm_map(vm_.get(), &ram_.fa, 0, 3, 0x2000, R | X, RWX, VM_NIL));
    EXPECT_EQ(STATUS_WX_CONFLICT, vm_map(vm_.get(), &ram_.fa, 1, 3, 0x2000, R | X, RWX, VM_NIL));
    EXPECT_EQ(free_before, Free()) << "nothing taken";
    EXPECT_EQ(1u, vm_mapping_count(vm_.get()));
    // Read-only aliases are fine; making one executable is not while a writable one exists.
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 3, 0x2000, R, RWX, VM_NIL));
    EXPECT_EQ(STATUS_WX_CONFLICT, vm_protect(vm_.get(), 1, 0x2000, R | X));
    // The honest way: drop the write, then execute.
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x1000, R));
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 1, 0x2000, R | X));
    EXPECT_EQ(STATUS_WX_CONFLICT, vm_protect(vm_.get(), 0, 0x1000, R | W));
    EXPECT_EQ(STATUS_WX_CONFLICT, vm_map(vm_.get(), &ram_.fa, 0, 3, 0x3000, R | W, RWX, VM_NIL));
    // A mapping's own change between W and X does not count itself.
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, 0x1000));
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 1, 0x2000, R | W));
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 1, 0x2000, R | X));
    // Unmapping the executable mapping lets the frame be written again.
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 1, 0x2000));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 3, 0x3000, R | W, RWX, VM_NIL));
    EXPECT_EQ(1u, vm_->frames[3].writable);
    EXPECT_EQ(0u, vm_->frames[3].executable);
    // Destroying the frame clears its counts.
    ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, 3));
    EXPECT_EQ(0u, vm_->frames[3].writable);
}

TEST_F(VmTest, DestroyingASpaceKeepsItsFramesAndFreesItsTables)
{
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    const uint64_t with_frame = Free();
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 2, kQuota));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 3, kQuota));
    // Spread over several tables at every level.
    for (uint64_t va : {0x0ull, 0x200000ull, 0x40000000ull, 0x8000000000ull, 0xfffffffff000ull}) {
        ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 2, 0, va, R, R, VM_NIL)) << va;
    }
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 3, 0, 0x5000, R, R, VM_NIL));
    EXPECT_GT(vm_->spaces[2].tables, 5u);
    const uint32_t other_tables = vm_->spaces[3].tables + vm_->spaces[3].record_pages;
    mmu_fake_reset();
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 2));
    EXPECT_GE(mmu_fake_asid_invalidations(), 1u);
    EXPECT_EQ(vm_space_asid(2), mmu_fake_last_asid_invalidated());
    EXPECT_EQ(with_frame - other_tables, Free())
        << "space 2's tables and record page all came back";
    EXPECT_EQ(1u, vm_->frames[0].used);
    EXPECT_EQ(1u, vm_->frames[0].mappings);
    EXPECT_EQ(1u, vm_mapping_count(vm_.get()));
    // The slot, and so ASID 3, can be used again at once.
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 2, kQuota));
    paddr_t pa{};
    EXPECT_EQ(HAL_MMU_ERR_NOT_MAPPED, Translate(2, 0x200000, false, &pa));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 2));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 3));
    ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(initial_free_, Free());
}

TEST_F(VmTest, AnonymousPagesBelongToTheirSpace)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    const uint64_t before = Free();
    paddr_t page{};
    ASSERT_EQ(STATUS_OK, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x400000, R | X, &page));
    EXPECT_EQ(1u, vm_anon_count(vm_.get()));
    EXPECT_EQ(before - 5, Free()) << "the page, three tables and a record page";
    const uint8_t *bytes = ram_.At(page);
    for (uint64_t i = 0; i < kPage; i++) {
        ASSERT_EQ(0, bytes[i]) << "byte " << i;
    }
    paddr_t pa{};
    ASSERT_EQ(HAL_MMU_OK, Translate(0, 0x400010, false, &pa));
    EXPECT_EQ(page.value + 0x10, pa.value);
    // Its permissions are its ceiling: text never becomes writable.
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, 0x400000, R | W));
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, 0x400000, R | W | X));
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x400000, R));
    ASSERT_EQ(STATUS_OK, vm_protect(vm_.get(), 0, 0x400000, R | X));
    paddr_t stack{};
    ASSERT_EQ(STATUS_OK, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x7ff000, R | W, &stack));
    EXPECT_EQ(STATUS_PERMISSION, vm_protect(vm_.get(), 0, 0x7ff000, R | X)) << "data never runs";
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, 0x7ff000));

    // Errors take nothing: already mapped, bad perms, bad address, no page.
    const uint64_t mapped = Free();
    EXPECT_EQ(STATUS_ALREADY_MAPPED, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x400000, R, &pa));
    EXPECT_EQ(STATUS_PERMISSION, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x401000, R | W | X, &pa));
    EXPECT_EQ(STATUS_MISALIGNED, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x401001, R, &pa));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_map_anon(vm_.get(), &ram_.fa, 1, 0x401000, R, &pa));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x401000, R, nullptr));
    EXPECT_EQ(mapped, Free());
    std::vector<paddr_t> taken = Exhaust(0);
    EXPECT_EQ(STATUS_NO_MEMORY, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x401000, R, &pa));
    Release(taken);
    EXPECT_EQ(1u, vm_anon_count(vm_.get()));

    // Unmapping gives the page back; it needs the allocator for that.
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_unmap(vm_.get(), nullptr, 0, 0x400000));
    EXPECT_EQ(1u, vm_anon_count(vm_.get()));
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, 0x400000));
    // The page, and the three tables its unmap emptied (the space's last page).
    EXPECT_EQ(mapped + 1 + 3, Free());
    EXPECT_EQ(1u, vm_->spaces[0].tables);
    EXPECT_EQ(0u, vm_anon_count(vm_.get()));

    // Destroying the space gives back its anonymous pages with its tables.
    ASSERT_EQ(STATUS_OK, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x400000, R, &pa));
    ASSERT_EQ(STATUS_OK, vm_map_anon(vm_.get(), &ram_.fa, 0, 0x7ff000, R | W, &pa));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(0u, vm_anon_count(vm_.get()));
    EXPECT_EQ(initial_free_, Free());
}

TEST_F(VmTest, DestroyingTheActiveSpaceLeavesTheCpuWithoutOne)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, kQuota));
    hal_mmu_activate(vm_space_root(vm_.get(), 1), vm_space_asid(1));
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 0));
    EXPECT_EQ(vm_space_root(vm_.get(), 1).value, hal_mmu_active().value) << "another space";
    EXPECT_EQ(vm_space_root(vm_.get(), 1).value | (uint64_t)vm_space_asid(1) << 48,
              mmu_fake_ttbr0());
    const paddr_t root = vm_space_root(vm_.get(), 1);
    ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, 1));
    EXPECT_EQ(0u, hal_mmu_active().value) << "was " << root.value;
    EXPECT_EQ(0u, mmu_fake_ttbr0());
}

// Random operations against a model; every frame and table comes back at the end.
TEST_F(VmTest, RandomOperationsKeepTheBookkeepingAndLeakNothing)
{
    std::mt19937_64 rng(42);
    constexpr uint32_t kSpaces = 4;
    constexpr uint32_t kFrames = 6;
    // (space, va) -> (frame, perms)
    std::map<std::pair<uint32_t, uint64_t>, std::pair<uint32_t, uint32_t>> model;
    std::map<std::pair<uint32_t, uint64_t>, uint64_t> anon_pa;
    std::map<std::pair<uint32_t, uint64_t>, uint32_t> anon_max;
    constexpr uint32_t kAnon = VM_ANON;
    const uint32_t perm_choices[] = {R, R | W, R | X, R | W | X, W, 0};
    for (int step = 0; step < 4000; step++) {
        uint32_t space = rng() % kSpaces;
        uint32_t frame = rng() % kFrames;
        // A few addresses, far apart and close together.
        uint64_t va = (rng() % 8) * kPage + (rng() % 3) * 0x40000000ull;
        uint32_t perms = perm_choices[rng() % 6];
        switch (rng() % 8) {
        case 0:
            if (!vm_->spaces[space].used) {
                ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, space, kQuota));
            } else {
                ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, space));
                for (auto it = model.begin(); it != model.end();) {
                    it = it->first.first == space ? model.erase(it) : std::next(it);
                }
            }
            break;
        case 1:
            if (!vm_->frames[frame].used) {
                ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, frame));
            } else if (rng() % 4 == 0) {
                ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, frame));
                for (auto it = model.begin(); it != model.end();) {
                    it = it->second.first == frame ? model.erase(it) : std::next(it);
                }
            }
            break;
        case 2: {
            paddr_t page{};
            status_t st = vm_map_anon(vm_.get(), &ram_.fa, space, va, perms, &page);
            bool ok = vm_->spaces[space].used && model.count({space, va}) == 0 &&
                      (perms == R || perms == (R | W) || perms == (R | X));
            ASSERT_EQ(ok, st == STATUS_OK) << "status " << st;
            if (ok) {
                model[{space, va}] = {kAnon, perms};
                anon_pa[{space, va}] = page.value;
                anon_max[{space, va}] = perms;
            }
            break;
        }
        case 3:
        case 4: {
            status_t st = vm_map(vm_.get(), &ram_.fa, space, frame, va, perms, R | W, VM_NIL);
            bool ok = vm_->spaces[space].used && vm_->frames[frame].used &&
                      model.count({space, va}) == 0 && (perms == R || perms == (R | W));
            ASSERT_EQ(ok, st == STATUS_OK) << "status " << st;
            if (ok) {
                model[{space, va}] = {frame, perms};
            }
            break;
        }
        case 5: {
            status_t st = vm_unmap(vm_.get(), &ram_.fa, space, va);
            bool ok = vm_->spaces[space].used && model.count({space, va}) == 1;
            ASSERT_EQ(ok, st == STATUS_OK) << "status " << st;
            model.erase({space, va});
            break;
        }
        default: {
            status_t st = vm_protect(vm_.get(), space, va, perms);
            bool anon = model.count({space, va}) == 1 && model[{space, va}].first == kAnon;
            // An anonymous page's ceiling is what it was mapped with; frames here have R|W.
            uint32_t max = anon ? anon_max[{space, va}] : (R | W);
            bool ok = vm_->spaces[space].used && model.count({space, va}) == 1 &&
                      (perms == R || perms == (R | W) || perms == (R | X)) && (perms & ~max) == 0;
            ASSERT_EQ(ok, st == STATUS_OK) << "status " << st;
            if (ok) {
                model[{space, va}].second = perms;
            }
            break;
        }
        }
        ASSERT_EQ(STATUS_OK, vm_check_invariants(vm_.get())) << "step " << step;
        ASSERT_EQ(model.size(), vm_mapping_count(vm_.get()));
        for (const auto &[key, value] : model) {
            paddr_t pa{};
            ASSERT_EQ(HAL_MMU_OK, Translate(key.first, key.second, false, &pa));
            ASSERT_EQ(value.first == kAnon ? anon_pa[key] : vm_->frames[value.first].pa.value,
                      pa.value);
            ASSERT_EQ((value.second & W) != 0,
                      Translate(key.first, key.second, true, &pa) == HAL_MMU_OK);
        }
    }
    for (uint32_t s = 0; s < kSpaces; s++) {
        if (vm_->spaces[s].used) {
            ASSERT_EQ(STATUS_OK, vm_space_destroy(vm_.get(), &ram_.fa, s));
        }
    }
    for (uint32_t f = 0; f < kFrames; f++) {
        if (vm_->frames[f].used) {
            ASSERT_EQ(STATUS_OK, vm_frame_destroy(vm_.get(), &ram_.fa, f));
        }
    }
    EXPECT_EQ(initial_free_, Free());
}

TEST_F(VmTest, UnmapGivesEmptiedTablesBack)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, kQuota));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    const uint64_t start = Free();
    // Pages spread so that tables are shared at every level and not.
    const uint64_t vas[] = {0x400000,     0x401000,     0x600000,      0x40000000,
                            0x7000000000, 0x7000001000, 0xfffffffff000};
    for (uint64_t va : vas) {
        ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, va, R, R, VM_NIL));
        EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    }
    // One record page holds all seven records.
    EXPECT_EQ(1u, vm_->spaces[0].record_pages);
    EXPECT_EQ(start - (vm_->spaces[0].tables - 1) - 1, Free());
    EXPECT_GT(vm_->spaces[0].tables, 8u);
    for (uint64_t va : vas) {
        ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 0, va));
        EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
        EXPECT_EQ(start - (vm_->spaces[0].tables - 1) - 1, Free());
    }
    // Every table but the root is back with the allocator; the record
    // page stays with the space until it is destroyed.
    EXPECT_EQ(1u, vm_->spaces[0].tables);
    EXPECT_EQ(start - 1, Free());
    // The same through the frame capability going (vm_unmap_owner).
    for (uint64_t va : vas) {
        ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, va, R, R, 3));
    }
    EXPECT_EQ(7u, vm_unmap_owner(vm_.get(), &ram_.fa, 0, 3));
    EXPECT_EQ(1u, vm_->spaces[0].tables);
    EXPECT_EQ(1u, vm_->spaces[0].record_pages) << "its records were reused";
    EXPECT_EQ(start - 1, Free());
}

TEST_F(VmTest, QuotaExhaustionHurtsOnlyItsSpace)
{
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, vm_space_create(vm_.get(), &ram_.fa, 0, VM_QUOTA_MAX + 1));
    EXPECT_EQ(0u, vm_->spaces[0].used);
    EXPECT_EQ(initial_free_, Free());
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, 0));
    EXPECT_EQ(VM_QUOTA_DEFAULT, vm_->spaces[0].quota);
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 1, 8));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    const uint64_t available = Available();
    // Space 1 maps its one frame across the address space, 1 GiB apart
    // (each fresh 1 GiB region costs an L2 and an L3 table), until refused.
    uint64_t va = 0;
    status_t st = STATUS_OK;
    uint32_t mapped = 0;
    while (st == STATUS_OK) {
        st = vm_map(vm_.get(), &ram_.fa, 1, 0, va, R, R, VM_NIL);
        mapped += st == STATUS_OK ? 1 : 0;
        va += 1ull << 30;
    }
    va -= 1ull << 30;
    EXPECT_EQ(STATUS_QUOTA, st);
    // root + L1 + 2 * (L2 + L3) = 6 tables and a record page: 7 of 8; a
    // third region would need 9.
    EXPECT_EQ(2u, mapped);
    EXPECT_EQ(6u, vm_->spaces[1].tables);
    EXPECT_EQ(1u, vm_->spaces[1].record_pages);
    // The refusal took nothing.
    const uint64_t free_after = Free();
    EXPECT_EQ(STATUS_QUOTA, vm_map(vm_.get(), &ram_.fa, 1, 0, va, R, R, VM_NIL));
    EXPECT_EQ(free_after, Free());
    EXPECT_EQ(mapped, vm_->spaces[1].mappings);
    // Its tables came out of its own reservation: the shared pool is untouched.
    EXPECT_EQ(available, Available());
    ExpectReservationsMatch();
    // A page sharing its tables still maps: only new tables are charged.
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 0, 0x1000, R, R, VM_NIL));
    // The other space is not hurt, even with the pool emptied by others
    // (frames, anonymous pages): its tables are reserved.
    std::vector<paddr_t> taken = Exhaust(0);
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x40000000, R, R, VM_NIL));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x7000000000, R, R, VM_NIL));
    EXPECT_EQ(6u, vm_->spaces[0].tables);
    Release(taken);
    // Unmapping gives the quota back.
    ASSERT_EQ(STATUS_OK, vm_unmap(vm_.get(), &ram_.fa, 1, 1ull << 30));
    EXPECT_EQ(4u, vm_->spaces[1].tables);
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 1, 0, va, R, R, VM_NIL));
    EXPECT_EQ(6u, vm_->spaces[1].tables);
}

TEST_F(VmTest, InvariantsCheckTheRecordPages)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, 0));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x400000, R, R, VM_NIL));
    ASSERT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    struct vm_space *s = &vm_->spaces[0];
    s->record_pages = 0; // the mapping's record is no longer in a page of the space
    EXPECT_EQ(STATUS_BAD_FORMAT, vm_check_invariants(vm_.get()));
    s->record_pages = 1;
    const int32_t free_head = s->free;
    s->free = VM_NIL; // 63 free records lost
    EXPECT_EQ(STATUS_BAD_FORMAT, vm_check_invariants(vm_.get()));
    s->free = s->first; // a used record on the free list
    EXPECT_EQ(STATUS_BAD_FORMAT, vm_check_invariants(vm_.get()));
    s->free = free_head;
    s->quota = s->tables; // tables and record pages past the quota
    EXPECT_EQ(STATUS_BAD_FORMAT, vm_check_invariants(vm_.get()));
    s->quota = VM_QUOTA_DEFAULT;
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
}

TEST_F(VmTest, InvariantsCountTheRealTables)
{
    ASSERT_EQ(STATUS_OK, vm_space_create(vm_.get(), &ram_.fa, 0, 0));
    ASSERT_EQ(STATUS_OK, vm_frame_create(vm_.get(), &ram_.fa, 0));
    ASSERT_EQ(STATUS_OK, vm_map(vm_.get(), &ram_.fa, 0, 0, 0x400000, R, R, VM_NIL));
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
    vm_->spaces[0].tables--;
    EXPECT_EQ(STATUS_BAD_FORMAT, vm_check_invariants(vm_.get()));
    vm_->spaces[0].tables++;
    const uint32_t quota = vm_->spaces[0].quota;
    vm_->spaces[0].quota = 3;
    EXPECT_EQ(STATUS_BAD_FORMAT, vm_check_invariants(vm_.get()));
    vm_->spaces[0].quota = quota;
    EXPECT_EQ(STATUS_OK, vm_check_invariants(vm_.get()));
}

} // namespace
