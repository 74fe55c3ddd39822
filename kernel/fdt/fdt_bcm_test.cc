// Tests for kernel/fdt on hand-built blobs shaped like the Raspberry Pi 3
// (bsp/raspi3b/raspi3b.dts): the BCM2836 interrupt controllers, interrupt
// specifiers decoded by their parent's binding, interrupt-parent inherited,
// dangling and cyclic, the BCM2835 PM as power device, and each CPU's
// enable-method and cpu-release-addr. Every error path of those parts.

#include "kernel/fdt/fdt.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>

#include "kernel/fdt/fdt_test_util.h"
#include "gtest/gtest.h"

namespace {

using fdt_test::Bytes;
using fdt_test::ExpectRange;
using fdt_test::FdtBuilder;
using fdt_test::Parse;

using Props = std::function<void(FdtBuilder &)>;

constexpr uint32_t kLocal = 0x10;   // phandle of the local controller
constexpr uint32_t kArmctrl = 0x11; // phandle of the BCM2835 controller
constexpr uint32_t kGic = 0x12;

/** What Pi changes in the raspi3b-like tree; each hook adds or replaces properties. */
struct Pi {
    bool local = true;
    bool armctrl = true;
    bool pm = true;
    bool psci = false;
    bool gic = false;
    Props local_props;   // replaces its reg and #interrupt-cells
    Props armctrl_props; // replaces its reg and #interrupt-cells
    Props pm_props;      // replaces its compatible and reg
    Props timer_props;   // replaces its interrupt-parent and interrupts
    Props uart_props;    // replaces its interrupts
    Props soc_props;     // added to the soc bus (after its interrupt-parent unless soc_parent)
    bool soc_parent = true;
    Props extra; // nodes at the end of the soc bus
    Props cpus;  // replaces the four CPUs
    uint32_t cpus_address_cells = 1;
};

/** The raspi3b tree's shape: 1 + 1 cells, peripherals behind the soc's ranges. */
Bytes PiTree(const Pi &pi = Pi())
{
    FdtBuilder b;
    b.Begin("").Cells("#address-cells", {1}).Cells("#size-cells", {1});
    b.Begin("memory@0").Str("device_type", "memory").Cells("reg", {0, 0x3c000000}).End();
    b.Begin("cpus").Cells("#address-cells", {pi.cpus_address_cells}).Cells("#size-cells", {0});
    if (pi.cpus) {
        pi.cpus(b);
    } else {
        for (uint32_t i = 0; i < 4; i++) {
            b.Begin("cpu@" + std::to_string(i)).Str("device_type", "cpu").Cells("reg", {i});
            b.Str("enable-method", "spin-table");
            b.Prop("cpu-release-addr", fdt_test::Cells({0, 0xd8 + 8 * i})).End();
        }
    }
    b.End();
    if (pi.psci) {
        b.Begin("psci").Str("compatible", "arm,psci-1.0").Str("method", "smc").End();
    }
    b.Begin("timer").Str("compatible", "arm,armv8-timer");
    if (pi.timer_props) {
        pi.timer_props(b);
    } else {
        b.Cells("interrupt-parent", {kLocal}).Cells("interrupts", {0, 4, 1, 4, 3, 4, 2, 4});
    }
    b.End();
    b.Begin("soc").Str("compatible", "simple-bus");
    b.Cells("#address-cells", {1}).Cells("#size-cells", {1});
    b.Cells("ranges", {0x7e000000, 0x3f000000, 0x01000000, 0x40000000, 0x40000000, 0x1000});
    if (pi.soc_parent) {
        b.Cells("interrupt-parent", {kArmctrl});
    }
    if (pi.soc_props) {
        pi.soc_props(b);
    }
    if (pi.armctrl) {
        b.Begin("interrupt-controller@7e00b200").Str("compatible", "brcm,bcm2836-armctrl-ic");
        if (pi.armctrl_props) {
            pi.armctrl_props(b);
        } else {
            b.Cells("reg", {0x7e00b200, 0x200}).Cells("#interrupt-cells", {2});
        }
        b.Prop("interrupt-controller", {}).Cells("phandle", {kArmctrl});
        b.Cells("interrupt-parent", {kLocal}).Cells("interrupts", {8, 4}).End();
    }
    if (pi.pm) {
        b.Begin("watchdog@7e100000");
        if (pi.pm_props) {
            pi.pm_props(b);
        } else {
            b.Str("compatible", "brcm,bcm2835-pm-wdt").Cells("reg", {0x7e100000, 0x114});
        }
        b.End();
    }
    b.Begin("serial@7e201000").Strs("compatible", {"arm,pl011", "arm,primecell"});
    b.Cells("reg", {0x7e201000, 0x200});
    if (pi.uart_props) {
        pi.uart_props(b);
    } else {
        b.Cells("interrupts", {2, 25});
    }
    b.End();
    if (pi.local) {
        b.Begin("interrupt-controller@40000000").Str("compatible", "brcm,bcm2836-l1-intc");
        if (pi.local_props) {
            pi.local_props(b);
        } else {
            b.Cells("reg", {0x40000000, 0x100}).Cells("#interrupt-cells", {2});
        }
        b.Prop("interrupt-controller", {}).Cells("phandle", {kLocal});
        b.Cells("interrupt-parent", {kLocal}).End();
    }
    if (pi.gic) {
        b.Begin("gic@40000400").Str("compatible", "arm,gic-400").Prop("interrupt-controller", {});
        b.Cells("#interrupt-cells", {3}).Cells("phandle", {kGic});
        b.Cells("reg", {0x40000400, 0x100, 0x40000800, 0x200}).End();
    }
    if (pi.extra) {
        pi.extra(b);
    }
    b.End(); // soc
    return b.End().Build();
}

/** Parses t; returns the error, or FDT_OK with *out filled. */
fdt_error ParsePi(const Bytes &t, fdt_platform *out)
{
    return Parse(t, out);
}

/** The console's line in the tree pi, or 1000 + the error. */
uint32_t UartIrq(Pi pi, const Props &uart)
{
    pi.uart_props = uart;
    fdt_platform out;
    fdt_error e = Parse(PiTree(pi), &out);
    return e == FDT_OK ? out.uart_irq : 1000u + static_cast<uint32_t>(e);
}

/** The error of the tree whose timer has the given properties. */
fdt_error TimerError(Pi pi, const Props &timer)
{
    pi.timer_props = timer;
    return Parse(PiTree(pi));
}

/** A device node under the soc with the given interrupt properties. */
Props Device(const std::string &name, uint32_t reg, const Props &props)
{
    return [name, reg, props](FdtBuilder &b) {
        b.Begin(name).Str("compatible", "vendor,device").Cells("reg", {reg, 0x100});
        props(b);
        b.End();
    };
}

// ---- The tree as raspi3b.dts has it --------------------------------------------

TEST(BcmTest, TheRaspi3bShapeParses)
{
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(), &p), FDT_OK);
    EXPECT_EQ(p.irq_controller, uint32_t{FDT_IRQC_BCM2836});
    EXPECT_EQ(p.gic_version, uint32_t{FDT_GIC_NONE});
    ExpectRange(p.bcm_local, 0x40000000, 0x100);
    ExpectRange(p.bcm_armctrl, 0x3f00b200, 0x200);
    ExpectRange(p.uart, 0x3f201000, 0x200);
    EXPECT_EQ(p.uart_irq, 121u);
    EXPECT_EQ(p.timer_irq_phys_s, 0u);
    EXPECT_EQ(p.timer_irq_phys_ns, 1u);
    EXPECT_EQ(p.timer_irq_virt, 3u);
    EXPECT_EQ(p.timer_irq_hyp, 2u);
    EXPECT_EQ(p.power_device, uint32_t{FDT_POWER_BCM2835_PM});
    ExpectRange(p.power, 0x3f100000, 0x114);
    ASSERT_EQ(p.cpu_count, 4u);
    for (uint32_t i = 0; i < 4; i++) {
        EXPECT_EQ(p.cpus[i].enable_method, uint32_t{FDT_CPU_ENABLE_SPIN_TABLE});
        EXPECT_EQ(p.cpus[i].release_addr, 0xd8u + 8 * i);
    }
    // The controllers and the PM are the kernel's: only the UART is a device.
    ASSERT_EQ(p.device_count, 1u);
    ExpectRange(p.devices[0], 0x3f201000, 0x200);
    ASSERT_EQ(p.device_irq_count, 1u);
    EXPECT_EQ(p.device_irqs[0], 121u);
}

