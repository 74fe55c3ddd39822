// Tests for kernel/elf.
//
// - testdata/hello.c, built for aarch64 by the hermetic toolchain (the
//   :hello_elf target), parses to the layout lld gives it.
// - For every rule of elf_result, a copy of that image (or a hand-built
//   image) that breaks exactly that rule is refused with exactly its error.
// - Every truncation of the image, and seeded random corruptions: each
//   image is copied into a heap buffer of exactly its size, so under
//   --config=asan a read past the end stops the test; accepted images must
//   keep every promise of elf.h (elf_check.h), refused ones leave *out alone.
// - Error names and status codes.

#include "kernel/elf/elf.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "kernel/elf/elf_check.h"
#include "gtest/gtest.h"

#include "kernel/abi/status.h"

namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint64_t kUserTop = uint64_t{1} << 48;
constexpr uint64_t kPage = ELF_PAGE_SIZE;
constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3, kPtNote = 4;
constexpr uint32_t kPtPhdr = 6, kPtGnuStack = 0x6474e551;
constexpr uint32_t kR = ELF_PERM_R, kW = ELF_PERM_W, kX = ELF_PERM_X;

// Header and program header field offsets (ELF-64 3 and 7).
constexpr size_t kEntry = 24, kPhoff = 32, kEhsize = 52, kPhentsize = 54, kPhnum = 56;
constexpr size_t kPType = 0, kPFlags = 4, kPOffset = 8, kPVaddr = 16, kPFilesz = 32, kPMemsz = 40,
                 kPAlign = 48;

uint64_t Get(const Bytes &b, size_t off, int bytes)
{
    return elf_check::Le(b.data() + off, bytes);
}

void Set(Bytes &b, size_t off, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        b.at(off + i) = (uint8_t)(v >> (8 * i));
    }
}

Bytes ReadFile(const std::string &path)
{
    // The test runs in the workspace's runfiles root.
    std::ifstream f(path, std::ios::binary);
    EXPECT_TRUE(f.good()) << path;
    return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

const Bytes &Hello()
{
    static const Bytes hello = ReadFile("kernel/elf/hello.elf");
    return hello;
}

struct Parsed {
    elf_result result;
    elf_image image;
};

// Parses b from a heap buffer of exactly its size (ASan catches any read past
// it) and checks the contract: accepted images keep elf.h's promises,
// refused ones leave *out byte for byte unchanged.
Parsed Parse(const Bytes &b, uint64_t user_top = kUserTop)
{
    std::unique_ptr<uint8_t[]> buf(new uint8_t[b.size()]);
    if (!b.empty()) {
        std::memcpy(buf.get(), b.data(), b.size());
    }
    Parsed p;
    std::memset(&p.image, 0xa5, sizeof p.image);
    elf_image before;
    std::memcpy(&before, &p.image, sizeof before);
    p.result = elf_parse(buf.get(), b.size(), user_top, &p.image);
    EXPECT_GE(p.result, ELF_OK);
    EXPECT_LT(p.result, ELF_RESULT_COUNT);
    if (p.result == ELF_OK) {
        EXPECT_EQ(elf_check::Problem(buf.get(), b.size(), user_top, p.image), "");
    } else {
        EXPECT_EQ(std::memcmp(&before, &p.image, sizeof before), 0) << "*out changed on error";
    }
    return p;
}

elf_result Result(const Bytes &b, uint64_t user_top = kUserTop)
{
    return Parse(b, user_top).result;
}

// Offset of program header i of b.
size_t Ph(const Bytes &b, size_t i)
{
    return Get(b, kPhoff, 8) + i * 56;
}

// Indices of the program headers of type `type`, in table order.
std::vector<size_t> PhdrsOfType(const Bytes &b, uint32_t type)
{
    std::vector<size_t> out;
    for (size_t i = 0; i < Get(b, kPhnum, 2); i++) {
        if (Get(b, Ph(b, i) + kPType, 4) == type) {
            out.push_back(i);
        }
    }
    return out;
}

// Offset of the program header of the hello image's PT_LOAD number n (0: R, 1: RX, 2: RW).
size_t HelloLoad(size_t n)
{
    return Ph(Hello(), PhdrsOfType(Hello(), kPtLoad).at(n));
}

// A program header for Build().
struct Phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};

