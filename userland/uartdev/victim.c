/*
 * uartvictim: a client of the UART driver that asks for a byte when none
 * is buffered, so that the driver holds its call; uartdev kills it then.
 */

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/uart/uart_proto.h"

#include "kernel/abi/handle.h"

int main(uint64_t uart)
{
    char c = 0;
    size_t got = 0;
    status_t st = uart_read((handle_t)uart, &c, 1, &got);
    // Never reached in the test: the victim dies first.
    sys_printf((handle_t)uart, "uartvictim: read returned %d\n", st);
    return 0;
}
