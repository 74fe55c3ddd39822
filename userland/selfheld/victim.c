/*
 * victim: receives one message on the endpoint it is given (x0), keeping
 * the capabilities in it (for userland/selfheld: one to this task itself
 * and one to its own address space), then reads an address nothing maps
 * and faults while it holds them.
 */

#include <stdint.h>

#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"

int main(uint64_t arg)
{
    struct sys_msg msg;
    (void)sys_recv_caps((handle_t)arg, 2, &msg);
    volatile const uint64_t *nowhere = (volatile const uint64_t *)0xdead0000ull;
    return (int)*nowhere;
}
