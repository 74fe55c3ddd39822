#include "hal/aarch64/pt.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t k2M = 0x200000;
constexpr uint64_t k1G = 0x40000000;
// Where the fake physical memory pretends to sit (QEMU virt's RAM base).
constexpr uint64_t kFakeBase = 0x40000000;
// What fresh frames hold before this code zeroes them: as descriptors,
// 0xa5a5... has bit 0 set and bit 1 clear, a block at L1/L2. A table left
// unzeroed would show up as mappings.
constexpr uint8_t kGarbage = 0xa5;

constexpr uint32_t R = PT_PERM_READ;
constexpr uint32_t W = PT_PERM_WRITE;
constexpr uint32_t X = PT_PERM_EXEC;
constexpr uint32_t U = PT_PERM_USER;
constexpr uint32_t UX = PT_PERM_USER_EXEC;
constexpr uint32_t NORMAL = PT_MEM_NORMAL;
constexpr uint32_t DEVICE = PT_MEM_DEVICE;

// A translation tree in fake physical memory: frames of an aligned heap
// buffer at physical addresses kFakeBase + i * 4 KiB. Frame 0 is the root
// (zeroed, as a caller would), frames 1.. form the pool.
class Tree {
  public:
    explicit Tree(size_t frames)
        : bytes_(frames * kPage),
          mem_(static_cast<uint8_t *>(std::aligned_alloc(kPage, frames * kPage)), &std::free)
    {
        std::memset(mem_.get(), kGarbage, bytes_);
        std::memset(mem_.get(), 0, kPage);
        for (size_t i = 1; i < frames; i++) {
            frames_.push_back(paddr_make(kFakeBase + i * kPage));
        }
        pool = {frames_.data(), frames_.size(), 0,
                reinterpret_cast<uintptr_t>(mem_.get()) - kFakeBase};
        root = paddr_make(kFakeBase);
    }

    pt_result Map(uint64_t va, uint64_t pa, uint64_t size, uint32_t perm, uint32_t mem = NORMAL,
                  bool blocks = false)
    {
        return pt_map(&pool, root, vaddr_make(va), paddr_make(pa), size, perm, mem, blocks);
    }
    pt_result Unmap(uint64_t va, uint64_t size)
    {
        return pt_unmap(&pool, root, vaddr_make(va), size);
    }
    pt_result Protect(uint64_t va, uint64_t size, uint32_t perm)
    {
        return pt_protect(root, vaddr_make(va), size, perm, pool.phys_to_virt);
    }
    pt_result Translate(uint64_t va, pt_mapping *m)
    {
        return pt_translate(root, vaddr_make(va), pool.phys_to_virt, m);
    }
    // The result of a translation, or NOT_MAPPED etc. in .level == 0.
    pt_mapping Lookup(uint64_t va)
    {
        pt_mapping m{};
        if (Translate(va, &m) != PT_OK) {
            m = pt_mapping{};
        }
        return m;
    }
    bool UserOk(uint64_t va, bool write)
    {
        return pt_user_access_ok(root, vaddr_make(va), pool.phys_to_virt, write);
    }
    // Entry idx of the table at physical address table.
    uint64_t Entry(paddr_t table, unsigned idx) const
    {
        uint64_t e;
        std::memcpy(&e, mem_.get() + (table.value - kFakeBase) + idx * 8, sizeof e);
        return e;
    }
    std::vector<uint8_t> Snapshot() const
    {
        return std::vector<uint8_t>(mem_.get(), mem_.get() + bytes_);
    }
    paddr_t Frame(size_t pool_index) const
    {
        return frames_[pool_index];
    }

    pt_pool pool;
    paddr_t root;

  private:
    size_t bytes_;
    std::unique_ptr<uint8_t, decltype(&std::free)> mem_;
    std::vector<paddr_t> frames_;
};

// Runs op and checks that it fails with want and changes nothing: no byte
// of the fake memory, no frame taken.
void ExpectNoChange(Tree &t, pt_result want, const std::function<pt_result()> &op)
{
    std::vector<uint8_t> before = t.Snapshot();
    size_t used = t.pool.used;
    EXPECT_EQ(op(), want) << pt_result_string(want);
    EXPECT_EQ(t.pool.used, used);
    EXPECT_TRUE(t.Snapshot() == before) << "tables changed by a failed call";
}

uint64_t Leaf(uint64_t pa, uint32_t level, uint32_t perm, uint32_t mem)
{
    uint64_t desc = 0;
    EXPECT_EQ(pt_desc_leaf(paddr_make(pa), level, perm, mem, &desc), PT_OK);
    return desc;
}

// ---- Descriptor encoding ------------------------------------------------

// Expected values computed by hand from the layout in pt_desc.h:
//   Normal: AttrIndx 1 (0x4) | SH 0b11 (0x300) | AF (0x400)  = 0x704
//   Device: AttrIndx 0       | SH 0b00         | AF (0x400)  = 0x400
//   AP[2] read-only 0x80, AP[1] EL0 0x40, nG 0x800,
//   PXN bit 53 = 0x0020'0000'0000'0000, UXN bit 54 = 0x0040'0000'0000'0000,
//   bits [1:0]: 0b11 page (L3), 0b01 block (L1, L2).
TEST(PtDescTest, KernelMappings)
{
    // Kernel text RX: RO, PXN 0, UXN 1.
    EXPECT_EQ(Leaf(0x40080000, 3, R | X, NORMAL), 0x0040000040080787ull);
    // Kernel rodata R: RO, PXN 1, UXN 1.
    EXPECT_EQ(Leaf(0x40080000, 3, R, NORMAL), 0x0060000040080787ull);
    // Kernel data RW: AP 00, PXN 1, UXN 1.
    EXPECT_EQ(Leaf(0x40080000, 3, R | W, NORMAL), 0x0060000040080707ull);
    // Device RW (PL011): AttrIndx 0, SH 0, PXN 1, UXN 1.
    EXPECT_EQ(Leaf(0x09000000, 3, R | W, DEVICE), 0x0060000009000403ull);
}

TEST(PtDescTest, UserMappings)
{
    // User RW: AP 01, nG, PXN 1, UXN 1.
    EXPECT_EQ(Leaf(0x40080000, 3, R | W | U, NORMAL), 0x0060000040080f47ull);
    // User RX: AP 11, nG, PXN 1, UXN 0.
    EXPECT_EQ(Leaf(0x40080000, 3, R | U | UX, NORMAL), 0x0020000040080fc7ull);
    // User RO: AP 11, nG, PXN 1, UXN 1.
    EXPECT_EQ(Leaf(0x40080000, 3, R | U, NORMAL), 0x0060000040080fc7ull);
    // User RW device (a user driver's MMIO window): AttrIndx 0, SH 0.
    EXPECT_EQ(Leaf(0x09000000, 3, R | W | U, DEVICE), 0x0060000009000c43ull);
}

TEST(PtDescTest, Blocks)
{
    // L2 block: 2 MiB aligned output address, bits [1:0] = 0b01.
    EXPECT_EQ(Leaf(0x40200000, 2, R | W, NORMAL), 0x0060000040200705ull);
    // L1 block at the top of the 48-bit output space.
    EXPECT_EQ(Leaf(0xffffc0000000, 1, R | W, DEVICE), 0x0060ffffc0000401ull);
}

