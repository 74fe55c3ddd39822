// kernel_main on the host, against the HAL fakes: the boot sequence prints
// its markers in order, sets up the frame allocator over fake RAM, waits
// for ticks and powers off; every failure is reported and halts.

#include "kernel/main/kernel_main.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "hal/fake/console_fake.h"
#include "hal/fake/cpu_fake.h"
#include "hal/fake/power_fake.h"
#include "hal/fake/timer_fake.h"
#include "kernel/time/tick.h"
#include "gtest/gtest.h"

namespace {

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 8ull << 20; // 8 MiB of fake RAM, all backed

// Prints what the kernel wrote when the (death-test child) process ends,
// by power-off or by halt, so EXPECT_EXIT can match it.
void DumpConsole()
{
    fputs(console_fake_contents(), stderr);
    fflush(stderr);
}

// Runs kernel_main in the death-test child with the console dumped at exit.
void RunKernel(const struct boot_info *info)
{
    atexit(DumpConsole);
    kernel_main(info);
}

class KernelMainTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        ram_ = static_cast<uint8_t *>(std::aligned_alloc(4096, kRamSize));
        ASSERT_NE(ram_, nullptr);
        memset(&info_, 0, sizeof info_);
        info_.entry_el = 1;
        info_.cpu_count = 1;
        info_.dtb = paddr_make(kRamBase);
        info_.dtb_size = 0x10000;
        info_.ram[0] = {paddr_make(kRamBase), kRamSize};
        info_.ram_count = 1;
        info_.reserved[0] = {paddr_make(kRamBase), 0x10000};             // the blob
        info_.reserved[1] = {paddr_make(kRamBase + 0x100000), 0x200000}; // the image
        info_.reserved_count = 2;
        info_.phys_to_virt = reinterpret_cast<uintptr_t>(ram_) - kRamBase;
        info_.kernel_virt = vaddr_make(0xffffffffc0100000ull);
        info_.kernel_phys = paddr_make(kRamBase + 0x100000);
        console_fake_reset();
        timer_fake_reset();
        power_fake_reset();
        cpu_fake_set_wait_handler(kernel_tick);
    }
    void TearDown() override
    {
        std::free(ram_);
    }

    uint8_t *ram_ = nullptr;
    struct boot_info info_;
};

TEST_F(KernelMainTest, BootsThroughEveryMarkerAndPowersOff)
{
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(0),
                "basalt: boot\r\n"
                "basalt: entered at EL1, dtb at 0x0000000040000000\r\n"
                "basalt: MMU on, direct map at 0x[0-9a-f]{16}\r\n"
                "basalt: high half active, image at 0xffffffffc0100000 \\(physical "
                "0x0000000040100000\\)\r\n"
                "basalt: memory: 8 MiB RAM, [0-9]+ of [0-9]+ frames free\r\n"
                "basalt: interrupts on, 5 timer ticks at 100 Hz\r\n"
                "basalt: power off\r\n");
}

TEST_F(KernelMainTest, FrameCountsLeaveOutReservedMemory)
{
    // 2048 frames of RAM, 16 for the blob, 512 for the image, 1 for the
    // allocator's own bookkeeping: 1519 usable, all free after the check.
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(0),
                "basalt: memory: 8 MiB RAM, 1519 of 1519 frames free\r\n");
}

TEST_F(KernelMainTest, BadMemoryDescriptionHalts)
{
    info_.ram_count = 0;
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: boot failed: memory: cannot set up the frame allocator \\(status 1\\)\r\n"
                "basalt: kernel halted\r\n");
}

TEST_F(KernelMainTest, AllMemoryReservedHalts)
{
    info_.reserved[0] = {paddr_make(kRamBase), kRamSize};
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: boot failed: memory: cannot set up the frame allocator \\(status 2\\)\r\n"
                "basalt: kernel halted\r\n");
}

TEST_F(KernelMainTest, TimerThatCannotTickIsReportedAndBootGoesOn)
{
    timer_fake_set_start_fails(1);
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(0),
                "basalt: timer: cannot tick at 100 Hz \\(counter at 62500000 Hz\\)\r\n"
                "basalt: power off\r\n");
}

} // namespace
