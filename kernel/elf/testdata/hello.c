/*
 * A tiny freestanding AArch64 program for kernel/elf's tests: its sections
 * .text, .rodata, .data and .bss make lld emit three PT_LOAD segments, read
 * only (headers and .rodata), read-execute (.text) and read-write (.data,
 * with .bss making its memory size larger than its file size). It never
 * runs; elf_test only parses it.
 */

#include <stdint.h>

/* .rodata: indexed with a run-time value, so it stays in memory. */
static const char message[] = "hello from kernel/elf testdata";

/* .data: a non-zero initial value. */
volatile uint32_t counter = 7;

/* .bss: 1 KiB of zeros, only in memory. */
volatile uint32_t scratch[256];

/** Entry point (lld's default entry symbol): a loop over all three. */
void _start(void)
{
    for (;;) {
        uint32_t i = counter;
        scratch[i % 256] += (uint8_t)message[i % sizeof message];
        counter = i + 1;
    }
}
