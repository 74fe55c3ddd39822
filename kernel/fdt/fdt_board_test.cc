// Tests for kernel/fdt on hand-built blobs shaped like real boards: many
// memory nodes and reserved regions, devices behind translating buses (ranges, DT spec 2.3.8),
// GICv3 with several redistributor regions, and interrupt properties the parser must not decode (a
// stray UART's 4-cell interrupts, interrupts-extended, a nexus with interrupt-map).

#include "kernel/fdt/fdt.h"

#include <cstdint>
#include <functional>
#include <string>

#include "kernel/fdt/fdt_test_util.h"
#include "gtest/gtest.h"

namespace {

using fdt_test::Bytes;
using fdt_test::ExpectRange;
using fdt_test::FdtBuilder;
using fdt_test::Hex;
using fdt_test::kMiB;
using fdt_test::Parse;

using Extra = std::function<void(FdtBuilder &)>;

constexpr uint32_t kGicPhandle = 0x8001;

/** Which of the usual root-level parts Board adds. */
struct Parts {
    bool uart = true;
    bool gic = true;
    bool memory = true;
    uint32_t gic_irq_cells = 3; // 0: no #interrupt-cells on the GIC
};

/**
 * A root (#address-cells = 2, #size-cells = 2, interrupt-parent = the GIC)
 * with a timer, CPUs, and the parts asked for at the root; extra adds nodes
 * at the end of the root.
 */
Bytes Board(const Parts &parts, const Extra &extra, FdtBuilder b = FdtBuilder())
{
    b.Begin("").Cells("#address-cells", {2}).Cells("#size-cells", {2});
    b.Cells("interrupt-parent", {kGicPhandle});
    if (parts.memory) {
        b.Begin("memory@40000000").Str("device_type", "memory");
        b.Cells("reg", {0, 0x40000000, 0, 0x08000000}).End();
    }
    if (parts.uart) {
        b.Begin("pl011@9000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0, 0x09000000, 0, 0x1000}).Cells("interrupts", {0, 1, 4}).End();
    }
    if (parts.gic) {
        b.Begin("intc@8000000").Str("compatible", "arm,gic-v3").Prop("interrupt-controller", {});
        b.Cells("#interrupt-cells", {3}).Cells("phandle", {kGicPhandle});
        b.Cells("reg", {0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000}).End();
    }
    b.Begin("timer").Str("compatible", "arm,armv8-timer");
    if (parts.gic_irq_cells == 4) {
        b.Cells("interrupts", {1, 13, 4, 0, 1, 14, 4, 0, 1, 11, 4, 0, 1, 10, 4, 0}).End();
    } else {
        b.Cells("interrupts", {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}).End();
    }
    b.Begin("cpus").Cells("#address-cells", {1}).Cells("#size-cells", {0});
    b.Begin("cpu@0").Str("device_type", "cpu").Cells("reg", {0}).End().End();
    if (extra) {
        extra(b);
    }
    return b.End().Build();
}

/** A GICv3 node with the given properties after compatible and phandle. */
void AddGic(FdtBuilder &b, const std::string &name, std::initializer_list<uint32_t> reg,
            uint32_t irq_cells = 3)
{
    b.Begin(name).Str("compatible", "arm,gic-v3").Prop("interrupt-controller", {});
    if (irq_cells != 0) {
        b.Cells("#interrupt-cells", {irq_cells});
    }
    b.Cells("phandle", {kGicPhandle}).Cells("reg", reg);
}

/** A pl011 named serial@<base> with a one-cell address and size. */
void AddSerial(FdtBuilder &b, uint32_t base, uint32_t size = 0x200)
{
    b.Begin("serial@" + Hex(base)).Strs("compatible", {"arm,pl011", "arm,primecell"});
    b.Cells("reg", {base, size});
}

// ---- More RAM and reserved ranges than the old fixed limits -------------------

TEST(LimitTest, NineNumaMemoryNodes)
{
    // QEMU virt with -numa: one memory node per NUMA node, each with its
    // numa-node-id. Nine used to be refused with TOO_MANY.
    Parts p;
    p.memory = false;
    Extra numa = [](FdtBuilder &b) {
        for (uint64_t i = 0; i < 9; i++) {
            uint64_t base = 0x40000000 + i * 128 * kMiB;
            b.Begin("memory@" + Hex(base)).Str("device_type", "memory");
            b.Cells("reg", {0, static_cast<uint32_t>(base), 0, 128 * kMiB});
            b.Cells("numa-node-id", {static_cast<uint32_t>(i)}).End();
        }
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Board(p, numa), &out), FDT_OK);
    ASSERT_EQ(out.ram_count, 9u);
    for (uint32_t i = 0; i < 9; i++) {
        ExpectRange(out.ram[i], 0x40000000 + i * 128 * kMiB, 128 * kMiB);
    }
    EXPECT_EQ(out.ram_dropped, 0u);
    Extra one_node = [](FdtBuilder &b) { // nine entries in one reg
        b.Begin("memory@100000000").Str("device_type", "memory");
        b.Prop("reg", fdt_test::Cells({1, 0, 0, 0x1000, 2, 0, 0, 0x1000, 3, 0, 0, 0x1000,
                                       4, 0, 0, 0x1000, 5, 0, 0, 0x1000, 6, 0, 0, 0x1000,
                                       7, 0, 0, 0x1000, 8, 0, 0, 0x1000, 9, 0, 0, 0x1000}));
        b.End();
    };
    ASSERT_EQ(Parse(Board(p, one_node), &out), FDT_OK);
    EXPECT_EQ(out.ram_count, 9u);
}

TEST(LimitTest, SeventeenAndMoreReservations)
{
    // Both sources together, past the old limit of 16: 9 reservation block
    // entries and 40 /reserved-memory children (Qualcomm boards have ~50).
    FdtBuilder start;
    for (uint64_t i = 0; i < 9; i++) {
        start.Reserve(0x48000000 + i * 0x10000, 0x10000);
    }
    Extra resmem = [](FdtBuilder &b) {
        b.Begin("reserved-memory").Cells("#address-cells", {2}).Cells("#size-cells", {2});
        b.Prop("ranges", {});
        for (uint32_t i = 0; i < 40; i++) {
            uint32_t base = 0x80000000u + i * 0x100000u;
            b.Begin("region@" + Hex(base)).Cells("reg", {0, base, 0, 0x100000});
            b.Prop("no-map", {}).End();
        }
        b.End();
    };
    fdt_platform p;
    ASSERT_EQ(Parse(Board(Parts(), resmem, start), &p), FDT_OK);
    ASSERT_EQ(p.reserved_count, 49u);
    for (uint32_t i = 0; i < 9; i++) {
        ExpectRange(p.reserved[i], 0x48000000 + i * 0x10000, 0x10000);
    }
    for (uint32_t i = 0; i < 40; i++) {
        ExpectRange(p.reserved[9 + i], 0x80000000u + i * 0x100000u, 0x100000);
    }
}

// ---- ranges -----------------------------------------------------------------

// The Raspberry Pi 4 (bcm2711): the UART and the GIC sit in /soc, whose
// 32-bit bus addresses (0x7e...) the CPU sees at 0xfe... and whose GIC
// window 0x40000000 is at 0xff800000 (ranges <child parent-hi parent-lo size>).
Extra Pi4Soc(const std::string &soc_ranges_name = "ranges")
{
    return [soc_ranges_name](FdtBuilder &b) {
        b.Begin("soc").Str("compatible", "simple-bus");
        b.Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Cells(soc_ranges_name, {0x7e000000, 0x0, 0xfe000000, 0x01800000,   //
                                  0x7c000000, 0x0, 0xfc000000, 0x02000000,   //
                                  0x40000000, 0x0, 0xff800000, 0x00800000}); //
        AddSerial(b, 0x7e201000);
        b.Cells("interrupts", {0, 121, 4}).End();
        AddGic(b, "interrupt-controller@40041000",
               {0x40041000, 0x1000, 0x40042000, 0x2000, 0x40044000, 0x2000, 0x40046000, 0x2000});
        b.End().End();
        b.Begin("chosen").Str("stdout-path", "/soc/serial@7e201000:115200n8").End();
    };
}

Bytes Pi4(const Extra &soc)
{
    Parts p;
    p.uart = p.gic = false;
    return Board(p, soc);
}

TEST(BusTest, ConsoleAndGicBehindRanges)
{
    fdt_platform p;
    ASSERT_EQ(Parse(Pi4(Pi4Soc()), &p), FDT_OK);
    ExpectRange(p.uart, 0xfe201000, 0x200); // not the bus address 0x7e201000
    EXPECT_EQ(p.uart_irq, 32u + 121u);
    ExpectRange(p.gicd, 0xff841000, 0x1000); // the third window
    ASSERT_EQ(p.gicr_count, 1u);
    ExpectRange(p.gicr[0], 0xff842000, 0x2000);
}

TEST(BusTest, AbsentRangesIsNotTranslatable)
{
    // Without ranges the bus addresses mean nothing to the CPU (2.3.8).
    EXPECT_EQ(Parse(Pi4(Pi4Soc("dma-ranges"))), FDT_ERR_NO_RANGES);
}

TEST(BusTest, EmptyRangesIsTheIdentity)
{
    Parts p;
    p.uart = false;
    Extra bus = [](FdtBuilder &b) {
        b.Begin("bus").Cells("#address-cells", {1}).Cells("#size-cells", {1}).Prop("ranges", {});
        b.Begin("inner").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Prop("ranges", {});
        AddSerial(b, 0x1c090000);
        b.End().End().End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Board(p, bus), &out), FDT_OK);
    ExpectRange(out.uart, 0x1c090000, 0x200);
}

