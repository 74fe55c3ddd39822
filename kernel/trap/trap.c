/*
 * Tasks at EL0: system calls go to the kernel's dispatcher with the saved
 * registers, faults stop the task with a one-line report, and each trap
 * ends by choosing the task to resume (kernel/sched) and switching its
 * registers and address space in (hal/trap.h).
 *
 * Contexts: each task's registers live in its HAL context (indexed by task
 * id), where the vectors save them on every trap and restore them from:
 * switching tasks is returning another context. A context belongs to one
 * task object: trap_context_generation[] remembers whose, so a task slot
 * reused by a new task starts from its entry point. A task that blocked in
 * a system call gets the call's outcome written into its registers when it
 * next runs (kernel/syscall/syscall.h).
 *
 * A context's space (hal_context_set_space) is valid while nothing is torn
 * down (kernel_state.reaped == trap_spaces_reaped): a task's space never
 * changes, it can only go, and a task slot is reused only after its old
 * task was torn down. A teardown may also deactivate the running task's
 * space (vm.h): then it is activated again. Every trap that can tear
 * anything down (the general system call path, a fault) ends in
 * trap_schedule, which sees the count change and looks every space up
 * again before a task runs; so the count agrees whenever a task runs at
 * EL0, and the fast path (which tears nothing down) need not compare it.
 */

#include "kernel/trap/trap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/cpu.h"
#include "hal/irq.h"
#include "hal/mmu.h"
#include "hal/power.h"
#include "hal/timer.h"
#include "hal/trap.h"
#include "kernel/console/kprintf.h"
#include "kernel/main/boot_markers.h"
#include "kernel/syscall/run.h"
#include "kernel/syscall/syscall.h"
#include "kernel/time/tick.h"
#include "kernel/trap/trap_priv.h"

_Static_assert(OBJ_MAX_TASKS <= HAL_CONTEXT_MAX, "a context for every task");

/* The CPUs the kernel keeps a current task for (hal/aarch64/smp.h). */
#define TRAP_MAX_CPUS 8
/* The argument words of a context are x0-x9, exactly a struct syscall_regs
 * (x0-x7, the number in x8, the deadline in x9): the dispatcher works on
 * the context in place. */
_Static_assert(sizeof(struct syscall_regs) == HAL_CONTEXT_ARGS * sizeof(uint64_t) &&
                   offsetof(struct syscall_regs, x) == 0 &&
                   offsetof(struct syscall_regs, number) == 8 * sizeof(uint64_t) &&
                   offsetof(struct syscall_regs, deadline) == 9 * sizeof(uint64_t),
               "the argument words of a context are a struct syscall_regs");

static struct kernel_state *trap_kernel;
static uint32_t trap_context_generation[OBJ_MAX_TASKS];
/* The argument words of each context, for kernel_run_fast. */
static struct syscall_regs *trap_regs[OBJ_MAX_TASKS];
/* The task at EL0 (or whose trap this is), or -1 before the first. */
static int32_t trap_running = -1;
/* Each CPU's running task and scheduler current while another CPU is in
 * the kernel (trap_cpu_leave, trap_cpu_enter): the lock lets one CPU at a
 * time use trap_running, k->current and the scheduler's current. */
static int32_t trap_cpu_running[TRAP_MAX_CPUS] = {-1, -1, -1, -1, -1, -1, -1, -1};
static int32_t trap_cpu_current[TRAP_MAX_CPUS] = {-1, -1, -1, -1, -1, -1, -1, -1};
/* Which CPUs wait in trap_idle, and which were kicked since they last
 * entered the kernel (so that one READY task makes one SGI). */
static bool trap_cpu_idle[TRAP_MAX_CPUS];
static bool trap_cpu_kicked[TRAP_MAX_CPUS];
/* kernel_state.reaped when each CPU last had the kernel: a teardown since
 * may have freed the root its TTBR0 still names. */
