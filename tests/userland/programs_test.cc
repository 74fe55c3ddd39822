// The user programs, as the kernel's ELF loader will see them: each one
// passes elf_parse (static AArch64 ET_EXEC, segments page-congruent,
// ascending, not sharing pages, W^X, no PT_INTERP / PT_DYNAMIC, no
// executable stack, entry in an executable segment), and has the layout of
// userland/user.ld: .text R-X at 0x400000, then .rodata R, then .data/.bss
// RW, each from a page boundary.

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kernel/elf/elf.h"
#include "gtest/gtest.h"

namespace {

constexpr uint64_t kUserTop = uint64_t{1} << 48;
constexpr uint64_t kTextBase = 0x400000;

std::vector<uint8_t> ReadFile(const std::string &path)
{
    // The test runs in the workspace's runfiles root.
    std::ifstream f(path, std::ios::binary);
    EXPECT_TRUE(f.good()) << path;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f),
                                std::istreambuf_iterator<char>());
}

elf_image Parse(const std::string &path)
{
    std::vector<uint8_t> bytes = ReadFile(path);
    elf_image image = {};
    elf_result r = elf_parse(bytes.data(), bytes.size(), kUserTop, &image);
    EXPECT_EQ(r, ELF_OK) << path << ": " << elf_error_name(r);
    return image;
}

uint64_t PageDown(uint64_t a)
{
    return a & ~uint64_t{ELF_PAGE_SIZE - 1};
}

uint64_t PageUp(uint64_t a)
{
    return PageDown(a + ELF_PAGE_SIZE - 1);
}

// What every program must be, checked here rather than trusted to elf_parse.
void CheckLoadable(const std::string &path, const elf_image &image)
{
    ASSERT_GT(image.segment_count, 0u) << path;
    bool entry_ok = false;
    for (uint32_t i = 0; i < image.segment_count; i++) {
        const elf_segment &s = image.segments[i];
        SCOPED_TRACE(path + " segment " + std::to_string(i));
        EXPECT_FALSE((s.perms & ELF_PERM_W) && (s.perms & ELF_PERM_X)) << "writable and executable";
        EXPECT_NE(s.perms & ELF_PERM_R, 0u);
        EXPECT_EQ(s.vaddr % ELF_PAGE_SIZE, 0u) << "user.ld starts each segment on a page";
        EXPECT_LT(PageUp(s.vaddr + s.mem_size), kUserTop);
        if (i > 0) {
            const elf_segment &prev = image.segments[i - 1];
            EXPECT_GE(s.vaddr, PageUp(prev.vaddr + prev.mem_size)) << "shares a page";
        }
        if ((s.perms & ELF_PERM_X) && image.entry >= s.vaddr &&
            image.entry + 4 <= s.vaddr + s.file_size) {
            entry_ok = true;
        }
    }
    EXPECT_TRUE(entry_ok) << path << ": entry 0x" << std::hex << image.entry
                          << " is not in an executable segment";
    EXPECT_EQ(image.entry % 4, 0u);
    // .text comes first, at the base user.ld gives it, and the entry
    // (_start, placed first) is its first instruction.
    EXPECT_EQ(image.segments[0].vaddr, kTextBase) << path;
    EXPECT_EQ(image.segments[0].perms, ELF_PERM_R | ELF_PERM_X) << path;
    EXPECT_EQ(image.entry, kTextBase) << path;
}

class Programs : public ::testing::TestWithParam<const char *> {};

TEST_P(Programs, LoadableByTheKernel)
{
    elf_image image = Parse(GetParam());
    CheckLoadable(GetParam(), image);
    // At most one segment per permission of user.ld: R-X, R, RW.
    EXPECT_LE(image.segment_count, 3u);
}

INSTANTIATE_TEST_SUITE_P(UserPrograms, Programs,
                         ::testing::Values("userland/init/init.elf", "userland/hello/hello.elf",
                                           "tests/userland/layout.elf"));

// With something in every section, user.ld gives exactly three segments in
// order: .text R-X, .rodata R, .data+.bss RW (memory beyond the file: .bss).
TEST(Layout, ThreeSegmentsInOrder)
{
    elf_image image = Parse("tests/userland/layout.elf");
    ASSERT_EQ(image.segment_count, 3u);
    const elf_segment &text = image.segments[0];
    const elf_segment &rodata = image.segments[1];
    const elf_segment &data = image.segments[2];
    EXPECT_EQ(text.perms, ELF_PERM_R | ELF_PERM_X);
    EXPECT_EQ(rodata.perms, ELF_PERM_R);
    EXPECT_EQ(data.perms, ELF_PERM_R | ELF_PERM_W);
    EXPECT_EQ(text.vaddr, kTextBase);
    EXPECT_EQ(rodata.vaddr, PageUp(text.vaddr + text.mem_size));
    EXPECT_EQ(data.vaddr, PageUp(rodata.vaddr + rodata.mem_size));
    EXPECT_EQ(text.file_size, text.mem_size);
    EXPECT_EQ(rodata.file_size, rodata.mem_size);
    EXPECT_GE(data.mem_size, data.file_size + 8192) << ".bss (8 KiB) is memory only";
    // The file stays small: offsets advance by pages, not lld's 64 KiB default.
    EXPECT_LT(data.file_offset, 4 * uint64_t{ELF_PAGE_SIZE});
}

} // namespace
