/**
 * Object lifetimes: the privileged calls that create objects, task start,
 * and the teardown of the kernel's own state when an object is destroyed.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/mmu.h"
#include "hal/sha256.h"
#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/notification.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/vm/vm.h"

#include "kernel/elf/elf.h"
#include "kernel/images/images.h"
#include "kernel/loader/loader.h"
#include "kernel/uaccess/uaccess.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/** Rights of the first capability to a new object of each kind. */
#define RIGHTS_COMMON (RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE)
#define RIGHTS_NEW_ENDPOINT (RIGHT_SEND | RIGHT_RECV | RIGHTS_COMMON)
#define RIGHTS_NEW_NOTIFICATION (RIGHT_SEND | RIGHT_RECV | RIGHTS_COMMON)
#define RIGHTS_NEW_FRAME (RIGHT_READ | RIGHT_WRITE | RIGHT_EXECUTE | RIGHT_MAP | RIGHTS_COMMON)
#define RIGHTS_NEW_SPACE (RIGHT_MAP | RIGHTS_COMMON)
#define RIGHTS_NEW_TASK (RIGHT_CONTROL | RIGHT_WATCH | RIGHTS_COMMON)
#define RIGHTS_NEW_CONSOLE (RIGHT_WRITE | RIGHTS_COMMON)

_Static_assert(OBJ_MAX_TASKS <= CAP_MAX_TABLES, "each task object has a capability table");

/** Whether the slot of kind at index holds a live object (of any generation). */
static int slot_live(const struct kernel_state *k, uint32_t kind, uint32_t index)
{
    struct obj_ref ref = {kind, index, 0};
    const struct obj_slot *slot = obj_slot_of(&k->caps.objects, ref);
    return slot != 0 && slot->state == OBJ_SLOT_LIVE;
}

/**
 * Decodes the creation of an object of kind that needs pages free pages:
 * a free slot, a free capability slot in the caller's table, the pages.
 */
/* Out of line (noinline): the five object-creation calls share one copy. */
__attribute__((noinline)) status_t syscall_create_check(struct kernel_state *k, uint32_t task,
                                                        uint32_t kind, uint32_t pages)
{
    if (!obj_can_alloc(&k->caps.objects, kind)) {
        return STATUS_NO_MEMORY;
    }
    if (cap_table_count(&k->caps, task) >= CAP_TABLE_SLOTS) {
        return STATUS_TABLE_FULL;
    }
    // Only frames no space has reserved: another space's table room is not for taking.
    if (pages > 0 && (k->frames == 0 || frame_alloc_available_count(k->frames) < pages)) {
        return STATUS_NO_MEMORY;
    }
    return STATUS_OK;
}

/** Invokes a creation that syscall_create_check allowed: the object and its first capability. */
struct obj_ref syscall_create_object(struct kernel_state *k, uint32_t task, uint32_t kind,
                                     rights_t rights, struct syscall_regs *regs)
{
    struct obj_ref ref = {OBJECT_NONE, 0, 0};
    CHECK(obj_alloc(&k->caps.objects, kind, &ref) == STATUS_OK);
    handle_t h = HANDLE_NONE;
    CHECK(cap_insert_new(&k->caps, task, ref, rights, &h) == STATUS_OK);
    regs->x[1] = h;
    return ref;
}

/** SYS_ENDPOINT_CREATE and SYS_NOTIFY_CREATE: their IPC state is empty already. */
SYSCALL_COLD status_t syscall_ipc_object_create(struct kernel_state *k, uint32_t task,
                                                uint32_t kind, struct syscall_regs *regs)
{
    status_t st = syscall_create_check(k, task, kind, 0);
    if (st == STATUS_OK) {
        rights_t rights = kind == OBJECT_ENDPOINT ? RIGHTS_NEW_ENDPOINT : RIGHTS_NEW_NOTIFICATION;
        (void)syscall_create_object(k, task, kind, rights, regs);
    }
    return st;
}

/** SYS_FRAME_CREATE: one zeroed page. */
SYSCALL_COLD status_t syscall_frame_create(struct kernel_state *k, uint32_t task,
                                           struct syscall_regs *regs)
{
    status_t st = syscall_create_check(k, task, OBJECT_FRAME, 1);
    if (st == STATUS_OK) {
        struct obj_ref ref = syscall_create_object(k, task, OBJECT_FRAME, RIGHTS_NEW_FRAME, regs);
        CHECK(vm_frame_create(&k->vm, k->frames, ref.index) == STATUS_OK);
    }
    return st;
}

