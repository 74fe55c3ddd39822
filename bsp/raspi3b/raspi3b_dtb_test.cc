// The raspi3b device tree as the build compiles it (raspi3b.dts, by the
// pinned dtc), read by the kernel's parser (kernel/fdt).
//
// - raspi3b.dtb is well formed (fdt_check) and fdt_parse_platform stops
//   at its first missing part, the GIC: the parser knows no other
//   interrupt controller yet.
// - raspi3b_fdt_test_gic.dtb is the same tree with a stand-in GIC (and the
//   timer's interrupts pointed at it), so that the parser finishes and
//   everything it reads from the board's own nodes can be checked: RAM
//   without the VideoCore's share, the reserved first page, UART0 at its
//   CPU address after the soc's ranges, four CPUs, the devices.

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

TEST(Raspi3bDtbTest, TheBoardsBlobIsWellFormedAndLacksOnlyAGicForTheParser)
{
    std::vector<uint8_t> blob = ReadBlob("raspi3b");
    ASSERT_FALSE(blob.empty());
    uint32_t totalsize = 0;
    ASSERT_EQ(fdt_check(blob.data(), blob.size(), &totalsize), FDT_OK);
    EXPECT_EQ(totalsize, blob.size());
    auto *p = new fdt_platform;
    // RAM and the UART are found (checked first); then no GIC. When the
    // parser learns brcm,bcm2836-l1-intc this becomes FDT_OK and the
    // checks of the stand-in test below apply to this blob.
    EXPECT_EQ(fdt_parse_platform(blob.data(), blob.size(), p), FDT_ERR_NO_GIC);
    delete p;
}

class Raspi3bParsedTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        blob_ = ReadBlob("raspi3b_fdt_test_gic");
        ASSERT_EQ(fdt_parse_platform(blob_.data(), blob_.size(), &p_), FDT_OK);
    }
    std::vector<uint8_t> blob_;
    fdt_platform p_;
};

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

TEST_F(Raspi3bParsedTest, Uart0IsTranslatedThroughTheSocRanges)
{
    // Bus address 0x7e201000 -> CPU address 0x3f201000.
    ExpectRange(p_.uart, 0x3f201000, 0x200, "uart0");
    // Its interrupt goes to the BCM2835 controller, not a GIC: 0 (polled).
    EXPECT_EQ(p_.uart_irq, 0u);
}

TEST_F(Raspi3bParsedTest, CpusTimerAndNoPsci)
{
    EXPECT_EQ(p_.cpu_count, 4u);
    EXPECT_EQ(p_.timer_frequency, 0u); // CNTFRQ_EL0 is set
    EXPECT_EQ(p_.psci_conduit, static_cast<uint32_t>(FDT_PSCI_NONE));
    EXPECT_EQ(p_.psci_system_off, 0u);
    EXPECT_EQ(p_.bootargs[0], '\0');
}

TEST_F(Raspi3bParsedTest, DevicesAreTheBoardsControllersWatchdogAndUart)
{
    ASSERT_EQ(p_.device_count, 4u);
    EXPECT_EQ(p_.devices_dropped, 0u);
    ExpectRange(p_.devices[0], 0x3f00b200, 0x200, "BCM2835 interrupt controller");
    ExpectRange(p_.devices[1], 0x3f100000, 0x114, "PM watchdog");
    ExpectRange(p_.devices[2], 0x3f201000, 0x200, "uart0");
    ExpectRange(p_.devices[3], 0x40000000, 0x100, "local controller (second range)");
    // No device interrupt goes to a GIC.
    EXPECT_EQ(p_.device_irq_count, 0u);
}

} // namespace
