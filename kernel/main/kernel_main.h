#pragma once

/**
 * The kernel's entry from the board: what runs once the board support code
 * has a stack, zeroed .bss, exception vectors, a working console, an
 * interrupt controller and a timer.
 */

#include <stdint.h>

#include "kernel/main/boot_info.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Runs the kernel. Never returns.
 *
 * info: the machine as the board found it (kernel/main/boot_info.h); it
 *   must stay valid and unchanged for the life of the kernel.
 *
 * Requires: called once, at EL1 with interrupts masked, with the HAL
 * console, cpu, irq, timer and power interfaces usable and the timer
 * interrupt routed to the kernel's tick (kernel/time/tick.h).
 * Prints the boot markers (kernel/main/boot_markers.h), each on its own
 * line, sets up the physical frame allocator, shows that timer interrupts
 * arrive, and powers the machine off.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void kernel_main(const struct boot_info *info);

#ifdef __cplusplus
}
#endif
