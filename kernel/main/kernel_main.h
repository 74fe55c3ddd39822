#pragma once

/**
 * The kernel's entry from the board: what runs once the board support code
 * has a stack, zeroed .bss, exception vectors, a working console, an
 * interrupt controller and a timer.
 */

#include <stdint.h>

#include "kernel/main/boot_info.h"
#include "kernel/syscall/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Boots the kernel and prepares the first task.
 *
 * info: the machine as the board found it (kernel/main/boot_info.h); it
 *   must stay valid and unchanged for the life of the kernel.
 *
 * Requires: called once, at EL1 with interrupts masked, with the HAL
 * console, cpu, irq, timer and power interfaces usable and the timer
 * interrupt routed to the kernel's tick (kernel/time/tick.h).
 * Prints the boot markers (kernel/main/boot_markers.h), each on its own
 * line, sets up the physical frame allocator and shows that timer
 * interrupts arrive. Then, when the board embedded user images
 * (info->images), creates init from the one named INIT_IMAGE_NAME, or
 * the one the command line's `basalt.init=NAME` names (kernel/abi/init.h:
 * its capabilities, a fresh address space, its stack)
 * and returns the kernel state with init READY, for the board to run
 * tasks at EL0; any failure there is reported and halts. With no images,
 * it powers the machine off and does not return.
 */
struct kernel_state *kernel_main(const struct boot_info *info);

#ifdef __cplusplus
}
#endif
