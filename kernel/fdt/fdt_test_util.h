#pragma once

// Helpers shared by fdt_test.cc and fdt_tree_test.cc: a tiny flattened
// device tree writer that builds version 17 blobs (DT spec v0.4 chapter 5)
// token by token, including deliberately malformed ones (raw tokens, bad
// name offsets, a missing FDT_END), and calls of the parser on exact-size
// heap copies, so that AddressSanitizer sees any read past a blob's end.

#include "kernel/fdt/fdt.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace fdt_test {

using Bytes = std::vector<uint8_t>;

constexpr uint64_t kMiB = 1024 * 1024;
constexpr uint64_t kGiB = 1024 * kMiB;

// Structure block tokens (5.4.1).
constexpr uint32_t kBeginNode = 1;
constexpr uint32_t kEndNode = 2;
constexpr uint32_t kProp = 3;
constexpr uint32_t kNop = 4;
constexpr uint32_t kEnd = 9;

// Header field offsets (5.2).
constexpr size_t kHdrMagic = 0;
constexpr size_t kHdrTotalsize = 4;
constexpr size_t kHdrOffStruct = 8;
constexpr size_t kHdrOffStrings = 12;
constexpr size_t kHdrOffRsvmap = 16;
constexpr size_t kHdrVersion = 20;
constexpr size_t kHdrLastComp = 24;
constexpr size_t kHdrBootCpu = 28;
constexpr size_t kHdrSizeStrings = 32;
constexpr size_t kHdrSizeStruct = 36;
constexpr size_t kHeaderSize = 40;

inline uint32_t GetBe32(const Bytes &b, size_t off)
{
    return (uint32_t{b.at(off)} << 24) | (uint32_t{b.at(off + 1)} << 16) |
           (uint32_t{b.at(off + 2)} << 8) | uint32_t{b.at(off + 3)};
}

inline void SetBe32(Bytes &b, size_t off, uint32_t v)
{
    b.at(off) = static_cast<uint8_t>(v >> 24);
    b.at(off + 1) = static_cast<uint8_t>(v >> 16);
    b.at(off + 2) = static_cast<uint8_t>(v >> 8);
    b.at(off + 3) = static_cast<uint8_t>(v);
}

inline void PutBe32(Bytes &b, uint32_t v)
{
    b.resize(b.size() + 4);
    SetBe32(b, b.size() - 4, v);
}

inline void PutBe64(Bytes &b, uint64_t v)
{
    PutBe32(b, static_cast<uint32_t>(v >> 32));
    PutBe32(b, static_cast<uint32_t>(v));
}

// Cells as a property value.
inline Bytes Cells(std::initializer_list<uint32_t> cells)
{
    Bytes v;
    for (uint32_t c : cells) {
        PutBe32(v, c);
    }
    return v;
}

// A string list as a property value: each string with its NUL.
inline Bytes Strings(std::initializer_list<std::string> strings)
{
    Bytes v;
    for (const std::string &s : strings) {
        v.insert(v.end(), s.begin(), s.end());
        v.push_back(0);
    }
    return v;
}

class FdtBuilder {
  public:
    FdtBuilder &Begin(const std::string &name)
    {
        PutBe32(struct_, kBeginNode);
        struct_.insert(struct_.end(), name.begin(), name.end());
        struct_.push_back(0);
        Pad();
        return *this;
    }

    FdtBuilder &End()
    {
        return Token(kEndNode);
    }

    FdtBuilder &Token(uint32_t token)
    {
        PutBe32(struct_, token);
        return *this;
    }

    FdtBuilder &Prop(const std::string &name, const Bytes &value)
    {
        return PropAt(NameOffset(name), value);
    }

    // A property whose name offset is nameoff, whatever the strings block holds.
    FdtBuilder &PropAt(uint32_t nameoff, const Bytes &value)
    {
        PutBe32(struct_, kProp);
        PutBe32(struct_, static_cast<uint32_t>(value.size()));
        PutBe32(struct_, nameoff);
        struct_.insert(struct_.end(), value.begin(), value.end());
        Pad();
        return *this;
    }

    FdtBuilder &Cells(const std::string &name, std::initializer_list<uint32_t> cells)
    {
        return Prop(name, fdt_test::Cells(cells));
    }