static uint32_t trap_cpu_reaped[TRAP_MAX_CPUS];
/* kernel_state.reaped when the spaces were last looked up (see above). */
static uint32_t trap_spaces_reaped;

/* The argument words of context, as the dispatcher sees them. */
static inline struct syscall_regs *trap_args(struct hal_context *context)
{
    return (struct syscall_regs *)hal_context_args(context);
}

/* The power request of the last call, carried out. */
__attribute__((noinline)) static void trap_power(const struct kernel_state *k)
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

/* Charges the ticks of this CPU's timer to the task it runs, and ends the
 * waits whose deadline passed (the kernel then sets this CPU's alarm for
 * the earliest one left, so that a wait ends at its deadline, not at the
 * next tick). */
static void trap_account_ticks(struct kernel_state *k, uint64_t ticks)
{
    kernel_run_ticks(k, ticks);
    (void)kernel_run_timeouts(k, hal_timer_count());
}

/* No task is ready: waits (interrupts on) until one is; returns it. The
 * tick is off while it waits (hal_timer_idle): only this CPU's alarm, a
 * device or a kick wakes it. */
__attribute__((noinline)) static uint32_t trap_idle(struct kernel_state *k)
{
    for (;;) {
        if (!kernel_run_alive(k)) {
            kprintf("basalt: no task left to run\n");
            kprintf("%s\n", BOOT_MARKER_POWER_OFF);
            hal_power_off();
        }
        uint32_t me = hal_cpu_index();
        if (me < TRAP_MAX_CPUS) {
            trap_cpu_idle[me] = true;
        }
        hal_timer_idle(true);
        hal_cpu_idle();
        hal_timer_idle(false);
        if (me < TRAP_MAX_CPUS) {
            trap_cpu_idle[me] = false;
        }
        trap_account_ticks(k, 0); // no task ran here to charge
        int32_t next = kernel_run_next(k);
        if (next >= 0) {
            return (uint32_t)next;
        }
    }
}

/* Something was torn down: every space is looked up again. */
__attribute__((noinline)) static void trap_spaces_forget(const struct kernel_state *k)
{
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        hal_context_set_space(hal_context_get(i), paddr_make(0), 0);
    }
    trap_spaces_reaped = k->reaped;
}

/* Looks task's space up (its first run since a teardown). */
__attribute__((noinline)) static void trap_space_lookup(const struct kernel_state *k, uint32_t task)
{
    uint32_t asid = 0;
    paddr_t root = kernel_run_space(k, task, &asid);
    hal_context_set_space(hal_context_get(task), root, asid);
}

/* Activates task's address space unless it is the active one. */
static void trap_activate(const struct kernel_state *k, uint32_t task)
{
    if (k->reaped != trap_spaces_reaped) {
        trap_spaces_forget(k);
    }
    struct hal_context *c = hal_context_get(task);
    if (hal_context_space_root(c).value == 0) {
        trap_space_lookup(k, task);
    }
    hal_context_activate_space(c);
}

/*
 * The context of task, made ready to resume: fresh from its entry point
 * when the task object never ran, else its saved registers with the
 * outcome of the call it blocked in, if it is owed one.
 */
static struct hal_context *trap_context(struct kernel_state *k, uint32_t task)
{
    const struct kernel_task *t = &k->tasks[task];
    struct hal_context *c = hal_context_get(task);
    if (trap_context_generation[task] != t->self.generation) {
        // kernel/abi/init.h: x0 the argument, x1 the counter's Hz, x2 the boot flags.
        hal_context_init(c, t->entry, t->stack, t->arg, hal_timer_frequency(), t->boot_flags);
        trap_context_generation[task] = t->self.generation;
    } else {
        (void)kernel_run_deliver(k, task, trap_args(c));
    }
    return c;
}

/*
 * Switches to task next (another one, or owed an outcome, or after a
 * teardown) from the running task, whose context is from (NULL before the
 * first). The running task's thread ID registers are saved first: next may
 * be a new task in the same slot, whose context starts afresh.
 */
