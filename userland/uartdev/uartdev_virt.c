/*
 * uartdev as init of //tests/qemu:uartdev_gicv{2,3}_test, on QEMU virt:
 * every check of uartdev.h, the refusals that name virt's addresses and
 * GIC lines among them.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/uartdev/uartdev.h"

#include "kernel/abi/init.h"
#include "kernel/abi/syscall.h"

int main(uint64_t arg)
{
    (void)arg;
    sys_printf(INIT_HANDLE_CONSOLE, "uartdev: start\n");
    uartdev_console_device();
    uartdev_refusals_virt();
    uartdev_direct_irq();
    uartdev_driver_offsets();
    uartdev_through_driver();
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