    FdtBuilder &Str(const std::string &name, const std::string &s)
    {
        return Prop(name, Strings({s}));
    }

    FdtBuilder &Strs(const std::string &name, std::initializer_list<std::string> strings)
    {
        return Prop(name, Strings(strings));
    }

    // An entry of the memory reservation block (5.3).
    FdtBuilder &Reserve(uint64_t base, uint64_t size)
    {
        reserved_.push_back({base, size});
        return *this;
    }

    uint32_t StringsSize() const
    {
        return static_cast<uint32_t>(strings_.size());
    }

    // The blob: header, reservation block, structure block (FDT_END
    // appended when end is true), strings block.
    Bytes Build(bool end = true) const
    {
        Bytes rsv;
        for (const auto &r : reserved_) {
            PutBe64(rsv, r.first);
            PutBe64(rsv, r.second);
        }
        PutBe64(rsv, 0);
        PutBe64(rsv, 0);
        Bytes st = struct_;
        if (end) {
            PutBe32(st, kEnd);
        }
        Bytes blob(kHeaderSize);
        uint32_t off_rsv = kHeaderSize;
        uint32_t off_struct = off_rsv + static_cast<uint32_t>(rsv.size());
        uint32_t off_strings = off_struct + static_cast<uint32_t>(st.size());
        uint32_t total = off_strings + static_cast<uint32_t>(strings_.size());
        SetBe32(blob, kHdrMagic, 0xd00dfeed);
        SetBe32(blob, kHdrTotalsize, total);
        SetBe32(blob, kHdrOffStruct, off_struct);
        SetBe32(blob, kHdrOffStrings, off_strings);
        SetBe32(blob, kHdrOffRsvmap, off_rsv);
        SetBe32(blob, kHdrVersion, 17);
        SetBe32(blob, kHdrLastComp, 16);
        SetBe32(blob, kHdrSizeStrings, static_cast<uint32_t>(strings_.size()));
        SetBe32(blob, kHdrSizeStruct, static_cast<uint32_t>(st.size()));
        blob.insert(blob.end(), rsv.begin(), rsv.end());
        blob.insert(blob.end(), st.begin(), st.end());
        blob.insert(blob.end(), strings_.begin(), strings_.end());
        return blob;
    }

  private:
    void Pad()
    {
        while (struct_.size() % 4 != 0) {
            struct_.push_back(0);
        }
    }

    uint32_t NameOffset(const std::string &name)
    {
        auto it = names_.find(name);
        if (it != names_.end()) {
            return it->second;
        }
        uint32_t off = static_cast<uint32_t>(strings_.size());
        strings_.insert(strings_.end(), name.begin(), name.end());
        strings_.push_back(0);
        names_[name] = off;
        return off;
    }

    Bytes struct_;
    Bytes strings_;
    std::map<std::string, uint32_t> names_;
    std::vector<std::pair<uint64_t, uint64_t>> reserved_;
};

/** n bytes of src in a heap allocation of exactly n bytes, at offset shift of a larger one. */
class ExactCopy {
  public:
    ExactCopy(const Bytes &src, size_t n, size_t shift = 0)
        : n_(n), mem_(new uint8_t[n + shift]), data_(mem_.get() + shift)
    {
        if (n > 0) {
            std::memcpy(data_, src.data(), n);
        }
    }
    const void *data() const
    {
        return data_;
    }
    size_t size() const
    {
        return n_;
    }

  private:
    size_t n_;
    std::unique_ptr<uint8_t[]> mem_;
    uint8_t *data_;
};

inline fdt_error Parse(const Bytes &blob, fdt_platform *out)
{
    ExactCopy c(blob, blob.size());
    return fdt_parse_platform(c.data(), c.size(), out);
}

inline fdt_error Parse(const Bytes &blob)
{
    fdt_platform p;
    return Parse(blob, &p);
}

inline fdt_error Check(const Bytes &blob)
{
    ExactCopy c(blob, blob.size());
    return fdt_check(c.data(), c.size(), nullptr);
}

inline void ExpectRange(const fdt_range &r, uint64_t base, uint64_t size)
{
    EXPECT_EQ(r.base, base);
    EXPECT_EQ(r.size, size);
}

inline std::string Hex(uint64_t v)
{
    char buf[20];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
    return buf;
}

} // namespace fdt_test
