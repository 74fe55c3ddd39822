#include "kernel/main/boot_test.h"

#include <stdint.h>

#include "kernel/console/kprintf.h"

/* The last page of the address space: no kernel mapping covers it, and
 * with the MMU off it lies beyond every physical address. */
#define BOOT_TEST_BAD_ADDRESS 0xfffffffffffff000ull

static void boot_test_data_abort(void)
{
    kprintf("boot test: writing to 0x%016llx\n", BOOT_TEST_BAD_ADDRESS);
    *(volatile uint64_t *)(uintptr_t)BOOT_TEST_BAD_ADDRESS = 0x0badc0de;
    kprintf("boot test: FAILED, the write did not fault\n");
}

BOOT_TEST(data_abort, boot_test_data_abort);
