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
 * Deadlines: a blocking call's x9 (regs->deadline) becomes the task's
 * ipc deadline for that call (kernel/ipc/ipc.h), judged against the
 * counter (hal_timer_count) read when the call is made; when the task
 * waits with it, the timer's alarm (hal_timer_set_alarm, k->alarm) is
 * brought forward to it if it is the earliest. kernel_run_timeouts
 * (run.h) ends the waits whose deadline passed.
 *
 * Blocking: when a call blocks the caller (sched BLOCKED, ipc waiting), the
 * dispatcher returns STATUS_OK in x0 and writes no result. It leaves
 * kernel_state.current alone: the board sees the caller is no longer
 * runnable, calls sched_pick_next and switches. When the task is woken, the
 * board (a later issue) writes its registers from ipc.tasks[id]: x0 =
 * wake_status, then on STATUS_OK the bits (x1) or the message (x1-x7, as
 * syscall_regs_from_msg writes them; for a receive its badge in x8, as
 * syscall_regs_from_recv) for the call the task was blocked in.
 *
 * No global state, no allocation, no locking: the caller serialises calls.
 */

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/images/images.h"
#include "kernel/ipc/ipc.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/** kernel_state.current when no task runs (the idle loop, early boot). */
#define KERNEL_NO_TASK (-1)

/** kernel_state.power_request values. */
#define KERNEL_POWER_NONE 0u
#define KERNEL_POWER_OFF 1u
#define KERNEL_POWER_RESET 2u

_Static_assert(CAP_MAX_TABLES >= SCHED_MAX_ENTITIES, "each task id has a capability table");
_Static_assert(OBJ_MAX_TASKS <= SCHED_MAX_ENTITIES, "each task object has a scheduler entity");
_Static_assert(OBJ_MAX_ENDPOINTS <= IPC_MAX_ENDPOINTS, "each endpoint object has ipc state");
_Static_assert(OBJ_MAX_NOTIFICATIONS <= IPC_MAX_NOTIFICATIONS,
               "each notification object has ipc state");

/** Bytes of a task's name, its NUL included. */
#define KERNEL_TASK_NAME_MAX 16

/** The kernel's own record of a task object (indexed like its arena slot). */
struct kernel_task {
    /** The address space the task runs in (kind OBJECT_ADDRESS_SPACE). */
    struct obj_ref space;
    /** The task object this record belongs to, while used. */
    struct obj_ref self;
    /** 1 from SYS_TASK_CREATE until the task object is torn down. */
    uint32_t used;
    /** 1 once SYS_TASK_START gave it to the scheduler. */
    uint32_t started;
    /** The scheduler priority it starts with. */
    uint32_t priority;
    /** 1 while it is owed the outcome of the call it blocked in (run.h). */
    uint32_t waiting;
    /** Where it starts at EL0: entry address, initial stack pointer, x0. */
    uint64_t entry;
    uint64_t stack;
    uint64_t arg;
    /** Its x2 at its first instruction: init's boot flags (kernel/abi/init.h), else 0. */
    uint64_t boot_flags;
    /** The notification signalled with watch_bits when it faults or exits (SYS_TASK_WATCH). */
    struct obj_ref watch;
    uint32_t watch_set;
    uint64_t watch_bits;
    /** For reports: its image's name ("task" when it has none), NUL-terminated. */
    char name[KERNEL_TASK_NAME_MAX];
    /**
     * While watch_set: the positions (kernel/cap) of the task and the
     * notification capabilities the watch was made through; it ends when
     * either goes (syscall_links.c), else CAP_NIL.
     */
    int32_t watch_task_cap;
    int32_t watch_note_cap;
    /** The CPUs it may run on (bit c: CPU c), from its creator; never 0 while used. */
    uint32_t affinity;
    /** The CPU that runs it or last ran it (SYS_TASK_INFO), 0 until then. */
    uint32_t cpu;
};

_Static_assert(sizeof(struct kernel_task) == 128, "struct kernel_task has no padding");

/** A physical range [base, base + size). */
struct kernel_range {
    uint64_t base;
    uint64_t size;
};

/** Capacities of struct kernel_devices. */
#define KERNEL_DEVICE_RANGES 64
#define KERNEL_DEVICE_IRQS 64
#define KERNEL_REFUSED_RANGES 256
#define KERNEL_OWN_IRQS 8

