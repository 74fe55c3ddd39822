/** System call dispatch: the checks every call shares, then one handler per number. */

#include "kernel/syscall/syscall.h"

#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/ipc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

__attribute__((cold)) void kernel_state_init(struct kernel_state *k)
{
    CHECK(k != 0);
    cap_space_init(&k->caps);
    sched_init(&k->sched);
    ipc_init(&k->ipc);
    vm_init(&k->vm);
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        syscall_task_clear(&k->tasks[i]);
    }
    k->frames = 0;
    k->images = 0;
    k->devices = 0;
    k->evict = 0;
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        syscall_irq_clear(&k->irqs[i]);
    }
    k->alarm = 0;
    k->current = KERNEL_NO_TASK;
    k->reaped = 0;
    k->power_request = KERNEL_POWER_NONE;
    k->cpus = 1;
    for (uint32_t i = 0; i < SYS_BOOT_PHASES; i++) {
        k->boot_instructions[i] = 0;
    }
    syscall_links_init(k);
}

void kernel_state_set_frames(struct kernel_state *k, struct frame_alloc *fa)
{
    CHECK(k != 0);
    k->frames = fa;
}

void kernel_state_set_images(struct kernel_state *k, const struct image_table *images)
{
    CHECK(k != 0);
    k->images = images;
}

/** Whether k->current names a task that can be making a call: READY or RUNNING. */
static int current_task(const struct kernel_state *k, uint32_t *task)
{
    if (k->current < 0 || k->current >= SCHED_MAX_ENTITIES) {
        return 0;
    }
    enum sched_entity_state st = sched_state(&k->sched, (uint32_t)k->current);
    if (st != SCHED_READY && st != SCHED_RUNNING) {
        return 0;
    }
    *task = (uint32_t)k->current;
    return 1;
}

/** SYS_YIELD: the running task goes to the tail of its queue. Cannot fail. */
static status_t syscall_yield(struct kernel_state *k, uint32_t task)
{
    // A READY (not running) current task is already queued: nothing to do.
    if (sched_current(&k->sched) == (int32_t)task) {
        sched_yield_current(&k->sched);
    }
    return STATUS_OK;
}

/**
 * SYS_EXIT: the task leaves every IPC relation (a caller waiting for its
 * reply is woken with STATUS_OBJECT_DESTROYED), becomes EXITED, and its
 * capability table is emptied at once: it never runs again, so nothing it
 * held stays alive for it. kernel_reap then tears down the objects that
 * were its alone. The task object itself stays while others hold
 * capabilities to it.
 */
SYSCALL_COLD static status_t syscall_exit(struct kernel_state *k, uint32_t task)
{
    CHECK(ipc_task_destroy(&k->ipc, &k->sched, task) == STATUS_OK);
    CHECK(sched_set_exited(&k->sched, task) == STATUS_OK);
    syscall_task_notify_watcher(k, task);
    CHECK(cap_delete_table(&k->caps, task) == STATUS_OK);
    return STATUS_OK;
}

/*
 * The whitelist of privileged calls: each needs a capability to the kernel
 * object with RIGHT_CONTROL in x0, and no other call does. The list is
 * checked at compile time to be exactly the ABI's SYS_PRIVILEGED_MASK, so a
 * call added to the ABI is privileged only by being named in both, never
 * by accident.
 */
#define SYSCALL_PRIVILEGED(X)                                                                      \
    X(SYS_ENDPOINT_CREATE)                                                                         \
    X(SYS_NOTIFY_CREATE)                                                                           \
    X(SYS_FRAME_CREATE)                                                                            \
    X(SYS_SPACE_CREATE)                                                                            \
    X(SYS_TASK_CREATE)                                                                             \
    X(SYS_POWER_OFF)                                                                               \
    X(SYS_TASK_SPAWN)                                                                              \
    X(SYS_IRQ_CREATE)                                                                              \
    X(SYS_DEVICE_FRAME_CREATE)                                                                     \
    X(SYS_KERNEL_STATS)                                                                            \
    X(SYS_CONSOLE_DEVICE)