// An ELF64 AArch64 ET_EXEC of file_size bytes (zeros past the headers) with
// these program headers right after the ELF header.
Bytes Build(const std::vector<Phdr> &phdrs, uint64_t entry, size_t file_size)
{
    Bytes b(file_size);
    const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    std::memcpy(b.data(), ident, sizeof ident);
    Set(b, 16, 2, 2);   // ET_EXEC
    Set(b, 18, 183, 2); // EM_AARCH64
    Set(b, 20, 1, 4);   // EV_CURRENT
    Set(b, kEntry, entry, 8);
    Set(b, kPhoff, 64, 8);
    Set(b, kEhsize, 64, 2);
    Set(b, kPhentsize, 56, 2);
    Set(b, kPhnum, phdrs.size(), 2);
    for (size_t i = 0; i < phdrs.size(); i++) {
        const Phdr &p = phdrs[i];
        size_t o = 64 + 56 * i;
        Set(b, o + kPType, p.type, 4);
        Set(b, o + kPFlags, p.flags, 4);
        Set(b, o + kPOffset, p.offset, 8);
        Set(b, o + kPVaddr, p.vaddr, 8);
        Set(b, o + kPFilesz, p.filesz, 8);
        Set(b, o + kPMemsz, p.memsz, 8);
        Set(b, o + kPAlign, p.align, 8);
    }
    return b;
}

// Text page (RX, headers included) at 0x400000, data page plus bss (RW) at 0x401000.
std::vector<Phdr> TwoSegments()
{
    return {
        {kPtLoad, kR | kX, 0, 0x400000, 0x1000, 0x1000, 0x1000},
        {kPtLoad, kR | kW, 0x1000, 0x401000, 0x100, 0x2000, 0x1000},
    };
}

constexpr uint64_t kTwoEntry = 0x400100;
constexpr size_t kTwoSize = 0x1100;

Bytes Two()
{
    return Build(TwoSegments(), kTwoEntry, kTwoSize);
}

Bytes TwoWith(size_t index, void (*edit)(Phdr &))
{
    std::vector<Phdr> p = TwoSegments();
    edit(p.at(index));
    return Build(p, kTwoEntry, kTwoSize);
}

// --- Valid images ---

TEST(ElfHello, ParsesToLldLayout)
{
    const Bytes &b = Hello();
    ASSERT_GT(b.size(), 64u);
    Parsed p = Parse(b);
    ASSERT_EQ(p.result, ELF_OK) << elf_error_name(p.result);
    const elf_image &img = p.image;
    ASSERT_EQ(img.segment_count, 3u);
    // lld's order: headers and .rodata (R), .text (RX), .data and .bss (RW).
    EXPECT_EQ(img.segments[0].perms, kR);
    EXPECT_EQ(img.segments[1].perms, kR | kX);
    EXPECT_EQ(img.segments[2].perms, kR | kW);
    EXPECT_EQ(img.segments[0].vaddr, 0x400000u); // --image-base
    EXPECT_EQ(img.segments[0].file_offset, 0u);
    for (uint32_t i = 0; i < 3; i++) {
        EXPECT_GE(img.segments[i].vaddr, 0x400000u);
        EXPECT_LT(img.segments[i].vaddr, 0x500000u);
    }
    // Text and rodata are file-backed only; .bss makes the RW segment larger in memory.
    EXPECT_EQ(img.segments[1].mem_size, img.segments[1].file_size);
    EXPECT_GE(img.segments[2].mem_size, img.segments[2].file_size + 1024);
    EXPECT_GT(img.segments[2].file_size, 0u); // .data
    const elf_segment &text = img.segments[1];
    EXPECT_GE(img.entry, text.vaddr);
    EXPECT_LT(img.entry, text.vaddr + text.file_size);
    EXPECT_EQ(img.entry, Get(b, kEntry, 8));
    EXPECT_EQ(elf_check::TableProblem(b.data(), b.size(), img), "");
}

