/*
 * A boot-time test (kernel/main/boot_test.h) of PAN: maps a page EL0 may
 * read and write into a fresh user space, activates it, and reads the page
 * from EL1 through its user address. Where the CPU has PAN (start.S sets
 * PSTATE.PAN, and SCTLR_EL1.SPAN = 0 keeps it set on every exception) the
 * read is a permission fault: reported, and the kernel halts. A CPU
 * without PAN reads the page; the test says so and the boot goes on.
 *
 * The kernel itself never reads user memory through user addresses
 * (kernel/uaccess goes through the direct map), so PAN is never opened.
 */

#include <stdint.h>

#include "bsp/common/boot_mmu.h"
#include "hal/addr.h"
#include "hal/mmu.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/main/boot_test.h"

/* The user address read, and the ASID of the test's space: one no space
 * of the kernel's uses (vm.h: space i has ASID i + 1). */
#define BOOT_TEST_PAN_VA 0x400000ull
#define BOOT_TEST_PAN_ASID (HAL_MMU_ASID_LIMIT - 1u)
/* A root, three tables below it, the data page. */
#define BOOT_TEST_PAN_PAGES 5u

static void boot_test_pan(void)
{
    /* The last pages of the first RAM range: the direct map covers them
     * (the image it does not), and nothing uses them yet. Once the test
     * is over they are left to the frame allocator: nothing refers to
     * them any more (the space is off, its ASID invalidated). */
    uint64_t top = boot_platform.ram[0].base + boot_platform.ram[0].size;
    paddr_t frames[BOOT_TEST_PAN_PAGES - 1];
    for (uint32_t i = 0; i + 1 < BOOT_TEST_PAN_PAGES; i++) {
        frames[i] = paddr_make(top - (uint64_t)(i + 1) * HAL_MMU_PAGE_SIZE);
    }
    paddr_t data_pa = paddr_make(top - (uint64_t)BOOT_TEST_PAN_PAGES * HAL_MMU_PAGE_SIZE);
    volatile uint8_t *data = hal_mmu_phys_to_virt(data_pa);
    data[0] = 0x5a;
    struct hal_mmu_frames f = {frames, BOOT_TEST_PAN_PAGES - 1, 0};
    paddr_t root;
    if (hal_mmu_space_create(&f, &root) != HAL_MMU_OK ||
        hal_mmu_map(root, BOOT_TEST_PAN_ASID, BOOT_TEST_PAN_VA, data_pa, HAL_MMU_PAGE_SIZE,
                    HAL_MMU_READ | HAL_MMU_WRITE, &f) != HAL_MMU_OK) {
        kprintf("boot test: FAILED, cannot map the user page\n");
        return;
    }
    hal_mmu_activate(root, BOOT_TEST_PAN_ASID);
    kprintf("boot test: reading user page 0x%016llx at EL1\n", BOOT_TEST_PAN_VA);
    uint8_t got = *(volatile const uint8_t *)(uintptr_t)BOOT_TEST_PAN_VA;
    hal_mmu_activate(paddr_make(0), 0);
    hal_mmu_asid_invalidate(BOOT_TEST_PAN_ASID);
    kprintf("boot test: read 0x%02x: this CPU has no PAN\n", got);
}

BOOT_TEST(pan, boot_test_pan);
