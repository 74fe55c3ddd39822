// Tests for kernel/fdt.
//
// - The DTBs QEMU 7.2 dumps (testdata/, see README.md there) parse to the
//   values `dtc -I dtb -O dts` shows.
// - Corruptions made from those blobs: every truncation, every header field,
//   byte flips and seeded random corruptions. Each blob is copied into a heap
//   buffer of exactly its size, so under --config=asan any read past the end
//   stops the test; every outcome must be a defined code that agrees with
//   fdt_check, and corruptions of fields that matter give their own error.
// - Error descriptions.
// Hand-built blobs are in fdt_tree_test.cc.

#include "kernel/fdt/fdt.h"

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

#include "kernel/fdt/fdt_test_util.h"
#include "gtest/gtest.h"

namespace {

using fdt_test::Bytes;
using fdt_test::Check;
using fdt_test::ExactCopy;
using fdt_test::ExpectRange;
using fdt_test::GetBe32;
using fdt_test::kGiB;
using fdt_test::kMiB;
using fdt_test::Parse;
using fdt_test::SetBe32;

Bytes ReadDtb(const std::string &name)
{
    // The test runs in the workspace's runfiles root.
    std::ifstream f("kernel/fdt/testdata/" + name + ".dtb", std::ios::binary);
    EXPECT_TRUE(f.good()) << name;
    return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

/**
 * The blob cut at the end of its strings block, with totalsize to match:
 * what fdt_pack would make. QEMU's blobs are 1 MiB of which ~8 KiB are used;
 * corruption sweeps over the packed copy hit only bytes that mean something.
 */
Bytes Packed(const Bytes &blob)
{
    uint32_t struct_end =
        GetBe32(blob, fdt_test::kHdrOffStruct) + GetBe32(blob, fdt_test::kHdrSizeStruct);
    uint32_t strings_off = GetBe32(blob, fdt_test::kHdrOffStrings);
    uint32_t end = strings_off + GetBe32(blob, fdt_test::kHdrSizeStrings);
    EXPECT_LE(GetBe32(blob, fdt_test::kHdrOffRsvmap), GetBe32(blob, fdt_test::kHdrOffStruct));
    EXPECT_LE(struct_end, strings_off); // QEMU order: reservations, structure, strings
    Bytes p(blob.begin(), blob.begin() + end);
    SetBe32(p, fdt_test::kHdrTotalsize, end);
    return p;
}

/** Replaces every occurrence of from by to (same length) in b; returns how many. */
int ReplaceAll(Bytes &b, const std::string &from, const std::string &to)
{
    EXPECT_EQ(from.size(), to.size());
    int n = 0;
    for (size_t i = 0; i + from.size() <= b.size(); i++) {
        if (std::memcmp(&b[i], from.data(), from.size()) == 0) {
            std::memcpy(&b[i], to.data(), to.size());
            n++;
        }
    }
    return n;
}

/** The offset of the first occurrence of s (with its NUL) in b. */
size_t Find(const Bytes &b, const std::string &s)
{
    for (size_t i = 0; i + s.size() + 1 <= b.size(); i++) {
        if (std::memcmp(&b[i], s.c_str(), s.size() + 1) == 0) {
            return i;
        }
    }
    ADD_FAILURE() << s << " not found";
    return 0;
}

bool IsCheckError(fdt_error e)
{
    return e == FDT_ERR_NULL || e == FDT_ERR_TRUNCATED || e == FDT_ERR_BAD_MAGIC ||
           e == FDT_ERR_BAD_VERSION || e == FDT_ERR_BAD_LAYOUT || e == FDT_ERR_BAD_STRUCTURE ||
           e == FDT_ERR_BAD_STRING;
}

/**
 * Parses a corrupted blob (exact-size heap copy) and checks the outcome is
 * coherent: a defined code, the same as fdt_check's when fdt_check fails,
 * and a plausible platform when it succeeds.
 */
fdt_error ParseCorrupt(const Bytes &blob)
{
    ExactCopy c(blob, blob.size());
    fdt_platform p;
    fdt_error e = fdt_parse_platform(c.data(), c.size(), &p);
    fdt_error check = fdt_check(c.data(), c.size(), nullptr);
    EXPECT_GE(e, FDT_OK);
    EXPECT_LT(e, FDT_ERROR_COUNT);
    if (check != FDT_OK) {
        EXPECT_EQ(e, check);
    } else {
        EXPECT_FALSE(IsCheckError(e)) << fdt_error_string(e);
    }
    if (e == FDT_OK) {
        EXPECT_GE(p.ram_count, 1u);
        EXPECT_LE(p.ram_count, uint32_t{FDT_MAX_RAM_RANGES});
        EXPECT_LE(p.reserved_count, uint32_t{FDT_MAX_RESERVED});
        EXPECT_TRUE(p.gic_version == FDT_GIC_V2 || p.gic_version == FDT_GIC_V3);
        EXPECT_LE(p.psci_conduit, uint32_t{FDT_PSCI_SMC});
    }
    return e;
}

// ---- The real DTBs ----------------------------------------------------------

struct Expected {
    const char *name;
    uint64_t ram_size;
    uint32_t gic_version;
    fdt_range gicc;
    fdt_range gicr;
    uint32_t psci_conduit;
    uint32_t cpu_count;
};

// From `dtc -I dtb -O dts` of each blob (see testdata/README.md).
const Expected kDtbs[] = {
    {"virt_a57_gicv2_128m", 128 * kMiB, FDT_GIC_V2, {0x08010000, 0x10000}, {0, 0}, FDT_PSCI_HVC, 1},
    {"virt_a53_gicv3_1g", 1 * kGiB, FDT_GIC_V3, {0, 0}, {0x080a0000, 0xf60000}, FDT_PSCI_HVC, 1},
    {"virt_max_el2_4g_smp2", 4 * kGiB, FDT_GIC_V3, {0, 0}, {0x080a0000, 0xf60000}, FDT_PSCI_SMC, 2},
    // secure=on: QEMU emulates no PSCI (firmware would), so there is no
    // /psci node; the secure-only UART and RAM are status "disabled".
    {"virt_a72_secure_512m",
     512 * kMiB,
     FDT_GIC_V2,
     {0x08010000, 0x10000},
     {0, 0},
     FDT_PSCI_NONE,
     1},
};

class RealDtbTest : public ::testing::TestWithParam<Expected> {
  protected:
    void SetUp() override
    {
        blob_ = ReadDtb(GetParam().name);
        ASSERT_EQ(blob_.size(), 1 * kMiB); // QEMU dumps its whole 1 MiB FDT buffer
        packed_ = Packed(blob_);
    }

    /** Checks everything dtc shows for this blob. */
    void ExpectPlatform(const fdt_platform &p, uint32_t totalsize)
    {
        const Expected &x = GetParam();
        EXPECT_EQ(p.totalsize, totalsize);
        ASSERT_EQ(p.ram_count, 1u);
        ExpectRange(p.ram[0], 0x40000000, x.ram_size);
        EXPECT_EQ(p.reserved_count, 0u);
        ExpectRange(p.uart, 0x09000000, 0x1000);
        EXPECT_EQ(p.uart_irq, 33u); // <0 1 4>: SPI 1
        EXPECT_EQ(p.gic_version, x.gic_version);
        EXPECT_EQ(p.irq_controller, x.gic_version == FDT_GIC_V3 ? uint32_t{FDT_IRQC_GIC_V3}
                                                                : uint32_t{FDT_IRQC_GIC_V2});
        ExpectRange(p.bcm_local, 0, 0);
        ExpectRange(p.bcm_armctrl, 0, 0);
        ExpectRange(p.gicd, 0x08000000, 0x10000);
        ExpectRange(p.gicc, x.gicc.base, x.gicc.size);
        EXPECT_EQ(p.gicr_count, x.gicr.size != 0 ? 1u : 0u);
        ExpectRange(p.gicr[0], x.gicr.base, x.gicr.size);
        EXPECT_EQ(p.gicr_dropped, 0u);
        EXPECT_EQ(p.ram_dropped, 0u);
        EXPECT_EQ(p.timer_irq_phys_s, 29u);  // <1 13 ..>
        EXPECT_EQ(p.timer_irq_phys_ns, 30u); // <1 14 ..>
        EXPECT_EQ(p.timer_irq_virt, 27u);    // <1 11 ..>
        EXPECT_EQ(p.timer_irq_hyp, 26u);     // <1 10 ..>
        EXPECT_EQ(p.timer_frequency, 0u);    // QEMU gives none: CNTFRQ_EL0 holds it
        EXPECT_EQ(p.psci_conduit, x.psci_conduit);
        uint32_t off = x.psci_conduit == FDT_PSCI_NONE ? 0 : 0x84000008;
        uint32_t reset = x.psci_conduit == FDT_PSCI_NONE ? 0 : 0x84000009;
        EXPECT_EQ(p.psci_system_off, off);
        EXPECT_EQ(p.psci_system_reset, reset);
        EXPECT_EQ(p.power_device, x.psci_conduit == FDT_PSCI_NONE ? uint32_t{FDT_POWER_NONE}
                                                                  : uint32_t{FDT_POWER_PSCI});
        ExpectRange(p.power, 0, 0);
        EXPECT_EQ(p.cpu_count, x.cpu_count);
        EXPECT_EQ(p.cpus_dropped, 0u);
        // QEMU gives enable-method = "psci" only with more than one CPU.
        for (uint32_t i = 0; i < x.cpu_count; i++) {
            EXPECT_EQ(p.cpus[i].enable_method, x.cpu_count > 1 ? uint32_t{FDT_CPU_ENABLE_PSCI}
                                                               : uint32_t{FDT_CPU_ENABLE_NONE});
            EXPECT_EQ(p.cpus[i].release_addr, 0u);
            EXPECT_EQ(p.cpus[i].disabled, 0u);
            EXPECT_EQ(p.cpus[i].mpidr, i); // QEMU numbers Aff0 from 0 (8 CPUs or fewer)
        }
    }

    Bytes blob_;
    Bytes packed_;
};

TEST_P(RealDtbTest, ParsesToWhatDtcShows)
{
    fdt_platform p;
    ASSERT_EQ(Parse(blob_, &p), FDT_OK);
    ExpectPlatform(p, 1 * kMiB);
}

/** Whether r is one of ranges[0 .. count). */
bool HasRange(const fdt_range *ranges, uint32_t count, uint64_t base, uint64_t size)
{
    for (uint32_t i = 0; i < count; i++) {
        if (ranges[i].base == base && ranges[i].size == size) {
            return true;
        }
    }
    return false;
}

bool HasIrq(const fdt_platform &p, uint32_t intid)
{
    for (uint32_t i = 0; i < p.device_irq_count; i++) {
        if (p.device_irqs[i] == intid) {
            return true;
        }
    }
    return false;
}

TEST_P(RealDtbTest, ListsTheDevicesUserDriversMayHave)
{
    fdt_platform p;
    ASSERT_EQ(Parse(blob_, &p), FDT_OK);
    // pl011, pl031 rtc, pl061 gpio, fw-cfg, 32 virtio-mmio, flash, pcie...
    EXPECT_GE(p.device_count, 36u);
    EXPECT_EQ(p.devices_dropped, 0u);
    EXPECT_TRUE(HasRange(p.devices, p.device_count, 0x09000000, 0x1000)) << "the pl011";
    EXPECT_TRUE(HasRange(p.devices, p.device_count, 0x09010000, 0x1000)) << "the pl031";
    EXPECT_TRUE(HasRange(p.devices, p.device_count, 0x0a000000, 0x200)) << "a virtio-mmio";
    // Never the kernel's own: the GIC, RAM.
    for (uint32_t i = 0; i < p.device_count; i++) {
        EXPECT_FALSE(p.devices[i].base < 0x08000000 + 0x10000 &&
                     p.devices[i].base + p.devices[i].size > 0x08000000)
            << "the GIC distributor is listed at " << i;
        EXPECT_FALSE(p.devices[i].base == 0x40000000) << "RAM is listed at " << i;
    }
    EXPECT_TRUE(HasIrq(p, 33)) << "the pl011's <0 1 4>";
    EXPECT_TRUE(HasIrq(p, 34)) << "the pl031's <0 2 4>";
    EXPECT_TRUE(HasIrq(p, 48)) << "the first virtio-mmio's <0 16 1>";
    EXPECT_FALSE(HasIrq(p, 27)) << "the timer's lines are not a device's";
    EXPECT_FALSE(HasIrq(p, 30));
    EXPECT_EQ(p.device_irqs_dropped, 0u);
}

TEST_P(RealDtbTest, CheckAcceptsAndReportsTotalsize)
{
    ExactCopy c(blob_, blob_.size());
    uint32_t total = 0;
    EXPECT_EQ(fdt_check(c.data(), c.size(), &total), FDT_OK);
    EXPECT_EQ(total, 1 * kMiB);
    EXPECT_EQ(fdt_check(c.data(), c.size(), nullptr), FDT_OK);
}

TEST_P(RealDtbTest, ABufferLargerThanTotalsizeIsFine)
{
    Bytes bigger = packed_;
    bigger.resize(bigger.size() + 13, 0xee);
    fdt_platform p;
    ASSERT_EQ(Parse(bigger, &p), FDT_OK);
    ExpectPlatform(p, static_cast<uint32_t>(packed_.size()));
}

TEST_P(RealDtbTest, ParsesAtEveryAlignment)
{
    for (size_t shift = 1; shift < 8; shift++) {
        ExactCopy c(packed_, packed_.size(), shift);
        fdt_platform p;
        ASSERT_EQ(fdt_parse_platform(c.data(), c.size(), &p), FDT_OK) << shift;
        ExpectPlatform(p, static_cast<uint32_t>(packed_.size()));
    }
}

TEST_P(RealDtbTest, Version16ParsesTheSame)
{
    // Version 16 has no size_dt_struct: the parser must find FDT_END itself
    // and ignore the field's bytes.
    Bytes b = packed_;
    SetBe32(b, fdt_test::kHdrVersion, 16);
    SetBe32(b, fdt_test::kHdrSizeStruct, 0xdeadbeef);
    fdt_platform p;
    ASSERT_EQ(Parse(b, &p), FDT_OK);
    ExpectPlatform(p, static_cast<uint32_t>(packed_.size()));
}

TEST_P(RealDtbTest, EveryShortLengthOfThePackedBlobIsTruncated)
{
    for (size_t n = 0; n < packed_.size(); n++) {
        ExactCopy c(packed_, n);
        fdt_platform p;
        ASSERT_EQ(fdt_parse_platform(c.data(), c.size(), &p), FDT_ERR_TRUNCATED) << n;
        ASSERT_EQ(fdt_check(c.data(), c.size(), nullptr), FDT_ERR_TRUNCATED) << n;
    }
    EXPECT_EQ(Parse(packed_), FDT_OK);
}

TEST_P(RealDtbTest, ShortLengthsOfTheFullBlobAreTruncated)
{
    // Every length up to 4 KiB, then a stride through the 1 MiB, then the last.
    std::vector<size_t> lengths;
    for (size_t n = 0; n <= 4096; n++) {
        lengths.push_back(n);
    }
    for (size_t n = 4097; n < blob_.size(); n += 4099) {
        lengths.push_back(n);
    }
    lengths.push_back(blob_.size() - 1);
    for (size_t n : lengths) {
        ExactCopy c(blob_, n);
        fdt_platform p;
        ASSERT_EQ(fdt_parse_platform(c.data(), c.size(), &p), FDT_ERR_TRUNCATED) << n;
    }
}

TEST_P(RealDtbTest, EachHeaderByteFlipped)
{
    for (size_t i = 0; i < fdt_test::kHeaderSize; i++) {
        Bytes b = packed_;
        b[i] ^= 0xff;
        fdt_error e = ParseCorrupt(b);
        size_t field = i / 4 * 4;
        std::set<fdt_error> allowed;
        switch (field) {
        case fdt_test::kHdrMagic:
            allowed = {FDT_ERR_BAD_MAGIC};
            break;
        case fdt_test::kHdrTotalsize: // larger than the buffer, or than its blocks allow
            allowed = {FDT_ERR_TRUNCATED, FDT_ERR_BAD_LAYOUT};
            break;
        case fdt_test::kHdrOffStruct:
        case fdt_test::kHdrOffStrings:
        case fdt_test::kHdrOffRsvmap:
            allowed = {FDT_ERR_BAD_LAYOUT};
            break;
        case fdt_test::kHdrVersion: // 17 ^ 0xff << k is still >= 16: later versions are fine
            allowed = {FDT_OK};
            break;
        case fdt_test::kHdrLastComp:
            allowed = {FDT_ERR_BAD_VERSION};
            break;
        case fdt_test::kHdrBootCpu: // not used
            allowed = {FDT_OK};
            break;
        case fdt_test::kHdrSizeStrings: // past totalsize, or cutting names off
            allowed = {FDT_ERR_BAD_LAYOUT, FDT_ERR_BAD_STRING};
            break;
        default: // size_dt_struct: past the strings, or cutting FDT_END off
            allowed = {FDT_ERR_BAD_LAYOUT, FDT_ERR_BAD_STRUCTURE};
            break;
        }
        EXPECT_EQ(allowed.count(e), 1u) << "byte " << i << ": " << fdt_error_string(e);
    }
}

TEST_P(RealDtbTest, EachByteOfTheStructureBlockStartFlipped)
{
    uint32_t off = GetBe32(packed_, fdt_test::kHdrOffStruct);
    for (size_t i = off; i < off + 512; i++) {
        Bytes b = packed_;
        b[i] ^= 0xff;
        fdt_error e = ParseCorrupt(b);
        if (i < off + 4) {
            EXPECT_EQ(e, FDT_ERR_BAD_STRUCTURE) << i; // the root's FDT_BEGIN_NODE
        }
    }
}

/** Applies 1 to 4 random corruptions: bit flips, random bytes, or telling 32-bit words. */
void Corrupt(Bytes &b, std::mt19937 &rng)
{
    const uint32_t words[] = {0,
                              1,
                              2,
                              3,
                              4,
                              9,
                              16,
                              0xd00dfeed,
                              0xffffffff,
                              0xfffffff0,
                              0x7fffffff,
                              0x80000000,
                              static_cast<uint32_t>(b.size()),
                              static_cast<uint32_t>(b.size() - 1)};
    int spots = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < spots; i++) {
        size_t at = rng() % b.size();
        switch (rng() % 3) {
        case 0:
            b[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
            break;
        case 1:
            b[at] = static_cast<uint8_t>(rng());
            break;
        default:
            at &= ~size_t{3};
            if (at + 4 <= b.size()) {
                SetBe32(b, at, words[rng() % (sizeof words / sizeof words[0])]);
            }
            break;
        }
    }
}

TEST_P(RealDtbTest, SeededRandomCorruptionsOfThePackedBlob)
{
    std::mt19937 rng(20240611);
    std::set<fdt_error> seen;
    for (int round = 0; round < 2000; round++) {
        Bytes b = packed_;
        Corrupt(b, rng);
        seen.insert(ParseCorrupt(b));
    }
    // The sweep reaches the structure and string checks, not only the header.
    EXPECT_EQ(seen.count(FDT_ERR_BAD_STRUCTURE), 1u);
    EXPECT_EQ(seen.count(FDT_ERR_BAD_STRING), 1u);
    EXPECT_EQ(seen.count(FDT_ERR_BAD_LAYOUT), 1u);
    EXPECT_EQ(seen.count(FDT_ERR_BAD_PROPERTY), 1u);
    EXPECT_EQ(seen.count(FDT_OK), 1u);
}

TEST_P(RealDtbTest, SeededRandomCorruptionsOfTheFullBlob)
{
    std::mt19937 rng(7);
    for (int round = 0; round < 100; round++) {
        Bytes b = blob_;
        Corrupt(b, rng);
        ParseCorrupt(b);
    }
}

TEST_P(RealDtbTest, CorruptedFieldsThatMatterGiveTheirError)
{
    // The memory node's first property is reg, 16 bytes: 15 is no whole entry.
    Bytes b = packed_;
    size_t name = Find(b, "memory@40000000");
    size_t prop = (name + 16 + 3) / 4 * 4; // the name is padded to 4
    ASSERT_EQ(GetBe32(b, prop), fdt_test::kProp);
    ASSERT_EQ(GetBe32(b, prop + 4), 16u);
    SetBe32(b, prop + 4, 15);
    EXPECT_EQ(Parse(b), FDT_ERR_BAD_PROPERTY);
    // The same property's name offset, past the strings block.
    b = packed_;
    SetBe32(b, prop + 8, GetBe32(b, fdt_test::kHdrSizeStrings));
    EXPECT_EQ(Parse(b), FDT_ERR_BAD_STRING);
    // Its length, past the structure block.
    b = packed_;
    SetBe32(b, prop + 4, 0x10000);
    EXPECT_EQ(Parse(b), FDT_ERR_BAD_STRUCTURE);
    // FDT_END turned into FDT_NOP: the walk runs off the block.
    b = packed_;
    size_t end = GetBe32(b, fdt_test::kHdrOffStruct) + GetBe32(b, fdt_test::kHdrSizeStruct) - 4;
    ASSERT_EQ(GetBe32(b, end), fdt_test::kEnd);
    SetBe32(b, end, fdt_test::kNop);
    EXPECT_EQ(Parse(b), FDT_ERR_BAD_STRUCTURE);
}

TEST_P(RealDtbTest, MissingPartsGiveTheirError)
{
    Bytes b = packed_;
    EXPECT_GE(ReplaceAll(b, std::string("memory\0", 7), std::string("memorx\0", 7)), 1);
    EXPECT_EQ(Parse(b), FDT_ERR_NO_MEMORY_NODE);
    b = packed_;
    EXPECT_GE(ReplaceAll(b, "arm,pl011", "arm,pl0xx"), 1);
    EXPECT_EQ(Parse(b), FDT_ERR_NO_UART);
    b = packed_;
    EXPECT_EQ(ReplaceAll(b, std::string("arm,cortex-a15-gic\0", 19),
                         std::string("arm,cortex-a15-xxx\0", 19)) +
                  ReplaceAll(b, std::string("arm,gic-v3\0", 11), std::string("arm,xxx-v3\0", 11)),
              1);
    EXPECT_EQ(Parse(b), FDT_ERR_NO_IRQ_CONTROLLER);
    b = packed_;
    EXPECT_EQ(ReplaceAll(b, "-timer", "-xxxxx"), 2);
    EXPECT_EQ(Parse(b), FDT_ERR_NO_TIMER);
}

std::string DtbName(const ::testing::TestParamInfo<Expected> &info)
{
    return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Qemu72, RealDtbTest, ::testing::ValuesIn(kDtbs), DtbName);

TEST(RealDtbSecureTest, SkipsTheSecureUartAndSecureRam)
{
    // With secure=on, QEMU lists pl011@9040000 and secram@e000000 (device_type
    // "memory") before the non-secure ones, with status "disabled" and
    // secure-status "okay". Without the status rule they would be chosen.
    Bytes b = Packed(ReadDtb("virt_a72_secure_512m"));
    fdt_platform p;
    ASSERT_EQ(Parse(b, &p), FDT_OK);
    ASSERT_EQ(p.ram_count, 1u);
    ExpectRange(p.ram[0], 0x40000000, 512 * kMiB);
    ExpectRange(p.uart, 0x09000000, 0x1000);
    // Enabling them: the secure UART comes first, but stdout-path still names
    // the non-secure one; the secure RAM becomes a second range.
    EXPECT_EQ(ReplaceAll(b, std::string("disabled\0", 9), std::string("okay\0\0\0\0\0", 9)), 6);
    ASSERT_EQ(Parse(b, &p), FDT_OK);
    ASSERT_EQ(p.ram_count, 2u);
    ExpectRange(p.ram[1], 0x0e000000, 16 * kMiB);
    ExpectRange(p.uart, 0x09000000, 0x1000);
    // Without stdout-path the first available pl011 wins: the secure one.
    EXPECT_EQ(ReplaceAll(b, "stdout-path", "stdout-xxxx"), 1);
    ASSERT_EQ(Parse(b, &p), FDT_OK);
    ExpectRange(p.uart, 0x09040000, 0x1000);
    EXPECT_EQ(p.uart_irq, 40u); // <0 8 4>
}

// ---- Header and layout ------------------------------------------------------

class HeaderTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        blob_ = Packed(ReadDtb("virt_a57_gicv2_128m"));
    }