// ---- Controllers ---------------------------------------------------------------

TEST(BcmTest, BothControllersAreNeeded)
{
    Pi pi;
    pi.local = false;
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_NO_IRQ_CONTROLLER);
    pi = Pi();
    pi.armctrl = false;
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_NO_IRQ_CONTROLLER);
    pi = Pi();
    pi.local_props = [](FdtBuilder &b) {
        b.Cells("reg", {0x40000000, 0x100}).Cells("#interrupt-cells", {2});
        b.Str("status", "disabled");
    };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_NO_IRQ_CONTROLLER);
    EXPECT_STREQ(fdt_error_string(FDT_ERR_NO_IRQ_CONTROLLER), "no supported interrupt controller");
}

TEST(BcmTest, AControllerWithoutRegIsABadProperty)
{
    Pi pi;
    pi.local_props = [](FdtBuilder &b) { b.Cells("#interrupt-cells", {2}); };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_BAD_PROPERTY);
    pi = Pi();
    pi.armctrl_props = [](FdtBuilder &b) { b.Cells("#interrupt-cells", {2}); };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_BAD_PROPERTY);
    // A reg that is not whole entries, and one outside the soc's ranges.
    pi = Pi();
    pi.armctrl_props = [](FdtBuilder &b) {
        b.Cells("reg", {0x7e00b200}).Cells("#interrupt-cells", {2});
    };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_BAD_PROPERTY);
    pi = Pi();
    pi.local_props = [](FdtBuilder &b) {
        b.Cells("reg", {0x50000000, 0x100}).Cells("#interrupt-cells", {2});
    };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_NOT_IN_RANGES);
}

