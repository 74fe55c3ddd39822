#pragma once

/**
 * Tasks at EL0 on this board: entering user mode, the traps that come back
 * from it (system calls, interrupts, faults) and the switch between tasks.
 */

#include <stdint.h>

#include "hal/aarch64/frame.h"
#include "kernel/syscall/syscall.h"

/**
 * Runs the tasks of k (init READY, from kernel_main) at EL0 from now on,
 * with the timer ticking for preemption. Never returns: the machine powers
 * off or resets when a task asks for it (SYS_POWER_OFF), or when no task is
 * left that could ever run.
 */
_Noreturn void user_run(struct kernel_state *k);

/**
 * An exception taken from EL0 (kind as for bsp_exception): a system call,
 * an interrupt or a fault of the running task. On return the frame holds
 * the context to resume, the same task's or another's.
 */
void user_trap(struct aarch64_frame *frame, uint64_t kind);

/** Restores frame (on the current stack) and returns to EL0 (vectors.S). */
_Noreturn void user_enter(struct aarch64_frame *frame);