    fdt_error With(size_t field, uint32_t value)
    {
        Bytes b = blob_;
        SetBe32(b, field, value);
        fdt_error e = Parse(b);
        EXPECT_EQ(Check(b), e);
        return e;
    }

    uint32_t Field(size_t field)
    {
        return GetBe32(blob_, field);
    }

    Bytes blob_;
};

TEST_F(HeaderTest, NullPointers)
{
    fdt_platform p;
    uint32_t total = 123;
    EXPECT_EQ(fdt_check(nullptr, 100, &total), FDT_ERR_NULL);
    EXPECT_EQ(total, 123u);
    EXPECT_EQ(fdt_parse_platform(nullptr, 100, &p), FDT_ERR_NULL);
    ExactCopy c(blob_, blob_.size());
    EXPECT_EQ(fdt_parse_platform(c.data(), c.size(), nullptr), FDT_ERR_NULL);
}

TEST_F(HeaderTest, Magic)
{
    EXPECT_EQ(With(fdt_test::kHdrMagic, 0xedfe0dd0), FDT_ERR_BAD_MAGIC); // little-endian
    EXPECT_EQ(With(fdt_test::kHdrMagic, 0), FDT_ERR_BAD_MAGIC);
}

TEST_F(HeaderTest, Versions)
{
    EXPECT_EQ(With(fdt_test::kHdrVersion, 15), FDT_ERR_BAD_VERSION);
    EXPECT_EQ(With(fdt_test::kHdrVersion, 0), FDT_ERR_BAD_VERSION);
    EXPECT_EQ(With(fdt_test::kHdrVersion, 16), FDT_OK);
    EXPECT_EQ(With(fdt_test::kHdrVersion, 18), FDT_OK); // backward compatible with 16
    EXPECT_EQ(With(fdt_test::kHdrLastComp, 17), FDT_OK);
    EXPECT_EQ(With(fdt_test::kHdrLastComp, 18), FDT_ERR_BAD_VERSION);
    EXPECT_EQ(With(fdt_test::kHdrLastComp, 0xffffffff), FDT_ERR_BAD_VERSION);
}

