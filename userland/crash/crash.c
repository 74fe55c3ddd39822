/*
 * crash: a task that faults on purpose, for the scenario: given a console
 * capability (x0), it says what it is about to do, then reads an address
 * nothing maps. The kernel reports the fault, stops this task and signals
 * its watcher; every other task goes on.
 */

#include <stdint.h>

#include "userland/libsys/print.h"

#include "kernel/abi/handle.h"

int main(uint64_t console)
{
    sys_printf((handle_t)console, "crash: reading 0xdead0000\n");
    volatile const uint64_t *nowhere = (volatile const uint64_t *)0xdead0000ull;
    return (int)*nowhere;
}
