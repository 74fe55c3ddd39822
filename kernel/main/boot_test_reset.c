#include "kernel/main/boot_test.h"

#include "hal/power.h"
#include "kernel/console/kprintf.h"

static void boot_test_reset(void)
{
    kprintf("boot test: system reset\n");
    hal_power_reset();
}

BOOT_TEST(reset, boot_test_reset);