// Two translating levels with different cell counts, as on the Arm FVP
// (bus@8000000 with 2-cell child addresses, motherboard buses inside):
//   root (#a 2, #s 2)
//     bus@8000000 (#a 2, #s 1): ranges <2-cell child, 2-cell parent, 1-cell size>
//       iofpga@3 (#a 1, #s 1): ranges <1-cell child, 2-cell parent, 1-cell size>
//         serial@90000, memory@100000, reserved child
Extra Fvp(uint32_t serial_base, uint32_t serial_size = 0x1000)
{
    return [serial_base, serial_size](FdtBuilder &b) {
        b.Begin("bus@8000000").Str("compatible", "simple-bus");
        b.Cells("#address-cells", {2}).Cells("#size-cells", {1});
        b.Cells("ranges", {0, 0, 0, 0x08000000, 0x04000000,   // CS0: 0.0 -> 0x08000000
                           3, 0, 0, 0x1c000000, 0x04000000}); // CS3: 3.0 -> 0x1c000000
        b.Begin("iofpga@3,00000000").Str("compatible", "simple-bus");
        b.Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Cells("ranges", {0x00010000, 3, 0x00010000, 0x00100000,   //
                           0x00200000, 3, 0x00200000, 0x00100000}); //
        AddSerial(b, serial_base, serial_size);
        b.End();
        b.Begin("memory@200000").Str("device_type", "memory").Cells("reg", {0x00200000, 0x1000});
        b.End().End().End();
        b.Begin("chosen").Str("stdout-path",
                              "/bus@8000000/iofpga@3,00000000/serial@" + Hex(serial_base));
        b.End();
    };
}