__attribute__((noinline)) static struct hal_context *
trap_switch(struct kernel_state *k, uint32_t next, struct hal_context *from)
{
    if (from != NULL) {
        hal_context_tls_save(from);
    }
    struct hal_context *c = trap_context(k, next);
    hal_context_tls_load(c);
    trap_activate(k, next);
    trap_running = (int32_t)next;
    return c;
}

/*
 * Ends a trap of the running task, whose context is from (NULL before the
 * first): the context to resume, the running task's or the next one's.
 */
static struct hal_context *trap_schedule(struct kernel_state *k, struct hal_context *from)
{
    int32_t next = kernel_run_next(k);
    if (next < 0) {
        // While this CPU waits, another may run the task that trapped:
        // its thread ID registers go to its context now, and nothing of
        // it is taken as still loaded here (trap_switch after the wait).
        if (from != NULL && trap_running >= 0) {
            hal_context_tls_save(from);
        }
        from = NULL;
        trap_running = -1;
        next = (int32_t)trap_idle(k);
    }
    // The common case: the same task goes on, nothing owed to it, nothing
    // torn down (a teardown may have left the CPU without its space).
    if (next == trap_running && k->reaped == trap_spaces_reaped && !k->tasks[next].waiting) {
        return hal_context_get((uint32_t)next);
    }
    return trap_switch(k, (uint32_t)next, from);
}

/* trap_schedule, out of line: for the paths that are not measured (a fault,
 * the first task), so that the interrupt path's copy is the one inlined. */
__attribute__((noinline)) static struct hal_context *trap_schedule_cold(struct kernel_state *k,
                                                                        struct hal_context *from)
{
    return trap_schedule(k, from);
}

/*
 * Resumes task next, which the fast path chose (woke, or took from the
 * READY queue, owed nothing), from the running task, whose context is
 * from: its space active, its thread ID registers in, its context
 * returned. The usual case makes no call, so that the fast path needs no
 * stack frame: a space not looked up since a teardown goes to trap_switch
 * (no teardown can have happened since the last trap ended: see the top of
 * this file), and so does a task that never ran, whose space was never
 * looked up: trap_switch starts it from its entry point.
 */
__attribute__((noinline)) static struct hal_context *
trap_resume(struct kernel_state *k, uint32_t next, struct hal_context *from)
{
    struct hal_context *to = hal_context_get(next);
    if (hal_context_space_root(to).value == 0) {
        return trap_switch(k, next, from); // its context is ready: trap_context changes nothing
    }
    hal_context_activate_space(to);
    hal_context_tls_save(from);
    hal_context_tls_load(to);
    trap_running = (int32_t)next;
    return to;
}

/* A system call the fast path did not take. */
__attribute__((noinline)) static struct hal_context *
trap_syscall_general(struct kernel_state *k, uint32_t task, struct hal_context *context)
{
    if (task >= OBJ_MAX_TASKS) {
        return trap_schedule_cold(k, NULL); // stopped by another CPU meanwhile
    }
    if (kernel_run_syscall(k, task, trap_args(context))) {
        return context; // it failed: nothing changed
    }
    if (k->power_request != KERNEL_POWER_NONE) {
        trap_power(k);
    }
    return trap_schedule(k, context);
}

/*
 * A system call the IPC fast path did not take: the other fast paths
 * (kernel_run_fast_other), else the general path. Apart from
 * trap_syscall, so that the IPC fast path's code stays as short as it was
 * alone (their code inlined with it cost the IPC round trip 18
 * instructions).
 */
__attribute__((noinline)) static struct hal_context *
trap_syscall_other(struct kernel_state *k, uint32_t task, struct hal_context *context)
{
    int32_t next = kernel_run_fast_other(k, task, trap_args(context), trap_regs);
    if (next == (int32_t)task) {
        return hal_context_return(context); // the task goes on: nothing to switch
    }
    if (next < 0) {
        return trap_syscall_general(k, task, context);
    }
    return trap_resume(k, (uint32_t)next, context);
}