/**
 * The devices user drivers may be given, from the device tree (the board
 * fills it at boot; read-only afterwards). SYS_DEVICE_FRAME_CREATE takes a
 * page only inside one of mmio[] and overlapping none of refused[];
 * SYS_IRQ_CREATE a line only in irqs[], not in own_irqs[], not an SGI and
 * below hal_irq_line_count(). SYS_CONSOLE_DEVICE reports console and
 * console_irq, which grant nothing by themselves.
 */
struct kernel_devices {
    /** reg ranges of the available device nodes (translated to CPU addresses). */
    struct kernel_range mmio[KERNEL_DEVICE_RANGES];
    /** Ranges no device frame may touch: RAM, reserved memory, the image, the GIC. */
    struct kernel_range refused[KERNEL_REFUSED_RANGES];
    /** INTIDs the available device nodes declare in their interrupts. */
    uint32_t irqs[KERNEL_DEVICE_IRQS];
    /** INTIDs the kernel keeps for itself: every generic-timer line (the tick among them). */
    uint32_t own_irqs[KERNEL_OWN_IRQS];
    uint32_t mmio_count;
    uint32_t refused_count;
    uint32_t irq_count;
    uint32_t own_irq_count;
    /**
     * The console UART's reg range (the device tree's stdout-path), for
     * SYS_CONSOLE_DEVICE; size 0: the board declared no console.
     */
    struct kernel_range console;
    /** The console's line (INTID), 0 when the device tree gives none. */
    uint32_t console_irq;
    uint32_t console_pad;
};

/**
 * An IRQ handler object's line and binding (indexed like its arena slot).
 * A record is used from SYS_IRQ_CREATE until the object is torn down
 * (kernel_reap), so one line never has two records.
 */
struct kernel_irq {
    /** 1 while the IRQ handler object exists (until torn down). */
    uint32_t used;
    /** The line (INTID). */
    uint32_t intid;
    /** 1 while bound to a notification (SYS_IRQ_BIND). */
    uint32_t bound;
    /** 1 from the line firing (masked) until SYS_IRQ_ACK; only while bound. */
    uint32_t pending;
    /** The bound notification and its bits, while bound. */
    struct obj_ref note;
    /**
     * While bound: the positions (kernel/cap) of the IRQ and notification
     * capabilities the binding was made through; it ends when either goes
     * (syscall_links.c). Else CAP_NIL.
     */
    int32_t irq_cap;
    int32_t note_cap;
    uint32_t pad;
    uint64_t bits;
};

_Static_assert(sizeof(struct kernel_irq) == 48, "struct kernel_irq has no padding");

/** Everything one kernel instance has. No padding: two states compare with memcmp. */
struct kernel_state {
    /** Members aligned to 8 first, so nothing pads between them. */
    struct ipc ipc;
    /** Frames, address spaces and mappings (indexed like their arena slots). */
    struct vm vm;
    struct kernel_task tasks[OBJ_MAX_TASKS];
    /**
     * The allocator frames, address spaces and their tables come from; NULL
     * until kernel_state_set_frames (then every call that needs memory fails
     * with STATUS_NO_MEMORY).
     */
    struct frame_alloc *frames;
    /** The embedded user images SYS_TASK_SPAWN loads from, or NULL (none). */
    const struct image_table *images;
    /**
     * The alarm the timer holds (hal_timer_set_alarm), 0 for none: never
     * later than the earliest deadline of a waiting task (it may be
     * earlier: a task woken before its deadline leaves it, and the
     * interrupt then finds nothing to time out).
     */
    uint64_t alarm;
    /** Capability tables (indexed by task id) and the object arena. */
    struct cap_space caps;
    struct sched sched;
    /**
     * The task whose registers the board handed in, or KERNEL_NO_TASK. Set by
     * the board on each switch; the dispatcher never changes it.
     */
    int32_t current;
    /** obj_destroyed_count when the objects destroyed so far were last torn down. */
    uint32_t reaped;
    /**
     * KERNEL_POWER_NONE, or what SYS_POWER_OFF asked for: the board turns
     * the machine off or resets it when the call returns (the kernel core
     * itself has no side effect on the machine).
     */
    uint32_t power_request;
    /**
     * The CPUs running the kernel (bit c: CPU c), which an affinity mask
     * may name: the boot CPU's bit (1) until the trap layer says more.
     */
    uint32_t cpus;
    /*
     * Last, so that the offsets of the members the system call paths use
     * stay as they were (the benchmark counts their address arithmetic).
     */
    /** The devices user drivers may have (SYS_IRQ_CREATE, SYS_DEVICE_FRAME_CREATE), or NULL. */
    const struct kernel_devices *devices;
    /** IRQ handler objects (indexed like their arena slots). */
    struct kernel_irq irqs[OBJ_MAX_IRQ_HANDLERS];
    /** Instructions retired at the boot's milestones (SYS_BOOT_*), for SYS_KERNEL_STATS. */
    uint64_t boot_instructions[SYS_BOOT_PHASES];
    /**
     * Several CPUs (issue 15): makes the CPU that runs task (ON_CPU, another
     * CPU than the one in the kernel) leave it, and returns once that CPU
     * has left EL0, before task is stopped or torn down; NULL with one CPU
     * (the trap layer sets it, kernel/trap).
     */
    void (*evict)(struct kernel_state *k, uint32_t task);
};

