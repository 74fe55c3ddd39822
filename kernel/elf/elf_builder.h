// Builds small static ELF64 AArch64 executables in memory, for the tests of
// every package that parses or loads programs.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace elf_builder {

// One PT_LOAD segment. flags: PF_X 1, PF_W 2, PF_R 4.
struct Segment {
    uint32_t flags;
    uint64_t offset, vaddr, filesz, memsz;
};

// Writes v little-endian into bytes [at, at + n) of b.
inline void Put(std::vector<uint8_t> &b, size_t at, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        b[at + i] = (uint8_t)(v >> (8 * i));
    }
}

// The ELF header, one program header per segment, and each segment's file
// bytes (a pattern of its own: byte j of segment i is j * 7 + i + 1) at its
// offset. Page alignment; no section headers.
inline std::vector<uint8_t> Build(uint64_t entry, const std::vector<Segment> &segments)
{
    size_t size = 64 + 56 * segments.size();
    for (const Segment &s : segments) {
        size = std::max<size_t>(size, s.offset + s.filesz);
    }
    std::vector<uint8_t> b(size, 0);
    const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    std::memcpy(b.data(), ident, sizeof ident);
    Put(b, 16, 2, 2);   // ET_EXEC
    Put(b, 18, 183, 2); // EM_AARCH64
    Put(b, 20, 1, 4);   // EV_CURRENT
    Put(b, 24, entry, 8);
    Put(b, 32, 64, 8); // e_phoff
    Put(b, 52, 64, 2); // e_ehsize
    Put(b, 54, 56, 2); // e_phentsize
    Put(b, 56, segments.size(), 2);
    for (size_t i = 0; i < segments.size(); i++) {
        const size_t ph = 64 + 56 * i;
        const Segment &s = segments[i];
        Put(b, ph, 1, 4); // PT_LOAD
        Put(b, ph + 4, s.flags, 4);
        Put(b, ph + 8, s.offset, 8);
        Put(b, ph + 16, s.vaddr, 8);
        Put(b, ph + 24, s.vaddr, 8);
        Put(b, ph + 32, s.filesz, 8);
        Put(b, ph + 40, s.memsz, 8);
        Put(b, ph + 48, 4096, 8);
        for (uint64_t j = 0; j < s.filesz; j++) {
            b[s.offset + j] = (uint8_t)(j * 7 + i + 1);
        }
    }
    return b;
}

// One R+X page of 0x100 bytes at 0x400000 (flags to override), entry at its start.
inline std::vector<uint8_t> OnePage(uint32_t flags = 5)
{
    return Build(0x400000, {{flags, 0x1000, 0x400000, 0x100, 0x100}});
}

} // namespace elf_builder