struct hal_context *trap_syscall(struct hal_context *context)
{
    struct kernel_state *k = trap_kernel;
    uint32_t task = (uint32_t)trap_running;
    int32_t next = kernel_run_fast_ipc(k, task, trap_args(context), trap_regs);
    if (next < 0) {
        return trap_syscall_other(k, task, context);
    }
    // The woken task has its outcome: only its space to switch to.
    return trap_resume(k, (uint32_t)next, context);
}

struct hal_context *trap_interrupt(struct hal_context *context)
{
    struct kernel_state *k = trap_kernel;
    // Only the timer's interrupt brings ticks or a deadline's alarm: a
    // device's line leaves both as they were (no pass over the waiters).
    uint64_t timer = trap_irq_handle();
    if (timer != 0) {
        trap_account_ticks(k, timer - 1);
    }
    return trap_schedule(k, context);
}

/* A fault of the running task: reported in one line; the task stops for
 * good, the kernel and the other tasks go on. */
__attribute__((noinline)) static void trap_fault_report(struct kernel_state *k, uint32_t task,
                                                        const struct hal_fault *fault)
{
    if (fault->asynchronous) {
        kprintf("basalt: task %u (%s) faulted: %s, syndrome 0x%016llx, pc 0x%016llx\n", task,
                k->tasks[task].name, fault->cause, (unsigned long long)fault->syndrome,
                (unsigned long long)fault->pc);
    } else {
        kprintf("basalt: task %u (%s) faulted: %s, address 0x%016llx, pc 0x%016llx\n", task,
                k->tasks[task].name, fault->cause, (unsigned long long)fault->address,
                (unsigned long long)fault->pc);
    }
}

struct hal_context *trap_fault(struct hal_context *context, const struct hal_fault *fault)
{
    struct kernel_state *k = trap_kernel;
    if (trap_running < 0) {
        return trap_schedule_cold(k, NULL); // stopped by another CPU meanwhile
    }
    uint32_t task = (uint32_t)trap_running;
    trap_fault_report(k, task, fault);
    kernel_run_fault(k, task);
    return trap_schedule_cold(k, context);
}

/*
 * Another CPU must look at the READY queues when a task waits there that
 * it may run (its affinity) and that is more urgent than what it runs, or
 * when it runs nothing. One SGI per CPU until it next enters the kernel;
 * at most one CPU a READY task, the waiting CPUs first.
 */
static void trap_cpu_kick_others(struct kernel_state *k, uint32_t cpu)
{
    uint32_t ready = sched_ready_count(&k->sched);
    for (uint32_t pass = 0; pass < 2; pass++) {
        for (uint32_t c = 0; c < TRAP_MAX_CPUS && ready > 0; c++) {
            if (c == cpu || trap_cpu_kicked[c] || ((k->cpus >> c) & 1u) == 0) {
                continue;
            }
            int32_t top = sched_ready_top_on(&k->sched, c);
            int32_t mine = trap_cpu_current[c];
            bool kick = pass == 0 ? trap_cpu_idle[c] && top >= 0
                                  : !trap_cpu_idle[c] && mine >= 0 &&
                                        top > (int32_t)sched_priority(&k->sched, (uint32_t)mine);
            if (kick) {
                trap_cpu_kicked[c] = true;
                hal_cpu_kick(c);
                ready--;
            }
        }
    }
}