_Static_assert(SYS_SPACE_QUOTA_DEFAULT == VM_QUOTA_DEFAULT && SYS_SPACE_QUOTA_MAX == VM_QUOTA_MAX,
               "the ABI states the quotas kernel/vm applies");

/**
 * SYS_SPACE_CREATE: an empty root table; x1 its table quota (0:
 * VM_QUOTA_DEFAULT), reserved whole: STATUS_NO_MEMORY if the frames
 * available cannot cover it.
 */
SYSCALL_COLD status_t syscall_space_create(struct kernel_state *k, uint32_t task,
                                           struct syscall_regs *regs)
{
    uint64_t quota = regs->x[1];
    if (quota > VM_QUOTA_MAX) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint32_t reserve = quota == 0 ? VM_QUOTA_DEFAULT : (uint32_t)quota;
    status_t st = syscall_create_check(k, task, OBJECT_ADDRESS_SPACE, reserve);
    if (st == STATUS_OK) {
        struct obj_ref ref =
            syscall_create_object(k, task, OBJECT_ADDRESS_SPACE, RIGHTS_NEW_SPACE, regs);
        CHECK(vm_space_create(&k->vm, k->frames, ref.index, (uint32_t)quota) == STATUS_OK);
    }
    return st;
}

/** Decode: give is HANDLE_NONE or a capability in task's table with RIGHT_GRANT. */
static status_t give_check(struct kernel_state *k, uint32_t task, handle_t give)
{
    struct cap *c = 0;
    return give == HANDLE_NONE ? STATUS_OK
                               : cap_lookup(&k->caps, task, give, OBJECT_NONE, RIGHT_GRANT, &c);
}

/**
 * Invoke step SYS_TASK_CREATE and SYS_TASK_SPAWN share: makes the task
 * object (its handle in the caller's x1, syscall_create_object), copies
 * give into the new table (HANDLE_NONE: nothing; give_check passed) and
 * sets the task up in space with priority and name (NULL: none). *self is
 * the new task; returns the handle the copy has in its table (HANDLE_NONE
 * without one). Cannot fail: the caller checked everything.
 */
/**
 * Decodes an affinity argument (kernel/abi/syscall.h, SYS_AFFINITY) into
 * *mask: a value without bit 63 is every CPU; a mask must be non-empty, within
 * SYS_AFFINITY_CPUS and name only CPUs that run the kernel (k->cpus).
 */
static status_t affinity_decode(const struct kernel_state *k, uint64_t arg, uint32_t *mask)
{
    uint64_t m = arg & ~SYS_AFFINITY(0);
    if (arg == m) {
        *mask = SCHED_AFFINITY_ANY; // no SYS_AFFINITY: as before the argument existed
        return STATUS_OK;
    }
    if (m == 0 || (m >> SYS_AFFINITY_CPUS) != 0 || (m & ~(uint64_t)k->cpus) != 0) {
        return STATUS_BAD_AFFINITY;
    }
    // Every CPU that runs the kernel: no binding at all.
    *mask = m == k->cpus ? SCHED_AFFINITY_ANY : (uint32_t)m;
    return STATUS_OK;
}

static handle_t task_make(struct kernel_state *k, uint32_t task, struct syscall_regs *regs,
                          struct obj_ref space, uint32_t priority, const char *name, handle_t give,
                          struct obj_ref *self)
{
    *self = syscall_create_object(k, task, OBJECT_TASK, RIGHTS_NEW_TASK, regs);
    // A task slot is torn down (table emptied, scheduler entity removed)
    // before the slot can be allocated again.
    CHECK(cap_table_count(&k->caps, self->index) == 0);
    CHECK(sched_state(&k->sched, self->index) == SCHED_UNUSED);
    handle_t given = HANDLE_NONE;
    if (give != HANDLE_NONE) {
        CHECK(cap_transfer(&k->caps, task, give, self->index, false, &given) == STATUS_OK);
    }
    syscall_task_init(&k->tasks[self->index], *self, space, priority, name);
    return given;
}

/** SYS_TASK_CREATE: x1 space (RIGHT_MAP), x2 priority, x3 capability to give or HANDLE_NONE,
 * x4 affinity. */
