#pragma once

/**
 * The big kernel lock (issue 15): one ticket lock (spinlock.h) that a CPU
 * holds whenever it runs the kernel's logic, so that the kernel stays
 * single-threaded and its host tests stay valid.
 *
 * Where it is taken and released (hal/aarch64/vectors.S, trap.c, this
 * file's hal_cpu_idle):
 *  - every entry from EL0 (a system call, a fault, an interrupt) takes it
 *    once the task's registers are saved, and every return to EL0
 *    (vector_el0_restore, hal_context_return) releases it just before the
 *    registers are loaded back: the saved context belongs to the CPU that
 *    runs the task, so reading it needs no lock;
 *  - the boot CPU takes it at the board's C entry and holds it until it
 *    first enters EL0;
 *  - a CPU waiting for an interrupt (hal_cpu_idle) releases it, waits with
 *    interrupts masked (WFI still wakes on one pending), unmasks them so
 *    that the interrupt is taken (aarch64_trap_el1 takes the lock around
 *    the kernel's handler), masks them and takes the lock back.
 * Interrupts are masked whenever it is held. What runs outside it: the
 * exception entry up to the lock (it touches only the task's own context
 * and this CPU's stack), the wait, and a started CPU before it joins.
 */

#include <stdint.h>

#include "hal/aarch64/spinlock.h"

#ifdef __cplusplus
extern "C" {
#endif

extern struct aarch64_ticket_lock aarch64_kernel_lock;

/**
 * 0 while the boot CPU is the only one that can enter the kernel: then
 * the lock is neither taken nor released (a test and a branch each way
 * instead: the single-core figures rise by at most 10%, issue 15).
 * aarch64_kernel_lock_share sets it, once, before a second CPU may enter.
 * The vectors read it as bit 0 of TPIDR_EL1 (beside the stack top, whose
 * low bits are 0): set on the boot CPU by the share, on a started CPU by
 * aarch64_kernel_lock_join.
 */
extern uint8_t aarch64_kernel_lock_shared;

/**
 * Once the lock is shared, right after a CPU takes it and right before it
 * releases it (the vectors and the C functions below call them): the
 * CPU's own state swapped in and out (the active TTBR0's root, and the
 * kernel's, trap_cpu_enter and trap_cpu_leave).
 */
void aarch64_cpu_enter(void);
void aarch64_cpu_leave(uint64_t to_el0);

/** On entry from EL0, before the lock is taken: this CPU runs no EL0 code now. */
void aarch64_cpu_arrive(void);

/** Takes the big kernel lock (for C callers; the vectors inline it). */
void aarch64_kernel_lock_take(void);

/** Releases the big kernel lock, which the caller holds. */
void aarch64_kernel_lock_release(void);

/**
 * From now on the lock is used: called by the boot CPU, inside the kernel
 * (where it holds the lock, had it been used), before it starts another
 * CPU; it takes the lock, so that its next release is its own. Once only.
 */
void aarch64_kernel_lock_share(void);

/**
 * Undoes aarch64_kernel_lock_share when no CPU was started after all
 * (every start was refused): the lock is released and not used again
 * until the next share.
 */
void aarch64_kernel_lock_unshare(void);

/** On a started CPU, before it enters the kernel: the lock's bit in its TPIDR_EL1. */
void aarch64_kernel_lock_join(void);

#ifdef __cplusplus
}
#endif
