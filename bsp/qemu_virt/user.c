/*
 * Tasks at EL0: system calls go to the kernel's dispatcher with the saved
 * registers, faults stop the task with a one-line report, and each trap
 * ends by choosing the task to resume (kernel/sched) and switching its
 * registers and address space in.
 *
 * Contexts: the frame of the running task lives on the kernel stack while
 * it is in a trap; every other task's registers are kept in
 * user_contexts[] (indexed by task id). A context belongs to one task
 * object: user_context_generation[] remembers whose, so a task slot reused
 * by a new task starts from its entry point. A task that blocked in a
 * system call gets the call's outcome written into its registers when it
 * next runs (kernel/syscall/syscall.h).
 */

#include "bsp/qemu_virt/user.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bsp/qemu_virt/counters.h"
#include "bsp/qemu_virt/irq.h"
#include "hal/aarch64/esr.h"
#include "hal/aarch64/frame.h"
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
static struct aarch64_frame user_contexts[OBJ_MAX_TASKS];
static uint32_t user_context_generation[OBJ_MAX_TASKS];
/* The task whose registers are in the trap frame, or -1. */
static int32_t user_running = -1;
/* kernel_state.reaped when the running task's space was last activated: a
 * teardown since (which may deactivate it, vm.h) means activating again. */
static uint32_t user_activated_reaped;
static uint64_t user_last_tick;
/*
 * Each task's space (root and ASID) as kernel_run_space last said, valid
 * while the task object is the same (generation) and nothing was torn down
 * since (kernel_state.reaped): a task's space never changes, it can only go.
 */
static paddr_t user_space_root[OBJ_MAX_TASKS];
static uint32_t user_space_asid[OBJ_MAX_TASKS];
static uint32_t user_space_generation[OBJ_MAX_TASKS];
static uint32_t user_space_reaped[OBJ_MAX_TASKS];

/* Field by field (no memcpy in the kernel). */
static void frame_copy(struct aarch64_frame *dst, const struct aarch64_frame *src)
{
    for (uint32_t i = 0; i < 31; i++) {
        dst->x[i] = src->x[i];
    }
    dst->sp = src->sp;
    dst->elr = src->elr;
    dst->spsr = src->spsr;
    dst->esr = src->esr;
    dst->far = src->far;
}

/*
 * The first nine words of a trap frame are x0-x8, which is exactly a
 * struct syscall_regs (x0-x7, then the number in x8): the dispatcher works
 * on the frame in place, through this union (C11 6.7.2.1: a pointer to a
 * union, suitably converted, points to each member).
 */
union user_frame {
    struct aarch64_frame frame;
    struct syscall_regs regs;
};

_Static_assert(offsetof(struct aarch64_frame, x) == 0 && offsetof(struct syscall_regs, x) == 0 &&
                   offsetof(struct syscall_regs, number) == 8 * sizeof(uint64_t),
               "x0-x8 of a frame are a struct syscall_regs");

/* The power request of the last call, carried out. */
static void user_power(const struct kernel_state *k)
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

/* A system call by the running task. */
static void user_syscall(struct kernel_state *k, uint32_t task, struct aarch64_frame *frame)
{
    kernel_run_syscall(k, task, &((union user_frame *)frame)->regs);
    user_power(k);
}

/* A fault of the running task: reported in one line; the task stops for good. */
static void user_fault(struct kernel_state *k, uint32_t task, const struct aarch64_frame *frame)
{
    uint32_t ec = esr_class(frame->esr);
    kprintf("basalt: task %u (%s) faulted: %s, address 0x%016llx, pc 0x%016llx\n", task,
            k->tasks[task].name, esr_class_name(ec), (unsigned long long)frame->far,
            (unsigned long long)frame->elr);
    kernel_run_fault(k, task);
}

/* Charges the ticks that passed since the last look. */
static void user_account_ticks(struct kernel_state *k)
{
    uint64_t now = kernel_ticks();
    kernel_run_ticks(k, now - user_last_tick);
    user_last_tick = now;
}