_Static_assert(sizeof(struct kernel_state) ==
                   sizeof(struct ipc) + sizeof(struct vm) +
                       OBJ_MAX_TASKS * sizeof(struct kernel_task) + sizeof(struct frame_alloc *) +
                       sizeof(const struct image_table *) + sizeof(uint64_t) +
                       sizeof(const struct kernel_devices *) +
                       OBJ_MAX_IRQ_HANDLERS * sizeof(struct kernel_irq) + sizeof(struct cap_space) +
                       sizeof(struct sched) + 4 * sizeof(uint32_t) +
                       SYS_BOOT_PHASES * sizeof(uint64_t) +
                       sizeof(void (*)(struct kernel_state *, uint32_t)),
               "struct kernel_state has no padding (the size fits alignment 8)");

/** The saved user argument registers of one call; x[0..7] receive the results. */
struct syscall_regs {
    uint64_t x[8];
    /** x8. */
    uint64_t number;
    /** x9: a blocking call's absolute deadline in counter ticks, 0 for none (never written). */
    uint64_t deadline;
};

_Static_assert(sizeof(struct syscall_regs) == 10 * sizeof(uint64_t), "no padding");

/**
 * Empties every capability table, the scheduler, the IPC and memory state;
 * no frame allocator; current = KERNEL_NO_TASK. Sets the capability hooks
 * (kernel/cap/cap.h) through which a mapping or a watch ends with the
 * capability it was made through, so k->caps must stay inside k.
 */
void kernel_state_init(struct kernel_state *k);

/**
 * Checks that what was made through a capability names it: every frame
 * mapping's owner is a used frame capability of that frame with RIGHT_MAP
 * and rights covering the mapping's ceiling; every watch names a task
 * capability to the watched task with RIGHT_WATCH and a notification
 * capability to the watch's notification with RIGHT_SEND; every IRQ
 * binding names an IRQ handler capability to its own object with
 * RIGHT_CONTROL and a notification capability to its notification with
 * RIGHT_SEND, and an unbound record names none and is not pending. Returns
 * STATUS_OK or STATUS_BAD_FORMAT. For tests and fuzzers.
 */
status_t kernel_check_links(const struct kernel_state *k);

/**
 * Checks the memory accounting: the frame allocator's reserved frames are
 * exactly the spaces' unspent table quotas (vm_reserved_count) and no
 * more than its free frames (free = reserved + available). Returns
 * STATUS_OK (also with no allocator and no space) or STATUS_BAD_FORMAT.
 * For tests and fuzzers.
 */
status_t kernel_check_memory(const struct kernel_state *k);

/** Gives k the frame allocator that frames, spaces and tables come from. */
void kernel_state_set_frames(struct kernel_state *k, struct frame_alloc *fa);

/** Gives k the user images SYS_TASK_SPAWN loads from (NULL: none). */
void kernel_state_set_images(struct kernel_state *k, const struct image_table *images);

/** Gives k the devices user drivers may have (NULL: none; every such call fails STATUS_NOT_FOUND).
 */
void kernel_state_set_devices(struct kernel_state *k, const struct kernel_devices *devices);

