#pragma once

/**
 * The kernel's entry from the board: what runs once the board support code
 * has a stack, zeroed .bss and a working console.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Runs the kernel. Never returns.
 *
 * boot_el: the exception level the image was entered at (1 or 2); the
 *   kernel itself always runs at EL1.
 * dtb_phys: the physical address of the device tree blob as handed over in
 *   x0 at entry (0 when the loader passed none).
 *
 * Requires: called once, at EL1 with interrupts masked, with
 * hal_console_putc / hal_console_write and hal_power_off usable.
 * For now it prints the boot markers (kernel/main/boot_markers.h), each on
 * its own line, and powers the machine off.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void kernel_main(uint64_t boot_el, uint64_t dtb_phys);

#ifdef __cplusplus
}
#endif
