/*
 * Tasks at EL0: system calls go to the kernel's dispatcher with the saved
 * registers, faults stop the task with a one-line report, and each trap
 * ends by choosing the task to resume (kernel/sched) and switching its
 * registers and address space in.
 *
 * Contexts: each task's registers live in user_contexts[] (indexed by task
 * id), where the EL0 vectors save them on every trap and restore them from
 * (vectors.S): switching tasks is returning another context. A context
 * belongs to one task object: user_context_generation[] remembers whose,
 * so a task slot reused by a new task starts from its entry point. A task
 * that blocked in a system call gets the call's outcome written into its
 * registers when it next runs (kernel/syscall/syscall.h).
 */

#include "bsp/qemu_virt/user.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bsp/qemu_virt/counters.h"
#include "bsp/qemu_virt/exception.h"
#include "bsp/qemu_virt/irq.h"
#include "hal/aarch64/esr.h"
#include "hal/aarch64/frame.h"
#include "hal/addr.h"
#include "hal/cpu.h"
#include "hal/irq.h"
#include "hal/mmu.h"
#include "hal/power.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/main/boot_markers.h"
#include "kernel/syscall/run.h"
#include "kernel/syscall/syscall.h"
#include "kernel/time/tick.h"

/* SPSR for EL0t with every interrupt unmasked (Arm ARM C5.2.19). */
#define USER_SPSR_EL0 0u

static struct kernel_state *user_kernel;

/*
 * A task's context: the registers the EL0 vectors save and restore (the
 * frame, first, where SP_EL1 points while the task runs: the vectors write
 * below that point only); then its thread ID registers, switched only when
 * another task comes in (user_tls_save, user_tls_load): TPIDR_EL0, which
 * EL0 reads and writes, and TPIDRRO_EL0, which EL0 can only read, both 0
 * when the task starts; then its space (root and ASID) as kernel_run_space
 * said, root 0 until looked up. All in one place, so that a switch finds
 * them from one address.
 *
 * The space is valid while nothing is torn down (kernel_state.reaped ==
 * user_spaces_reaped): a task's space never changes, it can only go, and
 * a task slot is reused only after its old task was torn down. A teardown
 * may also deactivate the running task's space (vm.h): then it is
 * activated again. Every trap that can tear anything down (the general
 * system call path, a fault) ends in user_schedule, which sees the count
 * change and looks every space up again before a task runs; so the count
 * agrees whenever a task runs at EL0, and the fast path (which tears
 * nothing down) need not compare it.
 */
struct user_context {
    struct aarch64_frame frame;
    uint64_t tpidr;
    uint64_t tpidrro;
    paddr_t space_root;
    uint32_t space_asid;
};

_Static_assert(offsetof(struct user_context, frame) == 0, "a context starts with its frame");
_Static_assert(sizeof(struct user_context) % 16 == 0, "SP must stay 16-byte aligned");

/* 16-byte aligned: SP_EL1 points into them (frame.h). */
static _Alignas(16) struct user_context user_contexts[OBJ_MAX_TASKS];
static uint32_t user_context_generation[OBJ_MAX_TASKS];
/* The x0-x9 part of each context, for kernel_run_fast. */
static struct syscall_regs *user_regs[OBJ_MAX_TASKS];
/* The task at EL0 (or whose trap this is), or -1 before the first. */
static int32_t user_running = -1;
static uint64_t user_last_tick;
/* kernel_state.reaped when the spaces were last looked up (user_context). */
static uint32_t user_spaces_reaped;

/*
 * The first ten words of a trap frame are x0-x9, which is exactly a
 * struct syscall_regs (x0-x7, the number in x8, the deadline in x9): the dispatcher works
 * on the frame in place, through this union (C11 6.7.2.1: a pointer to a
 * union, suitably converted, points to each member).
 */
union user_frame {
    struct aarch64_frame frame;
    struct syscall_regs regs;
};