SYSCALL_COLD status_t syscall_task_create(struct kernel_state *k, uint32_t task,
                                          struct syscall_regs *regs)
{
    if (regs->x[2] >= SCHED_PRIORITIES) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint32_t affinity = 0;
    status_t st = affinity_decode(k, regs->x[4], &affinity);
    if (st != STATUS_OK) {
        return st;
    }
    struct cap *space = 0;
    st = cap_lookup(&k->caps, task, (handle_t)regs->x[1], OBJECT_ADDRESS_SPACE, RIGHT_MAP, &space);
    if (st != STATUS_OK) {
        return st;
    }
    handle_t give = (handle_t)regs->x[3];
    st = give_check(k, task, give);
    if (st == STATUS_OK) {
        st = syscall_create_check(k, task, OBJECT_TASK, 0);
    }
    if (st != STATUS_OK) {
        return st;
    }
    struct obj_ref self = {OBJECT_NONE, 0, 0};
    regs->x[2] = task_make(k, task, regs, space->object, (uint32_t)regs->x[2], 0, give, &self);
    k->tasks[self.index].affinity = affinity;
    return STATUS_OK;
}

status_t kernel_task_start(struct kernel_state *k, uint32_t task, uint64_t entry, uint64_t stack,
                           uint64_t arg)
{
    if (k == 0 || task >= OBJ_MAX_TASKS) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct kernel_task *t = &k->tasks[task];
    if (!t->used || t->started ||
        obj_check(&k->caps.objects, t->space, OBJECT_ADDRESS_SPACE) != STATUS_OK) {
        return STATUS_BAD_STATE;
    }
    if (entry >= HAL_MMU_USER_TOP || stack > HAL_MMU_USER_TOP) {
        return STATUS_OUT_OF_RANGE;
    }
    if ((entry & 3) != 0 || (stack & 15) != 0) {
        return STATUS_MISALIGNED;
    }
    CHECK(sched_add(&k->sched, task, t->priority) == STATUS_OK);
    CHECK(sched_set_affinity(&k->sched, task, t->affinity) == STATUS_OK);
    t->started = 1;
    t->entry = entry;
    t->stack = stack;
    t->arg = arg;
    return STATUS_OK;
}

/** SYS_TASK_START: x0 task (RIGHT_CONTROL), x1 entry, x2 stack pointer, x3 its x0. */
SYSCALL_COLD status_t syscall_task_start(struct kernel_state *k, uint32_t task,
                                         const struct syscall_regs *regs)
{
    uint32_t target = 0;
    status_t st =
        syscall_lookup_index_slow(k, task, regs->x[0], OBJECT_TASK, RIGHT_CONTROL, &target);
    if (st != STATUS_OK) {
        return st;
    }
    return kernel_task_start(k, target, regs->x[1], regs->x[2], regs->x[3]);
}

SYSCALL_COLD status_t kernel_create_root_task(struct kernel_state *k, uint32_t priority,
                                              uint32_t *task, struct kernel_root_handles *handles)
{
    if (k == 0 || task == 0 || handles == 0 || priority >= SCHED_PRIORITIES) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (!obj_can_alloc(&k->caps.objects, OBJECT_KERNEL) ||
        !obj_can_alloc(&k->caps.objects, OBJECT_CONSOLE)) {
        return STATUS_BAD_STATE;
    }
    if (!obj_can_alloc(&k->caps.objects, OBJECT_ADDRESS_SPACE) ||
        !obj_can_alloc(&k->caps.objects, OBJECT_TASK) || k->frames == 0 ||
        frame_alloc_available_count(k->frames) < VM_QUOTA_MAX) {
        return STATUS_NO_MEMORY; // init's space reserves the largest quota
    }
    struct obj_ref kernel = {OBJECT_NONE, 0, 0};
    struct obj_ref console = {OBJECT_NONE, 0, 0};
    struct obj_ref space = {OBJECT_NONE, 0, 0};
    struct obj_ref self = {OBJECT_NONE, 0, 0};
    CHECK(obj_alloc(&k->caps.objects, OBJECT_KERNEL, &kernel) == STATUS_OK);
    CHECK(obj_alloc(&k->caps.objects, OBJECT_CONSOLE, &console) == STATUS_OK);
    CHECK(obj_alloc(&k->caps.objects, OBJECT_ADDRESS_SPACE, &space) == STATUS_OK);
    CHECK(obj_alloc(&k->caps.objects, OBJECT_TASK, &self) == STATUS_OK);
    CHECK(cap_table_count(&k->caps, self.index) == 0);
    CHECK(sched_state(&k->sched, self.index) == SCHED_UNUSED);
    // Init's space: the most any space may hold (init loads and maps for
    // the system), reserved like any other space's quota.
    CHECK(vm_space_create(&k->vm, k->frames, space.index, VM_QUOTA_MAX) == STATUS_OK);
    // A fresh table has room for four.
    CHECK(cap_insert_new(&k->caps, self.index, kernel, RIGHTS_ALL, &handles->kernel) == STATUS_OK);
    CHECK(cap_insert_new(&k->caps, self.index, space, RIGHTS_NEW_SPACE, &handles->space) ==
          STATUS_OK);
    CHECK(cap_insert_new(&k->caps, self.index, self, RIGHTS_NEW_TASK, &handles->self) == STATUS_OK);
    CHECK(cap_insert_new(&k->caps, self.index, console, RIGHTS_NEW_CONSOLE, &handles->console) ==
          STATUS_OK);
    syscall_task_init(&k->tasks[self.index], self, space, priority, INIT_IMAGE_NAME);
    *task = self.index;
    return STATUS_OK;
}

