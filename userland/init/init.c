/*
 * init: the first task, started by the kernel with the capabilities of
 * kernel/abi/init.h in fixed slots. For now it greets and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/init.h"
#include "kernel/abi/syscall.h"

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    sys_printf(INIT_HANDLE_CONSOLE, "init: hello from EL0\n");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    // Only reached if power-off was refused; crt0 then exits the task.
    return 1;
}
