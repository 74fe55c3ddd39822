/*
 * uartdev_any as init of //tests/qemu:uartdev_any*_test, on any board: the
 * checks of uartdev.h that name no board's address or line (all but the
 * virt refusals), with the console wherever SYS_CONSOLE_DEVICE says it is.
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
    sys_printf(INIT_HANDLE_CONSOLE, "uartdev: start on any board\n");
    uartdev_console_device();
    uartdev_direct_irq();
    uartdev_driver_offsets();
    uartdev_through_driver();
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