TEST_F(HeaderTest, Totalsize)
{
    uint32_t size = static_cast<uint32_t>(blob_.size());
    EXPECT_EQ(With(fdt_test::kHdrTotalsize, size + 1), FDT_ERR_TRUNCATED);
    EXPECT_EQ(With(fdt_test::kHdrTotalsize, 0xffffffff), FDT_ERR_TRUNCATED);
    EXPECT_EQ(With(fdt_test::kHdrTotalsize, size - 1), FDT_ERR_BAD_LAYOUT); // cuts the strings
    EXPECT_EQ(With(fdt_test::kHdrTotalsize, 39), FDT_ERR_BAD_LAYOUT);       // inside the header
    EXPECT_EQ(With(fdt_test::kHdrTotalsize, 0), FDT_ERR_BAD_LAYOUT);
}

TEST_F(HeaderTest, StructureBlockOffset)
{
    uint32_t off = Field(fdt_test::kHdrOffStruct);
    for (uint32_t bad : {0u, 36u, off + 1, off + 2, off - 4, Field(fdt_test::kHdrOffStrings),
                         static_cast<uint32_t>(blob_.size()), 0xfffffffcu}) {
        EXPECT_EQ(With(fdt_test::kHdrOffStruct, bad), FDT_ERR_BAD_LAYOUT) << bad;
    }
}