/* Out of line (noinline): its volatile stores were copied into each of three callers. */
__attribute__((noinline)) void syscall_task_clear(struct kernel_task *t)
{
    // Through a volatile pointer: clang merges a run of zero stores into a
    // call to memset, which the freestanding kernel does not have.
    volatile struct kernel_task *v = t;
    v->space.kind = OBJECT_NONE;
    v->space.index = 0;
    v->space.generation = 0;
    v->self.kind = OBJECT_NONE;
    v->self.index = 0;
    v->self.generation = 0;
    v->used = 0;
    v->started = 0;
    v->priority = 0;
    v->waiting = 0;
    v->entry = 0;
    v->stack = 0;
    v->arg = 0;
    v->boot_flags = 0;
    v->affinity = 0;
    v->cpu = 0;
    v->watch.kind = OBJECT_NONE;
    v->watch.index = 0;
    v->watch.generation = 0;
    v->watch_set = 0;
    v->watch_bits = 0;
    for (uint32_t i = 0; i < KERNEL_TASK_NAME_MAX; i++) {
        v->name[i] = 0;
    }
    v->watch_task_cap = CAP_NIL;
    v->watch_note_cap = CAP_NIL;
}

void syscall_task_watch_end(struct kernel_task *t)
{
    t->watch.kind = OBJECT_NONE;
    t->watch.index = 0;
    t->watch.generation = 0;
    t->watch_set = 0;
    t->watch_bits = 0;
    t->watch_task_cap = CAP_NIL;
    t->watch_note_cap = CAP_NIL;
}

void syscall_task_init(struct kernel_task *t, struct obj_ref self, struct obj_ref space,
                       uint32_t priority, const char *name)
{
    syscall_task_clear(t);
    t->self = self;
    t->space = space;
    t->used = 1;
    t->priority = priority;
    t->affinity = SCHED_AFFINITY_ANY; // its creator may narrow it
    const char *n = name != 0 ? name : "task";
    for (uint32_t i = 0; i + 1 < KERNEL_TASK_NAME_MAX && n[i] != 0; i++) {
        t->name[i] = n[i];
    }
}

void syscall_task_notify_watcher(struct kernel_state *k, uint32_t task)
{
    struct kernel_task *t = &k->tasks[task];
    if (t->watch_set && obj_check(&k->caps.objects, t->watch, OBJECT_NOTIFICATION) == STATUS_OK) {
        CHECK(ipc_notify_signal(&k->ipc, &k->sched, t->watch.index, t->watch_bits) == STATUS_OK);
    }
}

/** Before task stops: off the other CPU it runs on, if it runs on one. */
static void kernel_evict(struct kernel_state *k, uint32_t task)
{
    if (k->evict != 0 && sched_on_other_cpu(&k->sched, task)) {
        k->evict(k, task);
    }
}