TEST(BcmTest, AGicWinsAndBcmParentsAreThenNotDecoded)
{
    Pi pi;
    pi.gic = true;
    pi.timer_props = [](FdtBuilder &b) {
        b.Cells("interrupt-parent", {kGic});
        b.Cells("interrupts", {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4});
    };
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.irq_controller, uint32_t{FDT_IRQC_GIC_V2});
    ExpectRange(p.gicd, 0x40000400, 0x100);
    ExpectRange(p.gicc, 0x40000800, 0x200);
    EXPECT_EQ(p.timer_irq_virt, 27u);
    // The UART's parent is the BCM2835 controller, not the platform's: polled.
    EXPECT_EQ(p.uart_irq, 0u);
    EXPECT_EQ(p.device_irq_count, 0u);
    // The BCM controllers are still the kernel's, not devices.
    EXPECT_EQ(p.device_count, 1u);
    // And a timer routed to the local controller on a GIC platform is not decodable.
    pi.timer_props = nullptr;
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_BAD_IRQ_PARENT);
}

// ---- Specifiers ------------------------------------------------------------------

TEST(BcmTest, ArmctrlSpecifiersGiveBcmIrqLines)
{
    auto irq = [](uint32_t bank, uint32_t n) {
        return UartIrq(Pi(), [bank, n](FdtBuilder &b) { b.Cells("interrupts", {bank, n}); });
    };
    EXPECT_EQ(irq(0, 0), 32u);
    EXPECT_EQ(irq(0, 7), 39u);
    EXPECT_EQ(irq(1, 0), 64u);
    EXPECT_EQ(irq(1, 31), 95u);
    EXPECT_EQ(irq(2, 0), 96u);
    EXPECT_EQ(irq(2, 25), 121u);
    EXPECT_EQ(irq(2, 31), 127u);
    // Out of the binding's range: a bad property of the console.
    EXPECT_EQ(irq(0, 8), 1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(irq(1, 32), 1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(irq(3, 0), 1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(irq(0xffffffff, 0), 1000u + FDT_ERR_BAD_PROPERTY);
    // The first entry counts; later ones need not be read.
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts", {1, 3, 2, 4}); }), 67u);
}

TEST(BcmTest, LocalSpecifiersGiveTheSource)
{
    auto timer = [](std::initializer_list<uint32_t> cells, fdt_platform *p) {
        Pi pi;
        Bytes v = fdt_test::Cells(cells);
        pi.timer_props = [v](FdtBuilder &b) {
            b.Cells("interrupt-parent", {kLocal}).Prop("interrupts", v);
        };
        return Parse(PiTree(pi), p);
    };
    fdt_platform p;
    ASSERT_EQ(timer({11, 0, 10, 0, 9, 0, 8, 0}, &p), FDT_OK);
    EXPECT_EQ(p.timer_irq_phys_s, 11u);
    EXPECT_EQ(p.timer_irq_phys_ns, 10u);
    EXPECT_EQ(p.timer_irq_virt, 9u);
    EXPECT_EQ(p.timer_irq_hyp, 8u);
    // A fifth entry (the EL2 virtual timer) is allowed, as on a GIC.
    EXPECT_EQ(timer({0, 4, 1, 4, 3, 4, 2, 4, 4, 4}, &p), FDT_OK);
    EXPECT_EQ(timer({12, 4, 1, 4, 3, 4, 2, 4}, &p), FDT_ERR_BAD_PROPERTY); // no source 12
    EXPECT_EQ(timer({0, 4, 1, 4, 3, 4}, &p), FDT_ERR_BAD_PROPERTY);        // three entries
    EXPECT_EQ(timer({0, 4, 1, 4, 3, 4, 2}, &p), FDT_ERR_BAD_PROPERTY);     // not whole entries
    // GIC-style 3-cell entries under a 2-cell controller: 12 cells are 6 entries,
    // the first <1 13> out of range.
    EXPECT_EQ(timer({1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}, &p), FDT_ERR_BAD_PROPERTY);
    // The local controller as the console's parent.
    Pi pi;
    pi.uart_props = [](FdtBuilder &b) {
        b.Cells("interrupt-parent", {kLocal}).Cells("interrupts", {4, 0});
    };
    ASSERT_EQ(Parse(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.uart_irq, 4u);
}

TEST(BcmTest, SpecifiersOfTheWrongCellCount)
{
    // The console's interrupts not whole 2-cell entries, or empty.
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts", {2}); }),
              1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts", {2, 25, 4}); }),
              1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Prop("interrupts", {}); }),
              1000u + FDT_ERR_BAD_PROPERTY);
    // A controller whose #interrupt-cells is not 2, is absent or is malformed:
    // no specifier of it decodes.
    for (const Props &cells : std::initializer_list<Props>{
             [](FdtBuilder &b) { b.Cells("#interrupt-cells", {3}); },
             [](FdtBuilder &b) { b.Cells("#interrupt-cells", {1}); },
             [](FdtBuilder &b) { b.Prop("#interrupt-cells", {0, 2}); },
             [](FdtBuilder &) {},
         }) {
        Pi pi;
        pi.armctrl_props = [cells](FdtBuilder &b) {
            b.Cells("reg", {0x7e00b200, 0x200});
            cells(b);
        };
        EXPECT_EQ(UartIrq(pi, [](FdtBuilder &b) { b.Cells("interrupts", {2, 25}); }),
                  1000u + FDT_ERR_BAD_PROPERTY);
        pi = Pi();
        pi.local_props = [cells](FdtBuilder &b) {
            b.Cells("reg", {0x40000000, 0x100});
            cells(b);
        };
        EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_BAD_PROPERTY);
    }
}