TEST(BusTest, NestedTranslatingBusesWithDifferentCells)
{
    Parts p;
    p.uart = false;
    fdt_platform out;
    ASSERT_EQ(Parse(Board(p, Fvp(0x00090000)), &out), FDT_OK);
    // 0x90000 -> (iofpga) 3.0x90000 -> (bus) 0x1c000000 + 0x90000.
    ExpectRange(out.uart, 0x1c090000, 0x1000);
    ASSERT_EQ(out.ram_count, 2u);
    ExpectRange(out.ram[1], 0x1c200000, 0x1000);
}

TEST(BusTest, AddressInNoRangeIsNamed)
{
    Parts p;
    p.uart = false;
    // 0x300000: in neither iofpga window.
    EXPECT_EQ(Parse(Board(p, Fvp(0x00300000))), FDT_ERR_NOT_IN_RANGES);
    // Starts inside the first window, ends past it.
    EXPECT_EQ(Parse(Board(p, Fvp(0x0010f000, 0x2000))), FDT_ERR_NOT_IN_RANGES);
    // Exactly the whole window: fine.
    fdt_platform out;
    ASSERT_EQ(Parse(Board(p, Fvp(0x00010000, 0x00100000)), &out), FDT_OK);
    ExpectRange(out.uart, 0x1c010000, 0x00100000);
    // In the iofpga's window but outside every window of the bus above it.
    Extra hole = [](FdtBuilder &b) {
        b.Begin("bus").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Cells("ranges", {0x0, 0x0, 0x10000000, 0x1000});
        b.Begin("sub").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Cells("ranges", {0x0, 0x2000, 0x1000});
        AddSerial(b, 0x0, 0x100);
        b.End().End().End();
    };
    EXPECT_EQ(Parse(Board(p, hole)), FDT_ERR_NOT_IN_RANGES);
}