_Static_assert(offsetof(struct aarch64_frame, x) == 0 && offsetof(struct syscall_regs, x) == 0 &&
                   offsetof(struct syscall_regs, number) == 8 * sizeof(uint64_t) &&
                   offsetof(struct syscall_regs, deadline) == 9 * sizeof(uint64_t),
               "x0-x9 of a frame are a struct syscall_regs");

/* The power request of the last call, carried out. */
__attribute__((noinline)) static void user_power(const struct kernel_state *k)
{
    if (k->power_request == KERNEL_POWER_OFF) {
        kprintf("%s\n", BOOT_MARKER_POWER_OFF);
        hal_power_off();
    }
    if (k->power_request == KERNEL_POWER_RESET) {
        kprintf("basalt: reset\n");
        hal_power_reset();
    }
}

/*
 * A fault of the running task: reported in one line; the task stops for
 * good. FAR_EL1 holds an address only for aborts and PC alignment faults;
 * for any other class it is UNKNOWN (in practice an earlier fault's, maybe
 * another task's), so 0 is printed instead.
 */
static void user_fault(struct kernel_state *k, uint32_t task, const struct aarch64_frame *frame)
{
    uint32_t ec = esr_class(frame->esr);
    uint64_t far = esr_is_abort(ec) || ec == ESR_EC_PC_ALIGN ? frame->far : 0;
    kprintf("basalt: task %u (%s) faulted: %s, address 0x%016llx, pc 0x%016llx\n", task,
            k->tasks[task].name, esr_class_name(ec), (unsigned long long)far,
            (unsigned long long)frame->elr);
    kernel_run_fault(k, task);
}

/* Charges the ticks that passed since the last look, and ends the waits
 * whose deadline passed (the kernel then sets the timer's alarm for the
 * earliest one left, so that a wait ends at its deadline, not at the next
 * tick). */
static void user_account_ticks(struct kernel_state *k)
{
    uint64_t now = kernel_ticks();
    kernel_run_ticks(k, now - user_last_tick);
    user_last_tick = now;
    (void)kernel_run_timeouts(k, hal_timer_count());
}

/* No task is ready: waits (interrupts on) until one is; returns it. */
__attribute__((noinline)) static uint32_t user_idle(struct kernel_state *k)
{
    for (;;) {
        if (!kernel_run_alive(k)) {
            kprintf("basalt: no task left to run\n");
            kprintf("%s\n", BOOT_MARKER_POWER_OFF);
            hal_power_off();
        }
        hal_irq_enable();
        hal_cpu_wait_for_interrupt();
        hal_irq_disable();
        user_account_ticks(k);
        int32_t next = kernel_run_next(k);
        if (next >= 0) {
            return (uint32_t)next;
        }
    }
}

/* Something was torn down: every space is looked up again. */
__attribute__((noinline)) static void user_spaces_forget(const struct kernel_state *k)
{
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        user_contexts[i].space_root = paddr_make(0);
    }
    user_spaces_reaped = k->reaped;
}

/* Looks task's space up (its first run since a teardown). */
__attribute__((noinline)) static paddr_t user_space_lookup(const struct kernel_state *k,
                                                           uint32_t task)
{
    struct user_context *c = &user_contexts[task];
    c->space_root = kernel_run_space(k, task, &c->space_asid);
    return c->space_root;
}

/* Saves the running task's TPIDR_EL0 into its context (TPIDRRO_EL0 is
 * read-only at EL0: its context holds it already). */
static inline void user_tls_save(struct user_context *from)
{
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(from->tpidr));
}

/* Loads the thread ID registers of the task about to run. */
static inline void user_tls_load(const struct user_context *to)
{
    __asm__ volatile("msr tpidr_el0, %0\n\tmsr tpidrro_el0, %1" ::"r"(to->tpidr), "r"(to->tpidrro));
}

