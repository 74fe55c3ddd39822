/* The portable half of the trap path: see run.h. */

#include "kernel/syscall/run.h"

#include <stdbool.h>
#include <stdint.h>

#include "hal/timer.h"
#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/notification.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

bool kernel_run_syscall(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    CHECK(k != 0 && regs != 0 && task < OBJ_MAX_TASKS);
    k->current = (int32_t)task;
    syscall_dispatch(k, regs);
    // STATUS_TIMED_OUT from SYS_REPLY_RECV follows a reply that may have
    // woken a more urgent caller: let the scheduler look.
    if (regs->x[0] != STATUS_OK && regs->x[0] != STATUS_TIMED_OUT) {
        return true;
    }
    if (sched_state(&k->sched, task) == SCHED_BLOCKED) {
        k->tasks[task].waiting = 1;
    }
    return false;
}

/**
 * The rest of a fast call or reply once task blocked and next was woken:
 * what kernel_run_syscall, kernel_run_next and kernel_run_deliver do after
 * the ipc module. The message goes register to register as
 * syscall_regs_from_msg would write it: the info word is the sender's (no
 * capability), words beyond the count 0, no handles; and for a woken
 * receiver (badge not NULL) the badge in x8, as syscall_regs_from_recv
 * (a woken caller's x8 stays). Forced inline: left to itself, the link's
 * inliner made it a call once the fast path grew by its deadline check,
 * which gave the fast path a stack frame (IPC round trip 463 -> 512
 * instructions).
 */
__attribute__((always_inline)) static inline int32_t
fast_finish(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
            struct syscall_regs *const *contexts, int32_t next, const uint64_t *badge)
{
    // As kernel_run_syscall: the task blocked, owed its outcome; x0 says OK.
    // Nothing was destroyed, so kernel_reap has nothing to do.
    k->tasks[task].waiting = 1;
    regs->x[0] = STATUS_OK;
    // As kernel_run_next and kernel_run_deliver for the woken task, which
    // blocked in SYS_CALL, SYS_RECV or SYS_REPLY_RECV.
    k->current = next;
    struct kernel_task *woken = &k->tasks[next];
    if (woken->waiting) {
        woken->waiting = 0;
        struct syscall_regs *to = contexts[next];
        uint64_t info = regs->x[SYS_MSG_REG_INFO];
        uint32_t words = sys_msg_words(info);
        to->x[0] = STATUS_OK;
        to->x[SYS_MSG_REG_INFO] = info;
        for (uint32_t w = 0; w < SYS_MSG_MAX_WORDS; w++) {
            to->x[SYS_MSG_REG_WORD0 + w] = w < words ? regs->x[SYS_MSG_REG_WORD0 + w] : 0;
        }
        for (uint32_t i = 0; i < SYS_MSG_MAX_CAPS; i++) {
            to->x[SYS_MSG_REG_CAP0 + i] = HANDLE_NONE;
        }
        if (badge != 0) {
            to->number = *badge;
        }
    }
    return next;
}

/**
 * Whether the message in regs can go the fast way: valid counts, no
 * capability sent and none accepted (receive slots 0: the fast paths set
 * the blocking task's recv_slots to 0). One test covers both 4-bit fields.
 */
static inline bool fast_msg(const struct syscall_regs *regs)
{
    uint64_t info = regs->x[SYS_MSG_REG_INFO];
    _Static_assert(SYS_MSG_SLOTS_SHIFT == SYS_MSG_CAPS_SHIFT + 4, "caps and slots share a byte");
    return ((info >> SYS_MSG_CAPS_SHIFT) & 0xffu) == 0 && sys_msg_words(info) <= SYS_MSG_MAX_WORDS;
}

/** The call fast path: SYS_CALL to an endpoint where a receiver waits. */
__attribute__((always_inline)) static inline int32_t fast_call(struct kernel_state *k,
                                                               uint32_t task,
                                                               struct syscall_regs *regs,
                                                               struct syscall_regs *const *contexts)
{
    uint32_t ep = 0;
    uint64_t badge = 0;
    int32_t next =
        syscall_lookup_endpoint(k, task, regs->x[0], RIGHT_SEND, &ep, &badge) != STATUS_OK
            ? -1
            : ipc_call_fast(&k->ipc, &k->sched, ep, task);
    return next < 0 ? -1 : fast_finish(k, task, regs, contexts, next, &badge);
}