TEST(BusTest, EveryUsedNodeIsTranslated)
{
    // Memory, /reserved-memory children and the GIC under a bus without
    // ranges are refused, not reported at their bus address.
    Extra memory = [](FdtBuilder &b) {
        b.Begin("bus").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Begin("memory@0").Str("device_type", "memory").Cells("reg", {0, 0x1000}).End().End();
    };
    EXPECT_EQ(Parse(Board(Parts(), memory)), FDT_ERR_NO_RANGES);
    Extra reserved = [](FdtBuilder &b) {
        b.Begin("reserved-memory").Cells("#address-cells", {2}).Cells("#size-cells", {2});
        b.Begin("fw@44000000").Cells("reg", {0, 0x44000000, 0, 0x1000}).End().End();
    };
    EXPECT_EQ(Parse(Board(Parts(), reserved)), FDT_ERR_NO_RANGES);
    Parts no_gic;
    no_gic.gic = false;
    Extra gic = [](FdtBuilder &b) {
        b.Begin("bus").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        AddGic(b, "intc", {0x0, 0x10000, 0x20000, 0x20000});
        b.End().End();
    };
    EXPECT_EQ(Parse(Board(no_gic, gic)), FDT_ERR_NO_RANGES);
    // Reserved memory through a translating /reserved-memory.
    Extra shifted = [](FdtBuilder &b) {
        b.Begin("reserved-memory").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        b.Cells("ranges", {0x0, 0x0, 0x40000000, 0x08000000});
        b.Begin("fw@100000").Cells("reg", {0x100000, 0x1000}).End().End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Board(Parts(), shifted), &out), FDT_OK);
    ASSERT_EQ(out.reserved_count, 1u);
    ExpectRange(out.reserved[0], 0x40100000, 0x1000);
}

TEST(BusTest, StrayDevicesBehindUntranslatableBusesDoNotMatter)
{
    // A second pl011 and a second GIC under a bus without ranges: the
    // console is at the root, the GIC is the root's; nothing reads them.
    Extra stray = [](FdtBuilder &b) {
        b.Begin("bus").Cells("#address-cells", {1}).Cells("#size-cells", {1});
        AddSerial(b, 0x1000);
        b.End();
        AddGic(b, "intc@0", {0x0, 0x10000, 0x20000, 0x20000});
        b.End().End();
        b.Begin("chosen").Str("stdout-path", "/pl011@9000000").End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Board(Parts(), stray), &out), FDT_OK);
    ExpectRange(out.uart, 0x09000000, 0x1000);
}

TEST(BusTest, MalformedRanges)
{
    auto with = [](std::initializer_list<uint32_t> ranges, uint32_t address_cells) {
        Bytes value = fdt_test::Cells(ranges);
        Extra bus = [value, address_cells](FdtBuilder &b) {
            b.Begin("bus").Cells("#address-cells", {address_cells}).Cells("#size-cells", {1});
            b.Prop("ranges", value);
            b.Begin("memory@0").Str("device_type", "memory");
            b.Prop("reg", address_cells == 1 ? fdt_test::Cells({0, 0x1000})
                                             : fdt_test::Cells({0, 0, 0, 0x1000}));
            b.End().End();
        };
        return Parse(Board(Parts(), bus));
    };
    EXPECT_EQ(with({0, 0, 0x80000000, 0x1000}, 1), FDT_OK);
    EXPECT_EQ(with({0, 0, 0x80000000}, 1), FDT_ERR_BAD_PROPERTY);            // not whole
    EXPECT_EQ(with({0, 0, 0, 0x80000000, 0x1000}, 3), FDT_ERR_BAD_PROPERTY); // 3 cells
    // A translation that wraps past 2^64.
    EXPECT_EQ(with({0, 0xffffffff, 0xfffff800, 0x1000}, 1), FDT_ERR_BAD_PROPERTY);
}

// ---- GICv3 redistributor regions ---------------------------------------------