/* Activates task's address space unless it is the active one. */
static void user_activate(const struct kernel_state *k, uint32_t task)
{
    if (k->reaped != user_spaces_reaped) {
        user_spaces_forget(k);
    }
    paddr_t root = user_contexts[task].space_root;
    if (root.value == 0) {
        root = user_space_lookup(k, task);
    }
    if (hal_mmu_active().value != root.value) {
        hal_mmu_activate(root, user_contexts[task].space_asid);
    }
}

/*
 * The context of task, made ready to resume: fresh from its entry point
 * when the task object never ran, else its saved registers with the
 * outcome of the call it blocked in, if it is owed one.
 */
static struct aarch64_frame *user_context(struct kernel_state *k, uint32_t task)
{
    const struct kernel_task *t = &k->tasks[task];
    struct aarch64_frame *ctx = &user_contexts[task].frame;
    if (user_context_generation[task] != t->self.generation) {
        user_contexts[task].tpidr = 0;
        user_contexts[task].tpidrro = 0;
        for (uint32_t i = 0; i < 31; i++) {
            ctx->x[i] = 0;
        }
        ctx->x[0] = t->arg;
        ctx->x[1] = hal_timer_frequency(); // kernel/abi/init.h: the counter's Hz
        ctx->x[2] = t->boot_flags;
        ctx->sp = t->stack;
        ctx->elr = t->entry;
        ctx->spsr = USER_SPSR_EL0;
        ctx->esr = 0;
        ctx->far = 0;
        user_context_generation[task] = t->self.generation;
    } else {
        (void)kernel_run_deliver(k, task, &((union user_frame *)ctx)->regs);
    }
    return ctx;
}

/*
 * Switches to task next (another one, or owed an outcome, or after a
 * teardown) from the running task, whose context is from (NULL before the
 * first). The running task's TPIDR_EL0 is saved first: next may be a new
 * task in the same slot, whose context starts afresh.
 */
__attribute__((noinline)) static struct aarch64_frame *
user_switch(struct kernel_state *k, uint32_t next, struct aarch64_frame *from)
{
    if (from != NULL) {
        user_tls_save((struct user_context *)from);
    }
    struct aarch64_frame *ctx = user_context(k, next);
    user_tls_load(&user_contexts[next]);
    user_activate(k, next);
    user_running = (int32_t)next;
    return ctx;
}

/*
 * Ends a trap of the running task, whose context is from (NULL before the
 * first): the context to resume, the running task's or the next one's.
 */
static struct aarch64_frame *user_schedule(struct kernel_state *k, struct aarch64_frame *from)
{
    int32_t next = kernel_run_next(k);
    if (next < 0) {
        next = (int32_t)user_idle(k);
    }
    // The common case: the same task goes on, nothing owed to it, nothing
    // torn down (a teardown may have left the CPU without its space).
    if (next == user_running && k->reaped == user_spaces_reaped && !k->tasks[next].waiting) {
        return &user_contexts[next].frame;
    }
    return user_switch(k, (uint32_t)next, from);
}

/*
 * Resumes task next, which the fast path chose (woke, or took from the
 * READY queue, owed nothing), from the running task, whose context is
 * from: its space active, its thread ID registers in, its context
 * returned. The usual case makes no call, so that the fast path needs no
 * stack frame: a space not looked up since a teardown goes to user_switch
 * (no teardown can have happened since the last trap ended: see struct
 * user_context), and so does a task that never ran, whose space was never
 * looked up: user_switch starts it from its entry point.
 */
__attribute__((noinline)) static struct aarch64_frame *
user_resume(struct kernel_state *k, uint32_t next, struct aarch64_frame *from)
{
    struct user_context *to = &user_contexts[next];
    paddr_t root = to->space_root;
    if (root.value == 0) {
        return user_switch(k, next, from); // its context is ready: user_context changes nothing
    }
    if (hal_mmu_active().value != root.value) {
        hal_mmu_activate(root, to->space_asid);
    }
    user_tls_save((struct user_context *)from);
    user_tls_load(to);
    user_running = (int32_t)next;
    return &to->frame;
}