TEST(PtDescTest, LeafErrors)
{
    uint64_t desc = 0x1234;
    EXPECT_EQ(pt_desc_leaf(paddr_make(0x40000000), 0, R, NORMAL, &desc), PT_ERR_RANGE);
    EXPECT_EQ(pt_desc_leaf(paddr_make(0x40000000), 4, R, NORMAL, &desc), PT_ERR_RANGE);
    EXPECT_EQ(pt_desc_leaf(paddr_make(1ull << 48), 3, R, NORMAL, &desc), PT_ERR_RANGE);
    EXPECT_EQ(pt_desc_leaf(paddr_make(0x40001000), 2, R, NORMAL, &desc), PT_ERR_MISALIGNED);
    EXPECT_EQ(pt_desc_leaf(paddr_make(0x40200000), 1, R, NORMAL, &desc), PT_ERR_MISALIGNED);
    EXPECT_EQ(pt_desc_leaf(paddr_make(0x40000800), 3, R, NORMAL, &desc), PT_ERR_MISALIGNED);
    EXPECT_EQ(pt_desc_leaf(paddr_make(0x40000000), 3, W | X, NORMAL, &desc), PT_ERR_PERMISSION);
    EXPECT_EQ(desc, 0x1234u) << "written on failure";
}

TEST(PtDescTest, MairValue)
{
    EXPECT_EQ(PT_MAIR_VALUE, 0xff04ull);
    EXPECT_EQ((PT_MAIR_VALUE >> (8 * PT_MAIR_DEVICE_nGnRE)) & 0xff, 0x04u);
    EXPECT_EQ((PT_MAIR_VALUE >> (8 * PT_MAIR_NORMAL_WB)) & 0xff, 0xffu);
}

TEST(PtDescTest, PermissionRules)
{
    EXPECT_EQ(pt_perm_check(R | W | X, NORMAL), PT_ERR_PERMISSION);      // W^X
    EXPECT_EQ(pt_perm_check(R | W | U | UX, NORMAL), PT_ERR_PERMISSION); // W^X at EL0
    EXPECT_EQ(pt_perm_check(R | UX, NORMAL), PT_ERR_PERMISSION);         // USER_EXEC w/o USER
    EXPECT_EQ(pt_perm_check(W, NORMAL), PT_ERR_PERMISSION);              // no READ
    EXPECT_EQ(pt_perm_check(X, NORMAL), PT_ERR_PERMISSION);              // no READ
    EXPECT_EQ(pt_perm_check(U | UX, NORMAL), PT_ERR_PERMISSION);         // no READ
    EXPECT_EQ(pt_perm_check(R | X, DEVICE), PT_ERR_PERMISSION);          // device EXEC
    EXPECT_EQ(pt_perm_check(R | U | UX, DEVICE), PT_ERR_PERMISSION);     // device USER_EXEC
    EXPECT_EQ(pt_perm_check(R | U | X, NORMAL), PT_ERR_PERMISSION);      // user page, EL1 exec
    EXPECT_EQ(pt_perm_check(R | 0x20, NORMAL), PT_ERR_PERMISSION);       // unknown bit
    EXPECT_EQ(pt_perm_check(R, 0), PT_ERR_PERMISSION);                   // unknown memory type
    EXPECT_EQ(pt_perm_check(R, 3), PT_ERR_PERMISSION);
    EXPECT_EQ(pt_perm_check(R | X, NORMAL), PT_OK);
    EXPECT_EQ(pt_perm_check(R | U | UX, NORMAL), PT_OK);
    EXPECT_EQ(pt_perm_check(R | W | U, DEVICE), PT_OK);

    // Every combination against the rules written out independently.
    for (uint32_t perm = 0; perm < 64; perm++) {
        for (uint32_t mem : {NORMAL, DEVICE}) {
            bool ok = (perm & ~0x1fu) == 0 && (perm & R) && !((perm & W) && (perm & (X | UX))) &&
                      !((perm & UX) && !(perm & U)) && !((perm & U) && (perm & X)) &&
                      !(mem == DEVICE && (perm & (X | UX)));
            EXPECT_EQ(pt_perm_check(perm, mem), ok ? PT_OK : PT_ERR_PERMISSION)
                << "perm " << perm << " mem " << mem;
        }
    }
}

TEST(PtDescTest, ResultStrings)
{
    EXPECT_EQ(std::string(pt_result_string(PT_OK)), "ok");
    EXPECT_EQ(std::string(pt_result_string(PT_ERR_ALREADY_MAPPED)), "already mapped");
    EXPECT_EQ(std::string(pt_result_string(PT_ERR_BLOCK_SPLIT)), "range splits a block");
    EXPECT_EQ(std::string(pt_result_string(static_cast<pt_result>(15))), "unknown result");
    for (int r = PT_OK; r <= PT_ERR_BLOCK_SPLIT; r++) {
        EXPECT_NE(std::string(pt_result_string(static_cast<pt_result>(r))), "unknown result");
    }
}

// ---- Map and translate ------------------------------------------------

TEST(PtMapTest, PagesLowerHalf)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x400000, 0x40100000, 3 * kPage, R | W | U), PT_OK);
    EXPECT_EQ(t.pool.used, 3u); // L1, L2, L3
    for (uint64_t i = 0; i < 3; i++) {
        pt_mapping m{};
        ASSERT_EQ(t.Translate(0x400000 + i * kPage + 0x123, &m), PT_OK);
        EXPECT_EQ(m.pa.value, 0x40100000 + i * kPage + 0x123);
        EXPECT_EQ(m.perm, R | W | U);
        EXPECT_EQ(m.mem, NORMAL);
        EXPECT_EQ(m.level, 3u);
        EXPECT_EQ(m.block_size, kPage);
    }
    // The rest of the new (garbage-filled, then zeroed) tables is empty.
    pt_mapping m{};
    EXPECT_EQ(t.Translate(0x400000 - kPage, &m), PT_ERR_NOT_MAPPED);
    EXPECT_EQ(t.Translate(0x400000 + 3 * kPage, &m), PT_ERR_NOT_MAPPED);
    EXPECT_EQ(t.Translate(0x400000 + k2M, &m), PT_ERR_NOT_MAPPED);
    EXPECT_EQ(t.Translate(0x400000 + k1G, &m), PT_ERR_NOT_MAPPED);
    EXPECT_EQ(t.Translate(0, &m), PT_ERR_NOT_MAPPED);
}

TEST(PtMapTest, DescriptorsInMemory)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x400000, 0x40100000, kPage, R | U | UX), PT_OK);
    // Root entry 0 -> L1 (pool frame 0), L1 entry 0 -> L2 (frame 1),
    // L2 entry 2 -> L3 (frame 2); table descriptors are address | 0b11.
    EXPECT_EQ(t.Entry(t.root, 0), t.Frame(0).value | 3);
    EXPECT_EQ(t.Entry(t.Frame(0), 0), t.Frame(1).value | 3);
    EXPECT_EQ(t.Entry(t.Frame(1), 2), t.Frame(2).value | 3);
    EXPECT_EQ(t.Entry(t.Frame(2), 0), 0x0020000040100fc7ull);
    EXPECT_EQ(t.Entry(t.Frame(2), 1), 0u);
}

