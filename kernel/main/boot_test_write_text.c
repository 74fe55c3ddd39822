#include "kernel/main/boot_test.h"

#include <stdint.h>

#include "kernel/console/kprintf.h"

/* Kernel text is mapped read-only and executable (W^X): a write to it must
 * fault with a permission fault, not change code. */
static void boot_test_write_text(void)
{
    volatile uint32_t *text = (volatile uint32_t *)(uintptr_t)&boot_test_write_text;
    kprintf("boot test: writing to kernel text\n");
    *text = 0xd503201f; /* NOP */
    kprintf("boot test: FAILED, kernel text is writable\n");
}

BOOT_TEST(write_text, boot_test_write_text);
