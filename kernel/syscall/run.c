/* The portable half of the trap path: see run.h. */

#include "kernel/syscall/run.h"

#include <stdbool.h>
#include <stdint.h>

#include "kernel/check/check.h"
#include "kernel/ipc/ipc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

void kernel_run_syscall(struct kernel_state *k, uint32_t task, struct syscall_regs *regs)
{
    CHECK(k != 0 && regs != 0 && task < OBJ_MAX_TASKS);
    k->current = (int32_t)task;
    syscall_dispatch(k, regs);
    if (sched_state(&k->sched, task) == SCHED_BLOCKED) {
        k->tasks[task].waiting = 1;
    }
}

void kernel_run_fault(struct kernel_state *k, uint32_t task)
{
    kernel_task_stop(k, task);
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
            syscall_regs_from_msg(regs, &t->msg);
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
