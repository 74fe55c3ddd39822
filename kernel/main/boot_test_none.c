#include "kernel/main/boot_test.h"

void kernel_boot_test(void)
{
    /* The production image runs no boot-time test. */
}