#define SYSCALL_PRIV_BIT(n) | (1ull << (n))
_Static_assert(SYS_COUNT <= 64, "the whitelist check uses a 64-bit mask");
_Static_assert((0 SYSCALL_PRIVILEGED(SYSCALL_PRIV_BIT)) == SYS_PRIVILEGED_MASK,
               "the privileged whitelist is exactly the ABI's SYS_PRIVILEGED_MASK");
#define SYSCALL_PRIV_ONE(n) +1
_Static_assert((0 SYSCALL_PRIVILEGED(SYSCALL_PRIV_ONE)) ==
                   __builtin_popcountll(SYS_PRIVILEGED_MASK),
               "the privileged whitelist names each number once");

/** Whether a number below SYS_COUNT is a privileged call (in the whitelist). */
static int syscall_privileged(uint64_t number)
{
    return ((SYS_PRIVILEGED_MASK >> number) & 1u) != 0;
}

/**
 * Runs the handler of a checked number. A switch, not a table of function
 * pointers (STYLE rule 9): the set of calls is fixed at link time.
 */
static status_t syscall_invoke(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    switch (regs->number) {
    case SYS_YIELD:
        return syscall_yield(k, task);
    case SYS_EXIT:
        return syscall_exit(k, task);
    case SYS_CAP_DERIVE:
        return syscall_cap_derive(k, task, regs);
    case SYS_CAP_DELETE:
        return syscall_cap_delete(k, task, regs);
    case SYS_CAP_REVOKE:
        return syscall_cap_revoke(k, task, regs);
    case SYS_CAP_BADGE:
        return syscall_cap_badge(k, task, regs);
    case SYS_NOTIFY_SIGNAL:
        return syscall_notify_signal(k, task, regs);
    case SYS_NOTIFY_WAIT:
        return syscall_notify_wait(k, task, regs);
    case SYS_NOTIFY_POLL:
        return syscall_notify_poll(k, task, regs);
    case SYS_SEND:
        return syscall_ipc_send(k, task, regs);
    case SYS_CALL:
        return syscall_ipc_call(k, task, regs);
    case SYS_RECV:
        return syscall_ipc_recv(k, task, regs);
    case SYS_REPLY:
        return syscall_ipc_reply(k, task, regs);
    case SYS_REPLY_RECV:
        return syscall_ipc_reply_recv(k, task, regs);
    case SYS_MAP:
        return syscall_map(k, task, regs);
    case SYS_UNMAP:
        return syscall_unmap(k, task, regs);
    case SYS_PROTECT:
        return syscall_protect(k, task, regs);
    case SYS_TASK_START:
        return syscall_task_start(k, task, regs);
    case SYS_CONSOLE_WRITE:
        return syscall_console_write(k, task, regs);
    case SYS_TASK_WATCH:
        return syscall_task_watch(k, task, regs);
    case SYS_POWER_OFF:
        return syscall_power_off(k, regs);
    case SYS_TASK_SPAWN:
        return syscall_task_spawn(k, task, regs);
    case SYS_ENDPOINT_CREATE:
        return syscall_ipc_object_create(k, task, OBJECT_ENDPOINT, regs);
    case SYS_NOTIFY_CREATE:
        return syscall_ipc_object_create(k, task, OBJECT_NOTIFICATION, regs);
    case SYS_FRAME_CREATE:
        return syscall_frame_create(k, task, regs);
    case SYS_SPACE_CREATE:
        return syscall_space_create(k, task, regs);
    case SYS_TASK_CREATE:
        return syscall_task_create(k, task, regs);
    case SYS_IRQ_CREATE:
        return syscall_irq_create(k, task, regs);
    case SYS_DEVICE_FRAME_CREATE:
        return syscall_device_frame_create(k, task, regs);
    case SYS_IRQ_BIND:
        return syscall_irq_bind(k, task, regs);
    case SYS_IRQ_ACK:
        return syscall_irq_ack(k, task, regs);
    case SYS_KERNEL_STATS:
        return syscall_kernel_stats(k, task, regs);
    case SYS_CONSOLE_DEVICE:
        return syscall_console_device(k, regs);
    case SYS_TASK_INFO:
        return syscall_task_info(k, task, regs);
    default:
        return STATUS_UNKNOWN_SYSCALL;
    }
}