void trap_cpu_enter(uint32_t cpu)
{
    struct kernel_state *k = trap_kernel;
    if (k == NULL || cpu >= TRAP_MAX_CPUS) {
        return;
    }
    trap_cpu_kicked[cpu] = false;
    sched_set_cpu(&k->sched, cpu);
    k->current = sched_cpu_enter(&k->sched, trap_cpu_current[cpu]);
    // A task another CPU stopped while it ran here: this trap is no longer
    // its (trap_syscall_general and trap_fault schedule instead).
    trap_running = k->current == trap_cpu_current[cpu] ? trap_cpu_running[cpu] : -1;
    // A teardown since this CPU last had the kernel may have freed the root
    // its TTBR0 names, unless a task still running here holds it: with none,
    // the next task's space is loaded afresh (a root freed and reused would
    // otherwise look active already).
    if (trap_cpu_reaped[cpu] != k->reaped) {
        if (trap_running < 0) {
            hal_mmu_activate(paddr_make(0), 0);
        }
        trap_cpu_reaped[cpu] = k->reaped;
    }
}

void trap_cpu_leave(uint32_t cpu)
{
    struct kernel_state *k = trap_kernel;
    if (k == NULL || cpu >= TRAP_MAX_CPUS) {
        return;
    }
    trap_cpu_running[cpu] = trap_running;
    int32_t current = sched_cpu_leave(&k->sched);
    trap_cpu_current[cpu] = current;
    if (current >= 0) {
        k->tasks[current].cpu = cpu; // SYS_TASK_INFO
    }
    trap_cpu_kick_others(k, cpu);
}

/* kernel_state.evict: the CPU running task (ON_CPU) is kicked out of EL0. */
static void trap_evict(struct kernel_state *k, uint32_t task)
{
    (void)k;
    for (uint32_t c = 0; c < TRAP_MAX_CPUS; c++) {
        if (trap_cpu_current[c] == (int32_t)task) {
            hal_cpu_kick(c);
            hal_cpu_wait_left_el0(c);
        }
    }
}

_Noreturn void trap_run_secondary(void)
{
    // The boot CPU may let this CPU in before its first task runs (it waits
    // for an interrupt during the boot): wait, idle, until the kernel is
    // set up and a READY task kicks this CPU (trap_cpu_leave).
    uint32_t me = hal_cpu_index();
    // Its own tick: time slices, and the alarms it sets, on this CPU.
    if (hal_timer_start(KERNEL_TICK_HZ) != 0) {
        kprintf("basalt: timer: cannot tick on CPU %u\n", me);
    }
    while (trap_kernel == NULL && me < TRAP_MAX_CPUS) {
        trap_cpu_idle[me] = true;
        hal_timer_idle(true);
        hal_cpu_idle();
        hal_timer_idle(false);
        trap_cpu_idle[me] = false;
    }
    hal_context_enter(trap_schedule_cold(trap_kernel, NULL));
}

void trap_reset(void)
{
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        trap_context_generation[i] = 0;
        hal_context_set_space(hal_context_get(i), paddr_make(0), 0);
    }
    trap_running = -1;
    trap_spaces_reaped = 0;
    trap_irq_set_kernel(NULL);
    for (uint32_t c = 0; c < TRAP_MAX_CPUS; c++) {
        trap_cpu_running[c] = -1;
        trap_cpu_current[c] = -1;
        trap_cpu_idle[c] = false;
        trap_cpu_kicked[c] = false;
        trap_cpu_reaped[c] = 0;
    }
}

/*
 * trap_start's work, inlined into both of its callers: trap_run, so that
 * the boot makes no call more than it did before, and trap_start, which
 * only host tests call (the image links none of it).
 */
__attribute__((always_inline)) static inline struct hal_context *trap_setup(struct kernel_state *k)
{
    trap_kernel = k;
    k->evict = trap_evict;
    k->cpus = hal_cpu_online();
    trap_irq_set_kernel(k);
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        trap_regs[i] = trap_args(hal_context_get(i));
    }
    if (hal_timer_start(KERNEL_TICK_HZ) != 0) {
        kprintf("basalt: timer: cannot tick, tasks are not preempted\n");
    }
    return trap_schedule_cold(k, NULL);
}

struct hal_context *trap_start(struct kernel_state *k)
{
    return trap_setup(k);
}

_Noreturn void trap_run(struct kernel_state *k)
{
    hal_context_enter(trap_setup(k));
}