TEST(BcmTest, InterruptsExtendedNamesTheController)
{
    EXPECT_EQ(
        UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts-extended", {kArmctrl, 1, 9}); }),
        73u);
    EXPECT_EQ(UartIrq(Pi(),
                      [](FdtBuilder &b) {
                          b.Cells("interrupts-extended", {kLocal, 5, 0, kArmctrl, 1, 9});
                      }),
              5u);
    // Cut short, or an entry out of range: bad.
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts-extended", {kArmctrl, 1}); }),
              1000u + FDT_ERR_BAD_PROPERTY);
    EXPECT_EQ(
        UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts-extended", {kArmctrl, 3, 0}); }),
        1000u + FDT_ERR_BAD_PROPERTY);
    // A phandle of nothing, 0 or a 2-byte value: not the platform's, polled.
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts-extended", {0x77, 1, 9}); }),
              0u);
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Cells("interrupts-extended", {0, 1, 9}); }), 0u);
    EXPECT_EQ(UartIrq(Pi(), [](FdtBuilder &b) { b.Prop("interrupts-extended", {0, 0x11}); }), 0u);
}

// ---- Interrupt parents -------------------------------------------------------------

TEST(BcmTest, InterruptParentIsInheritedFromTheBus)
{
    // Without the soc's interrupt-parent the UART has none on its path: on a
    // BCM2836 platform there is no default controller, so it is polled and
    // left out of device_irqs.
    Pi pi;
    pi.soc_parent = false;
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.uart_irq, 0u);
    EXPECT_EQ(p.device_irq_count, 0u);
    // A timer with no interrupt parent on its path: a named error.
    EXPECT_EQ(
        TimerError(Pi(), [](FdtBuilder &b) { b.Cells("interrupts", {0, 4, 1, 4, 3, 4, 2, 4}); }),
        FDT_ERR_BAD_IRQ_PARENT);
    // A node's own interrupt-parent overrides the bus's.
    pi = Pi();
    pi.extra = Device("dev@7e300000", 0x7e300000, [](FdtBuilder &b) {
        b.Cells("interrupt-parent", {kLocal}).Cells("interrupts", {6, 0});
    });
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    ASSERT_EQ(p.device_irq_count, 2u);
    EXPECT_EQ(p.device_irqs[0], 121u);
    EXPECT_EQ(p.device_irqs[1], 6u);
}