TEST(PtMapTest, KernelImageLikeMappings)
{
    Tree t(16);
    const uint64_t kText = 0xffff000040100000;
    ASSERT_EQ(t.Map(kText, 0x40100000, 4 * kPage, R | X), PT_OK);
    ASSERT_EQ(t.Map(kText + 4 * kPage, 0x40104000, 2 * kPage, R), PT_OK);
    ASSERT_EQ(t.Map(kText + 6 * kPage, 0x40106000, 8 * kPage, R | W), PT_OK);
    ASSERT_EQ(t.Map(0xffff000009000000, 0x09000000, kPage, R | W, DEVICE), PT_OK);
    EXPECT_EQ(t.Lookup(kText + 0x10).perm, R | X);
    EXPECT_EQ(t.Lookup(kText + 5 * kPage).perm, R);
    EXPECT_EQ(t.Lookup(kText + 13 * kPage).perm, R | W);
    EXPECT_EQ(t.Lookup(kText + 13 * kPage).pa.value, 0x4010d000u);
    pt_mapping m = t.Lookup(0xffff000009000000);
    EXPECT_EQ(m.mem, DEVICE);
    EXPECT_EQ(m.perm, R | W);
    EXPECT_EQ(t.pool.used, 5u); // L1, L2 x2 (0x09000000 is another 1 GiB), L3 x2
}

TEST(PtMapTest, Blocks2M)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x40000000, 0x80000000, 2 * k2M, R | W, NORMAL, true), PT_OK);
    EXPECT_EQ(t.pool.used, 2u); // L1, L2: no L3
    pt_mapping m = t.Lookup(0x40000000 + k2M + 0x1234);
    EXPECT_EQ(m.level, 2u);
    EXPECT_EQ(m.block_size, k2M);
    EXPECT_EQ(m.pa.value, 0x80000000 + k2M + 0x1234);
    EXPECT_EQ(t.Entry(t.Frame(1), 0), Leaf(0x80000000, 2, R | W, NORMAL));
}

TEST(PtMapTest, Blocks1GUpperHalf)
{
    Tree t(16);
    const uint64_t va = 0xffff000040000000;
    ASSERT_EQ(t.Map(va, 0x80000000, k1G, R | W, NORMAL, true), PT_OK);
    EXPECT_EQ(t.pool.used, 1u); // L1 only
    pt_mapping m = t.Lookup(va + 0x3fffffff);
    EXPECT_EQ(m.level, 1u);
    EXPECT_EQ(m.block_size, k1G);
    EXPECT_EQ(m.pa.value, 0xbfffffffu);
    // The code indexes VA[47:12] only: in the same root, the lower-half
    // address with the same low bits reads the same entry. Which TTBR a
    // root belongs to is the caller's choice.
    EXPECT_EQ(t.Lookup(0x40000000).pa.value, 0x80000000u);
}

TEST(PtMapTest, BlocksOnlyWhereTheyFit)
{
    Tree t(16);
    // 2 pages, one 2 MiB block, 3 pages; pa congruent with va.
    const uint64_t va = 0x200000 - 2 * kPage;
    const uint64_t pa = 0x40200000 - 2 * kPage;
    const uint64_t size = 2 * kPage + k2M + 3 * kPage;
    EXPECT_EQ(pt_tables_needed(vaddr_make(va), paddr_make(pa), size, true), 4u);
    ASSERT_EQ(t.Map(va, pa, size, R, NORMAL, true), PT_OK);
    EXPECT_EQ(t.pool.used, 4u); // L1, L2, two L3
    EXPECT_EQ(t.Lookup(va).level, 3u);
    EXPECT_EQ(t.Lookup(va + kPage).level, 3u);
    EXPECT_EQ(t.Lookup(0x200000).level, 2u);
    EXPECT_EQ(t.Lookup(0x3fffff).pa.value, 0x403fffffu);
    EXPECT_EQ(t.Lookup(0x400000).level, 3u);
    EXPECT_EQ(t.Lookup(0x402000).pa.value, 0x40402000u);
    EXPECT_EQ(t.Lookup(0x403000).level, 0u);
}

TEST(PtMapTest, NoBlocksWhenPaNotCongruentOrNotAllowed)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x200000, 0x40201000, k2M, R, NORMAL, true), PT_OK);
    EXPECT_EQ(t.Lookup(0x200000).level, 3u);
    ASSERT_EQ(t.Map(0x400000, 0x40400000, k2M, R, NORMAL, false), PT_OK);
    EXPECT_EQ(t.Lookup(0x400000).level, 3u);
    EXPECT_EQ(t.Lookup(0x5ff000).pa.value, 0x405ff000u);
}

TEST(PtMapTest, TopOfUpperHalf)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0xfffffffffffff000, 0x40000000, kPage, R), PT_OK);
    EXPECT_EQ(t.Lookup(0xffffffffffffffff).pa.value, 0x40000fffu);
}

TEST(PtMapTest, NewRoot)
{
    Tree t(5); // the pool: 4 frames
    paddr_t root{};
    ASSERT_EQ(pt_new_root(&t.pool, &root), PT_OK);
    EXPECT_EQ(root.value, t.Frame(0).value);
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        ASSERT_EQ(t.Entry(root, i), 0u) << i;
    }
    t.root = root;
    ASSERT_EQ(t.Map(0x1000, 0x1000, kPage, R), PT_OK);
    EXPECT_EQ(t.pool.used, 4u);
    paddr_t other = paddr_make(0x1234);
    EXPECT_EQ(pt_new_root(&t.pool, &other), PT_ERR_NO_TABLES);
    EXPECT_EQ(other.value, 0x1234u);
}

TEST(PtMapTest, TranslateErrors)
{
    Tree t(4);
    pt_mapping m{};
    EXPECT_EQ(t.Translate(0x1000, &m), PT_ERR_NOT_MAPPED);
    EXPECT_EQ(t.Translate(0x0001000000000000, &m), PT_ERR_NON_CANONICAL);
    EXPECT_EQ(t.Translate(0x8000000000000000, &m), PT_ERR_NON_CANONICAL);
    EXPECT_EQ(pt_translate(paddr_make(kFakeBase + 8), vaddr_make(0), t.pool.phys_to_virt, &m),
              PT_ERR_MISALIGNED);
}

// ---- Map failures change nothing ----------------------------------------

TEST(PtMapTest, OverExistingPage)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x10000, 0x50000000, kPage, R | W), PT_OK);
    ExpectNoChange(t, PT_ERR_ALREADY_MAPPED,
                   [&] { return t.Map(0x10000 - 3 * kPage, 0x60000000, 4 * kPage, R); });
    ExpectNoChange(t, PT_ERR_ALREADY_MAPPED,
                   [&] { return t.Map(0x10000, 0x60000000, 8 * kPage, R); });
    ExpectNoChange(t, PT_ERR_ALREADY_MAPPED,
                   [&] { return t.Map(0x10000, 0x50000000, kPage, R | W); });
    EXPECT_EQ(t.Lookup(0x10000).pa.value, 0x50000000u);
    EXPECT_EQ(t.Lookup(0x10000 - kPage).level, 0u);
}

