#include "kernel/main/boot_test.h"

#include "hal/power.h"
#include "kernel/console/kprintf.h"

void kernel_boot_test(void)
{
    kprintf("boot test: system reset\n");
    hal_power_reset();
}