TEST(ElfHello, IgnoresOtherProgramHeaders)
{
    // lld adds PT_PHDR and PT_GNU_STACK (RW); both are ignored.
    EXPECT_EQ(PhdrsOfType(Hello(), kPtPhdr).size(), 1u);
    EXPECT_EQ(PhdrsOfType(Hello(), kPtGnuStack).size(), 1u);
    Bytes b = Hello();
    for (size_t i : PhdrsOfType(b, kPtPhdr)) {
        Set(b, Ph(b, i) + kPType, kPtNote, 4);
    }
    EXPECT_EQ(Result(b), ELF_OK);
    Set(b, Ph(b, PhdrsOfType(b, kPtGnuStack)[0]) + kPType, 0x70000003, 4); // PT_AARCH64_*
    EXPECT_EQ(Result(b), ELF_OK);
}

TEST(ElfBuilt, TwoSegmentsParse)
{
    Parsed p = Parse(Two());
    ASSERT_EQ(p.result, ELF_OK) << elf_error_name(p.result);
    EXPECT_EQ(p.image.entry, kTwoEntry);
    ASSERT_EQ(p.image.segment_count, 2u);
    EXPECT_EQ(p.image.segments[1].vaddr, 0x401000u);
    EXPECT_EQ(p.image.segments[1].mem_size, 0x2000u);
    EXPECT_EQ(p.image.segments[1].file_offset, 0x1000u);
    EXPECT_EQ(p.image.segments[1].file_size, 0x100u);
    EXPECT_EQ(p.image.segments[1].perms, kR | kW);
    for (uint32_t i = 2; i < ELF_MAX_SEGMENTS; i++) {
        EXPECT_EQ(p.image.segments[i].mem_size, 0u);
    }
}

TEST(ElfBuilt, AcceptedEdgeCases)
{
    // p_align 0 and 1 mean "no alignment"; 64 KiB is lld's default.
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.align = 0; })), ELF_OK);
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.align = 1; })), ELF_OK);
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.align = 0x10000; })), ELF_OK);
    // Execute-only and write-only segments are allowed; other p_flags bits are dropped.
    EXPECT_EQ(Result(TwoWith(0, [](Phdr &p) { p.flags = kX; })), ELF_OK);
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.flags = kW; })), ELF_OK);
    Parsed p = Parse(TwoWith(1, [](Phdr &p) { p.flags = 0xf0000000 | kR; }));
    ASSERT_EQ(p.result, ELF_OK);
    EXPECT_EQ(p.image.segments[1].perms, kR);
    // A bss-only segment (filesz 0) at an offset just at the end of the file.
    EXPECT_EQ(Result(TwoWith(1,
                             [](Phdr &p) {
                                 p.offset = kTwoSize;
                                 p.vaddr = 0x401000 + kTwoSize % kPage;
                                 p.filesz = 0;
                             })),
              ELF_OK);
    // The last page may end exactly at user_top, and user_top is rounded down.
    EXPECT_EQ(Result(Two(), 0x403000), ELF_OK);
    EXPECT_EQ(Result(Two(), 0x403fff), ELF_OK);
    // An entry on the last instruction of the text's file bytes.
    Bytes b = Two();
    Set(b, kEntry, 0x400ffc, 8);
    EXPECT_EQ(Result(b), ELF_OK);
}

TEST(ElfBuilt, MaxSegments)
{
    std::vector<Phdr> p;
    for (uint64_t i = 0; i < ELF_MAX_SEGMENTS; i++) {
        p.push_back(
            {kPtLoad, i == 0 ? kR | kX : kR, i * kPage, 0x400000 + i * kPage, kPage, kPage, kPage});
    }
    Parsed ok = Parse(Build(p, kTwoEntry, ELF_MAX_SEGMENTS * kPage));
    ASSERT_EQ(ok.result, ELF_OK);
    EXPECT_EQ(ok.image.segment_count, (uint32_t)ELF_MAX_SEGMENTS);
    p.push_back({kPtLoad, kR, 8 * kPage, 0x400000 + 8 * kPage, kPage, kPage, kPage});
    EXPECT_EQ(Result(Build(p, kTwoEntry, (ELF_MAX_SEGMENTS + 1) * kPage)),
              ELF_ERR_TOO_MANY_SEGMENTS);
}

// --- One test per rule: exactly that rule broken, exactly that error ---

