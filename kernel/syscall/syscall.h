#pragma once

/**
 * System call dispatch: decodes the saved user registers of one call
 * (kernel/abi/syscall.h), checks every handle, kind and right, and only
 * then invokes the capability, scheduler and IPC modules.
 *
 * One task has one id, the same everywhere: its capability table index in
 * caps, its entity id in sched and its slot in ipc.tasks (so the checks
 * below make sure those ranges agree). An endpoint capability names the
 * object arena slot obj_ref.index, which is also its index in
 * ipc.endpoints; likewise for notifications.
 *
 * Fail closed: an error returns its status in x0 and changes nothing at
 * all, neither struct kernel_state nor x1-x7.
 *
 * Blocking: when a call blocks the caller (sched BLOCKED, ipc waiting), the
 * dispatcher returns STATUS_OK in x0 and writes no result. It leaves
 * kernel_state.current alone: the board sees the caller is no longer
 * runnable, calls sched_pick_next and switches. When the task is woken, the
 * board (a later issue) writes its registers from ipc.tasks[id]: x0 =
 * wake_status, then on STATUS_OK the bits (x1) or the message (x1-x7, as
 * syscall_regs_from_msg writes them) for the call the task was blocked in.
 *
 * No global state, no allocation, no locking: the caller serialises calls.
 */

#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"

#include "kernel/abi/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/** kernel_state.current when no task runs (the idle loop, early boot). */
#define KERNEL_NO_TASK (-1)

_Static_assert(CAP_MAX_TABLES >= SCHED_MAX_ENTITIES, "each task id has a capability table");
_Static_assert(OBJ_MAX_TASKS <= SCHED_MAX_ENTITIES, "each task object has a scheduler entity");
_Static_assert(OBJ_MAX_ENDPOINTS <= IPC_MAX_ENDPOINTS, "each endpoint object has ipc state");
_Static_assert(OBJ_MAX_NOTIFICATIONS <= IPC_MAX_NOTIFICATIONS,
               "each notification object has ipc state");

/** Everything one kernel instance has. No padding: two states compare with memcmp. */
struct kernel_state {
    /** First: the only member aligned to 8, so nothing pads after it. */
    struct ipc ipc;
    /** Capability tables (indexed by task id) and the object arena. */
    struct cap_space caps;
    struct sched sched;
    /**
     * The task whose registers the board handed in, or KERNEL_NO_TASK. Set by
     * the board on each switch; the dispatcher never changes it.
     */
    int32_t current;
};

_Static_assert(sizeof(struct kernel_state) == sizeof(struct cap_space) + sizeof(struct sched) +
                                                  sizeof(struct ipc) + sizeof(int32_t),
               "struct kernel_state has no padding (the size fits alignment 8)");

/** The saved user argument registers of one call; x[0..7] receive the results. */
struct syscall_regs {
    uint64_t x[8];
    /** x8. */
    uint64_t number;
};

_Static_assert(sizeof(struct syscall_regs) == 9 * sizeof(uint64_t), "no padding");

/**
 * Empties every capability table, the scheduler and the IPC state;
 * current = KERNEL_NO_TASK.
 */
void kernel_state_init(struct kernel_state *k);

/**
 * Performs the call regs->number for task k->current with arguments
 * regs->x[0..7], and writes the status to regs->x[0] and results to x[1..7].
 * Errors (in x0, with no effect): STATUS_UNKNOWN_SYSCALL (number not below
 * SYS_COUNT; checked first), STATUS_NO_CURRENT_TASK (current is
 * KERNEL_NO_TASK, out of range, or names a task that is neither READY nor
 * RUNNING), cap_lookup's errors for a handle (STATUS_BAD_HANDLE,
 * STATUS_STALE_HANDLE, STATUS_WRONG_KIND, STATUS_MISSING_RIGHT),
 * STATUS_INVALID_ARGUMENT for a malformed argument, and the errors of the
 * module invoked.
 */
void syscall_dispatch(struct kernel_state *k, struct syscall_regs *regs);

/**
 * Writes a message (received, or the reply to a call) into x1-x7 in the
 * layout of kernel/abi/syscall.h: x1 the info word (counts and 48-bit
 * label), x2-x5 the words (0 beyond word_count), x6-x7 the handles
 * (HANDLE_NONE beyond cap_count). For the board, when it wakes a task.
 */
void syscall_regs_from_msg(struct syscall_regs *regs, const struct ipc_msg *msg);

#ifdef __cplusplus
}
#endif
