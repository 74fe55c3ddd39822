#include "kernel/main/boot_test.h"

#include <stdint.h>

#include "kernel/console/kprintf.h"

/* Each call takes a kilobyte of stack and keeps it live, so the recursion
 * runs off the bottom of the boot stack into its guard page. */
static uint64_t boot_test_recurse(uint64_t depth)
{
    volatile uint8_t frame[1024];
    frame[0] = (uint8_t)depth;
    frame[sizeof frame - 1] = (uint8_t)depth;
    if (depth == 0) {
        return frame[0];
    }
    return boot_test_recurse(depth - 1) + frame[sizeof frame - 1];
}

static void boot_test_stack_overflow(void)
{
    kprintf("boot test: recursing until the kernel stack overflows\n");
    uint64_t result = boot_test_recurse(1000000);
    kprintf("boot test: FAILED, no overflow (result %llu)\n", (unsigned long long)result);
}

BOOT_TEST(stack_overflow, boot_test_stack_overflow);