TEST(BcmTest, AnInterruptParentThatPointsNowhere)
{
    // The timer's: a named error. The console's: polled. A device's: left out.
    EXPECT_EQ(TimerError(Pi(),
                         [](FdtBuilder &b) {
                             b.Cells("interrupt-parent", {0x77});
                             b.Cells("interrupts", {0, 4, 1, 4, 3, 4, 2, 4});
                         }),
              FDT_ERR_BAD_IRQ_PARENT);
    EXPECT_EQ(TimerError(Pi(),
                         [](FdtBuilder &b) {
                             b.Prop("interrupt-parent", {0, 0x10}); // not a u32
                             b.Cells("interrupts", {0, 4, 1, 4, 3, 4, 2, 4});
                         }),
              FDT_ERR_BAD_IRQ_PARENT);
    EXPECT_EQ(TimerError(Pi(),
                         [](FdtBuilder &b) {
                             b.Cells("interrupt-parent", {0xffffffff});
                             b.Cells("interrupts", {0, 4, 1, 4, 3, 4, 2, 4});
                         }),
              FDT_ERR_BAD_IRQ_PARENT);
    EXPECT_EQ(UartIrq(Pi(),
                      [](FdtBuilder &b) {
                          b.Cells("interrupt-parent", {0x77}).Cells("interrupts", {2, 25});
                      }),
              0u);
    Pi pi;
    pi.extra = Device("dev@7e300000", 0x7e300000, [](FdtBuilder &b) {
        b.Cells("interrupt-parent", {0x77}).Cells("interrupts", {1, 1});
    });
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.device_count, 2u);
    ASSERT_EQ(p.device_irq_count, 1u); // the UART's only
    EXPECT_STREQ(fdt_error_string(FDT_ERR_BAD_IRQ_PARENT),
                 "timer's interrupt parent not the platform's controller");
}

