#pragma once

/* Shared by the trap path's files (trap.c, trap_irq.c). */

#include <stdbool.h>

#include "kernel/syscall/syscall.h"

/** Gives the interrupt loop the kernel whose user drivers take every line but the tick. */
void trap_irq_set_kernel(struct kernel_state *k);

/**
 * Handles every pending interrupt: acknowledges each (hal_irq_acknowledge),
 * gives it to the tick or to the user driver bound to it
 * (kernel_irq_fired), ends it (hal_irq_end). An interrupt nobody takes is
 * masked and reported once, and still ended, so it cannot storm. Returns 0
 * if the timer's interrupt was not among them; else (a tick, or the alarm
 * of a deadline) 1 + how many of this CPU's tick periods ended.
 */
uint64_t trap_irq_handle(void);