TEST(PtMapTest, OverlapFoundAfterNewTablesCounted)
{
    Tree t(16);
    // Existing page at 1 GiB + 4 KiB; the new range starts in the empty first
    // GiB (needing an L2 and an L3 table) and runs into it.
    ASSERT_EQ(t.Map(k1G + kPage, 0x50000000, kPage, R), PT_OK);
    ExpectNoChange(t, PT_ERR_ALREADY_MAPPED,
                   [&] { return t.Map(k1G - 2 * kPage, 0x60000000, 4 * kPage, R); });
    EXPECT_EQ(t.Lookup(k1G - kPage).level, 0u);
}

TEST(PtMapTest, OverExistingBlock)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x200000, 0x40200000, k2M, R, NORMAL, true), PT_OK);
    ExpectNoChange(t, PT_ERR_ALREADY_MAPPED, [&] { return t.Map(0x3ff000, 0x1000, kPage, R); });
    ExpectNoChange(t, PT_ERR_ALREADY_MAPPED,
                   [&] { return t.Map(0x200000, 0x40200000, k2M, R, NORMAL, true); });
}

TEST(PtMapTest, ArgumentErrors)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x10000, 0x50000000, kPage, R), PT_OK);
    auto map = [&](uint64_t va, uint64_t pa, uint64_t size, uint32_t perm = R,
                   uint32_t mem = NORMAL) { return t.Map(va, pa, size, perm, mem); };
    ExpectNoChange(t, PT_ERR_MISALIGNED, [&] { return map(0x20800, 0x1000, kPage); });
    ExpectNoChange(t, PT_ERR_MISALIGNED, [&] { return map(0x20000, 0x1800, kPage); });
    ExpectNoChange(t, PT_ERR_MISALIGNED, [&] { return map(0x20000, 0x1000, 0x800); });
    ExpectNoChange(t, PT_ERR_MISALIGNED, [&] {
        return pt_map(&t.pool, paddr_make(kFakeBase + 8), vaddr_make(0x20000), paddr_make(0), kPage,
                      R, NORMAL, false);
    });
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return map(0x20000, 0x1000, 0); });
    // va + size overflows (past the top of the upper half).
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return map(0xfffffffffffff000, 0x1000, 2 * kPage); });
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return map(0xffff000000000000, 0, ~0xfffull); });
    // From the top of the lower half into the non-canonical gap.
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return map(0x0000fffffffff000, 0x1000, 2 * kPage); });
    ExpectNoChange(t, PT_ERR_NON_CANONICAL, [&] { return map(0x0001000000000000, 0x1000, kPage); });
    ExpectNoChange(t, PT_ERR_NON_CANONICAL, [&] { return map(0xfffe000000000000, 0x1000, kPage); });
    // pa at or above 2^48, or pa + size above it.
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return map(0x20000, 0x0001000000000000, kPage); });
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return map(0x20000, 0x0000fffffffff000, 2 * kPage); });
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return map(0x20000, 0xfffffffffffff000, kPage); });
    // The rules of pt_perm_check, through pt_map.
    ExpectNoChange(t, PT_ERR_PERMISSION, [&] { return map(0x20000, 0, kPage, R | W | X); });
    ExpectNoChange(t, PT_ERR_PERMISSION, [&] { return map(0x20000, 0, kPage, R | W | U | UX); });
    ExpectNoChange(t, PT_ERR_PERMISSION, [&] { return map(0x20000, 0, kPage, R | UX); });
    ExpectNoChange(t, PT_ERR_PERMISSION, [&] { return map(0x20000, 0, kPage, W); });
    ExpectNoChange(t, PT_ERR_PERMISSION, [&] { return map(0x20000, 0, kPage, R | X, DEVICE); });
    ExpectNoChange(t, PT_ERR_PERMISSION,
                   [&] { return map(0x20000, 0, kPage, R | U | UX, DEVICE); });
}

TEST(PtMapTest, PoolExhaustedMidRange)
{
    Tree t(16);
    // [1 GiB - 4 KiB, 1 GiB + 4 KiB): L1 + (L2 + L3) x 2 = 5 tables.
    const uint64_t va = k1G - kPage;
    EXPECT_EQ(pt_tables_needed(vaddr_make(va), paddr_make(0), 2 * kPage, false), 5u);
    t.pool.count = 4;
    ExpectNoChange(t, PT_ERR_NO_TABLES, [&] { return t.Map(va, 0, 2 * kPage, R); });
    EXPECT_EQ(t.Lookup(va).level, 0u);
    EXPECT_EQ(t.Lookup(va + kPage).level, 0u);
    t.pool.count = 5;
    ASSERT_EQ(t.Map(va, 0, 2 * kPage, R), PT_OK);
    EXPECT_EQ(t.pool.used, 5u);
    // A full pool, and a pool whose `used` ran past `count`.
    ExpectNoChange(t, PT_ERR_NO_TABLES, [&] { return t.Map(0x1000, 0, kPage, R); });
    t.pool.used = 7;
    ExpectNoChange(t, PT_ERR_NO_TABLES, [&] { return t.Map(0x1000, 0, kPage, R); });
}

TEST(PtMapTest, BadPoolFrames)
{
    Tree t(16);
    // The third of the three tables a first map needs is bad.
    std::vector<paddr_t> frames = {t.Frame(0), t.Frame(1), paddr_make(t.Frame(2).value + 8)};
    t.pool.frames = frames.data();
    t.pool.count = frames.size();
    ExpectNoChange(t, PT_ERR_MISALIGNED, [&] { return t.Map(0x1000, 0, kPage, R); });
    frames[2] = paddr_make(1ull << 48);
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return t.Map(0x1000, 0, kPage, R); });
}

// ---- Unmap and protect --------------------------------------------------

TEST(PtUnmapTest, Pages)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x10000, 0x50000000, 4 * kPage, R | W), PT_OK);
    size_t used = t.pool.used;
    ASSERT_EQ(t.Unmap(0x11000, kPage), PT_OK);
    EXPECT_EQ(t.Lookup(0x10000).pa.value, 0x50000000u);
    EXPECT_EQ(t.Lookup(0x11000).level, 0u);
    EXPECT_EQ(t.Lookup(0x12000).pa.value, 0x50002000u);
    EXPECT_EQ(t.pool.used, used); // no table freed or taken
    // A hole anywhere in the range: nothing unmapped.
    ExpectNoChange(t, PT_ERR_NOT_MAPPED, [&] { return t.Unmap(0x10000, 4 * kPage); });
    ExpectNoChange(t, PT_ERR_NOT_MAPPED, [&] { return t.Unmap(0x40000000, kPage); });
    ExpectNoChange(t, PT_ERR_NOT_MAPPED, [&] { return t.Unmap(0x12000, 3 * kPage); });
    ExpectNoChange(t, PT_ERR_MISALIGNED, [&] { return t.Unmap(0x12800, kPage); });
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return t.Unmap(0x12000, 0); });
    ExpectNoChange(t, PT_ERR_NON_CANONICAL, [&] { return t.Unmap(0x0001000000012000, kPage); });
    ASSERT_EQ(t.Unmap(0x12000, 2 * kPage), PT_OK);
    ASSERT_EQ(t.Unmap(0x10000, kPage), PT_OK);
    EXPECT_EQ(t.Lookup(0x10000).level, 0u);
    // The emptied tables stay and are reused: no new frame.
    ASSERT_EQ(t.Map(0x10000, 0x60000000, kPage, R), PT_OK);
    EXPECT_EQ(t.pool.used, used);
}