/**
 * Line intid fired (the interrupt loop, kernel/trap, IRQs masked, before it
 * ends the interrupt at the controller). If an IRQ handler of that line is
 * bound and not pending: masks the line, marks it pending and signals its
 * notification (which may wake the driver: the trap path then runs
 * kernel_run_next). Returns whether a handler took it; false for a line no
 * handler is bound to, which this masks too, so it cannot storm.
 */
bool kernel_irq_fired(struct kernel_state *k, uint32_t intid);

/** Where the stack of init and of a spawned task ends (a guard page lies below), and its pages. */
#define KERNEL_TASK_STACK_TOP 0x0000fffffffff000ull
#define KERNEL_TASK_STACK_PAGES 4u

/**
 * Tears down the kernel's own state of every object destroyed since the
 * last call (its capability count fell to zero): an endpoint's or
 * notification's waiters are woken with STATUS_OBJECT_DESTROYED; a frame is
 * unmapped everywhere and its page freed; a space's tables are freed and
 * the tasks running in it are stopped (FAULTED); a task leaves IPC and the
 * scheduler and its capability table is emptied, which may destroy more
 * objects, torn down in the same call. syscall_dispatch calls it after
 * every call; the board calls it after anything else that deletes
 * capabilities. Cannot fail.
 */
void kernel_reap(struct kernel_state *k);

/**
 * The task stops for good (a fault, or its space is gone): it leaves IPC,
 * becomes FAULTED, its watcher is signalled and its capability table is
 * emptied, as SYS_EXIT's, so that nothing it held (a capability to itself,
 * or to a task that holds one to it) stays alive for it; the task object
 * stays while capabilities outside it name it. The caller runs kernel_reap
 * afterwards (kernel_reap itself loops). No effect on a task that has
 * stopped already or never started.
 */
void kernel_task_stop(struct kernel_state *k, uint32_t task);

/** Handles kernel_create_root_task puts in the new task's table. */
struct kernel_root_handles {
    /** The kernel object, with every right: the privileged calls. */
    handle_t kernel;
    /** The task's own address space (MAP, GRANT, DERIVE, REVOKE). */
    handle_t space;
    /** The task itself (CONTROL, WATCH, GRANT, DERIVE, REVOKE). */
    handle_t self;
    /** The console (WRITE, GRANT, DERIVE, REVOKE). */
    handle_t console;
};

/**
 * Creates the first task, which the kernel starts itself (init): the
 * kernel and console objects (once: a second call fails), an empty address space, and a
 * task object in it with priority, not yet started; the handles go to the
 * new task's own table. Its id (the task object's slot) goes to *task. For
 * the board at boot and for tests. Errors, with nothing changed:
 * STATUS_INVALID_ARGUMENT (null pointer, priority out of range),
 * STATUS_BAD_STATE (the kernel object exists already), STATUS_NO_MEMORY
 * (no frame allocator, no free page or slot).
 */
status_t kernel_create_root_task(struct kernel_state *k, uint32_t priority, uint32_t *task,
                                 struct kernel_root_handles *handles);

/**
 * Starts a created task at EL0 address entry with stack pointer stack and
 * arg in x0 (kernel/abi/init.h): it joins the scheduler, READY. The code behind SYS_TASK_START, for
 * the board (init) and tests. Errors, with nothing changed: STATUS_INVALID_ARGUMENT (null k, task
 * out of range), STATUS_BAD_STATE (no such task object, started already, or its address space was
 * destroyed), STATUS_OUT_OF_RANGE (entry or stack not a user address), STATUS_MISALIGNED (entry not
 * 4-byte, stack not 16-byte aligned).
 */
status_t kernel_task_start(struct kernel_state *k, uint32_t task, uint64_t entry, uint64_t stack,
                           uint64_t arg);

/**
 * The dispatcher's first check, made before any other work (and so first
 * in the fast path too, kernel_run_fast): whether number names a call.
 * An unknown number fails with STATUS_UNKNOWN_SYSCALL and no other effect,
 * whoever makes it, so nothing is looked at before it.
 */
static inline bool syscall_number_known(uint64_t number)
{
    return number < SYS_COUNT;
}

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

/**
 * Writes a received message (SYS_RECV, SYS_REPLY_RECV) into x1-x7 as
 * syscall_regs_from_msg, and its badge into x8 (regs->number): the badge
 * of the capability its sender sent or called through, 0 for none.
 */
void syscall_regs_from_recv(struct syscall_regs *regs, const struct ipc_msg *msg);

#ifdef __cplusplus
}
#endif
