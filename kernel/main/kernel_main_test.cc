// kernel_main on the host, against the HAL fakes: the boot sequence prints
// its markers in order, sets up the frame allocator over fake RAM, waits
// for ticks and powers off; every failure is reported and halts.

#include "kernel/main/kernel_main.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <string>
#include <vector>

#include "hal/fake/console_fake.h"
#include "hal/fake/cpu_fake.h"
#include "hal/fake/mmu_fake.h"
#include "hal/fake/power_fake.h"
#include "hal/fake/sha256_fake.h"
#include "hal/fake/timer_fake.h"
#include "kernel/abi/init.h"
#include "kernel/crypto/sha256.h"
#include "kernel/elf/elf_builder.h"
#include "kernel/images/images.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"
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

// What the interrupt loop does for the timer's interrupt (kernel/trap):
// the fake CPU "takes" one whenever the kernel waits for an interrupt.
void TimerInterrupt()
{
    kernel_timer_fired();
    kernel_tick();
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
        mmu_fake_init(ram_, paddr_make(kRamBase), kRamSize);
        console_fake_reset();
        timer_fake_reset();
        power_fake_reset();
        cpu_fake_set_wait_handler(TimerInterrupt);
    }
    void TearDown() override
    {
        std::free(ram_);
    }

    // An image table holding one image (named name) for info_.images.
    void Images(const char *name, const std::vector<uint8_t> &image)
    {
        blob_ = image;
        std::memset(&entry_, 0, sizeof entry_);
        std::strncpy(entry_.name, name, IMAGE_NAME_MAX - 1);
        entry_.size = image.size();
        sha256(blob_.data(), blob_.size(), entry_.sha256);
        table_ = {IMAGE_TABLE_MAGIC, 1, &entry_, blob_.data(), blob_.size()};
        info_.images = &table_;
    }

    uint8_t *ram_ = nullptr;
    struct boot_info info_;
    std::vector<uint8_t> blob_;
    image_entry entry_{};
    image_table table_{};
};

// A static ELF64 AArch64 executable with one RX page at 0x400000.
std::vector<uint8_t> InitElf()
{
    return elf_builder::OnePage();
}

TEST_F(KernelMainTest, BootsThroughEveryMarkerAndPowersOff)
{
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(0),
                "basalt: boot\r\n"
                "basalt: entered at EL1, dtb at 0x0000000040000000\r\n"
                "basalt: MMU on, direct map at 0x[0-9a-f]{16}\r\n"
                "basalt: high half active, image at 0xffffffffc0100000 \\(physical "
                "0x0000000040100000\\)\r\n"
                "basalt: memory: 8 MiB RAM, [0-9]+ of [0-9]+ frames free\r\n"
                "basalt: interrupts on, timer at 100 Hz\r\n"
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

TEST_F(KernelMainTest, WithImagesInitIsLoadedAndReady)
{
    Images(INIT_IMAGE_NAME, InitElf());
    struct kernel_state *k = kernel_main(&info_);
    ASSERT_NE(nullptr, k);
    std::string out(console_fake_contents(), console_fake_length());
    EXPECT_NE(std::string::npos,
              out.find("basalt: interrupts on, timer at 100 Hz\r\n"
                       "basalt: init loaded, 5 pages, entry 0x0000000000400000\r\n"))
        << out;
    EXPECT_EQ(std::string::npos, out.find("power off"));
    const uint32_t init = 0; // the first task object
    EXPECT_EQ(SCHED_READY, sched_state(&k->sched, init));
    EXPECT_EQ(0x400000u, k->tasks[init].entry);
    EXPECT_EQ(KERNEL_TASK_STACK_TOP, k->tasks[init].stack);
    cap *c = nullptr;
    EXPECT_EQ(STATUS_OK,
              cap_lookup(&k->caps, init, INIT_HANDLE_KERNEL, OBJECT_KERNEL, RIGHT_CONTROL, &c));
    EXPECT_EQ(STATUS_OK,
              cap_lookup(&k->caps, init, INIT_HANDLE_SPACE, OBJECT_ADDRESS_SPACE, RIGHT_MAP, &c));
    EXPECT_EQ(STATUS_OK,
              cap_lookup(&k->caps, init, INIT_HANDLE_SELF, OBJECT_TASK, RIGHT_CONTROL, &c));
    EXPECT_EQ(STATUS_OK,
              cap_lookup(&k->caps, init, INIT_HANDLE_CONSOLE, OBJECT_CONSOLE, RIGHT_WRITE, &c));
}

// The boot's milestones are counted in order, from the CPU's instruction
// counter, and kept for SYS_KERNEL_STATS; a CPU that counts nothing leaves 0.
TEST_F(KernelMainTest, BootMilestonesAreCountedInOrder)
{
    Images(INIT_IMAGE_NAME, InitElf());
    cpu_fake_set_instructions(1000, 7);
    struct kernel_state *k = kernel_main(&info_);
    cpu_fake_set_instructions(0, 0);
    ASSERT_NE(nullptr, k);
    EXPECT_EQ(1000u, k->boot_instructions[SYS_BOOT_KERNEL_MAIN]);
    const int order[] = {SYS_BOOT_KERNEL_MAIN, SYS_BOOT_MEMORY, SYS_BOOT_INTERRUPTS,
                         SYS_BOOT_INIT_FOUND, SYS_BOOT_INIT_LOADED};
    for (size_t i = 1; i < sizeof order / sizeof order[0]; i++) {
        EXPECT_EQ(k->boot_instructions[order[i - 1]] + 7, k->boot_instructions[order[i]]) << i;
    }
    for (int i = SYS_BOOT_INIT_LOADED + 1; i < SYS_BOOT_PHASES; i++) {
        EXPECT_EQ(0u, k->boot_instructions[i]) << i;
    }
    k = kernel_main(&info_);
    ASSERT_NE(nullptr, k);
    for (int i = 0; i < SYS_BOOT_PHASES; i++) {
        EXPECT_EQ(0u, k->boot_instructions[i]) << i;
    }
}

TEST_F(KernelMainTest, NoInitImageHalts)
{
    Images("hello", InitElf());
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: boot failed: init: no valid image named \"init\" \\(status 11\\)\r\n"
                "basalt: kernel halted\r\n");
}