TEST(ElfRules, Null)
{
    elf_image img;
    EXPECT_EQ(elf_parse(nullptr, 64, kUserTop, &img), ELF_ERR_NULL);
    EXPECT_EQ(elf_parse(Hello().data(), Hello().size(), kUserTop, nullptr), ELF_ERR_NULL);
}

TEST(ElfRules, Truncated)
{
    for (size_t n : {0, 1, 4, 63}) {
        EXPECT_EQ(Result(Bytes(Hello().begin(), Hello().begin() + n)), ELF_ERR_TRUNCATED) << n;
    }
}

TEST(ElfRules, Magic)
{
    for (size_t i = 0; i < 4; i++) {
        Bytes b = Hello();
        b[i] ^= 0x20;
        EXPECT_EQ(Result(b), ELF_ERR_MAGIC) << i;
    }
}

TEST(ElfRules, IdentFields)
{
    struct {
        size_t off;
        uint8_t value;
        elf_result want;
    } cases[] = {
        {4, 0, ELF_ERR_CLASS},   {4, 1, ELF_ERR_CLASS}, {4, 3, ELF_ERR_CLASS},
        {5, 0, ELF_ERR_DATA},    {5, 2, ELF_ERR_DATA},  {6, 0, ELF_ERR_VERSION},
        {6, 2, ELF_ERR_VERSION}, {7, 3, ELF_ERR_OSABI}, {7, 9, ELF_ERR_OSABI},
        {7, 97, ELF_ERR_OSABI},  {8, 1, ELF_ERR_OSABI},
    };
    for (const auto &c : cases) {
        Bytes b = Hello();
        b[c.off] = c.value;
        EXPECT_EQ(Result(b), c.want) << "byte " << c.off << " = " << (int)c.value;
    }
}

TEST(ElfRules, HeaderFields)
{
    struct {
        size_t off;
        int bytes;
        uint64_t value;
        elf_result want;
    } cases[] = {
        {20, 4, 0, ELF_ERR_VERSION},
        {20, 4, 2, ELF_ERR_VERSION},
        {18, 2, 0, ELF_ERR_MACHINE},
        {18, 2, 40, ELF_ERR_MACHINE}, // EM_ARM
        {18, 2, 62, ELF_ERR_MACHINE}, // EM_X86_64
        {16, 2, 0, ELF_ERR_TYPE},
        {16, 2, 1, ELF_ERR_TYPE}, // ET_REL
        {16, 2, 3, ELF_ERR_TYPE}, // ET_DYN: PIE
        {16, 2, 4, ELF_ERR_TYPE}, // ET_CORE
        {kEhsize, 2, 0, ELF_ERR_EHSIZE},
        {kEhsize, 2, 52, ELF_ERR_EHSIZE}, // ELF32's
        {kEhsize, 2, 65, ELF_ERR_EHSIZE},
        {kPhentsize, 2, 0, ELF_ERR_PHENTSIZE},
        {kPhentsize, 2, 32, ELF_ERR_PHENTSIZE}, // ELF32's
        {kPhentsize, 2, 57, ELF_ERR_PHENTSIZE},
    };
    for (const auto &c : cases) {
        Bytes b = Hello();
        Set(b, c.off, c.value, c.bytes);
        EXPECT_EQ(Result(b), c.want) << "offset " << c.off << " = " << c.value;
    }
}

TEST(ElfRules, PhdrTable)
{
    const uint64_t size = Hello().size();
    const uint64_t table = Get(Hello(), kPhnum, 2) * 56;
    struct {
        uint64_t phoff;
        uint64_t phnum; // 0: unchanged
    } cases[] = {
        {size - table + 1, 0}, // one byte past the end
        {size, 0},             // starts at the end
        {size + 64, 0},        // starts past the end
        {UINT64_MAX - 55, 0},  // phoff + table wraps
        {UINT64_MAX, 0},       //
        {0, 0},                // inside the ELF header
        {63, 0},               //
        {64, 0xffff},          // PN_XNUM
        {64, size / 56 + 1},   // more entries than the file holds
    };
    for (const auto &c : cases) {
        Bytes b = Hello();
        Set(b, kPhoff, c.phoff, 8);
        if (c.phnum != 0) {
            Set(b, kPhnum, c.phnum, 2);
        }
        EXPECT_EQ(Result(b), ELF_ERR_PHDR_TABLE) << c.phoff << " " << c.phnum;
    }
}