TEST(PtUnmapTest, Blocks)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x200000, 0x40200000, k2M, R, NORMAL, true), PT_OK);
    ASSERT_EQ(t.Map(0x400000, 0x40400000, 2 * kPage, R), PT_OK);
    ExpectNoChange(t, PT_ERR_BLOCK_SPLIT, [&] { return t.Unmap(0x200000, kPage); });
    ExpectNoChange(t, PT_ERR_BLOCK_SPLIT, [&] { return t.Unmap(0x3ff000, 2 * kPage); });
    ExpectNoChange(t, PT_ERR_BLOCK_SPLIT, [&] { return t.Unmap(0x201000, k2M); });
    // The block and the page after it, in one call.
    ASSERT_EQ(t.Unmap(0x200000, k2M + kPage), PT_OK);
    EXPECT_EQ(t.Lookup(0x200000).level, 0u);
    EXPECT_EQ(t.Lookup(0x400000).level, 0u);
    EXPECT_EQ(t.Lookup(0x401000).level, 3u);
}

TEST(PtUnmapTest, OneGigBlock)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0xffff000080000000, 0x80000000, k1G, R, NORMAL, true), PT_OK);
    ExpectNoChange(t, PT_ERR_BLOCK_SPLIT, [&] { return t.Unmap(0xffff000080000000, k2M); });
    ASSERT_EQ(t.Unmap(0xffff000080000000, k1G), PT_OK);
    EXPECT_EQ(t.Lookup(0xffff000080000000).level, 0u);
}

TEST(PtProtectTest, ChangesPermissionsOnly)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x10000, 0x50000000, 4 * kPage, R | W | U), PT_OK);
    ASSERT_EQ(t.Protect(0x11000, 2 * kPage, R | U | UX), PT_OK);
    EXPECT_EQ(t.Lookup(0x10000).perm, R | W | U);
    pt_mapping m = t.Lookup(0x11000);
    EXPECT_EQ(m.perm, R | U | UX);
    EXPECT_EQ(m.pa.value, 0x50001000u);
    EXPECT_EQ(m.mem, NORMAL);
    EXPECT_EQ(t.Lookup(0x12000).perm, R | U | UX);
    EXPECT_EQ(t.Lookup(0x13000).perm, R | W | U);
    ExpectNoChange(t, PT_ERR_PERMISSION, [&] { return t.Protect(0x10000, kPage, R | W | U | UX); });
    // USER may not be added or removed (it changes nG).
    ExpectNoChange(t, PT_ERR_PERMISSION, [&] { return t.Protect(0x10000, kPage, R | W); });
    ExpectNoChange(t, PT_ERR_NOT_MAPPED, [&] { return t.Protect(0x13000, 2 * kPage, R | U); });
    ExpectNoChange(t, PT_ERR_MISALIGNED, [&] { return t.Protect(0x13000, 0x10, R | U); });
    ExpectNoChange(t, PT_ERR_RANGE, [&] { return t.Protect(0x13000, 0, R | U); });
}

TEST(PtProtectTest, DeviceAndBlocks)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0xffff000009000000, 0x09000000, kPage, R | W, DEVICE), PT_OK);
    ExpectNoChange(t, PT_ERR_PERMISSION,
                   [&] { return t.Protect(0xffff000009000000, kPage, R | X); });
    ASSERT_EQ(t.Protect(0xffff000009000000, kPage, R), PT_OK);
    EXPECT_EQ(t.Lookup(0xffff000009000000).mem, DEVICE);
    EXPECT_EQ(t.Lookup(0xffff000009000000).perm, R);

    ASSERT_EQ(t.Map(0xffff000040000000, 0x40000000, 2 * k2M, R | W, NORMAL, true), PT_OK);
    ExpectNoChange(t, PT_ERR_BLOCK_SPLIT, [&] { return t.Protect(0xffff000040000000, kPage, R); });
    ASSERT_EQ(t.Protect(0xffff000040200000, k2M, R | X), PT_OK);
    EXPECT_EQ(t.Lookup(0xffff000040000000).perm, R | W);
    pt_mapping m = t.Lookup(0xffff000040300000);
    EXPECT_EQ(m.perm, R | X);
    EXPECT_EQ(m.level, 2u);
    EXPECT_EQ(m.pa.value, 0x40300000u);
}

// ---- User access --------------------------------------------------------

TEST(PtUserAccessTest, Rules)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x10000, 0x50000000, kPage, R | W), PT_OK);      // kernel RW
    ASSERT_EQ(t.Map(0x11000, 0x50001000, kPage, R | U), PT_OK);      // user RO
    ASSERT_EQ(t.Map(0x12000, 0x50002000, kPage, R | W | U), PT_OK);  // user RW
    ASSERT_EQ(t.Map(0x13000, 0x50003000, kPage, R | U | UX), PT_OK); // user RX
    EXPECT_FALSE(t.UserOk(0x10000, false));
    EXPECT_FALSE(t.UserOk(0x10000, true));
    EXPECT_TRUE(t.UserOk(0x11fff, false));
    EXPECT_FALSE(t.UserOk(0x11fff, true));
    EXPECT_TRUE(t.UserOk(0x12008, false));
    EXPECT_TRUE(t.UserOk(0x12008, true));
    EXPECT_TRUE(t.UserOk(0x13000, false));
    EXPECT_FALSE(t.UserOk(0x13000, true));
    EXPECT_FALSE(t.UserOk(0x14000, false)); // hole
    EXPECT_FALSE(t.UserOk(0x40000000, false));
    // Upper half: never a user address, even though the same root's entry
    // (VA[47:12] = 0x12) is a user RW page.
    EXPECT_FALSE(t.UserOk(0xffff000000012000, false));
    EXPECT_FALSE(t.UserOk(0x0001000000012000, false));
}

// ---- pt_tables_needed ---------------------------------------------------

TEST(PtTablesNeededTest, ClosedForms)
{
    auto need = [](uint64_t va, uint64_t pa, uint64_t size, bool blocks) {
        return pt_tables_needed(vaddr_make(va), paddr_make(pa), size, blocks);
    };
    EXPECT_EQ(need(0, 0, kPage, false), 3u);
    EXPECT_EQ(need(k1G, 0, k1G, false), 2u + 512u);
    EXPECT_EQ(need(k1G, 0, k1G, true), 1u);
    EXPECT_EQ(need(k1G, k2M, k1G, true), 2u);          // 2 MiB blocks only
    EXPECT_EQ(need(k1G, kPage, k1G, true), 2u + 512u); // pages only
    // The whole lower half, pages: 512 L1, 512^2 L2, 512^3 L3 (computed
    // in closed form, not by walking 2^36 pages).
    EXPECT_EQ(need(0, 0, 1ull << 48, false), 512u + 512u * 512u + 512u * 512u * 512u);
    EXPECT_EQ(need(0, 0, 1ull << 48, true), 512u);
    // Arguments pt_map rejects.
    EXPECT_EQ(need(0x800, 0, kPage, false), 0u);
    EXPECT_EQ(need(0, 0, 0, false), 0u);
    EXPECT_EQ(need(0x0001000000000000, 0, kPage, false), 0u);
    EXPECT_EQ(need(0, 1ull << 48, kPage, false), 0u);
}

