/*
 * init: the first task, started by the kernel with the capabilities of
 * kernel/abi/init.h in fixed slots. It greets, starts hello from its
 * embedded image with the console (hello runs at once: its priority is
 * higher), and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Above init's own (16, kernel_main): a child runs as soon as it starts. */
#define INIT_CHILD_PRIORITY 20

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    sys_printf(INIT_HANDLE_CONSOLE, "init: hello from EL0\n");
    handle_t hello = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    status_t st = sys_task_spawn(INIT_HANDLE_KERNEL, "hello", INIT_CHILD_PRIORITY,
                                 INIT_HANDLE_CONSOLE, &hello, &space);
    sys_printf(INIT_HANDLE_CONSOLE, "init: hello %s (status %d)\n",
               st == STATUS_OK ? "ran" : "did not start", st);
    sys_printf(INIT_HANDLE_CONSOLE, "init: done\n");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    // Only reached if power-off was refused; crt0 then exits the task.
    return 1;
}