TEST(BcmTest, ACycleOfInterruptParentsIsNotFollowed)
{
    // Two nodes that are no controllers name each other; the timer and the
    // console name one of them. The parser does not follow the links, so
    // it ends, with the timer's parent a named error and the console polled.
    Pi pi;
    pi.extra = [](FdtBuilder &b) {
        b.Begin("a").Cells("phandle", {0x20}).Cells("interrupt-parent", {0x21}).End();
        b.Begin("b").Cells("phandle", {0x21}).Cells("interrupt-parent", {0x20}).End();
    };
    pi.timer_props = [](FdtBuilder &b) {
        b.Cells("interrupt-parent", {0x20}).Cells("interrupts", {0, 4, 1, 4, 3, 4, 2, 4});
    };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_BAD_IRQ_PARENT);
    pi.timer_props = nullptr;
    pi.uart_props = [](FdtBuilder &b) {
        b.Cells("interrupt-parent", {0x21}).Cells("interrupts", {2, 25});
    };
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.uart_irq, 0u);
    // The controllers naming each other (the local one names itself in
    // raspi3b.dts) changes nothing: each decodes its own specifiers.
    pi = Pi();
    pi.local_props = [](FdtBuilder &b) {
        b.Cells("reg", {0x40000000, 0x100}).Cells("#interrupt-cells", {2});
        b.Cells("interrupt-parent", {kArmctrl});
    };
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.uart_irq, 121u);
    EXPECT_EQ(p.timer_irq_virt, 3u);
}

TEST(BcmTest, DeviceSpecifiersThatDoNotDecodeAreLeftOut)
{
    Pi pi;
    pi.extra = [](FdtBuilder &b) {
        // Not whole entries: none of them decodes.
        Device("a@7e300000", 0x7e300000,
               [](FdtBuilder &d) { d.Cells("interrupts", {1, 2, 3}); })(b);
        Device("b@7e301000", 0x7e301000, [](FdtBuilder &d) { d.Cells("interrupts", {3, 0}); })(b);
        Device("c@7e302000", 0x7e302000,
               [](FdtBuilder &d) { d.Cells("interrupts", {2, 25, 0, 1, 1, 40}); })(b);
    };
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.device_count, 4u);
    ASSERT_EQ(p.device_irq_count, 2u);
    EXPECT_EQ(p.device_irqs[0], 121u); // the UART's
    EXPECT_EQ(p.device_irqs[1], 33u);  // c's <0 1>; <2 25> again and <1 40> left out
}

// ---- Power ----------------------------------------------------------------------------

TEST(BcmTest, PowerDevice)
{
    fdt_platform p;
    Pi pi;
    pi.pm_props = [](FdtBuilder &b) {
        b.Strs("compatible", {"brcm,bcm2835-pm", "brcm,bcm2835-pm-wdt"});
        b.Cells("reg", {0x7e100000, 0x114, 0x7e00a000, 0x24});
    };
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.power_device, uint32_t{FDT_POWER_BCM2835_PM});
    ExpectRange(p.power, 0x3f100000, 0x114);
    // None: no power device, not an error.
    pi.pm = false;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.power_device, uint32_t{FDT_POWER_NONE});
    ExpectRange(p.power, 0, 0);
    // PSCI beside it wins.
    pi = Pi();
    pi.psci = true;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.power_device, uint32_t{FDT_POWER_PSCI});
    EXPECT_EQ(p.psci_conduit, uint32_t{FDT_PSCI_SMC});
    ExpectRange(p.power, 0, 0);
    EXPECT_EQ(p.device_count, 1u); // still the kernel's, not a device
    // Without reg, or outside the soc's ranges: the error of a node the kernel uses.
    pi = Pi();
    pi.pm_props = [](FdtBuilder &b) { b.Str("compatible", "brcm,bcm2835-pm-wdt"); };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_BAD_PROPERTY);
    pi.pm_props = [](FdtBuilder &b) {
        b.Str("compatible", "brcm,bcm2835-pm-wdt").Cells("reg", {0x7f000000, 0x114});
    };
    EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_NOT_IN_RANGES);
    // Disabled: skipped.
    pi.pm_props = [](FdtBuilder &b) {
        b.Str("compatible", "brcm,bcm2835-pm-wdt").Str("status", "disabled");
    };
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.power_device, uint32_t{FDT_POWER_NONE});
}