TEST(ElfRules, InterpAndDynamic)
{
    // Retyping the PT_PHDR entry (ignored) keeps every other rule intact.
    size_t phdr = Ph(Hello(), PhdrsOfType(Hello(), kPtPhdr).at(0));
    Bytes b = Hello();
    Set(b, phdr + kPType, kPtInterp, 4);
    EXPECT_EQ(Result(b), ELF_ERR_INTERP);
    Set(b, phdr + kPType, kPtDynamic, 4);
    EXPECT_EQ(Result(b), ELF_ERR_DYNAMIC);
}

TEST(ElfRules, ExecStack)
{
    size_t stack = Ph(Hello(), PhdrsOfType(Hello(), kPtGnuStack).at(0));
    Bytes b = Hello();
    Set(b, stack + kPFlags, kR | kW | kX, 4);
    EXPECT_EQ(Result(b), ELF_ERR_EXEC_STACK);
    Set(b, stack + kPFlags, kX, 4);
    EXPECT_EQ(Result(b), ELF_ERR_EXEC_STACK);
}

TEST(ElfRules, NoLoad)
{
    Bytes b = Hello();
    for (size_t i : PhdrsOfType(b, kPtLoad)) {
        Set(b, Ph(b, i) + kPType, kPtNote, 4);
    }
    EXPECT_EQ(Result(b), ELF_ERR_NO_LOAD);
    b = Hello();
    Set(b, kPhnum, 0, 2);
    EXPECT_EQ(Result(b), ELF_ERR_NO_LOAD);
}

TEST(ElfRules, FileszAboveMemsz)
{
    Bytes b = Hello();
    size_t rw = HelloLoad(2);
    Set(b, rw + kPFilesz, Get(b, rw + kPMemsz, 8) + 1, 8);
    EXPECT_EQ(Result(b), ELF_ERR_FILESZ);
    b = Hello();
    Set(b, rw + kPFilesz, UINT64_MAX, 8);
    EXPECT_EQ(Result(b), ELF_ERR_FILESZ);
}

TEST(ElfRules, EmptySegment)
{
    EXPECT_EQ(Result(TwoWith(1,
                             [](Phdr &p) {
                                 p.filesz = 0;
                                 p.memsz = 0;
                             })),
              ELF_ERR_EMPTY_SEGMENT);
}

TEST(ElfRules, FileRange)
{
    // One byte past the end.
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.filesz = kTwoSize - 0x1000 + 1; })),
              ELF_ERR_FILE_RANGE);
    // offset far past the end.
    EXPECT_EQ(Result(TwoWith(1,
                             [](Phdr &p) {
                                 p.offset = UINT64_MAX - 0xfff;
                                 p.vaddr = 0x401000;
                                 p.filesz = 0x1000;
                             })),
              ELF_ERR_FILE_RANGE);
    // offset + filesz wraps, offset inside the file.
    EXPECT_EQ(Result(TwoWith(1,
                             [](Phdr &p) {
                                 p.filesz = UINT64_MAX - 0x800;
                                 p.memsz = UINT64_MAX - 0x800;
                             })),
              ELF_ERR_FILE_RANGE);
    // Past the end with no file bytes at all.
    EXPECT_EQ(Result(TwoWith(1,
                             [](Phdr &p) {
                                 p.offset = 0x2000;
                                 p.filesz = 0;
                             })),
              ELF_ERR_FILE_RANGE);
    // The hello image's RW segment, one byte longer than the file.
    Bytes b = Hello();
    size_t rw = HelloLoad(2);
    uint64_t filesz = b.size() - Get(b, rw + kPOffset, 8) + 1;
    Set(b, rw + kPFilesz, filesz, 8);
    Set(b, rw + kPMemsz, filesz, 8);
    EXPECT_EQ(Result(b), ELF_ERR_FILE_RANGE);
}