SYSCALL_COLD void kernel_task_stop(struct kernel_state *k, uint32_t task)
{
    CHECK(k != 0 && task < OBJ_MAX_TASKS);
    enum sched_entity_state st = sched_state(&k->sched, task);
    if (st == SCHED_READY || st == SCHED_RUNNING || st == SCHED_BLOCKED) {
        kernel_evict(k, task);
        CHECK(ipc_task_destroy(&k->ipc, &k->sched, task) == STATUS_OK);
        CHECK(sched_set_faulted(&k->sched, task) == STATUS_OK);
        syscall_task_notify_watcher(k, task);
        // As SYS_EXIT: a task that never runs again holds nothing, so it
        // cannot keep itself (or a cycle of tasks) alive. What this
        // destroys is torn down by kernel_reap: the caller's loop, or the
        // next call of it.
        CHECK(cap_delete_table(&k->caps, task) == STATUS_OK);
    }
    k->tasks[task].waiting = 0;
}

/** SYS_TASK_WATCH: x0 task (RIGHT_WATCH), x1 notification (RIGHT_SEND), x2 bits. */
SYSCALL_COLD status_t syscall_task_info(struct kernel_state *k, uint32_t task,
                                        struct syscall_regs *regs)
{
    struct cap *c = 0;
    status_t st = cap_lookup(&k->caps, task, (handle_t)regs->x[0], OBJECT_TASK, RIGHT_WATCH, &c);
    if (st != STATUS_OK) {
        return st;
    }
    const struct kernel_task *t = &k->tasks[c->object.index];
    regs->x[1] = t->cpu;
    regs->x[2] = t->affinity & k->cpus;
    return STATUS_OK;
}

SYSCALL_COLD status_t syscall_task_watch(struct kernel_state *k, uint32_t task,
                                         const struct syscall_regs *regs)
{
    struct cap *w = 0;
    status_t st = cap_lookup(&k->caps, task, (handle_t)regs->x[0], OBJECT_TASK, RIGHT_WATCH, &w);
    if (st != STATUS_OK) {
        return st;
    }
    uint32_t target = w->object.index;
    struct cap *n = 0;
    st = cap_lookup(&k->caps, task, (handle_t)regs->x[1], OBJECT_NOTIFICATION, RIGHT_SEND, &n);
    if (st != STATUS_OK) {
        return st;
    }
    if (regs->x[2] == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct kernel_task *t = &k->tasks[target];
    if (!t->used) {
        return STATUS_BAD_STATE;
    }
    t->watch = n->object;
    t->watch_set = 1;
    t->watch_bits = regs->x[2];
    // The watch lives as long as both capabilities it was made through.
    t->watch_task_cap = cap_position(&k->caps, w);
    t->watch_note_cap = cap_position(&k->caps, n);
    // A task that stopped before the watch was set (a spawned task more
    // urgent than its spawner can run and exit before the spawner watches
    // it) is reported at once, so a watcher never misses an end.
    enum sched_entity_state state = sched_state(&k->sched, target);
    if (state == SCHED_EXITED || state == SCHED_FAULTED) {
        syscall_task_notify_watcher(k, target);
    }
    return STATUS_OK;
}

/** Tears down task object `task`, destroyed: IPC, scheduler, capability table. */
static void task_teardown(struct kernel_state *k, uint32_t task)
{
    if (sched_state(&k->sched, task) != SCHED_UNUSED) {
        kernel_evict(k, task);
        CHECK(ipc_task_destroy(&k->ipc, &k->sched, task) == STATUS_OK);
        CHECK(sched_remove(&k->sched, task) == STATUS_OK);
    }
    // Deleting the table may destroy more objects: kernel_reap loops.
    CHECK(cap_delete_table(&k->caps, task) == STATUS_OK);
    syscall_task_clear(&k->tasks[task]);
}

/** One pass over every kind with state of its own: tears down what is no longer live. */
static void reap_pass(struct kernel_state *k)
{
    for (uint32_t i = 0; i < OBJ_MAX_ENDPOINTS; i++) {
        if (!slot_live(k, OBJECT_ENDPOINT, i)) {
            CHECK(ipc_endpoint_destroy(&k->ipc, &k->sched, i) == STATUS_OK);
        }
    }
    for (uint32_t i = 0; i < OBJ_MAX_NOTIFICATIONS; i++) {
        if (!slot_live(k, OBJECT_NOTIFICATION, i)) {
            CHECK(ipc_notify_destroy(&k->ipc, &k->sched, i) == STATUS_OK);
        }
    }
    for (uint32_t i = 0; i < OBJ_MAX_FRAMES; i++) {
        if (k->vm.frames[i].used && !slot_live(k, OBJECT_FRAME, i)) {
            CHECK(vm_frame_destroy(&k->vm, k->frames, i) == STATUS_OK);
        }
    }
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        if (k->irqs[i].used && !slot_live(k, OBJECT_IRQ_HANDLER, i)) {
            syscall_irq_teardown(k, i);
        }
    }
    for (uint32_t i = 0; i < OBJ_MAX_ADDRESS_SPACES; i++) {
        if (k->vm.spaces[i].used && !slot_live(k, OBJECT_ADDRESS_SPACE, i)) {
            for (uint32_t t = 0; t < OBJ_MAX_TASKS; t++) {
                if (k->tasks[t].used && k->tasks[t].space.index == i) {
                    kernel_task_stop(k, t);
                }
            }
            CHECK(vm_space_destroy(&k->vm, k->frames, i) == STATUS_OK);
        }
    }
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        if (k->tasks[i].used &&
            obj_check(&k->caps.objects, k->tasks[i].self, OBJECT_TASK) != STATUS_OK) {
            task_teardown(k, i);
        }
    }
}