TEST(PtTablesNeededTest, BoundsActualUse)
{
    struct Case {
        uint64_t va, pa, size;
        bool blocks;
    };
    const Case cases[] = {
        {0x1000, 0x1000, kPage, false},
        {k2M - kPage, 0, 2 * kPage, false},
        {k1G - kPage, 0, 2 * kPage, true},
        {(1ull << 39) - k2M, 0x80000000, 2 * k2M, true},
        {(1ull << 39) - k2M - kPage, 0x80000000 - kPage, 2 * k2M + 3 * kPage, true},
        {(1ull << 39) - k2M - kPage, 0x80000000, 2 * k2M + 3 * kPage, true},
        {0xffff000000000000, 0, 8 * k2M + kPage, true},
        {0xffff7fffffe00000, 0x40000000, k1G + 2 * k2M, true},
        {0xffff7fffffe00000, 0x40000000, 4 * k2M, false},
        {0x40000000, 0x40000000, 3 * k1G + k2M + kPage, true},
    };
    for (const Case &c : cases) {
        // On an empty tree the bound is exact.
        Tree t(64);
        size_t bound = pt_tables_needed(vaddr_make(c.va), paddr_make(c.pa), c.size, c.blocks);
        ASSERT_EQ(t.Map(c.va, c.pa, c.size, R, NORMAL, c.blocks), PT_OK) << std::hex << c.va;
        EXPECT_EQ(t.pool.used, bound) << std::hex << c.va;
        // On a tree that holds something, emptied again, it still bounds.
        ASSERT_EQ(t.Unmap(c.va, c.size), PT_OK);
        ASSERT_EQ(t.Map(c.va + kPage, 0x1000, kPage, R), PT_OK);
        size_t before = t.pool.used;
        ASSERT_EQ(t.Map(c.va + 2 * kPage, c.pa, k2M, R, NORMAL, c.blocks), PT_OK);
        EXPECT_LE(t.pool.used - before,
                  pt_tables_needed(vaddr_make(c.va + 2 * kPage), paddr_make(c.pa), k2M, c.blocks));
    }
}

// ---- Teardown -------------------------------------------------------------

constexpr uint64_t kSentinel = 0xdead000;

// Every table reachable from the root, each with its parent (the root's is 0).
std::map<uint64_t, uint64_t> TablesOf(const Tree &t)
{
    std::map<uint64_t, uint64_t> parent{{t.root.value, 0}};
    std::vector<std::pair<uint64_t, unsigned>> todo{{t.root.value, 0}};
    while (!todo.empty()) {
        auto [table, level] = todo.back();
        todo.pop_back();
        for (unsigned i = 0; level < 3 && i < PT_ENTRIES; i++) {
            uint64_t e = t.Entry(paddr_make(table), i);
            if ((e & 3) == 3) {
                uint64_t next = e & 0x0000fffffffff000ull;
                parent[next] = table;
                todo.push_back({next, level + 1});
            }
        }
    }
    return parent;
}

// Tears the tree down max tables a call, checking each batch against the
// contract in pt.h; returns the tables in the order they came back.
std::vector<uint64_t> TakeAll(Tree &t, size_t max)
{
    const std::map<uint64_t, uint64_t> parent = TablesOf(t);
    std::set<uint64_t> taken;
    std::vector<uint64_t> order;
    std::vector<paddr_t> out(max + 1);
    bool done = false;
    for (size_t batch = 0; !done; batch++) {
        if (batch > parent.size()) {
            ADD_FAILURE() << "more batches than tables";
            break;
        }
        out[max] = paddr_make(kSentinel);
        size_t n = pt_take_tables(t.root, t.pool.phys_to_virt, out.data(), max, &done);
        EXPECT_GE(n, 1u);
        EXPECT_LE(n, max);
        EXPECT_EQ(out[max].value, kSentinel) << "wrote past max";
        if (!done) {
            EXPECT_EQ(n, max) << "a short batch without the root";
        }
        for (size_t i = 0; i < n && i < max; i++) {
            uint64_t table = out[i].value;
            EXPECT_EQ(parent.count(table), 1u) << std::hex << table << " is no table";
            EXPECT_TRUE(taken.insert(table).second) << std::hex << table << " twice";
            for (const auto &[child, p] : parent) {
                if (p == table) {
                    EXPECT_EQ(taken.count(child), 1u) << "parent before child";
                }
            }
            order.push_back(table);
        }
        EXPECT_EQ(done, taken.count(t.root.value) == 1);
        if (!done) {
            // What is still linked is exactly what has not come back.
            std::map<uint64_t, uint64_t> left = TablesOf(t);
            EXPECT_EQ(left.size() + taken.size(), parent.size());
            for (const auto &entry : left) {
                EXPECT_EQ(taken.count(entry.first), 0u) << "returned but still linked";
            }
        }
    }
    EXPECT_EQ(taken.size(), parent.size());
    EXPECT_FALSE(order.empty());
    if (!order.empty()) {
        EXPECT_EQ(order.back(), t.root.value) << "the root comes last";
    }
    return order;
}

// The tables a tree holds: the root and the pool frames taken.
std::set<uint64_t> TakenFrames(const Tree &t)
{
    std::set<uint64_t> frames{t.root.value};
    for (size_t i = 0; i < t.pool.used; i++) {
        frames.insert(t.pool.frames[i].value);
    }
    return frames;
}

// Pages, 2 MiB and 1 GiB blocks in both halves: several tables per level.
void MapSpread(Tree &t)
{
    ASSERT_EQ(t.Map(0x400000, 0x50000000, 3 * kPage, R | W | U), PT_OK);
    ASSERT_EQ(t.Map(0x600000 - kPage, 0x50100000, 2 * kPage, R | U), PT_OK);
    ASSERT_EQ(t.Map(k1G + 0x10000, 0x50200000, kPage, R | U), PT_OK);
    ASSERT_EQ(t.Map(0x8000000000, 0x50300000, kPage, R | U), PT_OK); // root entry 1
    ASSERT_EQ(t.Map(0x10000000, 0x60000000, k2M, R, NORMAL, true), PT_OK);
    // Root entry 256 (VA[47:39] of the upper-half address).
    ASSERT_EQ(t.Map(0xffff800080000000, 0x80000000, k1G, R | W, NORMAL, true), PT_OK);
    ASSERT_EQ(t.Map(0xffff8000c0000000, 0x09000000, kPage, R | W, DEVICE), PT_OK);
    // Root, L1 x3, L2 x4 (under 0, 1 GiB, 512 GiB, upper 3 GiB), L3 x5.
    ASSERT_EQ(TablesOf(t).size(), 13u);
}

TEST(PtTakeTablesTest, EveryTableOnceDeepestFirstInAnyBatchSize)
{
    for (size_t max : {1u, 2u, 3u, 5u, 12u, 13u, 14u, 100u}) {
        Tree t(32);
        MapSpread(t);
        if (testing::Test::HasFatalFailure()) {
            return;
        }
        std::set<uint64_t> frames = TakenFrames(t);
        ASSERT_EQ(frames.size(), 13u);
        std::vector<uint64_t> order = TakeAll(t, max);
        EXPECT_EQ(std::set<uint64_t>(order.begin(), order.end()), frames) << "max " << max;
    }
}