void syscall_dispatch(struct kernel_state *k, struct syscall_regs *regs)
{
    CHECK(k != 0 && regs != 0);
    status_t st;
    uint32_t task = 0;
    if (!syscall_number_known(regs->number)) {
        st = STATUS_UNKNOWN_SYSCALL;
    } else if (!current_task(k, &task)) {
        st = STATUS_NO_CURRENT_TASK;
    } else if (syscall_privileged(regs->number)) {
        struct cap *c = 0;
        st = cap_lookup(&k->caps, task, (handle_t)regs->x[0], OBJECT_KERNEL, RIGHT_CONTROL, &c);
        if (st == STATUS_OK) {
            st = syscall_invoke(k, task, regs);
        }
    } else {
        st = syscall_invoke(k, task, regs);
    }
    // What the call destroyed (a last capability deleted, a task's table
    // emptied) is torn down before the next call can see it.
    if (obj_destroyed_count(&k->caps.objects) != k->reaped) {
        kernel_reap(k);
    }
    // status_t is signed; the register holds its zero-extended 32-bit value.
    regs->x[0] = (uint64_t)(uint32_t)st;
}

/* Always inlined: the IPC fast path (run.c) looks its endpoint up with it. */
__attribute__((always_inline)) status_t syscall_lookup_index(struct kernel_state *k, uint32_t task,
                                                             uint64_t handle, uint32_t kind,
                                                             rights_t needed, uint32_t *index)
{
    struct cap *c = 0;
    status_t st = cap_lookup_inline(&k->caps, task, (handle_t)handle, kind, needed, &c);
    if (st != STATUS_OK) {
        return st;
    }
    *index = c->object.index;
    return STATUS_OK;
}

/* Always inlined: the IPC fast path (run.c) looks its endpoint up with it. */
__attribute__((always_inline)) status_t syscall_lookup_endpoint(struct kernel_state *k,
                                                                uint32_t task, uint64_t handle,
                                                                rights_t needed, uint32_t *index,
                                                                uint64_t *badge)
{
    struct cap *c = 0;
    status_t st = cap_lookup_inline(&k->caps, task, (handle_t)handle, OBJECT_ENDPOINT, needed, &c);
    if (st != STATUS_OK) {
        return st;
    }
    *index = c->object.index;
    *badge = c->badge;
    return STATUS_OK;
}

/* Out of line: the calls off the measured paths share cap_lookup's one copy. */
__attribute__((noinline)) status_t syscall_lookup_index_slow(struct kernel_state *k, uint32_t task,
                                                             uint64_t handle, uint32_t kind,
                                                             rights_t needed, uint32_t *index)
{
    struct cap *c = 0;
    status_t st = cap_lookup(&k->caps, task, (handle_t)handle, kind, needed, &c);
    if (st != STATUS_OK) {
        return st;
    }
    *index = c->object.index;
    return STATUS_OK;
}

/* Out of line: the calls off the measured paths share cap_lookup's one copy. */
__attribute__((noinline)) status_t syscall_lookup_endpoint_slow(struct kernel_state *k,
                                                                uint32_t task, uint64_t handle,
                                                                rights_t needed, uint32_t *index,
                                                                uint64_t *badge)
{
    struct cap *c = 0;
    status_t st = cap_lookup(&k->caps, task, (handle_t)handle, OBJECT_ENDPOINT, needed, &c);
    if (st != STATUS_OK) {
        return st;
    }
    *index = c->object.index;
    *badge = c->badge;
    return STATUS_OK;
}
