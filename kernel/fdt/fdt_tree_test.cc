// Tests for kernel/fdt on hand-built blobs (fdt_test_util.h's FdtBuilder):
// every error path of the structure block and of the properties the parser
// reads, and every selection rule (cells, status, stdout-path and aliases,
// reserved memory, first GIC / timer / PSCI, CPU count). The QEMU DTBs and
// the corruption sweeps are in fdt_test.cc.

#include "kernel/fdt/fdt.h"

#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <string>

#include "kernel/fdt/fdt_test_util.h"
#include "gtest/gtest.h"

namespace {

using fdt_test::Bytes;
using fdt_test::Check;
using fdt_test::ExpectRange;
using fdt_test::FdtBuilder;
using fdt_test::GetBe32;
using fdt_test::Hex;
using fdt_test::kGiB;
using fdt_test::kMiB;
using fdt_test::Parse;
using fdt_test::SetBe32;

using Extra = std::function<void(FdtBuilder &)>;

struct Parts {
    bool memory = true;
    bool uart = true;
    bool gic = true;
    bool timer = true;
    bool psci = true;
};

void AddMemory(FdtBuilder &b, const std::string &name, uint64_t base, uint64_t size)
{
    b.Begin(name)
        .Str("device_type", "memory")
        .Cells("reg", {static_cast<uint32_t>(base >> 32), static_cast<uint32_t>(base),
                       static_cast<uint32_t>(size >> 32), static_cast<uint32_t>(size)})
        .End();
}

void AddUart(FdtBuilder &b, uint32_t base, uint32_t spi, const std::string &status = "")
{
    b.Begin("pl011@" + Hex(base));
    b.Cells("interrupts", {0, spi, 4}).Cells("reg", {0, base, 0, 0x1000});
    b.Strs("compatible", {"arm,pl011", "arm,primecell"});
    if (!status.empty()) {
        b.Str("status", status);
    }
    b.End();
}

/**
 * A QEMU-virt-like tree with the parts asked for. root_props replaces the
 * root's #address-cells = 2 / #size-cells = 2; extra adds nodes at the end
 * of the root.
 */
Bytes Minimal(const Parts &parts = Parts(), const Extra &extra = nullptr,
              const Extra &root_props = nullptr, FdtBuilder b = FdtBuilder())
{
    b.Begin("");
    if (root_props) {
        root_props(b);
    } else {
        b.Cells("#address-cells", {2}).Cells("#size-cells", {2});
    }
    if (parts.psci) {
        b.Begin("psci").Strs("compatible", {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"});
        b.Str("method", "hvc").End();
    }
    if (parts.memory) {
        AddMemory(b, "memory@40000000", 0x40000000, 128 * kMiB);
    }
    if (parts.uart) {
        AddUart(b, 0x09000000, 1);
    }
    if (parts.gic) {
        b.Begin("intc@8000000").Str("compatible", "arm,cortex-a15-gic");
        b.Cells("reg", {0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000}).End();
    }
    if (parts.timer) {
        b.Begin("timer").Strs("compatible", {"arm,armv8-timer", "arm,armv7-timer"});
        b.Cells("interrupts", {1, 13, 0x104, 1, 14, 0x104, 1, 11, 0x104, 1, 10, 0x104}).End();
    }
    b.Begin("cpus").Cells("#address-cells", {1}).Cells("#size-cells", {0});
    b.Begin("cpu@0").Str("device_type", "cpu").Cells("reg", {0}).End().End();
    if (extra) {
        extra(b);
    }
    b.End();
    return b.Build();
}

TEST(BuiltTest, MinimalTreeParses)
{
    fdt_platform p;
    Bytes b = Minimal();
    ASSERT_EQ(Parse(b, &p), FDT_OK);
    EXPECT_EQ(p.totalsize, b.size());
    ASSERT_EQ(p.ram_count, 1u);
    ExpectRange(p.ram[0], 0x40000000, 128 * kMiB);
    ExpectRange(p.uart, 0x09000000, 0x1000);
    EXPECT_EQ(p.uart_irq, 33u);
    EXPECT_EQ(p.gic_version, uint32_t{FDT_GIC_V2});
    ExpectRange(p.gicc, 0x08010000, 0x10000);
    EXPECT_EQ(p.timer_irq_phys_ns, 30u);
    EXPECT_EQ(p.psci_conduit, uint32_t{FDT_PSCI_HVC});
    EXPECT_EQ(p.cpu_count, 1u);
}

TEST(BuiltTest, OutputIsZeroedFirst)
{
    fdt_platform p;
    std::memset(&p, 0xaa, sizeof p);
    Parts no_psci;
    no_psci.psci = false;
    ASSERT_EQ(Parse(Minimal(no_psci), &p), FDT_OK);
    EXPECT_EQ(p.psci_conduit, uint32_t{FDT_PSCI_NONE});
    EXPECT_EQ(p.psci_system_off, 0u);
    EXPECT_EQ(p.psci_system_reset, 0u);
    ExpectRange(p.ram[1], 0, 0);
    EXPECT_EQ(p.ram_dropped, 0u);
    EXPECT_EQ(p.gicr_count, 0u);
    ExpectRange(p.gicr[0], 0, 0);
    EXPECT_EQ(p.reserved_count, 0u);
    ExpectRange(p.reserved[0], 0, 0);
    EXPECT_EQ(p.timer_frequency, 0u);
}

TEST(BuiltTest, MissingParts)
{
    Parts p;
    p.memory = false;
    EXPECT_EQ(Parse(Minimal(p)), FDT_ERR_NO_MEMORY_NODE);
    p = Parts();
    p.uart = false;
    EXPECT_EQ(Parse(Minimal(p)), FDT_ERR_NO_UART);
    p = Parts();
    p.gic = false;
    EXPECT_EQ(Parse(Minimal(p)), FDT_ERR_NO_IRQ_CONTROLLER);
    p = Parts();
    p.timer = false;
    EXPECT_EQ(Parse(Minimal(p)), FDT_ERR_NO_TIMER);
    p = Parts();
    p.psci = false;
    EXPECT_EQ(Parse(Minimal(p)), FDT_OK);
}

TEST(BuiltTest, MissingPartsAreReportedInOrder)
{
    Parts none;
    none.memory = none.uart = none.gic = none.timer = false;
    EXPECT_EQ(Parse(Minimal(none)), FDT_ERR_NO_MEMORY_NODE);
    none.memory = true;
    EXPECT_EQ(Parse(Minimal(none)), FDT_ERR_NO_UART);
    none.uart = true;
    EXPECT_EQ(Parse(Minimal(none)), FDT_ERR_NO_IRQ_CONTROLLER);
}

// ---- Cells and reg ------------------------------------------------------

TEST(BuiltTest, AddressCellsThreeIsBadProperty)
{
    Extra three = [](FdtBuilder &b) { b.Cells("#address-cells", {3}).Cells("#size-cells", {2}); };
    EXPECT_EQ(Parse(Minimal(Parts(), nullptr, three)), FDT_ERR_BAD_PROPERTY);
    Extra size_three = [](FdtBuilder &b) {
        b.Cells("#address-cells", {2}).Cells("#size-cells", {3});
    };
    EXPECT_EQ(Parse(Minimal(Parts(), nullptr, size_three)), FDT_ERR_BAD_PROPERTY);
    Extra malformed = [](FdtBuilder &b) {
        b.Prop("#address-cells", {0, 0, 2}).Cells("#size-cells", {2});
    };
    EXPECT_EQ(Parse(Minimal(Parts(), nullptr, malformed)), FDT_ERR_BAD_PROPERTY);
}

TEST(BuiltTest, ThreeCellsOnANodeWhoseChildrenWeDoNotReadIsFine)
{
    // QEMU's PCI host bridge has #address-cells = 3 (and no children).
    Extra pci = [](FdtBuilder &b) {
        b.Begin("pcie@10000000").Cells("#address-cells", {3}).Cells("#size-cells", {2});
        b.Cells("reg", {0x40, 0x10000000, 0, 0x10000000}).Str("device_type", "pci").End();
    };
    EXPECT_EQ(Parse(Minimal(Parts(), pci)), FDT_OK);
}

TEST(BuiltTest, RegNotAWholeNumberOfEntries)
{
    Extra odd = [](FdtBuilder &b) {
        b.Begin("memory@80000000").Str("device_type", "memory");
        b.Cells("reg", {0, 0x80000000, 0, 0x1000, 0}).End();
    };
    EXPECT_EQ(Parse(Minimal(Parts(), odd)), FDT_ERR_BAD_PROPERTY);
    Extra bytes = [](FdtBuilder &b) {
        b.Begin("memory@80000000").Str("device_type", "memory");
        b.Prop("reg", Bytes(15, 1)).End();
    };
    EXPECT_EQ(Parse(Minimal(Parts(), bytes)), FDT_ERR_BAD_PROPERTY);
}

TEST(BuiltTest, DefaultCellsAreTwoAndOne)
{
    // A root without #address-cells / #size-cells: reg is <addr-hi addr-lo size>.
    Extra none = [](FdtBuilder &) {};
    FdtBuilder b;
    b.Begin("").Begin("memory@40000000").Str("device_type", "memory");
    b.Cells("reg", {0, 0x40000000, 0x08000000, 1, 0, 0x1000}).End();
    AddUart(b, 0x09000000, 1); // 2 + 2 cells: not whole entries of 3 ...
    Bytes blob = b.End().Build();
    EXPECT_EQ(Parse(blob), FDT_ERR_BAD_PROPERTY); // ... so the UART's reg is rejected
    fdt_platform p;
    Extra uart3 = [](FdtBuilder &c) {
        c.Begin("pl011@9000000").Str("compatible", "arm,pl011");
        c.Cells("reg", {0, 0x09000000, 0x1000}).End();
        c.Begin("intc").Str("compatible", "arm,gic-v3");
        c.Cells("reg", {0, 0x08000000, 0x10000, 0, 0x080a0000, 0xf60000}).End();
        c.Begin("timer").Str("compatible", "arm,armv7-timer");
        c.Cells("interrupts", {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4});
        c.Cells("clock-frequency", {62500000}).End();
        c.Begin("memory@40000000").Str("device_type", "memory");
        c.Cells("reg", {0, 0x40000000, 0x08000000, 1, 0, 0x1000}).End();
    };
    Parts nothing;
    nothing.memory = nothing.uart = nothing.gic = nothing.timer = nothing.psci = false;
    ASSERT_EQ(Parse(Minimal(nothing, uart3, none), &p), FDT_OK);
    ASSERT_EQ(p.ram_count, 2u);
    ExpectRange(p.ram[0], 0x40000000, 0x08000000);
    ExpectRange(p.ram[1], 0x100000000, 0x1000);
    ExpectRange(p.uart, 0x09000000, 0x1000);
    EXPECT_EQ(p.gic_version, uint32_t{FDT_GIC_V3});
    ExpectRange(p.gicd, 0x08000000, 0x10000);
    ASSERT_EQ(p.gicr_count, 1u);
    ExpectRange(p.gicr[0], 0x080a0000, 0xf60000);
    ExpectRange(p.gicc, 0, 0);
    EXPECT_EQ(p.timer_frequency, 62500000u);
}

TEST(BuiltTest, RegUsesTheParentsCellsNotTheNodesOwn)
{
    Extra soc = [](FdtBuilder &b) {
        b.Begin("soc").Cells("#address-cells", {1}).Cells("#size-cells", {1}).Prop("ranges", {});
        b.Begin("memory@80000000").Str("device_type", "memory");
        b.Cells("#address-cells", {2}).Cells("#size-cells", {2}); // for its own children
        b.Cells("reg", {0x80000000, 0x100000}).End();
        b.End();
    };
    fdt_platform p;
    ASSERT_EQ(Parse(Minimal(Parts(), soc), &p), FDT_OK);
    ASSERT_EQ(p.ram_count, 2u);
    ExpectRange(p.ram[1], 0x80000000, 0x100000);
}

TEST(BuiltTest, ZeroSizeRangesAreSkippedAndWrappingOnesRejected)
{
    Extra zero = [](FdtBuilder &b) {
        b.Begin("memory@0").Str("device_type", "memory");
        b.Cells("reg", {0, 0, 0, 0, 1, 0, 0, 0x1000}).End();
    };
    fdt_platform p;
    ASSERT_EQ(Parse(Minimal(Parts(), zero), &p), FDT_OK);
    ASSERT_EQ(p.ram_count, 2u);
    ExpectRange(p.ram[1], 0x100000000, 0x1000);
    Extra wrap = [](FdtBuilder &b) { AddMemory(b, "memory@fffff000", 0xfffffffffffff000, 0x2000); };
    EXPECT_EQ(Parse(Minimal(Parts(), wrap)), FDT_ERR_BAD_PROPERTY);
    Extra top = [](FdtBuilder &b) { // ends exactly at 2^64: fine
        AddMemory(b, "memory@fffff000", 0xfffffffffffff000, 0x1000);
    };
    EXPECT_EQ(Parse(Minimal(Parts(), top)), FDT_OK);
}

TEST(BuiltTest, RamPastTheCapacityIsCountedAndDropped)
{
    // Minimal's own memory node plus extra_nodes more: the capacity fits,
    // one more is dropped (unused RAM is safe) and counted, not an error.
    for (int extra_nodes : {FDT_MAX_RAM_RANGES - 1, FDT_MAX_RAM_RANGES, FDT_MAX_RAM_RANGES + 2}) {
        Extra more = [extra_nodes](FdtBuilder &b) {
            for (int i = 0; i < extra_nodes; i++) {
                AddMemory(b, "memory@" + std::to_string(i), (2ull + i) << 32, 0x1000);
            }
        };
        fdt_platform p;
        ASSERT_EQ(Parse(Minimal(Parts(), more), &p), FDT_OK) << extra_nodes;
        EXPECT_EQ(p.ram_count, uint32_t{FDT_MAX_RAM_RANGES});
        EXPECT_EQ(p.ram_dropped, static_cast<uint32_t>(extra_nodes + 1 - FDT_MAX_RAM_RANGES));
        ExpectRange(p.ram[FDT_MAX_RAM_RANGES - 1], uint64_t{FDT_MAX_RAM_RANGES} << 32, 0x1000);
    }
}

TEST(BuiltTest, DisabledMemoryIsSkipped)
{
    Extra disabled = [](FdtBuilder &b) {
        b.Begin("secram@e000000").Str("status", "disabled").Str("device_type", "memory");
        b.Cells("reg", {0, 0x0e000000, 0, 0x01000000}).End();
    };
    fdt_platform p;
    ASSERT_EQ(Parse(Minimal(Parts(), disabled), &p), FDT_OK);
    EXPECT_EQ(p.ram_count, 1u);
    Parts no_memory;
    no_memory.memory = false;
    EXPECT_EQ(Parse(Minimal(no_memory, disabled)), FDT_ERR_NO_MEMORY_NODE);
}

// ---- Reserved memory ----------------------------------------------------

TEST(BuiltTest, ReservationsAndReservedMemoryChildrenAreCollected)
{
    FdtBuilder start;
    start.Reserve(0x48000000, 0x10000).Reserve(0x50000000, 0).Reserve(0x49000000, 0x2000);
    Extra resmem = [](FdtBuilder &b) {
        b.Begin("reserved-memory").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Prop("ranges", {});
        b.Begin("fw@44000000").Cells("reg", {0x44000000, 0x100000}).Prop("no-map", {}).End();
        b.Begin("two@45000000").Cells("reg", {0x45000000, 0x1000, 0x46000000, 0x2000}).End();
        b.Begin("dynamic").Cells("size", {0x400000}).Cells("alloc-ranges", {0, 0x1000000});
        b.End();
        b.Begin("off@47000000").Str("status", "disabled").Cells("reg", {0x47000000, 1}).End();
        b.End();
    };
    fdt_platform p;
    ASSERT_EQ(Parse(Minimal(Parts(), resmem, nullptr, start), &p), FDT_OK);
    ASSERT_EQ(p.reserved_count, 5u);
    ExpectRange(p.reserved[0], 0x48000000, 0x10000); // memory reservation block first
    ExpectRange(p.reserved[1], 0x49000000, 0x2000);  // (its empty entry skipped)
    ExpectRange(p.reserved[2], 0x44000000, 0x100000);
    ExpectRange(p.reserved[3], 0x45000000, 0x1000);
    ExpectRange(p.reserved[4], 0x46000000, 0x2000);
    EXPECT_EQ(p.ram_count, 1u); // reserved memory is not RAM of its own
}

TEST(BuiltTest, TooManyReservations)
{
    FdtBuilder full;
    for (uint64_t i = 0; i < FDT_MAX_RESERVED; i++) {
        full.Reserve(0x48000000 + i * 0x1000, 0x1000);
    }
    fdt_platform p;
    ASSERT_EQ(Parse(Minimal(Parts(), nullptr, nullptr, full), &p), FDT_OK);
    EXPECT_EQ(p.reserved_count, uint32_t{FDT_MAX_RESERVED});
    FdtBuilder over = full; // reserved memory is never dropped: refused
    over.Reserve(0x60000000, 0x1000);
    EXPECT_EQ(Parse(Minimal(Parts(), nullptr, nullptr, over)), FDT_ERR_TOO_MANY);
    Extra child = [](FdtBuilder &b) {
        b.Begin("reserved-memory").Cells("#address-cells", {2}).Cells("#size-cells", {2});
        b.Prop("ranges", {});
        b.Begin("a").Cells("reg", {0, 0x60000000, 0, 0x1000}).End().End();
    };
    EXPECT_EQ(Parse(Minimal(Parts(), child, nullptr, full)), FDT_ERR_TOO_MANY);
}

TEST(BuiltTest, WrappingReservationIsRejected)
{
    FdtBuilder wrap;
    wrap.Reserve(0xffffffffffff0000, 0x20000);
    EXPECT_EQ(Parse(Minimal(Parts(), nullptr, nullptr, wrap)), FDT_ERR_BAD_PROPERTY);
}

// ---- The UART -----------------------------------------------------------

/** Two pl011s, the second at 0x9040000, plus the /aliases and /chosen given. */
Bytes TwoUarts(const std::string &stdout_path, const std::string &first_status = "")
{
    Parts p;
    p.uart = false;
    Extra extra = [stdout_path, first_status](FdtBuilder &b) {
        AddUart(b, 0x09000000, 1, first_status);
        AddUart(b, 0x09040000, 8);
        b.Begin("aliases").Str("serial1", "/pl011@9040000").Str("serial0", "/pl011@9000000");
        b.Str("bad", "pl011@9040000").End();
        b.Begin("chosen");
        if (!stdout_path.empty()) {
            b.Str("stdout-path", stdout_path);
        }
        b.End();
    };
    return Minimal(p, extra);
}

uint64_t UartOf(const Bytes &blob)
{
    fdt_platform p;
    fdt_error e = Parse(blob, &p);
    EXPECT_EQ(e, FDT_OK) << fdt_error_string(e);
    return p.uart.base;
}

TEST(BuiltTest, StdoutPathSelectsTheUart)
{
    EXPECT_EQ(UartOf(TwoUarts("")), 0x09000000u); // no stdout-path: the first
    EXPECT_EQ(UartOf(TwoUarts("/pl011@9040000")), 0x09040000u);
    EXPECT_EQ(UartOf(TwoUarts("/pl011@9040000:115200n8")), 0x09040000u);
    EXPECT_EQ(UartOf(TwoUarts("serial1:115200n8")), 0x09040000u); // an alias
    EXPECT_EQ(UartOf(TwoUarts("serial1")), 0x09040000u);
    EXPECT_EQ(UartOf(TwoUarts("serial0:115200n8")), 0x09000000u);
    EXPECT_EQ(UartOf(TwoUarts("/pl011")), 0x09000000u); // unit address omitted: the first match
    fdt_platform p;
    ASSERT_EQ(Parse(TwoUarts("serial1:115200n8"), &p), FDT_OK);
    EXPECT_EQ(p.uart_irq, 40u);
}

TEST(BuiltTest, StdoutPathThatDoesNotResolveFallsBackToTheFirst)
{
    EXPECT_EQ(UartOf(TwoUarts("serial7")), 0x09000000u);        // no such alias
    EXPECT_EQ(UartOf(TwoUarts("bad")), 0x09000000u);            // alias that is not a path
    EXPECT_EQ(UartOf(TwoUarts("/pl011@9050000")), 0x09000000u); // no such node
    EXPECT_EQ(UartOf(TwoUarts("/pl011@9040000/x")), 0x09000000u);
    EXPECT_EQ(UartOf(TwoUarts("/timer")), 0x09000000u); // not a pl011
    EXPECT_EQ(UartOf(TwoUarts(":115200")), 0x09000000u);
    EXPECT_EQ(UartOf(TwoUarts("/")), 0x09000000u);
}

TEST(BuiltTest, DisabledUartIsSkipped)
{
    EXPECT_EQ(UartOf(TwoUarts("", "disabled")), 0x09040000u);
    EXPECT_EQ(UartOf(TwoUarts("", "okay")), 0x09000000u);
    EXPECT_EQ(UartOf(TwoUarts("", "ok")), 0x09000000u);
    EXPECT_EQ(UartOf(TwoUarts("", "fail")), 0x09040000u);
    // stdout-path naming a disabled UART: the first available one instead.
    EXPECT_EQ(UartOf(TwoUarts("serial0", "disabled")), 0x09040000u);
    Parts p;
    p.uart = false;
    Extra off = [](FdtBuilder &b) { AddUart(b, 0x09000000, 1, "disabled"); };
    EXPECT_EQ(Parse(Minimal(p, off)), FDT_ERR_NO_UART);
}

TEST(BuiltTest, StdoutPathThroughNestedNodes)
{
    Parts p;
    p.uart = false;
    Extra soc = [](FdtBuilder &b) {
        AddUart(b, 0x09000000, 1);
        b.Begin("soc").Cells("#address-cells", {1}).Cells("#size-cells", {1}).Prop("ranges", {});
        b.Begin("serial@1c28000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0x01c28000, 0x400}).Cells("interrupts", {1, 5, 4}).End();
        b.Begin("serial@1c28400").Str("compatible", "arm,pl011");
        b.Cells("reg", {0x01c28400, 0x400}).End();
        b.End();
        b.Begin("chosen").Str("stdout-path", "/soc/serial@1c28400:115200").End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Minimal(p, soc), &out), FDT_OK);
    ExpectRange(out.uart, 0x01c28400, 0x400);
    EXPECT_EQ(out.uart_irq, 0u); // no interrupts property
}

TEST(BuiltTest, UartInterrupts)
{
    Parts p;
    p.uart = false;
    auto with = [&p](const Bytes &interrupts) {
        Extra uart = [interrupts](FdtBuilder &b) {
            b.Begin("pl011@9000000").Str("compatible", "arm,pl011");
            b.Cells("reg", {0, 0x09000000, 0, 0x1000}).Prop("interrupts", interrupts).End();
        };
        fdt_platform out;
        fdt_error e = Parse(Minimal(p, uart), &out);
        return e == FDT_OK ? out.uart_irq : 1000u + static_cast<uint32_t>(e);
    };
    EXPECT_EQ(with(fdt_test::Cells({0, 1, 4})), 33u);
    EXPECT_EQ(with(fdt_test::Cells({1, 5, 4})), 21u); // a PPI
    EXPECT_EQ(with(fdt_test::Cells({0, 987, 4})), 1019u);
    EXPECT_EQ(with(fdt_test::Cells({0, 988, 4})), 1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(with(fdt_test::Cells({1, 16, 4})), 1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(with(fdt_test::Cells({2, 1, 4})), 1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(with(fdt_test::Cells({0, 1})), 1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(with({}), 1000u + FDT_ERR_BAD_PROPERTY);
}

TEST(BuiltTest, StringPropertiesMustEndWithNul)
{
    Extra compat = [](FdtBuilder &b) { b.Begin("x").Prop("compatible", {'a', 'r', 'm'}).End(); };
    EXPECT_EQ(Parse(Minimal(Parts(), compat)), FDT_ERR_BAD_PROPERTY);
    Extra status = [](FdtBuilder &b) { b.Begin("x").Prop("status", {}).End(); };
    EXPECT_EQ(Parse(Minimal(Parts(), status)), FDT_ERR_BAD_PROPERTY);
    Extra type = [](FdtBuilder &b) { b.Begin("x").Prop("device_type", {'c', 'p', 'u'}).End(); };
    EXPECT_EQ(Parse(Minimal(Parts(), type)), FDT_ERR_BAD_PROPERTY);
    Parts p;
    p.uart = false;
    Extra chosen = [](FdtBuilder &b) {
        AddUart(b, 0x09000000, 1);
        b.Begin("chosen").Prop("stdout-path", {'/', 'x'}).End();
    };
    EXPECT_EQ(Parse(Minimal(p, chosen)), FDT_ERR_BAD_PROPERTY);
}

TEST(BuiltTest, CompatibleMatchesAnyEntry)
{
    Parts p;
    p.uart = p.gic = false;
    Extra later = [](FdtBuilder &b) {
        b.Begin("serial@9000000").Strs("compatible", {"vendor,uart", "arm,primecell", "arm,pl011"});
        b.Cells("reg", {0, 0x09000000, 0, 0x1000}).End();
        b.Begin("gic").Strs("compatible", {"vendor,gic", "arm,gic-400"});
        b.Cells("reg", {0, 0x2f000000, 0, 0x1000, 0, 0x2c000000, 0, 0x2000}).End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Minimal(p, later), &out), FDT_OK);
    ExpectRange(out.uart, 0x09000000, 0x1000);
    EXPECT_EQ(out.gic_version, uint32_t{FDT_GIC_V2});
    ExpectRange(out.gicc, 0x2c000000, 0x2000);
    // A prefix or a longer string is no match.
    Extra near = [](FdtBuilder &b) {
        b.Begin("serial@9000000").Strs("compatible", {"arm,pl01", "arm,pl0111"});
        b.Cells("reg", {0, 0x09000000, 0, 0x1000}).End();
    };
    p.gic = true;
    EXPECT_EQ(Parse(Minimal(p, near)), FDT_ERR_NO_UART);
}

TEST(BuiltTest, EveryKnownCompatibleMatchesAndNoNearMissDoes)
{
    // compatible_flags tells the known strings apart by their first five
    // bytes before comparing whole strings: each one, alone, must still
    // match, and strings that share a beginning with one must not.
    auto gic = [](const std::string &compatible) {
        Parts p;
        p.gic = false;
        Extra extra = [compatible](FdtBuilder &b) {
            b.Begin("intc").Strs("compatible", {"", compatible});
            b.Cells("reg", {0, 0x08000000, 0, 0x10000, 0, 0x08010000, 0, 0x10000}).End();
        };
        fdt_platform out;
        fdt_error e = Parse(Minimal(p, extra), &out);
        return e == FDT_OK ? static_cast<int>(out.gic_version) : -static_cast<int>(e);
    };
    EXPECT_EQ(gic("arm,cortex-a15-gic"), FDT_GIC_V2);
    EXPECT_EQ(gic("arm,cortex-a9-gic"), FDT_GIC_V2);
    EXPECT_EQ(gic("arm,gic-400"), FDT_GIC_V2);
    EXPECT_EQ(gic("arm,gic-v3"), FDT_GIC_V3);
    for (const char *near :
         {"arm,gic-40", "arm,gic-4000", "arm,gic-v2", "arm,cortex-a15-gi", "arm,cortex-a9", "arm,",
          "arm", "xarm,gic-400", "arm;gic-400", "Arm,gic-400", "arm,gic-v3 ", "arm,pl011"}) {
        EXPECT_EQ(gic(near), -FDT_ERR_NO_IRQ_CONTROLLER) << near;
    }
    auto timer = [](const std::string &compatible) {
        Parts p;
        p.timer = false;
        Extra extra = [compatible](FdtBuilder &b) {
            b.Begin("timer").Str("compatible", compatible);
            b.Cells("interrupts", {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}).End();
        };
        return Parse(Minimal(p, extra));
    };
    EXPECT_EQ(timer("arm,armv7-timer"), FDT_OK);
    EXPECT_EQ(timer("arm,armv8-timer"), FDT_OK);
    EXPECT_EQ(timer("arm,armv8-time"), FDT_ERR_NO_TIMER);
    EXPECT_EQ(timer("arm,armv9-timer"), FDT_ERR_NO_TIMER);
    auto psci = [](const std::string &compatible, fdt_platform *out) {
        Parts p;
        p.psci = false;
        Extra extra = [compatible](FdtBuilder &b) {
            b.Begin("psci").Str("compatible", compatible).Str("method", "smc").End();
        };
        return Parse(Minimal(p, extra), out);
    };
    fdt_platform out;
    for (const char *v02 : {"arm,psci-1.0", "arm,psci-0.2"}) {
        ASSERT_EQ(psci(v02, &out), FDT_OK) << v02;
        EXPECT_EQ(out.psci_conduit, uint32_t{FDT_PSCI_SMC}) << v02;
        EXPECT_EQ(out.psci_system_off, 0x84000008u) << v02;
    }
    ASSERT_EQ(psci("arm,psci", &out), FDT_OK);
    EXPECT_EQ(out.psci_conduit, uint32_t{FDT_PSCI_SMC});
    EXPECT_EQ(out.psci_system_off, 0u);
    for (const char *near : {"arm,psci-0.3", "arm,psc", "arm,psci-", "arm,psci-1.00"}) {
        ASSERT_EQ(psci(near, &out), FDT_OK) << near;
        EXPECT_EQ(out.psci_conduit, uint32_t{FDT_PSCI_NONE}) << near;
    }
}

TEST(BuiltTest, PropertiesNamedLikeOnesWeReadAreIgnored)
{
    // node_prop tells names apart by their first byte, then whole names:
    // names that begin like reg, compatible or #size-cells are not them.
    Parts p;
    p.uart = false;
    Extra extra = [](FdtBuilder &b) {
        b.Begin("pl011@9000000").Str("compatible-x", "arm,pl011");
        b.Cells("reg", {0, 0x09000000, 0, 0x1000}).End();
    };
    Extra root = [](FdtBuilder &b) {
        b.Cells("#address-cells", {2}).Cells("#size-cells", {2});
        b.Cells("#size-cellsx", {3}).Cells("#address-cell", {3}).Cells("#size", {3});
    };
    EXPECT_EQ(Parse(Minimal(p, extra, root)), FDT_ERR_NO_UART);
    Extra regs = [](FdtBuilder &b) {
        b.Begin("x").Str("compatible", "vendor,x").Prop("regs", {1}).Prop("re", {1}).End();
        b.Begin("y").Str("status", "okay").Str("statuses", "disabled").End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Minimal(Parts(), regs, root), &out), FDT_OK);
    ExpectRange(out.uart, 0x09000000, 0x1000);
}

// ---- GIC, timer, PSCI, CPUs ------------------------------------------------

TEST(BuiltTest, GicNeedsTwoRegEntries)
{
    Parts p;
    p.gic = false;
    Extra one = [](FdtBuilder &b) {
        b.Begin("intc").Str("compatible", "arm,gic-v3").Cells("reg", {0, 0x08000000, 0, 0x10000});
        b.End();
    };
    EXPECT_EQ(Parse(Minimal(p, one)), FDT_ERR_BAD_PROPERTY);
    Extra none = [](FdtBuilder &b) {
        b.Begin("intc").Str("compatible", "arm,cortex-a9-gic").End();
    };
    EXPECT_EQ(Parse(Minimal(p, none)), FDT_ERR_BAD_PROPERTY);
}

TEST(BuiltTest, FirstGicAndTimerWin)
{
    Extra second = [](FdtBuilder &b) {
        b.Begin("intc2").Str("compatible", "arm,gic-v3");
        b.Cells("reg", {0, 0x1000, 0, 0x1000, 0, 0x2000, 0, 0x1000}).End();
        b.Begin("timer2").Str("compatible", "arm,armv8-timer");
        b.Cells("interrupts", {1, 1, 4, 1, 2, 4, 1, 3, 4, 1, 4, 4}).End();
    };
    fdt_platform p;
    ASSERT_EQ(Parse(Minimal(Parts(), second), &p), FDT_OK);
    EXPECT_EQ(p.gic_version, uint32_t{FDT_GIC_V2});
    ExpectRange(p.gicd, 0x08000000, 0x10000);
    EXPECT_EQ(p.timer_irq_phys_ns, 30u);
}

TEST(BuiltTest, TimerInterrupts)
{
    Parts p;
    p.timer = false;
    auto with = [&p](std::initializer_list<uint32_t> cells, const Bytes &freq) {
        Bytes interrupts = fdt_test::Cells(cells);
        Extra timer = [interrupts, freq](FdtBuilder &b) {
            b.Begin("timer").Str("compatible", "arm,armv8-timer");
            b.Prop("interrupts", interrupts);
            if (!freq.empty()) {
                b.Prop("clock-frequency", freq);
            }
            b.End();
        };
        return Parse(Minimal(p, timer));
    };
    EXPECT_EQ(with({1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}, {}), FDT_OK);
    EXPECT_EQ(with({1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4}, {}),
              FDT_OK); // 5th: EL2 virt
    EXPECT_EQ(with({1, 13, 4, 1, 14, 4, 1, 11, 4}, {}), FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(with({1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10}, {}), FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(with({1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}, fdt_test::Cells({0, 62500000})),
              FDT_ERR_BAD_PROPERTY); // clock-frequency is a u32
}

TEST(BuiltTest, Psci)
{
    Parts p;
    p.psci = false;
    auto with = [&p](std::initializer_list<std::string> compatible, const std::string &method,
                     fdt_platform *out) {
        Bytes compat = fdt_test::Strings(compatible);
        Extra psci = [compat, method](FdtBuilder &b) {
            b.Begin("psci").Prop("compatible", compat);
            if (!method.empty()) {
                b.Str("method", method);
            }
            b.End();
        };
        return Parse(Minimal(p, psci), out);
    };
    fdt_platform out;
    ASSERT_EQ(with({"arm,psci-0.2"}, "smc", &out), FDT_OK);
    EXPECT_EQ(out.psci_conduit, uint32_t{FDT_PSCI_SMC});
    EXPECT_EQ(out.psci_system_off, 0x84000008u);
    EXPECT_EQ(out.psci_system_reset, 0x84000009u);
    ASSERT_EQ(with({"arm,psci"}, "hvc", &out), FDT_OK); // PSCI 0.1: no standard ids
    EXPECT_EQ(out.psci_conduit, uint32_t{FDT_PSCI_HVC});
    EXPECT_EQ(out.psci_system_off, 0u);
    EXPECT_EQ(out.psci_system_reset, 0u);
    EXPECT_EQ(with({"arm,psci-1.0"}, "svc", &out), FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(with({"arm,psci-1.0"}, "", &out), FDT_ERR_BAD_PROPERTY);
    ASSERT_EQ(with({"vendor,psci"}, "hvc", &out), FDT_OK); // not PSCI at all
    EXPECT_EQ(out.psci_conduit, uint32_t{FDT_PSCI_NONE});
}

TEST(BuiltTest, CpuCountCountsChildrenOfCpus)
{
    Extra more = [](FdtBuilder &b) {
        b.Begin("cpu@9").Str("device_type", "cpu").End(); // not under /cpus
    };
    FdtBuilder b;
    b.Begin("").Cells("#address-cells", {2}).Cells("#size-cells", {2});
    AddMemory(b, "memory@40000000", 0x40000000, kGiB);
    AddUart(b, 0x09000000, 1);
    b.Begin("intc").Str("compatible", "arm,gic-v3");
    b.Cells("reg", {0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000}).End();
    b.Begin("timer").Str("compatible", "arm,armv8-timer");
    b.Cells("interrupts", {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}).End();
    b.Begin("cpus").Cells("#address-cells", {1}).Cells("#size-cells", {0});
    b.Begin("cpu-map").Begin("socket0").Begin("cluster0").Begin("core0").Cells("cpu", {1});
    b.End().End().End().End();
    for (uint32_t i = 0; i < 4; i++) {
        b.Begin("cpu@" + std::to_string(i)).Str("device_type", "cpu").Cells("reg", {i});
        if (i == 3) {
            b.Str("status", "disabled"); // offline but present
        }
        b.End();
    }
    b.Begin("l2-cache").Str("compatible", "cache").End();
    b.End();
    more(b);
    fdt_platform p;
    ASSERT_EQ(Parse(b.End().Build(), &p), FDT_OK);
    EXPECT_EQ(p.cpu_count, 4u);
}

// ---- Structure block ----------------------------------------------------

TEST(BuiltTest, UnbalancedNodes)
{
    Extra extra_end = [](FdtBuilder &b) { b.Begin("x").End().End(); };
    EXPECT_EQ(Parse(Minimal(Parts(), extra_end)), FDT_ERR_BAD_STRUCTURE); // root closed early
    Extra open = [](FdtBuilder &b) { b.Begin("x"); };
    EXPECT_EQ(Parse(Minimal(Parts(), open)), FDT_ERR_BAD_STRUCTURE); // FDT_END inside a node
    FdtBuilder two_ends;
    two_ends.Begin("").End().End();
    EXPECT_EQ(Check(two_ends.Build()), FDT_ERR_BAD_STRUCTURE);
    FdtBuilder two_roots;
    two_roots.Begin("").End().Begin("").End();
    EXPECT_EQ(Check(two_roots.Build()), FDT_ERR_BAD_STRUCTURE);
    FdtBuilder empty;
    EXPECT_EQ(Check(empty.Build()), FDT_ERR_BAD_STRUCTURE); // FDT_END alone: no root
    FdtBuilder bare;
    bare.Begin("").End();
    EXPECT_EQ(Check(bare.Build()), FDT_OK);
    EXPECT_EQ(Parse(bare.Build()), FDT_ERR_NO_MEMORY_NODE);
}

TEST(BuiltTest, MissingEnd)
{
    FdtBuilder b;
    b.Begin("").End();
    EXPECT_EQ(Check(b.Build(false)), FDT_ERR_BAD_STRUCTURE);
    FdtBuilder nops;
    nops.Begin("").End().Token(fdt_test::kNop).Token(fdt_test::kNop);
    EXPECT_EQ(Check(nops.Build(false)), FDT_ERR_BAD_STRUCTURE);
}

TEST(BuiltTest, NopsAreSkippedAnywhere)
{
    FdtBuilder b;
    b.Token(fdt_test::kNop).Begin("").Token(fdt_test::kNop).Cells("#size-cells", {1});
    b.Token(fdt_test::kNop).Begin("x").Token(fdt_test::kNop).End().Token(fdt_test::kNop).End();
    b.Token(fdt_test::kNop);
    EXPECT_EQ(Check(b.Build()), FDT_OK);
}

TEST(BuiltTest, UnknownTokens)
{
    for (uint32_t token : {0u, 5u, 8u, 10u, 0x01000000u, 0xffffffffu}) {
        FdtBuilder b;
        b.Begin("").Token(token).End();
        EXPECT_EQ(Check(b.Build()), FDT_ERR_BAD_STRUCTURE) << token;
    }
}

TEST(BuiltTest, PropertyAfterAChildNode)
{
    FdtBuilder b;
    b.Begin("").Begin("x").End().Cells("#address-cells", {1}).End();
    EXPECT_EQ(Check(b.Build()), FDT_ERR_BAD_STRUCTURE);
    FdtBuilder ok; // after a child of a child is fine: the property is the child's
    ok.Begin("").Begin("x").Begin("y").End().End().Begin("z").Cells("a", {1}).End().End();
    EXPECT_EQ(Check(ok.Build()), FDT_OK);
    FdtBuilder outside;
    outside.Cells("a", {1}).Begin("").End();
    EXPECT_EQ(Check(outside.Build()), FDT_ERR_BAD_STRUCTURE);
}

/** A root with depth - 1 nested nodes below it. */
Bytes Nested(int depth)
{
    FdtBuilder b;
    for (int i = 0; i < depth; i++) {
        b.Begin(i == 0 ? "" : "n" + std::to_string(i));
    }
    for (int i = 0; i < depth; i++) {
        b.End();
    }
    return b.Build();
}

TEST(BuiltTest, DepthLimit)
{
    EXPECT_EQ(Check(Nested(FDT_MAX_DEPTH)), FDT_OK);
    EXPECT_EQ(Check(Nested(FDT_MAX_DEPTH + 1)), FDT_ERR_BAD_STRUCTURE);
    EXPECT_EQ(Parse(Nested(FDT_MAX_DEPTH + 1)), FDT_ERR_BAD_STRUCTURE);
    Extra deep = [](FdtBuilder &b) { // a full-depth branch of a real tree
        for (int i = 1; i < FDT_MAX_DEPTH; i++) {
            b.Begin("n" + std::to_string(i));
        }
        AddMemory(b, "memory@80000000", 0x80000000, 0x1000); // one too deep
        for (int i = 1; i < FDT_MAX_DEPTH; i++) {
            b.End();
        }
    };
    EXPECT_EQ(Parse(Minimal(Parts(), deep)), FDT_ERR_BAD_STRUCTURE);
}

TEST(BuiltTest, NameOffsets)
{
    FdtBuilder b;
    b.Begin("").Cells("#size-cells", {1});
    uint32_t size = b.StringsSize(); // "#size-cells\0"
    FdtBuilder past = b;
    past.PropAt(size, {}).End();
    EXPECT_EQ(Check(past.Build()), FDT_ERR_BAD_STRING);
    FdtBuilder far = b;
    far.PropAt(0xffffffff, {}).End();
    EXPECT_EQ(Check(far.Build()), FDT_ERR_BAD_STRING);
    FdtBuilder inside = b; // into the middle of a name: "size-cells", legal
    inside.PropAt(1, {}).End();
    EXPECT_EQ(Check(inside.Build()), FDT_OK);
    FdtBuilder last = b; // the NUL itself: the empty name
    last.PropAt(size - 1, {}).End();
    EXPECT_EQ(Check(last.Build()), FDT_OK);
    // A name whose NUL is cut off by size_dt_strings.
    b.End();
    Bytes blob = b.Build();
    SetBe32(blob, fdt_test::kHdrSizeStrings, size - 1);
    EXPECT_EQ(Check(blob), FDT_ERR_BAD_STRING);
}

TEST(BuiltTest, PropertyAndNamePastTheBlock)
{
    FdtBuilder b;
    b.Begin("").Cells("a", {1, 2}).End();
    Bytes blob = b.Build();
    uint32_t prop = GetBe32(blob, fdt_test::kHdrOffStruct) + 8; // after BEGIN_NODE ""
    ASSERT_EQ(GetBe32(blob, prop), fdt_test::kProp);
    for (uint32_t len : {9u, 16u, 0xfffffff0u, 0xffffffffu}) {
        Bytes bad = blob;
        SetBe32(bad, prop + 4, len);
        EXPECT_EQ(Check(bad), FDT_ERR_BAD_STRUCTURE) << len;
    }
    // A node name running to the end of the block without its NUL.
    FdtBuilder name;
    name.Begin("").End();
    Bytes nameless = name.Build(false);
    nameless.insert(nameless.begin() + GetBe32(nameless, fdt_test::kHdrOffStrings),
                    {0, 0, 0, 1, 'a', 'b', 'c', 'd'});
    SetBe32(nameless, fdt_test::kHdrSizeStruct, GetBe32(nameless, fdt_test::kHdrSizeStruct) + 8);
    SetBe32(nameless, fdt_test::kHdrOffStrings, GetBe32(nameless, fdt_test::kHdrOffStrings) + 8);
    SetBe32(nameless, fdt_test::kHdrTotalsize, static_cast<uint32_t>(nameless.size()));
    EXPECT_EQ(Check(nameless), FDT_ERR_BAD_STRUCTURE);
}

} // namespace