// basalt.init=NAME on the command line makes the image NAME init, with
// init's capabilities; the boot says which.
TEST_F(KernelMainTest, TheCommandLineNamesAnotherInit)
{
    Images("errors", InitElf());
    std::strcpy(info_.bootargs, "quiet basalt.init=errors");
    struct kernel_state *k = kernel_main(&info_);
    ASSERT_NE(nullptr, k);
    std::string out(console_fake_contents(), console_fake_length());
    EXPECT_NE(std::string::npos, out.find("basalt: init is image \"errors\" (basalt.init=)\r\n"
                                          "basalt: init loaded, 5 pages"))
        << out;
    cap *c = nullptr;
    EXPECT_EQ(STATUS_OK,
              cap_lookup(&k->caps, 0, INIT_HANDLE_KERNEL, OBJECT_KERNEL, RIGHT_CONTROL, &c));
    EXPECT_STREQ("init", k->tasks[0].name);
}

TEST_F(KernelMainTest, AnInitTheImagesLackHaltsNamed)
{
    Images(INIT_IMAGE_NAME, InitElf());
    std::strcpy(info_.bootargs, "basalt.init=nonesuch");
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: boot failed: init: no valid image named \"nonesuch\" \\(status 11\\)\r\n"
                "basalt: kernel halted\r\n");
}

TEST_F(KernelMainTest, AnInitNameTooLongHalts)
{
    Images(INIT_IMAGE_NAME, InitElf());
    std::strcpy(info_.bootargs, "basalt.init=0123456789012345678901234567890123456789");
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: init: the image name after basalt.init= is longer than 31 bytes\r\n"
                "basalt: boot failed: init: no image by that name \\(status [0-9]+\\)\r\n"
                "basalt: kernel halted\r\n");
}

// The product kernel (boot_test_none) runs no boot test, whatever the
// command line asks.
TEST_F(KernelMainTest, TheProductKernelRunsNoBootTest)
{
    std::strcpy(info_.bootargs, "basalt.boot_test=reset");
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(0),
                "basalt: interrupts on, timer at 100 Hz\r\n"
                "basalt: power off\r\n");
}

TEST_F(KernelMainTest, CorruptedInitImageHalts)
{
    Images(INIT_IMAGE_NAME, InitElf());
    blob_[100] ^= 1; // after the table's hash was taken
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: boot failed: init: no valid image named \"init\" \\(status 9\\)\r\n");
}

size_t IdleSha256(uint32_t *, const uint8_t *, size_t count) // Claims work it never did.
{
    return count;
}

// init's image is hashed through hal/sha256.h, the CPU's instructions where
// it has them: every whole block is offered there, and the digest checked
// is the one they compute (an accelerator that does nothing fails the boot).
TEST_F(KernelMainTest, InitImageIsHashedThroughTheHal)
{
    Images(INIT_IMAGE_NAME, InitElf());
    sha256_fake_reset();
    ASSERT_NE(nullptr, kernel_main(&info_));
    EXPECT_GE(sha256_fake_blocks_asked(), InitElf().size() / 64);

    sha256_fake_set_blocks(IdleSha256);
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: boot failed: init: no valid image named \"init\" \\(status 9\\)\r\n");
    sha256_fake_set_blocks(nullptr);
}

TEST_F(KernelMainTest, MalformedInitImageHaltsWithItsError)
{
    std::vector<uint8_t> bad = InitElf();
    elf_builder::Put(bad, 68, 7, 4); // R W X
    Images(INIT_IMAGE_NAME, bad);
    EXPECT_EXIT(RunKernel(&info_), ::testing::ExitedWithCode(CPU_FAKE_HALT_EXIT_CODE),
                "basalt: init: ELF_ERR_WX\r\n"
                "basalt: boot failed: init: cannot load its image \\(status 9\\)\r\n");
}

} // namespace
