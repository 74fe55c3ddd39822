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
 * A system call (SVC) by the running task, with frame its context, where
 * the vectors saved its registers. Returns the context to resume, the same
 * task's or another's (vectors.S restores it): the IPC round trip's fast
 * path (kernel/syscall/run.h) when it applies, else the general one.
 */
struct aarch64_frame *user_svc(struct aarch64_frame *frame);

/**
 * Any other exception taken from EL0 (kind as for bsp_exception), with
 * frame the running task's context: an interrupt or a fault of that task.
 * Returns the context to resume, as user_svc. An SError or FIQ taken from
 * a task stops that task, reported like a fault; kinds a task cannot raise
 * (AArch32) are reported and halt.
 */
struct aarch64_frame *user_trap(struct aarch64_frame *frame, uint64_t kind);

/** Restores a task's context and returns to EL0 in it (vectors.S). */
_Noreturn void user_enter(struct aarch64_frame *frame);

/**
 * Resumes the task whose system call this is, frame its context, at once:
 * for a call a fast path took without a switch, from user_svc's callees in
 * tail position (it never returns: it ends the trap; declared returning,
 * so that the call is a branch and the caller needs no stack frame).
 * Shorter than the usual exit (vectors.S), because nothing between the
 * trap and here can have changed what it skips: ELR_EL1, SPSR_EL1 and
 * SP_EL0 still hold the task's (no exception was taken: interrupts stay
 * masked, the fast paths cannot fault), and x19-x29 still hold its
 * registers (callee-saved in the AAPCS64, and the fast paths write only
 * x0-x8 of a context). Reloads x0-x19 and x30.
 */
struct aarch64_frame *user_return(struct aarch64_frame *frame);