SYSCALL_COLD void kernel_reap(struct kernel_state *k)
{
    CHECK(k != 0);
    // Each pass tears down what was destroyed before it; a task's table
    // may destroy more, seen by the next pass. Objects are finite and none
    // comes back, so this ends.
    while (obj_destroyed_count(&k->caps.objects) != k->reaped) {
        k->reaped = obj_destroyed_count(&k->caps.objects);
        reap_pass(k);
    }
}

status_t kernel_check_memory(const struct kernel_state *k)
{
    if (k == 0) {
        return STATUS_BAD_FORMAT;
    }
    uint64_t reserved = frame_alloc_reserved_count(k->frames);
    bool ok =
        reserved == vm_reserved_count(&k->vm) &&
        frame_alloc_free_count(k->frames) == reserved + frame_alloc_available_count(k->frames);
    return ok ? STATUS_OK : STATUS_BAD_FORMAT;
}

/** SYS_POWER_OFF: x1 what. Only records the request: the board acts on it. */
SYSCALL_COLD status_t syscall_power_off(struct kernel_state *k, const struct syscall_regs *regs)
{
    if (regs->x[1] == SYS_POWER_OFF_HALT) {
        k->power_request = KERNEL_POWER_OFF;
    } else if (regs->x[1] == SYS_POWER_OFF_RESET) {
        k->power_request = KERNEL_POWER_RESET;
    } else {
        return STATUS_INVALID_ARGUMENT;
    }
    return STATUS_OK;
}

/** Decodes the image of SYS_TASK_SPAWN: its name from x1/x2, found, checked, parsed, loadable. */
static status_t spawn_image(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs,
                            char name[IMAGE_NAME_MAX], const uint8_t **image, size_t *size,
                            struct elf_image *elf)
{
    if (regs->x[2] == 0 || regs->x[2] >= IMAGE_NAME_MAX) {
        return STATUS_INVALID_ARGUMENT;
    }
    size_t len = (size_t)regs->x[2];
    paddr_t root = syscall_task_root(k, task);
    if (root.value == 0) {
        return STATUS_BAD_BUFFER;
    }
    status_t st = copy_from_user(root, name, uaddr_make(regs->x[1]), len);
    if (st != STATUS_OK) {
        return st;
    }
    for (size_t i = 0; i < len; i++) {
        if (name[i] == 0) {
            return STATUS_INVALID_ARGUMENT;
        }
    }
    name[len] = 0;
    if (k->images == 0) {
        return STATUS_NOT_FOUND;
    }
    st = image_find_with(k->images, name, hal_sha256_blocks, image, size);
    if (st != STATUS_OK) {
        return st;
    }
    // Every refusal the loader can make, found before anything is taken.
    elf_result why = ELF_OK;
    return loader_check(*image, *size, KERNEL_TASK_STACK_TOP, KERNEL_TASK_STACK_PAGES, elf, &why);
}

/**
 * Tables loading the image's segments and the stack into an empty space
 * can take, the root not counted: the sum of each range's tables in an
 * empty space (hal_mmu_tables_needed), an upper bound for them together.
 */