TEST(PtTakeTablesTest, EmptyRootAlone)
{
    Tree t(4);
    paddr_t out[2] = {paddr_make(kSentinel), paddr_make(kSentinel)};
    bool done = false;
    EXPECT_EQ(pt_take_tables(t.root, t.pool.phys_to_virt, out, 2, &done), 1u);
    EXPECT_TRUE(done);
    EXPECT_EQ(out[0].value, t.root.value);
    EXPECT_EQ(out[1].value, kSentinel);
}

TEST(PtTakeTablesTest, EmptiedTablesComeBack)
{
    Tree t(32);
    MapSpread(t);
    ASSERT_EQ(t.Unmap(0x400000, 3 * kPage), PT_OK);
    ASSERT_EQ(t.Unmap(0x600000 - kPage, 2 * kPage), PT_OK);
    ASSERT_EQ(t.Unmap(k1G + 0x10000, kPage), PT_OK);
    ASSERT_EQ(t.Unmap(0x8000000000, kPage), PT_OK);
    ASSERT_EQ(t.Unmap(0x10000000, k2M), PT_OK);
    ASSERT_EQ(t.Unmap(0xffff800080000000, k1G + kPage), PT_OK);
    std::set<uint64_t> frames = TakenFrames(t);
    std::vector<uint64_t> order = TakeAll(t, 4);
    EXPECT_EQ(std::set<uint64_t>(order.begin(), order.end()), frames);
}

TEST(PtTakeTablesTest, MappedFramesUntouchedAndUnlinksOnly)
{
    Tree t(32);
    // A page whose frame lies in the fake memory (pool frame 20: garbage).
    const uint64_t data = t.Frame(20).value;
    ASSERT_EQ(t.Map(0x400000, data, kPage, R | W | U), PT_OK);
    std::vector<uint8_t> before = t.Snapshot();
    paddr_t out[1];
    bool done = true;
    // One batch: the L3 table, unlinked from its L2 and otherwise as it was.
    ASSERT_EQ(pt_take_tables(t.root, t.pool.phys_to_virt, out, 1, &done), 1u);
    EXPECT_FALSE(done);
    EXPECT_EQ(out[0].value, t.Frame(2).value);
    EXPECT_EQ(t.Entry(t.Frame(1), 2), 0u);
    EXPECT_EQ(t.Entry(t.Frame(2), 0), Leaf(data, 3, R | W | U, NORMAL));
    EXPECT_EQ(t.Lookup(0x400000).level, 0u);
    std::vector<uint8_t> after = t.Snapshot();
    const size_t link = t.Frame(1).value - kFakeBase + 2 * 8;
    std::fill(before.begin() + link, before.begin() + link + 8, 0);
    EXPECT_TRUE(after == before) << "more changed than the unlinked descriptor";
    TakeAll(t, 100);
    const size_t off = data - kFakeBase;
    after = t.Snapshot();
    EXPECT_TRUE(
        std::equal(before.begin() + off, before.begin() + off + kPage, after.begin() + off));
}

// ---- Randomized: pages and 2 MiB blocks against a model --------------------

// A page of the model: where it maps, how, and the base of its 2 MiB block
// (0 when it is a page).
struct ModelPage {
    uint64_t pa;
    uint32_t perm;
    uint64_t block;
};

class Model {
  public:
    Model(uint64_t base, uint64_t pages) : base_(base), pages_(pages) {}

    // What pt_map must do; updates the model when it succeeds.
    pt_result Map(uint64_t va, uint64_t pa, uint64_t size, uint32_t perm, bool blocks)
    {
        for (uint64_t a = va; a < va + size; a += kPage) {
            if (map_.count(a) != 0) {
                return PT_ERR_ALREADY_MAPPED;
            }
        }
        for (uint64_t a = va; a < va + size;) {
            uint64_t chunk = a & ~(k2M - 1);
            bool block = blocks && a == chunk && a + k2M <= va + size &&
                         ((pa + (a - va)) & (k2M - 1)) == 0 && l3_.count(chunk) == 0;
            uint64_t step = block ? k2M : kPage;
            if (!block) {
                l3_.insert(chunk);
            } else {
                blocks_++;
            }
            l2_.insert(a & ~(k1G - 1));
            for (uint64_t p = a; p < a + step; p += kPage) {
                map_[p] = {pa + (p - va), perm, block ? chunk : 0};
            }
            a += step;
        }
        return PT_OK;
    }

    // What pt_unmap (perm == 0) or pt_protect must do, and do it.
    pt_result Change(uint64_t va, uint64_t size, uint32_t perm)
    {
        for (uint64_t a = va; a < va + size; a += kPage) {
            auto it = map_.find(a);
            if (it == map_.end()) {
                return PT_ERR_NOT_MAPPED;
            }
            uint64_t block = it->second.block;
            if (block != 0 && (block < va || block + k2M > va + size)) {
                return PT_ERR_BLOCK_SPLIT;
            }
            if (perm != 0 && ((it->second.perm ^ perm) & U) != 0) {
                return PT_ERR_PERMISSION;
            }
        }
        for (uint64_t a = va; a < va + size; a += kPage) {
            if (perm == 0) {
                map_.erase(a);
            } else {
                map_[a].perm = perm;
            }
        }
        return PT_OK;
    }

    void Compare(Tree &t) const
    {
        for (uint64_t i = 0; i < pages_; i++) {
            uint64_t va = base_ + i * kPage;
            pt_mapping m{};
            pt_result r = t.Translate(va + 0x10, &m);
            auto it = map_.find(va);
            if (it == map_.end()) {
                ASSERT_EQ(r, PT_ERR_NOT_MAPPED) << std::hex << va;
                continue;
            }
            ASSERT_EQ(r, PT_OK) << std::hex << va;
            ASSERT_EQ(m.pa.value, it->second.pa + 0x10) << std::hex << va;
            ASSERT_EQ(m.perm, it->second.perm) << std::hex << va;
            ASSERT_EQ(m.level, it->second.block != 0 ? 2u : 3u) << std::hex << va;
        }
    }

    // How many 2 MiB blocks were ever mapped.
    size_t Blocks() const
    {
        return blocks_;
    }

    // How many pages from va on are mapped, without a hole.
    uint64_t MappedRun(uint64_t va) const
    {
        uint64_t n = 0;
        while (map_.count(va + n * kPage) != 0) {
            n++;
        }
        return n;
    }

    // The permissions of the page at va, 0 when it is not mapped.
    uint32_t PermAt(uint64_t va) const
    {
        auto it = map_.find(va);
        return it == map_.end() ? 0 : it->second.perm;
    }

    // Tables the tree must hold besides the root: one L1, the L2s, the L3s.
    size_t Tables() const
    {
        return (l2_.empty() ? 0 : 1) + l2_.size() + l3_.size();
    }

  private:
    uint64_t base_;
    uint64_t pages_;
    std::map<uint64_t, ModelPage> map_;
    std::set<uint64_t> l3_; // 2 MiB chunks that got an L3 table (kept for good)
    std::set<uint64_t> l2_; // 1 GiB chunks that got an L2 table
    size_t blocks_ = 0;
};

// Tallies over all rounds of the randomized test.
struct Stats {
    int ok[3] = {0, 0, 0}; // successful maps, unmaps, protects
    std::map<pt_result, int> results;
    size_t blocks = 0;
};