/** The reply+receive fast path: a caller to reply to, nobody waiting on the endpoint. */
__attribute__((always_inline)) static inline int32_t
fast_reply_recv(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                struct syscall_regs *const *contexts)
{
    uint32_t ep = 0;
    int32_t next =
        syscall_lookup_index(k, task, regs->x[0], OBJECT_ENDPOINT, RIGHT_RECV, &ep) != STATUS_OK
            ? -1
            : ipc_reply_recv_fast(&k->ipc, &k->sched, ep, task);
    return next < 0 ? -1 : fast_finish(k, task, regs, contexts, next, 0);
}

/**
 * Whether the task the scheduler takes next from the READY queues (none
 * current) is owed nothing: the fast paths that switch to it leave
 * kernel_run_deliver nothing to do. A task that is owed an outcome (woken,
 * then passed over for a more urgent one) takes the general path.
 */
static inline bool fast_head_owed_nothing(const struct kernel_state *k)
{
    int32_t head = sched_ready_head(&k->sched);
    return head < 0 || !k->tasks[head].waiting;
}

/**
 * The yield fast path: the running task yields (sched_yield_next), to
 * itself (a fresh slice) or to the head of its queue when that is owed
 * nothing. As syscall_yield, kernel_run_next.
 */
__attribute__((always_inline)) static inline int32_t
fast_yield(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    if (sched_current(&k->sched) != (int32_t)task || !fast_head_owed_nothing(k)) {
        return -1;
    }
    int32_t next = sched_yield_next(&k->sched);
    regs->x[0] = STATUS_OK;
    k->current = next;
    return next;
}

/**
 * The signal fast path: a signal that wakes a waiter the scheduler runs at
 * once (ipc_notify_signal_fast), which gets its outcome as
 * kernel_run_deliver would write it.
 */
__attribute__((always_inline)) static inline int32_t
fast_signal(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
            struct syscall_regs *const *contexts)
{
    uint32_t id = 0;
    if (syscall_lookup_index(k, task, regs->x[0], OBJECT_NOTIFICATION, RIGHT_SEND, &id) !=
        STATUS_OK) {
        return -1;
    }
    int32_t next = ipc_notify_signal_fast(&k->ipc, &k->sched, id, regs->x[1], task);
    if (next < 0) {
        return -1;
    }
    regs->x[0] = STATUS_OK;
    k->current = next;
    struct kernel_task *woken = &k->tasks[next];
    if (woken->waiting) {
        woken->waiting = 0;
        struct syscall_regs *to = contexts[next];
        to->x[0] = STATUS_OK;
        if (to->number == SYS_NOTIFY_WAIT) {
            to->x[1] = k->ipc.tasks[next].bits;
        }
    }
    return next;
}

/**
 * The wait fast path, with no deadline: bits pending and the task goes on,
 * or it blocks and the next READY task, owed nothing, runs
 * (ipc_notify_wait_fast). As syscall_notify_wait, kernel_run_syscall and
 * kernel_run_next.
 */
__attribute__((always_inline)) static inline int32_t
fast_wait(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    uint32_t id = 0;
    if (regs->deadline != 0 || !fast_head_owed_nothing(k) ||
        syscall_lookup_index(k, task, regs->x[0], OBJECT_NOTIFICATION, RIGHT_RECV, &id) !=
            STATUS_OK) {
        return -1;
    }
    int32_t next = ipc_notify_wait_fast(&k->ipc, &k->sched, id, task);
    if (next < 0) {
        return -1;
    }
    regs->x[0] = STATUS_OK;
    k->current = next;
    if (next == (int32_t)task) {
        regs->x[1] = k->ipc.tasks[task].bits;
    } else {
        k->tasks[task].waiting = 1;
    }
    return next;
}

int32_t kernel_run_fast_ipc(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                            struct syscall_regs *const *contexts)
{
    // The number first: every other call leaves after two comparisons.
    // Then two separate straight paths (no shared tail), one per call.
    if (regs->number != SYS_CALL && regs->number != SYS_REPLY_RECV) {
        return -1;
    }
    // A deadline (x9) takes the general path, which judges and records it.
    if (regs->deadline != 0 || task >= OBJ_MAX_TASKS || !fast_msg(regs)) {
        return -1;
    }
    return regs->number == SYS_CALL ? fast_call(k, task, regs, contexts)
                                    : fast_reply_recv(k, task, regs, contexts);
}

