#pragma once

/**
 * What the kernel does on a trap from a task: the upcalls of hal/trap.h
 * (system calls to the dispatcher, faults stopped and reported, interrupts
 * to the tick or to user drivers) and, at the end of each, the choice of
 * the task to resume, whose context, thread ID registers and address
 * space are switched in through the HAL. Architecture and board stay
 * behind hal/trap.h and hal/irq.h.
 */

#include <stdint.h>

#include "hal/trap.h"
#include "kernel/syscall/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Tells the interrupt loop which line is the kernel's tick timer (the board
 * knows it, from its device tree). Before it, line 0 is taken for the timer.
 */
void trap_set_timer_line(uint32_t line);

/**
 * Gets k (init READY, from kernel_main) ready to run its tasks: contexts,
 * the timer ticking for preemption, user drivers' lines delivered to k.
 * Returns the context of the first task to run, its space and thread ID
 * registers made current. trap_run enters it; host tests look at it.
 */
struct hal_context *trap_start(struct kernel_state *k);

/**
 * Forgets every context's task and the running one, as they are at boot
 * (zero statics): for host tests, which start kernels many times in one
 * process. The image never calls it.
 */
void trap_reset(void);

/**
 * Runs the tasks of k at EL0 from now on (trap_start, then
 * hal_context_enter). Never returns: the machine powers off or resets when
 * a task asks for it (SYS_POWER_OFF), or when no task is left that could
 * ever run.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void trap_run(struct kernel_state *k);

/**
 * A started CPU joins the scheduler (issue 15), holding the kernel lock
 * (which it can take only once the boot CPU's trap_run has left the kernel
 * for the first task): it runs the most urgent READY task, or waits in the
 * idle loop until a kick or an interrupt brings one. Never returns.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void trap_run_secondary(void);

#ifdef __cplusplus
}
#endif
