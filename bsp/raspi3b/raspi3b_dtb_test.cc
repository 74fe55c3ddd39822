// The raspi3b device tree as the build compiles it (raspi3b.dts, by the
// pinned dtc), read by the kernel's parser (kernel/fdt): every field of
// fdt_platform the board's blob fills, checked against the tree (and
// bcm_irq.h's line numbering for the interrupts).
//
// QEMU hands the guest a rewritten blob (QEMU_FACTS.md, 16): its own
// memory@0 with reg = <0 0x3c000000> in place of ours, and a larger
// totalsize. Under the root's 1 + 1 cells that is the same RAM range as
// ours, and the kernel reserves the blob by its header's totalsize (read
// here from the file), so the figures below hold for both blobs. Checked
// by hand: `qemu-system-aarch64 -M raspi3b,dumpdtb=out.dtb -dtb
// raspi3b.dtb` writes QEMU's version (23,828 bytes), and
// fdt_parse_platform reads every field below from it alike but totalsize.

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kernel/fdt/fdt.h"
#include "gtest/gtest.h"

namespace {

std::vector<uint8_t> ReadBlob(const std::string &name)
{
    std::ifstream f("bsp/raspi3b/" + name + ".dtb", std::ios::binary);
    EXPECT_TRUE(f.good()) << name;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

void ExpectRange(const fdt_range &r, uint64_t base, uint64_t size, const char *what)
{
    EXPECT_EQ(r.base, base) << what;
    EXPECT_EQ(r.size, size) << what;
}

TEST(Raspi3bDtbTest, TheBoardsBlobIsWellFormed)
{
    std::vector<uint8_t> blob = ReadBlob("raspi3b");
    ASSERT_FALSE(blob.empty());
    uint32_t totalsize = 0;
    ASSERT_EQ(fdt_check(blob.data(), blob.size(), &totalsize), FDT_OK);
    EXPECT_EQ(totalsize, blob.size());
}

class Raspi3bParsedTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        blob_ = ReadBlob("raspi3b");
        fdt_error e = fdt_parse_platform(blob_.data(), blob_.size(), &p_);
        ASSERT_EQ(e, FDT_OK) << fdt_error_string(e);
    }
    std::vector<uint8_t> blob_;
    fdt_platform p_;
};

TEST_F(Raspi3bParsedTest, TotalsizeIsTheBlobs)
{
    EXPECT_EQ(p_.totalsize, blob_.size());
}

TEST_F(Raspi3bParsedTest, RamIsTheArmsShareOnly)
{
    ASSERT_EQ(p_.ram_count, 1u);
    EXPECT_EQ(p_.ram_dropped, 0u);
    // 960 MiB at 0: the VideoCore's 64 MiB above 0x3c000000 left out.
    ExpectRange(p_.ram[0], 0, 0x3c000000, "ram");
}

TEST_F(Raspi3bParsedTest, TheFirstPageIsReserved)
{
    ASSERT_EQ(p_.reserved_count, 1u);
    ExpectRange(p_.reserved[0], 0, 0x1000, "QEMU's boot code, spin table and spin code");
}

TEST_F(Raspi3bParsedTest, Uart0IsTranslatedThroughTheSocRangesAndIsGpuInterrupt57)
{
    // Bus address 0x7e201000 -> CPU address 0x3f201000.
    ExpectRange(p_.uart, 0x3f201000, 0x1000, "uart0");
    // <2 25> on the BCM2835 controller (inherited from the soc bus): GPU
    // interrupt 57, line 32 + 32 * 2 + 25.
    EXPECT_EQ(p_.uart_irq, 121u);
}

TEST_F(Raspi3bParsedTest, TheControllersAreTheBcm2836Pair)
{
    EXPECT_EQ(p_.irq_controller, uint32_t{FDT_IRQC_BCM2836});
    EXPECT_EQ(p_.gic_version, uint32_t{FDT_GIC_NONE});
    ExpectRange(p_.bcm_local, 0x40000000, 0x100, "local controller (second soc range)");
    ExpectRange(p_.bcm_armctrl, 0x3f00b200, 0x200, "BCM2835 controller");
    ExpectRange(p_.gicd, 0, 0, "gicd");
    ExpectRange(p_.gicc, 0, 0, "gicc");
    EXPECT_EQ(p_.gicr_count, 0u);
    EXPECT_EQ(p_.gicr_dropped, 0u);
}

TEST_F(Raspi3bParsedTest, TimerLinesAreTheLocalControllersSources)
{
    // <0 4>, <1 4>, <3 4>, <2 4>: CNTPS 0, CNTPNS 1, CNTV 3, CNTHP 2.
    EXPECT_EQ(p_.timer_irq_phys_s, 0u);
    EXPECT_EQ(p_.timer_irq_phys_ns, 1u);
    EXPECT_EQ(p_.timer_irq_virt, 3u);
    EXPECT_EQ(p_.timer_irq_hyp, 2u);
    EXPECT_EQ(p_.timer_frequency, 0u); // CNTFRQ_EL0 is set
}

TEST_F(Raspi3bParsedTest, PowerIsThePmWatchdogAndThereIsNoPsci)
{
    EXPECT_EQ(p_.power_device, uint32_t{FDT_POWER_BCM2835_PM});
    ExpectRange(p_.power, 0x3f100000, 0x114, "PM watchdog");
    EXPECT_EQ(p_.psci_conduit, uint32_t{FDT_PSCI_NONE});
    EXPECT_EQ(p_.psci_system_off, 0u);
    EXPECT_EQ(p_.psci_system_reset, 0u);
}

TEST_F(Raspi3bParsedTest, FourSpinTableCpusWithQemusReleaseAddresses)
{
    ASSERT_EQ(p_.cpu_count, 4u);
    EXPECT_EQ(p_.cpus_dropped, 0u);
    for (uint32_t i = 0; i < 4; i++) {
        EXPECT_EQ(p_.cpus[i].enable_method, uint32_t{FDT_CPU_ENABLE_SPIN_TABLE}) << i;
        EXPECT_EQ(p_.cpus[i].release_addr, 0xd8u + 8 * i) << i;
        EXPECT_EQ(p_.cpus[i].disabled, 0u) << i;
    }
}

TEST_F(Raspi3bParsedTest, TheOnlyDeviceIsUart0)
{
    // The controllers and the PM are the kernel's; the timer is no device.
    ASSERT_EQ(p_.device_count, 1u);
    EXPECT_EQ(p_.devices_dropped, 0u);
    ExpectRange(p_.devices[0], 0x3f201000, 0x1000, "uart0");
    ASSERT_EQ(p_.device_irq_count, 1u);
    EXPECT_EQ(p_.device_irqs_dropped, 0u);
    EXPECT_EQ(p_.device_irqs[0], 121u);
}

TEST_F(Raspi3bParsedTest, NoBootargs)
{
    EXPECT_EQ(p_.bootargs[0], '\0');
    EXPECT_EQ(p_.bootargs_truncated, 0u);
}

} // namespace