int32_t kernel_run_fast_other(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                              struct syscall_regs *const *contexts)
{
    if (task >= OBJ_MAX_TASKS) {
        return -1;
    }
    // The dispatcher's first check (syscall_number_known): an unknown
    // number fails, with no other effect.
    if (!syscall_number_known(regs->number)) {
        k->current = (int32_t)task;
        regs->x[0] = (uint64_t)(uint32_t)STATUS_UNKNOWN_SYSCALL;
        return (int32_t)task;
    }
    switch (regs->number) {
    case SYS_YIELD:
        return fast_yield(k, task, regs);
    case SYS_NOTIFY_SIGNAL:
        return fast_signal(k, task, regs, contexts);
    case SYS_NOTIFY_WAIT:
        return fast_wait(k, task, regs);
    default:
        return -1;
    }
}

int32_t kernel_run_fast(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                        struct syscall_regs *const *contexts)
{
    int32_t next = kernel_run_fast_ipc(k, task, regs, contexts);
    return next >= 0 ? next : kernel_run_fast_other(k, task, regs, contexts);
}

void kernel_run_fault(struct kernel_state *k, uint32_t task)
{
    kernel_task_stop(k, task);
    // Its table was emptied: tear down what that destroyed.
    kernel_reap(k);
}

uint64_t kernel_run_timeouts(struct kernel_state *k, uint64_t now)
{
    CHECK(k != 0);
    uint64_t next = 0;
    (void)ipc_timeouts_expire(&k->ipc, &k->sched, now, &next);
    // Always written: the timer's own alarm may have been spent by the
    // interrupt that brought us here (hal_timer_rearm).
    k->alarm = next;
    hal_timer_set_alarm(next);
    return next;
}

void kernel_run_ticks(struct kernel_state *k, uint64_t n)
{
    CHECK(k != 0);
    for (uint64_t i = 0; i < n; i++) {
        (void)sched_tick(&k->sched);
    }
}

int32_t kernel_run_next(struct kernel_state *k)
{
    CHECK(k != 0);
    int32_t next = sched_pick_next(&k->sched);
    k->current = next;
    return next;
}

bool kernel_run_alive(const struct kernel_state *k)
{
    CHECK(k != 0);
    for (uint32_t t = 0; t < SCHED_MAX_ENTITIES; t++) {
        enum sched_entity_state st = sched_state(&k->sched, t);
        if (st == SCHED_READY || st == SCHED_RUNNING || st == SCHED_BLOCKED) {
            return true;
        }
    }
    return false;
}

bool kernel_run_deliver(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    CHECK(k != 0 && regs != 0 && task < OBJ_MAX_TASKS);
    if (!k->tasks[task].waiting) {
        return false;
    }
    k->tasks[task].waiting = 0;
    const struct ipc_task *t = &k->ipc.tasks[task];
    regs->x[0] = (uint64_t)(uint32_t)t->wake_status;
    if (t->wake_status == STATUS_OK) {
        if (regs->number == SYS_NOTIFY_WAIT) {
            regs->x[1] = t->bits;
        } else if (regs->number == SYS_RECV || regs->number == SYS_CALL ||
                   regs->number == SYS_REPLY_RECV) {
            // A receive's x8 becomes the badge (syscall_regs_from_recv); a
            // call's reply leaves it. One call of syscall_regs_from_msg, so
            // that it stays inlined into the board's switch.
            uint64_t x8 = regs->number == SYS_CALL ? regs->number : t->msg.badge;
            syscall_regs_from_msg(regs, &t->msg);
            regs->number = x8;
        }
    }
    return true;
}

paddr_t kernel_run_space(const struct kernel_state *k, uint32_t task, uint32_t *asid)
{
    CHECK(k != 0 && asid != 0 && task < OBJ_MAX_TASKS);
    paddr_t root = syscall_task_root(k, task);
    *asid = root.value != 0 ? vm_space_asid(k->tasks[task].space.index) : 0;
    return root;
}
