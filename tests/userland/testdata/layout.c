/*
 * A user program with something in every output section of
 * userland/user.ld (.text, .rodata, .data, .bss), so programs_test sees
 * the three segments the script makes. It never runs.
 */

#include <stdint.h>

#include "userland/libsys/print.h"

/* .rodata: indexed with a run-time value, so it stays in memory. */
static const char table[] = "layout: read-only data of userland/user.ld";

/* .data: a non-zero initial value. */
volatile uint32_t counter = 7;

/* .bss: 8 KiB of zeros, more than a page, only in memory. */
volatile uint8_t scratch[8192];

int main(uint64_t arg)
{
    uint32_t i = counter;
    scratch[(arg + i) % sizeof scratch] = (uint8_t)table[i % sizeof table];
    counter = i + 1;
    return sys_printf((handle_t)arg, "%u\n", i);
}