/* A system call the fast path did not take. */
__attribute__((noinline)) static struct aarch64_frame *
user_svc_general(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    if (kernel_run_syscall(k, task, regs)) {
        return &user_contexts[task].frame; // it failed: nothing changed
    }
    if (k->power_request != KERNEL_POWER_NONE) {
        user_power(k);
    }
    return user_schedule(k, &((union user_frame *)regs)->frame);
}

/*
 * A system call the IPC fast path did not take: the other fast paths
 * (kernel_run_fast_other), else the general path. Apart from user_svc, so
 * that the IPC fast path's code stays as short as it was alone (their code
 * inlined with it cost the IPC round trip 18 instructions).
 */
__attribute__((noinline)) static struct aarch64_frame *
user_svc_other(struct kernel_state *k, uint32_t task, struct aarch64_frame *frame)
{
    struct syscall_regs *regs = &((union user_frame *)frame)->regs;
    int32_t next = kernel_run_fast_other(k, task, regs, user_regs);
    if (next == (int32_t)task) {
        return user_return(frame); // the task goes on: nothing to switch
    }
    if (next < 0) {
        return user_svc_general(k, task, regs);
    }
    return user_resume(k, (uint32_t)next, frame);
}

struct aarch64_frame *user_svc(struct aarch64_frame *frame)
{
    struct kernel_state *k = user_kernel;
    uint32_t task = (uint32_t)user_running;
    struct syscall_regs *regs = &((union user_frame *)frame)->regs;
    int32_t next = kernel_run_fast_ipc(k, task, regs, user_regs);
    if (next < 0) {
        return user_svc_other(k, task, frame);
    }
    // The woken task has its outcome: only its space to switch to.
    return user_resume(k, (uint32_t)next, frame);
}

/* An SError or FIQ taken from the running task: reported in one line like a
 * fault (ESR is the SError's syndrome; an FIQ has none), and the task stops
 * for good: the kernel goes on. */
__attribute__((noinline)) static void user_async_fault(struct kernel_state *k, uint32_t task,
                                                       const struct aarch64_frame *frame,
                                                       uint64_t type)
{
    if (type == AARCH64_VECTOR_SERROR) {
        kprintf("basalt: task %u (%s) faulted: SError, ESR 0x%016llx, pc 0x%016llx\n", task,
                k->tasks[task].name, (unsigned long long)frame->esr,
                (unsigned long long)frame->elr);
    } else {
        kprintf("basalt: task %u (%s) faulted: FIQ, pc 0x%016llx\n", task, k->tasks[task].name,
                (unsigned long long)frame->elr);
    }
    kernel_run_fault(k, task);
}

struct aarch64_frame *user_trap(struct aarch64_frame *frame, uint64_t kind)
{
    struct kernel_state *k = user_kernel;
    uint32_t task = (uint32_t)user_running;
    uint64_t type = kind & 3;
    if ((kind & 12) != AARCH64_VECTOR_GROUP_EL0_A64) {
        bsp_exception(frame, kind); // reports and halts: tasks run in AArch64 only
    }
    if (type == AARCH64_VECTOR_IRQ) {
        // Only the timer's interrupt brings ticks or a deadline's alarm: a
        // device's line leaves both as they were (no pass over the waiters).
        if (irq_handle()) {
            user_account_ticks(k);
        }
    } else if (type == AARCH64_VECTOR_SYNC) {
        user_fault(k, task, frame); // not a system call: user_svc takes those
    } else {
        user_async_fault(k, task, frame, type);
    }
    return user_schedule(k, frame);
}

_Noreturn void user_run(struct kernel_state *k)
{
    user_kernel = k;
    irq_set_kernel(k);
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        user_regs[i] = &((union user_frame *)&user_contexts[i].frame)->regs;
    }
    bsp_counters_setup();
    if (hal_timer_start(KERNEL_TICK_HZ) != 0) {
        kprintf("basalt: timer: cannot tick, tasks are not preempted\n");
    }
    user_last_tick = kernel_ticks();
    user_enter(user_schedule(k, NULL));
}
