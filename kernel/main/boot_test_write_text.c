#include "kernel/main/boot_test.h"

#include <stdint.h>

#include "kernel/console/kprintf.h"

/* Kernel text is mapped read-only and executable (W^X): a write to it must
 * fault with a permission fault, not change code. */
void kernel_boot_test(void)
{
    volatile uint32_t *text = (volatile uint32_t *)(uintptr_t)&kernel_boot_test;
    kprintf("boot test: writing to kernel text\n");
    *text = 0xd503201f; /* NOP */
    kprintf("boot test: FAILED, kernel text is writable\n");
}