TEST(ElfRules, AddressRange)
{
    // vaddr + memsz wraps past 2^64.
    EXPECT_EQ(Result(TwoWith(1,
                             [](Phdr &p) {
                                 p.vaddr = UINT64_MAX - 0xfff;
                                 p.memsz = 0x2000;
                             }),
                     UINT64_MAX),
              ELF_ERR_ADDRESS_RANGE);
    // Ends one byte past user_top, or in a page that straddles it.
    EXPECT_EQ(Result(Two(), 0x402fff), ELF_ERR_ADDRESS_RANGE);
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.memsz = 0x2001; }), 0x403000),
              ELF_ERR_ADDRESS_RANGE);
    // Entirely above user_top, or user_top 0.
    EXPECT_EQ(Result(Two(), 0x400000), ELF_ERR_ADDRESS_RANGE);
    EXPECT_EQ(Result(Two(), 0), ELF_ERR_ADDRESS_RANGE);
    // The hello image in kernel space.
    Bytes b = Hello();
    for (size_t n = 0; n < 3; n++) {
        size_t ph = HelloLoad(n);
        Set(b, ph + kPVaddr, Get(b, ph + kPVaddr, 8) | 0xffff000000000000, 8);
    }
    EXPECT_EQ(Result(b), ELF_ERR_ADDRESS_RANGE);
}

TEST(ElfRules, Align)
{
    for (uint64_t align : {uint64_t{3}, uint64_t{0x3000}, uint64_t{0x10001}, UINT64_MAX}) {
        Bytes b = Hello();
        Set(b, HelloLoad(2) + kPAlign, align, 8);
        EXPECT_EQ(Result(b), ELF_ERR_ALIGN) << align;
    }
}

TEST(ElfRules, Congruence)
{
    Bytes b = Hello();
    size_t rw = HelloLoad(2);
    Set(b, rw + kPVaddr, Get(b, rw + kPVaddr, 8) + 8, 8);
    EXPECT_EQ(Result(b), ELF_ERR_CONGRUENCE);
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.vaddr += 0x800; })), ELF_ERR_CONGRUENCE);
}

TEST(ElfRules, NoPermission)
{
    for (uint32_t flags : {0u, 0xf0000000u, 0x0ff00000u, 8u}) {
        Bytes b = Hello();
        Set(b, HelloLoad(0) + kPFlags, flags, 4);
        EXPECT_EQ(Result(b), ELF_ERR_NO_PERM) << flags;
    }
}

TEST(ElfRules, WriteAndExecute)
{
    Bytes b = Hello();
    Set(b, HelloLoad(2) + kPFlags, kR | kW | kX, 4);
    EXPECT_EQ(Result(b), ELF_ERR_WX);
    b = Hello();
    Set(b, HelloLoad(1) + kPFlags, kR | kW | kX, 4);
    EXPECT_EQ(Result(b), ELF_ERR_WX);
    EXPECT_EQ(Result(TwoWith(0, [](Phdr &p) { p.flags = kW | kX; })), ELF_ERR_WX);
}

TEST(ElfRules, Order)
{
    // Swap the hello image's RX and RW program headers.
    Bytes b = Hello();
    size_t rx = HelloLoad(1), rw = HelloLoad(2);
    for (size_t i = 0; i < 56; i++) {
        std::swap(b[rx + i], b[rw + i]);
    }
    EXPECT_EQ(Result(b), ELF_ERR_ORDER);
}

TEST(ElfRules, Overlap)
{
    // The RW segment moved onto the last page of the text (same page offset).
    Bytes b = Hello();
    size_t rx = HelloLoad(1), rw = HelloLoad(2);
    uint64_t text_last_page =
        (Get(b, rx + kPVaddr, 8) + Get(b, rx + kPMemsz, 8) - 1) & ~(kPage - 1);
    Set(b, rw + kPVaddr, text_last_page + Get(b, rw + kPOffset, 8) % kPage, 8);
    EXPECT_EQ(Result(b), ELF_ERR_OVERLAP);
    // Same start; nested; sharing one page at a boundary.
    EXPECT_EQ(Result(TwoWith(1, [](Phdr &p) { p.vaddr = 0x400000; })), ELF_ERR_OVERLAP);
    EXPECT_EQ(Result(Build(
                  {
                      {kPtLoad, kR | kX, 0, 0x400000, 0x1000, 0x1000, 0x1000},
                      {kPtLoad, kR, 0x800, 0x400800, 0x100, 0x100, 0},
                  },
                  kTwoEntry, kTwoSize)),
              ELF_ERR_OVERLAP);
    EXPECT_EQ(Result(Build(
                  {
                      {kPtLoad, kR | kX, 0, 0x400000, 0x1000, 0x1001, 0x1000},
                      {kPtLoad, kR | kW, 0x1000, 0x401000, 0x100, 0x100, 0x1000},
                  },
                  kTwoEntry, kTwoSize)),
              ELF_ERR_OVERLAP);
}