/** A GICv3 with regions redistributor regions of 0x100000 each, and GICC/GICH/GICV after. */
Bytes GicWithRegions(uint32_t regions, uint32_t declared, uint32_t reg_regions)
{
    Parts p;
    p.gic = false;
    Extra gic = [regions, declared, reg_regions](FdtBuilder &b) {
        Bytes reg = fdt_test::Cells({0, 0x08000000, 0, 0x10000});
        for (uint32_t i = 0; i < reg_regions; i++) {
            Bytes r = fdt_test::Cells({0, 0x10000000 + i * 0x100000, 0, 0x100000});
            reg.insert(reg.end(), r.begin(), r.end());
        }
        Bytes cpu = fdt_test::Cells({0, 0x08010000, 0, 0x2000, 0, 0x08030000, 0, 0x2000, //
                                     0, 0x08040000, 0, 0x2000});
        reg.insert(reg.end(), cpu.begin(), cpu.end());
        b.Begin("intc@8000000").Str("compatible", "arm,gic-v3").Cells("#interrupt-cells", {3});
        b.Cells("phandle", {kGicPhandle}).Prop("reg", reg);
        if (declared != 0) {
            b.Cells("#redistributor-regions", {regions});
        }
        b.End();
    };
    return Board(p, gic);
}

TEST(GicTest, EveryRedistributorRegionIsReported)
{
    // QEMU virt with more than 123 CPUs: two regions.
    fdt_platform p;
    ASSERT_EQ(Parse(GicWithRegions(2, 1, 2), &p), FDT_OK);
    ASSERT_EQ(p.gicr_count, 2u);
    ExpectRange(p.gicr[0], 0x10000000, 0x100000);
    ExpectRange(p.gicr[1], 0x10100000, 0x100000);
    EXPECT_EQ(p.gicr_dropped, 0u);
    ExpectRange(p.gicd, 0x08000000, 0x10000);
    ExpectRange(p.gicc, 0, 0);
    // Without #redistributor-regions: one region, reg[1]; the rest is GICC etc.
    ASSERT_EQ(Parse(GicWithRegions(0, 0, 1), &p), FDT_OK);
    ASSERT_EQ(p.gicr_count, 1u);
    ExpectRange(p.gicr[0], 0x10000000, 0x100000);
}

TEST(GicTest, RegionsPastTheCapacityAreCounted)
{
    const uint32_t n = FDT_MAX_GICR_REGIONS + 3;
    fdt_platform p;
    ASSERT_EQ(Parse(GicWithRegions(n, 1, n), &p), FDT_OK);
    EXPECT_EQ(p.gicr_count, uint32_t{FDT_MAX_GICR_REGIONS});
    EXPECT_EQ(p.gicr_dropped, 3u);
    ExpectRange(p.gicr[FDT_MAX_GICR_REGIONS - 1],
                0x10000000 + (FDT_MAX_GICR_REGIONS - 1) * 0x100000, 0x100000);
}