TEST(BcmTest, NearMissCompatiblesAreNotTheBcmParts)
{
    for (const char *near :
         {"brcm,bcm2835-pm-wd", "brcm,bcm2835-pm-wdtx", "brcm,bcm2835-p", "brcm,", "brcm",
          "brcx,bcm2835-pm", "brcm;bcm2835-pm", "brcm,bcm2836-pm", "arm,bcm2835-pm"}) {
        Pi pi;
        std::string c = near;
        pi.pm_props = [c](FdtBuilder &b) { b.Str("compatible", c).Cells("reg", {0x7e100000, 4}); };
        fdt_platform p;
        ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK) << near;
        EXPECT_EQ(p.power_device, uint32_t{FDT_POWER_NONE}) << near;
        EXPECT_EQ(p.device_count, 2u) << near; // an ordinary device
    }
    for (const char *near : {"brcm,bcm2836-l1-int", "brcm,bcm2836-l1-intc2", "brcm,bcm2835-l1-intc",
                             "brcm,bcm2836-armctrl-i", "brcm,bcm2835-armctrl-ic"}) {
        Pi pi;
        pi.local = false;
        std::string c = near;
        pi.extra = [c](FdtBuilder &b) {
            b.Begin("intc@40000000").Str("compatible", c).Cells("reg", {0x40000000, 0x100});
            b.Cells("#interrupt-cells", {2}).Cells("phandle", {kLocal}).End();
        };
        EXPECT_EQ(Parse(PiTree(pi)), FDT_ERR_NO_IRQ_CONTROLLER) << near;
    }
}

// ---- CPUs -------------------------------------------------------------------------------

TEST(BcmTest, CpuEnableMethodsAndReleaseAddresses)
{
    Pi pi;
    pi.cpus = [](FdtBuilder &b) {
        b.Begin("cpu@0").Str("device_type", "cpu").Str("enable-method", "psci");
        b.Cells("reg", {0x80000102}).End(); // MPIDR's bit 31 (RES1) and Aff1.Aff0 = 1.2
        b.Begin("cpu@1").Str("device_type", "cpu").Strs("enable-method", {"spin-table", "psci"});
        b.Cells("reg", {1, 2}); // two cells where /cpus says one: not an MPIDR
        b.Prop("cpu-release-addr", fdt_test::Cells({0x1, 0x000000f0})).End();
        b.Begin("cpu@2").Str("device_type", "cpu").Str("enable-method", "brcm,bcm2836-smp");
        b.Cells("cpu-release-addr", {0xe8}).End(); // one cell: not a <u64>
        b.Begin("cpu@3").Str("device_type", "cpu").Prop("enable-method", {'p', 's', 'c', 'i'});
        b.Str("status", "disabled").End(); // not a string (no NUL), and offline
        b.Begin("cpu@4").Str("device_type", "cpu").End();
        b.Begin("cpu@5").Str("device_type", "cpu").Prop("enable-method", {}).End();
    };
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    ASSERT_EQ(p.cpu_count, 6u);
    EXPECT_EQ(p.cpus[0].enable_method, uint32_t{FDT_CPU_ENABLE_PSCI});
    EXPECT_EQ(p.cpus[0].release_addr, 0u);
    EXPECT_EQ(p.cpus[1].enable_method, uint32_t{FDT_CPU_ENABLE_SPIN_TABLE});
    EXPECT_EQ(p.cpus[1].release_addr, 0x1000000f0u);
    EXPECT_EQ(p.cpus[2].enable_method, uint32_t{FDT_CPU_ENABLE_OTHER});
    EXPECT_EQ(p.cpus[2].release_addr, 0u);
    EXPECT_EQ(p.cpus[3].enable_method, uint32_t{FDT_CPU_ENABLE_OTHER});
    EXPECT_EQ(p.cpus[3].disabled, 1u);
    EXPECT_EQ(p.cpus[4].enable_method, uint32_t{FDT_CPU_ENABLE_NONE});
    EXPECT_EQ(p.cpus[5].enable_method, uint32_t{FDT_CPU_ENABLE_OTHER});
    for (uint32_t i = 0; i < 6; i++) {
        EXPECT_EQ(p.cpus[i].disabled, i == 3 ? 1u : 0u) << i;
    }
    EXPECT_EQ(p.cpus[0].mpidr, 0x80000102u);
    for (uint32_t i = 1; i < 6; i++) {
        EXPECT_EQ(p.cpus[i].mpidr, FDT_CPU_NO_MPIDR) << i; // a bad reg, or none
    }
}

