#pragma once

/**
 * The kernel's virtual memory map, the same on every board (48-bit
 * addresses, 4 KiB granule; TTBR1 covers the upper half, TTBR0 is left to
 * user space):
 *
 *   0xffff_0000_0000_0000  direct map: every RAM byte at PHYS_MAP_BASE + PA,
 *                          read-write, never executable; device registers
 *                          (UART, interrupt controller, ...) at the same
 *                          offset, as Device memory. The kernel image's own
 *                          pages are left out, so the only mapping of
 *                          kernel text is read-only.
 *   0xffff_ffff_c000_0000  the kernel image (KERNEL_VIRT_BASE maps the
 *                          board's RAM base: 0x4000_0000 on QEMU virt, 0 on
 *                          the Raspberry Pi 3): text RX, rodata R, data and
 *                          bss RW, the boot stack RW above an unmapped
 *                          guard page (the board's kernel.ld).
 */

#include <stdint.h>

#define PHYS_MAP_BASE 0xffff000000000000ull
#define KERNEL_VIRT_BASE 0xffffffffc0000000ull