TEST_F(HeaderTest, StringsBlockOffset)
{
    uint32_t off = Field(fdt_test::kHdrOffStrings);
    for (uint32_t bad : {0u, 8u, Field(fdt_test::kHdrOffStruct), off - 1, off + 1,
                         static_cast<uint32_t>(blob_.size()), 0xffffffffu}) {
        EXPECT_EQ(With(fdt_test::kHdrOffStrings, bad), FDT_ERR_BAD_LAYOUT) << bad;
    }
}

TEST_F(HeaderTest, ReservationBlockOffset)
{
    // 0x30 in QEMU's blobs; 0x28 (just after the header) also finds zeros: fine.
    EXPECT_EQ(With(fdt_test::kHdrOffRsvmap, 0x28), FDT_OK);
    for (uint32_t bad : {0u, 0x20u, 0x34u, 0x2cu, Field(fdt_test::kHdrOffStruct),
                         static_cast<uint32_t>(blob_.size()) - 8, 0xfffffff8u}) {
        EXPECT_EQ(With(fdt_test::kHdrOffRsvmap, bad), FDT_ERR_BAD_LAYOUT) << bad;
    }
}

TEST_F(HeaderTest, BlockSizes)
{
    uint32_t st = Field(fdt_test::kHdrSizeStruct);
    uint32_t str = Field(fdt_test::kHdrSizeStrings);
    EXPECT_EQ(With(fdt_test::kHdrSizeStruct, st + 4), FDT_ERR_BAD_LAYOUT); // into the strings
    EXPECT_EQ(With(fdt_test::kHdrSizeStruct, 0xffffffff), FDT_ERR_BAD_LAYOUT);
    EXPECT_EQ(With(fdt_test::kHdrSizeStruct, st - 4), FDT_ERR_BAD_STRUCTURE); // no FDT_END
    EXPECT_EQ(With(fdt_test::kHdrSizeStruct, 0), FDT_ERR_BAD_STRUCTURE);
    EXPECT_EQ(With(fdt_test::kHdrSizeStrings, str + 1), FDT_ERR_BAD_LAYOUT);
    EXPECT_EQ(With(fdt_test::kHdrSizeStrings, str - 1), FDT_ERR_BAD_STRING); // last name cut
    EXPECT_EQ(With(fdt_test::kHdrSizeStrings, 0), FDT_ERR_BAD_STRING);
}