/* The next task to run; waits (interrupts on) while none is ready. */
static uint32_t user_pick(struct kernel_state *k)
{
    for (;;) {
        int32_t next = kernel_run_next(k);
        if (next >= 0) {
            return (uint32_t)next;
        }
        if (!kernel_run_alive(k)) {
            kprintf("basalt: no task left to run\n");
            kprintf("%s\n", BOOT_MARKER_POWER_OFF);
            hal_power_off();
        }
        hal_irq_enable();
        hal_cpu_wait_for_interrupt();
        hal_irq_disable();
        user_account_ticks(k);
    }
}

/* Activates task's address space unless it is the active one. */
static void user_activate(const struct kernel_state *k, uint32_t task)
{
    user_activated_reaped = k->reaped;
    uint32_t generation = k->tasks[task].self.generation;
    if (user_space_generation[task] != generation || user_space_reaped[task] != k->reaped) {
        user_space_root[task] = kernel_run_space(k, task, &user_space_asid[task]);
        user_space_generation[task] = generation;
        user_space_reaped[task] = k->reaped;
    }
    paddr_t root = user_space_root[task];
    if (hal_mmu_active().value != root.value) {
        hal_mmu_activate(root, user_space_asid[task]);
    }
}

/* Puts task's context (fresh, or saved, with a pending call outcome) into frame. */
static void user_switch_to(struct kernel_state *k, uint32_t task, struct aarch64_frame *frame)
{
    const struct kernel_task *t = &k->tasks[task];
    struct aarch64_frame *ctx = &user_contexts[task];
    if (user_context_generation[task] != t->self.generation) {
        for (uint32_t i = 0; i < 31; i++) {
            ctx->x[i] = 0;
        }
        ctx->x[0] = t->arg;
        ctx->sp = t->stack;
        ctx->elr = t->entry;
        ctx->spsr = USER_SPSR_EL0;
        ctx->esr = 0;
        ctx->far = 0;
        user_context_generation[task] = t->self.generation;
    } else {
        (void)kernel_run_deliver(k, task, &((union user_frame *)ctx)->regs);
    }
    frame_copy(frame, ctx);
    user_activate(k, task);
    user_running = (int32_t)task;
}

/* Ends a trap: resumes the running task, or saves it and switches. */
static void user_schedule(struct kernel_state *k, struct aarch64_frame *frame)
{
    int32_t was = user_running;
    uint32_t next = user_pick(k);
    if ((int32_t)next == was) {
        // A teardown in the call may have left the CPU without a user space.
        if (k->reaped != user_activated_reaped) {
            user_activate(k, next);
        }
        return;
    }
    if (was >= 0 && user_context_generation[was] == k->tasks[was].self.generation) {
        frame_copy(&user_contexts[was], frame);
    }
    user_switch_to(k, next, frame);
}

void user_trap(struct aarch64_frame *frame, uint64_t kind)
{
    struct kernel_state *k = user_kernel;
    uint32_t task = (uint32_t)user_running;
    if ((kind & 3) == AARCH64_VECTOR_IRQ) {
        irq_handle();
        user_account_ticks(k);
    } else if ((kind & 3) == AARCH64_VECTOR_SYNC && esr_class(frame->esr) == ESR_EC_SVC64) {
        user_syscall(k, task, frame);
    } else {
        user_fault(k, task, frame);
    }
    user_schedule(k, frame);
}

_Noreturn void user_run(struct kernel_state *k)
{
    user_kernel = k;
    bsp_counters_setup();
    if (hal_timer_start(KERNEL_TICK_HZ) != 0) {
        kprintf("basalt: timer: cannot tick, tasks are not preempted\n");
    }
    user_last_tick = kernel_ticks();
    struct aarch64_frame frame;
    user_switch_to(k, user_pick(k), &frame);
    user_enter(&frame);
}