TEST(BcmTest, CpuRegOfTwoCellsIsTheWholeMpidr)
{
    for (uint32_t cells : {1u, 2u, 3u}) {
        Pi pi;
        pi.cpus_address_cells = cells;
        pi.cpus = [cells](FdtBuilder &b) {
            b.Begin("cpu@0").Str("device_type", "cpu");
            if (cells == 1) {
                b.Cells("reg", {0x00000203});
            } else if (cells == 2) {
                b.Cells("reg", {0x1, 0x00000203});
            } else {
                b.Cells("reg", {0, 0x1, 0x00000203});
            }
            b.End();
        };
        fdt_platform p;
        ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK) << cells;
        ASSERT_EQ(p.cpu_count, 1u);
        // Aff3 sits at bits 39:32, which only two cells can carry; three
        // cells are no MPIDR.
        uint64_t want = cells == 1 ? 0x203u : cells == 2 ? 0x100000203u : FDT_CPU_NO_MPIDR;
        EXPECT_EQ(p.cpus[0].mpidr, want) << cells;
    }
}

TEST(BcmTest, CpusPastTheCapacityAreCountedNotDescribed)
{
    Pi pi;
    pi.cpus = [](FdtBuilder &b) {
        for (uint32_t i = 0; i < FDT_MAX_CPUS + 3; i++) {
            b.Begin("cpu@" + std::to_string(i)).Str("device_type", "cpu");
            b.Str("enable-method", "spin-table");
            b.Prop("cpu-release-addr", fdt_test::Cells({0, 0xd8 + 8 * i})).End();
        }
    };
    fdt_platform p;
    ASSERT_EQ(ParsePi(PiTree(pi), &p), FDT_OK);
    EXPECT_EQ(p.cpu_count, uint32_t{FDT_MAX_CPUS} + 3);
    EXPECT_EQ(p.cpus_dropped, 3u);
    EXPECT_EQ(p.cpus[FDT_MAX_CPUS - 1].release_addr, 0xd8u + 8 * (FDT_MAX_CPUS - 1));
}

// ---- Every truncation and corruption of the Pi-shaped tree ------------------------------

TEST(BcmTest, EveryShortLengthAndEachByteFlipped)
{
    // Exact-size copies (ASan sees any read past the end); the parser must
    // give a defined answer for each.
    Bytes t = PiTree();
    for (size_t n = 0; n < t.size(); n++) {
        fdt_error e = Parse(Bytes(t.begin(), t.begin() + static_cast<long>(n)));
        EXPECT_NE(e, FDT_OK) << n;
        EXPECT_LT(e, FDT_ERROR_COUNT) << n;
    }
    for (size_t i = 0; i < t.size(); i++) {
        for (uint8_t x : {0x01, 0x80, 0xff}) {
            Bytes c = t;
            c[i] ^= x;
            fdt_platform p;
            fdt_error e = Parse(c, &p);
            EXPECT_LT(e, FDT_ERROR_COUNT) << i;
            if (e == FDT_OK) {
                EXPECT_LE(p.device_irq_count, uint32_t{FDT_MAX_DEVICE_IRQS});
                EXPECT_LE(p.cpu_count - p.cpus_dropped, uint32_t{FDT_MAX_CPUS});
            }
        }
    }
}

} // namespace