TEST_F(HeaderTest, ReservationBlockWithoutTerminator)
{
    // QEMU's map is only the {0, 0} terminator, at 0x30, right before the
    // structure block: a non-zero entry there leaves the map unterminated.
    Bytes b = blob_;
    ASSERT_EQ(GetBe32(b, fdt_test::kHdrOffRsvmap), 0x30u);
    ASSERT_EQ(GetBe32(b, fdt_test::kHdrOffStruct), 0x40u);
    SetBe32(b, 0x3c, 1);
    EXPECT_EQ(Parse(b), FDT_ERR_BAD_LAYOUT);
    EXPECT_EQ(Check(b), FDT_ERR_BAD_LAYOUT);
}

TEST(ErrorStringTest, EveryErrorHasItsOwnDescription)
{
    std::set<std::string> seen;
    for (int i = 0; i < FDT_ERROR_COUNT; i++) {
        std::string s = fdt_error_string(static_cast<fdt_error>(i));
        EXPECT_FALSE(s.empty());
        EXPECT_NE(s, "unknown error") << i;
        seen.insert(s);
    }
    EXPECT_EQ(seen.size(), size_t{FDT_ERROR_COUNT});
    EXPECT_STREQ(fdt_error_string(FDT_ERR_TRUNCATED), "blob truncated");
    EXPECT_STREQ(fdt_error_string(static_cast<fdt_error>(FDT_ERROR_COUNT)), "unknown error");
    EXPECT_STREQ(fdt_error_string(static_cast<fdt_error>(FDT_ERROR_COUNT + 1)), "unknown error");
}

} // namespace