// One operation chosen at random, run on the tree and on the model; the
// results must agree.
void RandomStep(std::mt19937_64 &rng, Tree &t, Model &model, uint64_t base, uint64_t pages,
                Stats &stats, size_t &bound)
{
    const uint32_t perms[] = {R, R | W, R | X, R | U, R | W | U, R | U | UX};
    uint64_t first = rng() % pages;
    uint64_t count = 1 + rng() % (rng() % 4 == 0 ? 1100 : 40);
    int op = static_cast<int>(rng() % 3);
    uint32_t perm = perms[rng() % 6];
    if (op == 0 && rng() % 3 == 0) {
        first &= ~(k2M / kPage - 1); // 2 MiB aligned and sized: blocks
        count = (1 + rng() % 3) * (k2M / kPage);
    }
    count = std::min(count, pages - first);
    uint64_t va = base + first * kPage, size = count * kPage;
    uint64_t run = model.MappedRun(va);
    if (op != 0 && run != 0 && rng() % 4 != 0) {
        size = std::min(size, run * kPage); // mostly aim at mapped pages
    }
    pt_result want, got;
    if (op == 0) {
        // Half of the maps are congruent modulo 2 MiB, so blocks can happen.
        uint64_t pa = (rng() % 2 == 0) ? va + 0x40000000 : 0x80000000 + (rng() % 4096) * kPage;
        bool blocks = rng() % 4 != 0;
        bound += pt_tables_needed(vaddr_make(va), paddr_make(pa), size, blocks);
        want = model.Map(va, pa, size, perm, blocks);
        got = t.Map(va, pa, size, perm, NORMAL, blocks);
    } else if (op == 1) {
        want = model.Change(va, size, 0);
        got = t.Unmap(va, size);
    } else {
        // Mostly keep USER as it is at va: changing it is refused.
        if (rng() % 4 != 0 && ((model.PermAt(va) ^ perm) & U) != 0) {
            perm = (model.PermAt(va) & U) ? R | U : R | W;
        }
        want = model.Change(va, size, perm);
        got = t.Protect(va, size, perm);
    }
    ASSERT_EQ(got, want) << "op " << op << std::hex << " va " << va << " size " << size;
    stats.ok[op] += got == PT_OK;
    stats.results[got]++;
}

TEST(PtRandomTest, AgainstModel)
{
    // 16 MiB across the 1 GiB boundary: eight 2 MiB chunks (blocks or L3
    // tables) under each of two L2 tables. Fresh trees every round, since
    // tables stay and soon leave no room for blocks.
    const uint64_t base = k1G - 8 * k2M;
    const uint64_t pages = 16 * k2M / kPage;
    std::mt19937_64 rng(20240611);
    Stats stats;

    for (int round = 0; round < 8; round++) {
        Tree t(64);
        Model model(base, pages);
        size_t bound = 0;
        for (int step = 0; step < 200; step++) {
            RandomStep(rng, t, model, base, pages, stats, bound);
            model.Compare(t);
            if (testing::Test::HasFatalFailure()) {
                FAIL() << "round " << round << " step " << step;
            }
            ASSERT_EQ(t.pool.used, model.Tables()) << "round " << round << " step " << step;
            ASSERT_LE(t.pool.used, bound);
        }
        stats.blocks += model.Blocks();
        // Teardown gives back exactly the tables taken, the root last.
        std::set<uint64_t> frames = TakenFrames(t);
        std::vector<uint64_t> order = TakeAll(t, 1 + round % 4);
        ASSERT_EQ(std::set<uint64_t>(order.begin(), order.end()), frames) << "round " << round;
    }
    // Every operation succeeded often, and every way to fail happened.
    EXPECT_GT(stats.ok[0], 50);
    EXPECT_GT(stats.ok[1], 50);
    EXPECT_GT(stats.ok[2], 50);
    EXPECT_GT(stats.results[PT_ERR_ALREADY_MAPPED], 10);
    EXPECT_GT(stats.results[PT_ERR_NOT_MAPPED], 10);
    EXPECT_GT(stats.results[PT_ERR_BLOCK_SPLIT], 10);
    EXPECT_GT(stats.results[PT_ERR_PERMISSION], 10);
    EXPECT_GT(stats.blocks, 10u);
    printf("random: %d maps, %d unmaps, %d protects succeeded; %d already mapped, %d not mapped, "
           "%d block split, %d permission; %zu blocks mapped\n",
           stats.ok[0], stats.ok[1], stats.ok[2], stats.results[PT_ERR_ALREADY_MAPPED],
           stats.results[PT_ERR_NOT_MAPPED], stats.results[PT_ERR_BLOCK_SPLIT],
           stats.results[PT_ERR_PERMISSION], stats.blocks);
}

} // namespace

TEST(PtReclaimTest, EmptiedTablesUnlinkedDeepestFirstRootKept)
{
    Tree t(16);
    ASSERT_EQ(t.Map(0x10000, 0x50000000, 2 * kPage, U | R), PT_OK);
    ASSERT_EQ(t.Map(k1G, 0x60000000, kPage, U | R), PT_OK);
    ASSERT_EQ(t.pool.used, 5u); // L1, L2 + L3 for each 1 GiB region
    EXPECT_EQ(pt_count_tables(t.root, 0, t.pool.phys_to_virt), 6u);
    paddr_t out[3] = {};
    // A table still holding a page stays.
    ASSERT_EQ(t.Unmap(0x10000, kPage), PT_OK);
    EXPECT_EQ(pt_reclaim(t.root, vaddr_make(0x10000), t.pool.phys_to_virt, out), 0u);
    EXPECT_EQ(t.Lookup(0x11000).pa.value, 0x50001000u);
    // Its last page gone: its L3 and L2 go, the L1 (still used) stays.
    ASSERT_EQ(t.Unmap(0x11000, kPage), PT_OK);
    ASSERT_EQ(pt_reclaim(t.root, vaddr_make(0x11000), t.pool.phys_to_virt, out), 2u);
    EXPECT_EQ(out[0].value, t.pool.frames[2].value); // the L3 of the first region
    EXPECT_EQ(out[1].value, t.pool.frames[1].value); // its L2
    EXPECT_EQ(pt_count_tables(t.root, 0, t.pool.phys_to_virt), 4u);
    EXPECT_EQ(t.Lookup(k1G).pa.value, 0x60000000u);
    // The last page: L3, L2, L1; the root is never taken.
    ASSERT_EQ(t.Unmap(k1G, kPage), PT_OK);
    ASSERT_EQ(pt_reclaim(t.root, vaddr_make(k1G), t.pool.phys_to_virt, out), 3u);
    EXPECT_EQ(out[2].value, t.pool.frames[0].value);
    EXPECT_EQ(pt_count_tables(t.root, 0, t.pool.phys_to_virt), 1u);
    EXPECT_EQ(pt_reclaim(t.root, vaddr_make(k1G), t.pool.phys_to_virt, out), 0u);
    // The root holds no entry: a new map builds a fresh path.
    for (uint32_t i = 0; i < PT_ENTRIES; i++) {
        EXPECT_EQ(reinterpret_cast<const uint64_t *>(t.pool.phys_to_virt + t.root.value)[i], 0u);
    }
    t.pool.used = 5;
    ASSERT_EQ(t.Map(0x10000, 0x70000000, kPage, U | R), PT_OK);
    EXPECT_EQ(t.Lookup(0x10000).pa.value, 0x70000000u);
    EXPECT_EQ(pt_count_tables(t.root, 0, t.pool.phys_to_virt), 4u);
}
