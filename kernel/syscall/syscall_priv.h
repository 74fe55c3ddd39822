#pragma once

/**
 * The handlers of kernel/syscall, one per call. Each gets the current task
 * (checked: in range, READY or RUNNING) and the registers; it decodes every
 * argument with no side effect, then invokes, and returns the status for
 * x0. Results go to regs->x[1..7] only on success.
 */

#include <stdint.h>

#include "hal/addr.h"
#include "kernel/syscall/syscall.h"

#include "kernel/abi/status.h"

/*
 * A call (or kernel entry point) no benchmark row takes: kept out of the
 * dispatcher, so it is not copied into it, and built for the least size.
 */
#define SYSCALL_COLD __attribute__((noinline, cold, minsize))

status_t syscall_cap_derive(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_cap_badge(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_cap_delete(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_cap_revoke(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);

/**
 * Gives task the deadline in regs (x9) for the blocking call about to be
 * made, and with one, reads the counter into k->ipc.now (hal_timer_count)
 * for the call to judge it by. syscall_deadline_end after the call takes
 * the deadline back unless the task now waits (a deadline lives as long as
 * the wait it bounds), or else brings the alarm forward to it; and sets
 * k->ipc.now back to 0, so that a call that failed changed nothing.
 */
void syscall_deadline_begin(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
void syscall_deadline_end(struct kernel_state *k, uint32_t task);

status_t syscall_notify_signal(struct kernel_state *k, uint32_t task,
                               const struct syscall_regs *regs);
status_t syscall_notify_wait(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_notify_poll(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);

status_t syscall_ipc_send(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_ipc_call(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_ipc_recv(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_ipc_reply(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_ipc_reply_recv(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);

status_t syscall_map(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_unmap(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_protect(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_task_start(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_console_write(struct kernel_state *k, uint32_t task,
                               const struct syscall_regs *regs);

/* Privileged: the dispatcher has checked the kernel capability in x0. */
/**
 * Decodes the creation of an object of kind that needs pages unreserved
 * free pages: a free object slot, a free slot in task's table, the pages.
 */
status_t syscall_create_check(struct kernel_state *k, uint32_t task, uint32_t kind, uint32_t pages);
/** Invokes a creation syscall_create_check allowed: the object and its first capability (x1). */
struct obj_ref syscall_create_object(struct kernel_state *k, uint32_t task, uint32_t kind,
                                     rights_t rights, struct syscall_regs *regs);
status_t syscall_ipc_object_create(struct kernel_state *k, uint32_t task, uint32_t kind,
                                   struct syscall_regs *regs);
status_t syscall_frame_create(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_space_create(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_task_create(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_power_off(struct kernel_state *k, const struct syscall_regs *regs);
status_t syscall_task_spawn(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_irq_create(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);
status_t syscall_device_frame_create(struct kernel_state *k, uint32_t task,
                                     struct syscall_regs *regs);
/** SYS_TASK_INFO: the CPU the task runs or last ran on, and its affinity (x1, x2). */
status_t syscall_task_info(struct kernel_state *k, uint32_t task, struct syscall_regs *regs);

/** SYS_CONSOLE_DEVICE: the console UART's page, offset, size and line (x1-x4). */
status_t syscall_console_device(const struct kernel_state *k, struct syscall_regs *regs);

status_t syscall_irq_bind(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);
status_t syscall_irq_ack(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);

/** Empties an IRQ record (unused, unbound, positions CAP_NIL). */
void syscall_irq_clear(struct kernel_irq *irq);

/** Ends irq's binding, if any: the line is masked, nothing pending, positions CAP_NIL. */
void syscall_irq_unbind(struct kernel_irq *irq);

/** Tears down IRQ record index (its object destroyed): unbound, masked, unused. */
void syscall_irq_teardown(struct kernel_state *k, uint32_t index);

status_t syscall_kernel_stats(struct kernel_state *k, uint32_t task,
                              const struct syscall_regs *regs);

/** Sets k->caps' hooks: a mapping or watch ends (or moves) with its capability. */
void syscall_links_init(struct kernel_state *k);

/** Ends the watch on task (if any). */
void syscall_task_watch_end(struct kernel_task *t);

/** Empties a task record (no task: every field 0, refs OBJECT_NONE). */
void syscall_task_clear(struct kernel_task *t);

/** Fills a record for a new task object self in space, not started, named name (may be NULL). */
void syscall_task_init(struct kernel_task *t, struct obj_ref self, struct obj_ref space,
                       uint32_t priority, const char *name);

/** Signals the watcher of task (if it has one and it is still there). */
void syscall_task_notify_watcher(struct kernel_state *k, uint32_t task);

status_t syscall_task_watch(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs);

/** The root table of task's address space, or 0 if it has none (any more). */
paddr_t syscall_task_root(const struct kernel_state *k, uint32_t task);

/**
 * Looks up handle in task's table as an object of kind with the rights
 * needed, and gives its arena index (the endpoint or notification index).
 * Errors as cap_lookup. Changes nothing.
 */
status_t syscall_lookup_index(struct kernel_state *k, uint32_t task, uint64_t handle, uint32_t kind,
                              rights_t needed, uint32_t *index);

/**
 * Looks up handle in task's table as an endpoint with the rights needed:
 * its index in ipc.endpoints and the capability's badge (0 for none).
 * Errors as cap_lookup. Changes nothing.
 */
status_t syscall_lookup_endpoint(struct kernel_state *k, uint32_t task, uint64_t handle,
                                 rights_t needed, uint32_t *index, uint64_t *badge);

/**
 * syscall_lookup_index and syscall_lookup_endpoint out of line, for every
 * call but the measured hot paths (the IPC fast path, a notification's
 * signal and wait), which inline theirs by force. Same results and errors.
 */
status_t syscall_lookup_index_slow(struct kernel_state *k, uint32_t task, uint64_t handle,
                                   uint32_t kind, rights_t needed, uint32_t *index);
status_t syscall_lookup_endpoint_slow(struct kernel_state *k, uint32_t task, uint64_t handle,
                                      rights_t needed, uint32_t *index, uint64_t *badge);
