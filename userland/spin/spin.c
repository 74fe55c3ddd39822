/*
 * spin: a task that never ends on its own. It yields in a loop, so it takes
 * every moment no task of its priority or above wants, and nothing else:
 * the shell's example of a long-running job to list and kill. Started at
 * or above the shell's priority it keeps the shell from running at all
 * (the scheduler is strictly by priority), so start it below: spawn spin 5.
 */

#include <stdint.h>

#include "userland/libsys/sys.h"

int main(uint64_t console)
{
    (void)console;
    for (;;) {
        sys_yield();
    }
}