TEST(ElfRules, EntryMisaligned)
{
    for (uint64_t delta : {1, 2, 3}) {
        Bytes b = Hello();
        Set(b, kEntry, Get(b, kEntry, 8) + delta, 8);
        EXPECT_EQ(Result(b), ELF_ERR_ENTRY_MISALIGNED) << delta;
    }
}

TEST(ElfRules, EntryNotExecutable)
{
    const Bytes &h = Hello();
    size_t r = HelloLoad(0), rx = HelloLoad(1), rw = HelloLoad(2);
    uint64_t text_end = Get(h, rx + kPVaddr, 8) + Get(h, rx + kPFilesz, 8);
    uint64_t entries[] = {
        0,
        Get(h, r + kPVaddr, 8),                                                 // read-only data
        Get(h, rw + kPVaddr, 8) & ~uint64_t{3},                                 // data
        (Get(h, rw + kPVaddr, 8) + Get(h, rw + kPMemsz, 8) - 4) & ~uint64_t{3}, // bss
        (text_end + 3) & ~uint64_t{3},                // just past the text
        (Get(h, rx + kPVaddr, 8) - 4) & ~uint64_t{3}, // just before it
        UINT64_MAX - 3,
    };
    for (uint64_t entry : entries) {
        Bytes b = h;
        Set(b, kEntry, entry, 8);
        EXPECT_EQ(Result(b), ELF_ERR_ENTRY_NOT_EXEC) << std::hex << entry;
    }
    // Inside the text's memory but past its file bytes (zeros, not code).
    Bytes b = TwoWith(0, [](Phdr &p) {
        p.filesz = 0x800;
        p.memsz = 0x1000;
    });
    Set(b, kEntry, 0x400800, 8);
    EXPECT_EQ(Result(b), ELF_ERR_ENTRY_NOT_EXEC);
    // The last instruction straddles the end of the file bytes.
    b = TwoWith(0, [](Phdr &p) { p.filesz = 0x802; });
    Set(b, kEntry, 0x400800, 8);
    EXPECT_EQ(Result(b), ELF_ERR_ENTRY_NOT_EXEC);
}

// --- Truncation and corruption ---

// End of the last file byte any PT_LOAD of the hello image needs.
size_t HelloLoadEnd()
{
    size_t end = 0;
    for (size_t n = 0; n < 3; n++) {
        size_t ph = HelloLoad(n);
        end =
            std::max<size_t>(end, Get(Hello(), ph + kPOffset, 8) + Get(Hello(), ph + kPFilesz, 8));
    }
    return end;
}

TEST(ElfCorrupt, EveryTruncation)
{
    // Cut anywhere before the end of the segments' bytes: refused. Cut in
    // the section headers and debug info, which loading never reads: the
    // same image as the whole file.
    const Bytes &h = Hello();
    Parsed whole = Parse(h);
    ASSERT_EQ(whole.result, ELF_OK);
    size_t load_end = HelloLoadEnd();
    ASSERT_LT(load_end, h.size());
    size_t phdr_end = Ph(h, Get(h, kPhnum, 2));
    for (size_t n = 0; n < h.size(); n++) {
        Parsed p = Parse(Bytes(h.begin(), h.begin() + n));
        if (n < 64) {
            EXPECT_EQ(p.result, ELF_ERR_TRUNCATED) << n;
        } else if (n < phdr_end) {
            EXPECT_EQ(p.result, ELF_ERR_PHDR_TABLE) << n;
        } else if (n < load_end) {
            EXPECT_EQ(p.result, ELF_ERR_FILE_RANGE) << n;
        } else {
            ASSERT_EQ(p.result, ELF_OK) << n;
            EXPECT_EQ(std::memcmp(&p.image, &whole.image, sizeof p.image), 0) << n;
        }
    }
}