static uint64_t spawn_tables(const struct elf_image *elf)
{
    uint64_t stack_size = (uint64_t)KERNEL_TASK_STACK_PAGES * HAL_MMU_PAGE_SIZE;
    uint64_t tables = hal_mmu_tables_needed(KERNEL_TASK_STACK_TOP - stack_size, stack_size);
    for (uint32_t i = 0; i < elf->segment_count; i++) {
        const struct elf_segment *s = &elf->segments[i];
        if (s->mem_size == 0) {
            continue;
        }
        uint64_t first = s->vaddr & ~(uint64_t)(HAL_MMU_PAGE_SIZE - 1);
        uint64_t end =
            (s->vaddr + s->mem_size + HAL_MMU_PAGE_SIZE - 1) & ~(uint64_t)(HAL_MMU_PAGE_SIZE - 1);
        tables += hal_mmu_tables_needed(first, end - first);
    }
    return tables;
}

/** Pages the image's segments and the stack take. */
static uint64_t spawn_pages(const struct elf_image *elf)
{
    uint64_t pages = KERNEL_TASK_STACK_PAGES;
    for (uint32_t i = 0; i < elf->segment_count; i++) {
        const struct elf_segment *s = &elf->segments[i];
        uint64_t first = s->vaddr / HAL_MMU_PAGE_SIZE;
        uint64_t last = (s->vaddr + s->mem_size - 1) / HAL_MMU_PAGE_SIZE;
        pages += last - first + 1;
    }
    return pages;
}

/** SYS_TASK_SPAWN: x1/x2 image name, x3 priority, x4 capability to give, x5 affinity. */
SYSCALL_COLD status_t syscall_task_spawn(struct kernel_state *k, uint32_t task,
                                         struct syscall_regs *regs)
{
    if (regs->x[3] >= SCHED_PRIORITIES) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint32_t affinity = 0;
    status_t st = affinity_decode(k, regs->x[5], &affinity);
    if (st != STATUS_OK) {
        return st;
    }
    handle_t give = (handle_t)regs->x[4];
    const uint8_t *image = 0;
    size_t size = 0;
    struct elf_image elf;
    char name[IMAGE_NAME_MAX];
    st = give_check(k, task, give);
    if (st == STATUS_OK) {
        st = spawn_image(k, task, regs, name, &image, &size, &elf);
    }
    if (st != STATUS_OK) {
        return st;
    }
    if (cap_table_count(&k->caps, task) + 2 > CAP_TABLE_SLOTS) {
        return STATUS_TABLE_FULL;
    }
    // The space's quota: room for the load (its root, tables and the
    // record pages of its pages), and the default besides.
    uint64_t pages = spawn_pages(&elf);
    uint64_t load_record_pages = (pages + VM_RECORDS_PER_PAGE - 1) / VM_RECORDS_PER_PAGE;
    uint64_t load_kernel_pages = 1 + spawn_tables(&elf) + load_record_pages;
    uint64_t quota = load_kernel_pages + VM_QUOTA_DEFAULT;
    quota = quota < VM_QUOTA_MAX ? quota : VM_QUOTA_MAX;
    // Enough of everything that the load below cannot run short: the
    // quota's reservation (the load's tables and records come out of it)
    // and a page per page from the frames no space has reserved.
    if (!obj_can_alloc(&k->caps.objects, OBJECT_ADDRESS_SPACE) ||
        !obj_can_alloc(&k->caps.objects, OBJECT_TASK) || k->frames == 0 ||
        frame_alloc_available_count(k->frames) < quota + pages ||
        load_kernel_pages > VM_QUOTA_MAX || load_record_pages > VM_RECORD_PAGES_MAX) {
        return STATUS_NO_MEMORY;
    }
    uint32_t priority = (uint32_t)regs->x[3];
    struct obj_ref space =
        syscall_create_object(k, task, OBJECT_ADDRESS_SPACE, RIGHTS_NEW_SPACE, regs);
    handle_t space_handle = regs->x[1];
    CHECK(vm_space_create(&k->vm, k->frames, space.index, (uint32_t)quota) == STATUS_OK);
    struct loader_result loaded;
    elf_result why = ELF_OK;
    // loader_check passed and the memory is counted: loading into the empty space cannot fail.
    CHECK(loader_load(&k->vm, k->frames, space.index, image, size, KERNEL_TASK_STACK_TOP,
                      KERNEL_TASK_STACK_PAGES, &loaded, &why) == STATUS_OK);
    struct obj_ref self = {OBJECT_NONE, 0, 0};
    handle_t given = task_make(k, task, regs, space, priority, name, give, &self);
    k->tasks[self.index].affinity = affinity;
    CHECK(kernel_task_start(k, self.index, loaded.entry, loaded.stack, given) == STATUS_OK);
    regs->x[2] = space_handle;
    return STATUS_OK;
}
