#include "kernel/main/kernel_main.h"

#include <stdint.h>

#include "hal/power.h"
#include "kernel/console/kprintf.h"
#include "kernel/main/boot_markers.h"
#include "kernel/main/boot_test.h"

/** Prints the boot markers and powers off; see kernel_main.h. */
_Noreturn void kernel_main(uint64_t boot_el, uint64_t dtb_phys)
{
    kprintf("%s\n", BOOT_MARKER_BOOT);
    kprintf(BOOT_MARKER_ENTERED_FORMAT "\n", (unsigned long long)boot_el,
            (unsigned long long)dtb_phys);
    kernel_boot_test();
    kprintf("%s\n", BOOT_MARKER_POWER_OFF);
    hal_power_off();
}