TEST(ElfCorrupt, EveryHeaderByteFlip)
{
    // Each bit of the ELF header and program headers, one at a time.
    const Bytes &h = Hello();
    size_t end = Ph(h, Get(h, kPhnum, 2));
    std::set<int> seen;
    for (size_t i = 0; i < end; i++) {
        for (int bit = 0; bit < 8; bit++) {
            Bytes b = h;
            b[i] ^= (uint8_t)(1u << bit);
            seen.insert(Result(b));
        }
    }
    // Many distinct errors come out of single flips; the contract checks ran in Parse.
    EXPECT_GE(seen.size(), 15u);
}

TEST(ElfCorrupt, SeededRandomCorruptions)
{
    std::mt19937_64 rng(20240611);
    const Bytes &h = Hello();
    size_t hot = HelloLoadEnd(); // bytes that matter; later ones too, less often
    int accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        Bytes b = h;
        int flips = 1 + rng() % 8;
        for (int k = 0; k < flips; k++) {
            size_t at = rng() % 4 != 0 ? rng() % hot : rng() % b.size();
            b[at] = rng() % 2 ? (uint8_t)rng() : b[at] ^ (uint8_t)(1u << rng() % 8);
        }
        if (rng() % 8 == 0) {
            b.resize(rng() % b.size());
        }
        uint64_t top = rng() % 4 == 0 ? rng() : kUserTop;
        if (Parse(b, top).result == ELF_OK) {
            accepted++;
        }
    }
    // Some corruptions touch nothing that matters (padding, code bytes).
    EXPECT_GT(accepted, 0);
}

// --- Names and status codes ---

TEST(ElfErrors, NamesAndStatus)
{
    std::set<std::string> names;
    for (int i = 0; i < ELF_RESULT_COUNT; i++) {
        elf_result r = static_cast<elf_result>(i);
        std::string name = elf_error_name(r);
        EXPECT_EQ(name.rfind(i == 0 ? "ELF_OK" : "ELF_ERR_", 0), 0u) << i;
        EXPECT_NE(name, "ELF_ERR_UNKNOWN") << i;
        names.insert(name);
        status_t s = elf_status(r);
        if (i == 0) {
            EXPECT_EQ(s, STATUS_OK);
        } else {
            EXPECT_GT(s, STATUS_OK) << name;
            EXPECT_LT(s, STATUS_COUNT) << name;
        }
    }
    EXPECT_EQ(names.size(), (size_t)ELF_RESULT_COUNT);
    EXPECT_STREQ(elf_error_name(ELF_ERR_MAGIC), "ELF_ERR_MAGIC");
    EXPECT_STREQ(elf_error_name(ELF_ERR_WX), "ELF_ERR_WX");
    EXPECT_EQ(elf_status(ELF_ERR_WX), STATUS_PERMISSION);
    EXPECT_EQ(elf_status(ELF_ERR_MAGIC), STATUS_BAD_FORMAT);
    EXPECT_EQ(elf_status(ELF_ERR_MACHINE), STATUS_UNSUPPORTED);
    EXPECT_EQ(elf_status(ELF_ERR_FILE_RANGE), STATUS_OUT_OF_RANGE);
    EXPECT_EQ(elf_status(ELF_ERR_ENTRY_MISALIGNED), STATUS_MISALIGNED);
    EXPECT_EQ(elf_status(ELF_ERR_NO_LOAD), STATUS_NOT_FOUND);
    EXPECT_EQ(elf_status(ELF_ERR_NULL), STATUS_INVALID_ARGUMENT);
    // Values past the last enumerator (still representable in elf_result).
    EXPECT_STREQ(elf_error_name(static_cast<elf_result>(ELF_RESULT_COUNT)), "ELF_ERR_UNKNOWN");
    EXPECT_EQ(elf_status(static_cast<elf_result>(31)), STATUS_INVALID_ARGUMENT);
}

} // namespace
