/*
 * hello: prints a greeting on the console whose handle it is given as its
 * argument (x0), then exits.
 */

#include <stdint.h>

#include "userland/libsys/print.h"

#include "kernel/abi/handle.h"

int main(uint64_t console)
{
    sys_printf((handle_t)console, "hello: hello, world\n");
    return 0;
}
