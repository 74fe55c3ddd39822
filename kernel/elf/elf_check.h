#pragma once

// Test-only (C++): the promises elf_parse makes about an image it accepted,
// checked independently of kernel/elf's own code, for elf_test and the
// libFuzzer target tests/fuzz/elf_fuzz.cc.

#include <cstddef>
#include <cstdint>
#include <string>

#include "kernel/elf/elf.h"

namespace elf_check {

inline uint64_t Le(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

inline std::string SegmentProblem(size_t size, uint64_t user_top, const elf_segment &s)
{
    const uint64_t page = ELF_PAGE_SIZE;
    if (s.mem_size == 0 || s.file_size > s.mem_size) {
        return "bad sizes";
    }
    if (s.file_offset > size || s.file_size > size - s.file_offset) {
        return "file range outside the image";
    }
    if (s.mem_size - 1 > UINT64_MAX - s.vaddr ||
        (s.vaddr + (s.mem_size - 1)) / page >= user_top / page) {
        return "address range outside user space";
    }
    if (s.vaddr % page != s.file_offset % page) {
        return "vaddr and offset incongruent";
    }
    uint32_t rwx = ELF_PERM_R | ELF_PERM_W | ELF_PERM_X;
    if (s.perms == 0 || (s.perms & ~rwx) != 0) {
        return "bad perms";
    }
    if ((s.perms & ELF_PERM_W) != 0 && (s.perms & ELF_PERM_X) != 0) {
        return "W^X broken";
    }
    return "";
}

// Whether the PT_LOAD entries of the image's program header table are,
// in order, exactly img's segments.
inline std::string TableProblem(const uint8_t *image, size_t size, const elf_image &img)
{
    uint64_t phoff = Le(image + 32, 8);
    uint64_t phnum = Le(image + 56, 2);
    if (size < 64 || phoff > size || phnum * 56 > size - phoff) {
        return "program header table outside the image";
    }
    uint32_t n = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *p = image + phoff + i * 56;
        if (Le(p, 4) != 1) {
            continue;
        }
        if (n >= img.segment_count) {
            return "more PT_LOAD entries than segments";
        }
        const elf_segment &s = img.segments[n++];
        if (s.perms != (Le(p + 4, 4) & 7) || s.file_offset != Le(p + 8, 8) ||
            s.vaddr != Le(p + 16, 8) || s.file_size != Le(p + 32, 8) ||
            s.mem_size != Le(p + 40, 8)) {
            return "segment differs from its program header";
        }
    }
    return n == img.segment_count ? "" : "fewer PT_LOAD entries than segments";
}

// "" if img, returned by elf_parse(image, size, user_top, &img) == ELF_OK,
// keeps every promise of elf.h; otherwise the first broken one.
inline std::string Problem(const uint8_t *image, size_t size, uint64_t user_top,
                           const elf_image &img)
{
    const uint64_t page = ELF_PAGE_SIZE;
    if (img.segment_count == 0 || img.segment_count > ELF_MAX_SEGMENTS) {
        return "bad segment count";
    }
    bool entry_ok = false;
    for (uint32_t i = 0; i < img.segment_count; i++) {
        const elf_segment &s = img.segments[i];
        std::string p = SegmentProblem(size, user_top, s);
        if (!p.empty()) {
            return "segment " + std::to_string(i) + ": " + p;
        }
        if (i > 0) {
            const elf_segment &prev = img.segments[i - 1];
            if (s.vaddr / page <= (prev.vaddr + prev.mem_size - 1) / page) {
                return "segment " + std::to_string(i) + " not above the previous one's pages";
            }
        }
        if ((s.perms & ELF_PERM_X) != 0 && img.entry >= s.vaddr && s.file_size >= 4 &&
            img.entry - s.vaddr <= s.file_size - 4) {
            entry_ok = true;
        }
    }
    for (uint32_t i = img.segment_count; i < ELF_MAX_SEGMENTS; i++) {
        const elf_segment &s = img.segments[i];
        if (s.vaddr != 0 || s.mem_size != 0 || s.file_offset != 0 || s.file_size != 0 ||
            s.perms != 0) {
            return "unused segment " + std::to_string(i) + " not zero";
        }
    }
    if (img.entry % 4 != 0 || !entry_ok) {
        return "entry not an aligned instruction of an executable segment";
    }
    if (img.entry != Le(image + 24, 8)) {
        return "entry differs from e_entry";
    }
    return TableProblem(image, size, img);
}

} // namespace elf_check