TEST(GicTest, RedistributorRegionsMustExist)
{
    // 6 declared, 1 + 6 entries needed, 1 + 2 + 3 (GICC, GICH, GICV) present.
    EXPECT_EQ(Parse(GicWithRegions(6, 1, 2)), FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(Parse(GicWithRegions(0, 1, 2)), FDT_ERR_BAD_PROPERTY); // zero regions
}

// ---- Interrupts ----------------------------------------------------------------

/** Whatever extra adds, with the console pinned to the root pl011. */
Bytes WithConsole(const Extra &extra, const Parts &parts = Parts())
{
    Extra both = [extra](FdtBuilder &b) {
        extra(b);
        b.Begin("chosen").Str("stdout-path", "/pl011@9000000").End();
    };
    return Board(parts, both);
}

TEST(IrqTest, StrayUartWithFourCellInterrupts)
{
    // Before the console in the blob, routed to a 4-cell controller.
    Extra stray = [](FdtBuilder &b) {
        b.Begin("intmux").Prop("interrupt-controller", {}).Cells("#interrupt-cells", {4});
        b.Cells("phandle", {0x9000}).End();
        b.Begin("serial@a000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0, 0x0a000000, 0, 0x1000}).Cells("interrupt-parent", {0x9000});
        b.Cells("interrupts", {0, 5, 4, 7}).End();
    };
    Parts p;
    p.uart = false;
    Extra first = [stray](FdtBuilder &b) {
        stray(b);
        b.Begin("pl011@9000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0, 0x09000000, 0, 0x1000}).Cells("interrupts", {0, 1, 4}).End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(WithConsole(first, p), &out), FDT_OK);
    ExpectRange(out.uart, 0x09000000, 0x1000);
    EXPECT_EQ(out.uart_irq, 33u);
    // The same stray UART with no interrupt-parent: 4 cells under a 3-cell GIC.
    Extra bad_cells = [](FdtBuilder &b) {
        b.Begin("serial@a000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0, 0x0a000000, 0, 0x1000}).Cells("interrupts", {0, 5, 4, 7}).End();
        b.Begin("pl011@9000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0, 0x09000000, 0, 0x1000}).Cells("interrupts", {0, 1, 4}).End();
    };
    ASSERT_EQ(Parse(WithConsole(bad_cells, p), &out), FDT_OK);
    EXPECT_EQ(out.uart_irq, 33u);
}

TEST(IrqTest, StrayUartWithInterruptsExtendedAndInterruptMap)
{
    Parts p;
    p.uart = false;
    Extra stray = [](FdtBuilder &b) {
        // A nexus (interrupt-map) with 1-cell specifiers; the stray UART's
        // 1-cell interrupts go to it, its interrupts-extended elsewhere.
        b.Begin("nexus").Cells("#interrupt-cells", {1}).Cells("#address-cells", {0});
        b.Cells("interrupt-map", {7, kGicPhandle, 0, 9, 4}).Cells("phandle", {0x9001});
        b.Cells("interrupt-parent", {0x9001});
        b.Begin("serial@a000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {}).Cells("interrupts", {7});
        b.Cells("interrupts-extended", {0x9001, 7, kGicPhandle, 0, 9, 4, 0}).End();
        b.End();
        b.Begin("pl011@9000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0, 0x09000000, 0, 0x1000}).Cells("interrupts", {0, 1, 4}).End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(WithConsole(stray, p), &out), FDT_OK);
    EXPECT_EQ(out.uart_irq, 33u);
}

TEST(IrqTest, ConsoleInterruptForms)
{
    Parts p;
    p.uart = false;
    auto irq_of = [&p](const Extra &uart_props, uint32_t gic_cells) {
        Extra extra = [uart_props, gic_cells](FdtBuilder &b) {
            AddGic(b, "intc@8000000", {0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000},
                   gic_cells);
            b.End();
            b.Begin("nexus").Cells("#interrupt-cells", {1}).Cells("phandle", {0x9001});
            b.Cells("interrupt-map", {7, kGicPhandle, 0, 9, 4}).End();
            b.Begin("pl011@9000000").Str("compatible", "arm,pl011");
            b.Cells("reg", {0, 0x09000000, 0, 0x1000});
            uart_props(b);
            b.End();
        };
        Parts q = p;
        q.gic = false;
        q.gic_irq_cells = gic_cells;
        fdt_platform out;
        fdt_error e = Parse(WithConsole(extra, q), &out);
        return e == FDT_OK ? out.uart_irq : 1000u + static_cast<uint32_t>(e);
    };
    // GICv3 with #interrupt-cells = 4 (PPI partitions): 4-cell entries.
    EXPECT_EQ(irq_of([](FdtBuilder &b) { b.Cells("interrupts", {0, 1, 4, 0}); }, 4), 33u);
    EXPECT_EQ(irq_of([](FdtBuilder &b) { b.Cells("interrupts", {0, 1, 4}); }, 4),
              1000u + FDT_ERR_BAD_PROPERTY);
    // interrupts-extended naming the GIC first.
    EXPECT_EQ(
        irq_of([](FdtBuilder &b) { b.Cells("interrupts-extended", {kGicPhandle, 0, 2, 4}); }, 3),
        34u);
    EXPECT_EQ(irq_of([](FdtBuilder &b) { b.Cells("interrupts-extended", {kGicPhandle, 0, 2}); }, 3),
              1000u + FDT_ERR_BAD_PROPERTY);
    // Routed elsewhere (a nexus): not decoded, and the kernel polls the console.
    EXPECT_EQ(
        irq_of(
            [](FdtBuilder &b) { b.Cells("interrupt-parent", {0x9001}).Cells("interrupts", {7}); },
            3),
        0u);
    EXPECT_EQ(irq_of([](FdtBuilder &b) { b.Cells("interrupts-extended", {0x9001, 7}); }, 3), 0u);
    // Explicitly to the GIC by phandle.
    EXPECT_EQ(irq_of(
                  [](FdtBuilder &b) {
                      b.Cells("interrupt-parent", {kGicPhandle}).Cells("interrupts", {0, 3, 4});
                  },
                  3),
              35u);
    // A GIC without #interrupt-cells is taken as 3.
    EXPECT_EQ(irq_of([](FdtBuilder &b) { b.Cells("interrupts", {0, 1, 4}); }, 0), 33u);
}

TEST(IrqTest, TimerWithFourCellGic)
{
    Parts p;
    p.gic = p.uart = false;
    p.gic_irq_cells = 4;
    Extra gic = [](FdtBuilder &b) {
        AddGic(b, "intc@8000000", {0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000}, 4);
        b.End();
        b.Begin("serial@a000000").Str("compatible", "arm,pl011");
        b.Cells("reg", {0, 0x0a000000, 0, 0x1000}).Cells("interrupts", {0, 5, 4, 0}).End();
    };
    fdt_platform out;
    ASSERT_EQ(Parse(Board(p, gic), &out), FDT_OK);
    EXPECT_EQ(out.timer_irq_phys_ns, 30u);
    EXPECT_EQ(out.timer_irq_virt, 27u);
    EXPECT_EQ(out.timer_irq_hyp, 26u);
    ExpectRange(out.uart, 0x0a000000, 0x1000);
    EXPECT_EQ(out.uart_irq, 37u);
}

} // namespace

// ---- /chosen bootargs (QEMU's -append) ---------------------------------------

namespace {

Bytes WithChosen(const std::function<void(FdtBuilder &)> &props)
{
    return Board(Parts(), [&](FdtBuilder &b) {
        b.Begin("chosen");
        props(b);
        b.End();
    });
}

TEST(BootargsTest, CopiedFromChosen)
{
    fdt_platform p;
    ASSERT_EQ(Parse(WithChosen([](FdtBuilder &b) { b.Str("bootargs", "basalt.shell=1 x=y"); }), &p),
              FDT_OK);
    EXPECT_STREQ(p.bootargs, "basalt.shell=1 x=y");
    EXPECT_EQ(p.bootargs_truncated, 0u);
}

TEST(BootargsTest, AbsentIsEmpty)
{
    fdt_platform p;
    ASSERT_EQ(Parse(WithChosen([](FdtBuilder &b) { b.Str("stdout-path", "/pl011@9000000"); }), &p),
              FDT_OK);
    EXPECT_STREQ(p.bootargs, "");
    EXPECT_EQ(p.bootargs_truncated, 0u);
    ASSERT_EQ(Parse(Board(Parts(), nullptr), &p), FDT_OK);
    EXPECT_STREQ(p.bootargs, "");
}

TEST(BootargsTest, LongValueIsCutAndSaysSo)
{
    const std::string exact(FDT_BOOTARGS_MAX - 1, 'a');
    fdt_platform p;
    ASSERT_EQ(Parse(WithChosen([&](FdtBuilder &b) { b.Str("bootargs", exact); }), &p), FDT_OK);
    EXPECT_EQ(std::string(p.bootargs), exact);
    EXPECT_EQ(p.bootargs_truncated, 0u);
    const std::string longer(10000, 'b');
    ASSERT_EQ(Parse(WithChosen([&](FdtBuilder &b) { b.Str("bootargs", longer); }), &p), FDT_OK);
    EXPECT_EQ(std::string(p.bootargs), longer.substr(0, FDT_BOOTARGS_MAX - 1));
    EXPECT_EQ(p.bootargs_truncated, 1u);
}

TEST(BootargsTest, NotAStringIsABadProperty)
{
    // No NUL at its end: not a string (2.2.4).
    EXPECT_EQ(Parse(WithChosen([](FdtBuilder &b) { b.Prop("bootargs", Bytes{'a', 'b'}); })),
              FDT_ERR_BAD_PROPERTY);
}

TEST(BootargsTest, OnlyTheRootsChosenCounts)
{
    fdt_platform p;
    ASSERT_EQ(Parse(Board(Parts(),
                          [](FdtBuilder &b) {
                              b.Begin("soc").Begin("chosen").Str("bootargs", "basalt.shell=1");
                              b.End().End();
                          }),
                    &p),
              FDT_OK);
    EXPECT_STREQ(p.bootargs, "");
}

} // namespace
