#pragma once

/**
 * Running tasks: the kernel state's half of the trap path. The
 * architecture saves and restores registers and switches address spaces
 * (hal/trap.h), kernel/trap drives it; what a trap means for the kernel (a
 * system call, a fault, ticks) and which task runs next is decided here,
 * on the host-testable kernel state.
 *
 * A trap from a task goes: kernel_run_syscall, kernel_run_fault or
 * kernel_run_ticks; then kernel_run_next says which task to resume; if it
 * is another one, kernel/trap saves the old registers, loads the new task's
 * (fresh from kernel_task entry/stack/arg when it never ran), lets
 * kernel_run_deliver write the outcome of the call it was blocked in, and
 * activates kernel_run_space.
 *
 * A system call may first try kernel_run_fast, which does all of that at
 * once for the two calls of a client/server round trip.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/addr.h"
#include "kernel/syscall/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The system call in regs by the running task (x0-x7 arguments, number;
 * results written back). Marks the task as owed an outcome if the call
 * blocked it. Returns true when the call failed: then it changed nothing
 * but x0 (fail closed, syscall.h), so the task goes on at once and
 * kernel_run_next need not be asked.
 */
bool kernel_run_syscall(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);

/**
 * The fast paths of the hottest calls (the IPC fast path of seL4 and its
 * kin, and its like for notifications and yields), by the running task
 * (the current one), each when simple and when the task to run next is
 * the one the scheduler would pick:
 *  - an unknown number (syscall_number_known, the dispatcher's first
 *    check): x0 STATUS_UNKNOWN_SYSCALL, nothing else;
 *  - SYS_CALL to an endpoint where a receiver waits, or SYS_REPLY_RECV on
 *    an endpoint where nobody waits, with a message of no capability,
 *    accepting none, and no deadline (x9 0), when the task it wakes runs
 *    next (sched_handoff);
 *  - SYS_YIELD (sched_yield_next), to itself or to the next READY task;
 *  - SYS_NOTIFY_SIGNAL that wakes a waiter more urgent than the caller and
 *    every READY task, which runs (ipc_notify_signal_fast);
 *  - SYS_NOTIFY_WAIT with no deadline (x9 0) that finds bits pending while
 *    the caller keeps the CPU (sched_keeps), or blocks while another task
 *    is READY, which runs (ipc_notify_wait_fast);
 * the task switched to (from the READY queues) owed no outcome. Then it
 * does what kernel_run_syscall, kernel_run_next and kernel_run_deliver for
 * the task to run would do, byte for byte in k and in the tasks'
 * registers, but for the two tasks' message buffers (ipc.h: scratch) of
 * an IPC call, since the message goes straight from register to register
 * (a woken receiver's x8 gets the badge of the capability the caller
 * called through); and returns the task to run: the caller itself (the
 * trap path resumes it at once) or the one to switch to, whose outcome, if it
 * is owed one, is written already. contexts[id] are the saved registers of
 * each task id (OBJ_MAX_TASKS of them). Otherwise returns -1 and changes
 * nothing: kernel_run_syscall takes the call, errors included. Each path
 * is checked against the general one by a differential test (run_test).
 */
int32_t kernel_run_fast(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                        struct syscall_regs *const *contexts);

/**
 * kernel_run_fast in two halves, for a trap path that keeps the round trip's
 * path apart from the others' (their code inlined together cost the round
 * trip 18 instructions: kernel/trap/trap.c): kernel_run_fast is exactly
 * kernel_run_fast_ipc, then kernel_run_fast_other when that refused.
 * kernel_run_fast_ipc takes SYS_CALL and SYS_REPLY_RECV only;
 * kernel_run_fast_other the unknown numbers, SYS_YIELD, SYS_NOTIFY_SIGNAL
 * and SYS_NOTIFY_WAIT (so it need not be asked about a call the first
 * took).
 */
int32_t kernel_run_fast_ipc(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                            struct syscall_regs *const *contexts);
int32_t kernel_run_fast_other(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                              struct syscall_regs *const *contexts);

/**
 * The running task took a fault: it leaves IPC and stops for good (FAULTED,
 * kernel_task_stop), and what its emptied table held alone is torn down
 * (kernel_reap) before the call returns.
 */
void kernel_run_fault(struct kernel_state *k, uint32_t task);

/**
 * The system counter reads now: every task whose deadline is at or before
 * it leaves what it waited in and is owed STATUS_TIMED_OUT (delivered by
 * kernel_run_deliver when it next runs), and the timer's alarm is set for
 * the earliest deadline still pending (hal_timer_set_alarm; 0, none, when
 * no waiting task has one). Returns that deadline. The trap path calls it
 * after each timer interrupt (tick or alarm). A system call with a
 * deadline (x9) reads the counter itself and brings the alarm forward
 * when it waits; kernel_run_fast never takes one.
 */
uint64_t kernel_run_timeouts(struct kernel_state *k, uint64_t now);

/** Charges n timer ticks to the running task (time slices). */
void kernel_run_ticks(struct kernel_state *k, uint64_t n);

/**
 * The task to run now (kernel/sched: the running one keeps the CPU unless a
 * more urgent one is ready or its slice is used up), or -1 when none is
 * ready: then kernel_run_alive says whether one may become ready (blocked)
 * or none ever will.
 */
int32_t kernel_run_next(struct kernel_state *k);

/** Whether any task is READY, RUNNING or BLOCKED. */
bool kernel_run_alive(const struct kernel_state *k);

/**
 * Writes into regs (the registers saved when task blocked in a system call:
 * x8 still holds the call's number) the outcome of that call, if the task
 * is owed one since it was woken: x0 the status, then on success the bits
 * (SYS_NOTIFY_WAIT) or the message (SYS_RECV, SYS_CALL, SYS_REPLY_RECV),
 * with its badge in x8 for a receive (SYS_RECV, SYS_REPLY_RECV).
 * Returns whether it wrote anything.
 */
bool kernel_run_deliver(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);

/**
 * The root table and ASID of task's address space, for TTBR0; root 0 when
 * the space is gone (the task is stopped then and never resumed).
 */
paddr_t kernel_run_space(const struct kernel_state *k, uint32_t task, uint32_t *asid);

#ifdef __cplusplus
}
#endif
