#pragma once

/**
 * The scheduler's run queues: priority scheduling, round robin inside a
 * priority, and time slices charged by the timer tick.
 *
 * Entities are named by a small index (a task's arena index, below
 * SCHED_MAX_ENTITIES), so the scheduler holds no pointer into other modules.
 * Each priority (0 .. SCHED_PRIORITIES-1, a higher number is more urgent)
 * has a FIFO queue of READY entities linked by index; a bitmap of non-empty
 * queues finds the most urgent one in O(1) (one clz instruction).
 *
 * States: UNUSED --add--> READY <--pick/yield/tick--> RUNNING; READY or
 * RUNNING --block--> BLOCKED --unblock--> READY; READY, RUNNING or BLOCKED
 * --set_faulted/set_exited--> FAULTED/EXITED (terminal: never picked again);
 * any state --remove--> UNUSED. At most one entity is RUNNING: the current
 * one. When none is, the current entity is SCHED_IDLE_ID and the idle loop runs.
 *
 * Several CPUs (issue 15): the scheduler serves one CPU at a time, the one
 * that holds the kernel lock. When a CPU leaves the kernel its current
 * entity becomes ON_CPU (sched_cpu_leave): it runs, but not here. When
 * that CPU comes back (sched_cpu_enter) the entity is current again,
 * unless another CPU stopped it meanwhile (set_faulted, set_exited, remove
 * accept an ON_CPU entity; block and unblock do not: an entity blocks
 * itself, on its own CPU). RUNNING --leave--> ON_CPU --enter--> RUNNING.
 *
 * Every call that can fail checks all its arguments first and returns a
 * STATUS_* code with no effect at all. The scheduler keeps no global state
 * and does no locking: the caller serialises calls (IRQs masked).
 */

#include <stdbool.h>
#include <stdint.h>

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Entities one scheduler manages; ids are 0 .. SCHED_MAX_ENTITIES-1. */
#define SCHED_MAX_ENTITIES 64
/** Priorities; 0 is the least urgent, SCHED_PRIORITIES-1 the most. */
#define SCHED_PRIORITIES 32
/** CPUs an affinity mask names: bit c is CPU c (kernel/trap's numbering). */
#define SCHED_MAX_CPUS 8
/** The affinity every entity starts with: any CPU. */
#define SCHED_AFFINITY_ANY 0xffffffffu
/** Ticks a RUNNING entity may run before an equal peer gets its turn. */
#define SCHED_SLICE_TICKS 5
/**
 * The "entity" that runs when none is RUNNING: the idle loop. Not SCHED_IDLE:
 * glibc's <sched.h> defines that (a policy, 5), and host tests include it.
 */
#define SCHED_IDLE_ID (-1)

/** The state of one entity. Stored as uint32_t so the layout is fixed. */
enum sched_entity_state {
    SCHED_UNUSED = 0,
    SCHED_READY,
    SCHED_RUNNING,
    SCHED_BLOCKED,
    SCHED_FAULTED,
    SCHED_EXITED,
    /**
     * Running on a CPU other than the one in the kernel (issue 15: the big
     * kernel lock lets one CPU at a time in; sched_cpu_leave and
     * sched_cpu_enter park and take back each CPU's current entity). Never
     * current, in no queue. sched_state reports it as SCHED_RUNNING.
     */
    SCHED_ON_CPU,
    SCHED_STATE_COUNT,
};

/** One entity's bookkeeping. Private to sched.c; declared for placement. */
struct sched_entity {
    /** An enum sched_entity_state. */
    uint32_t state;
    /** 0 .. SCHED_PRIORITIES-1; meaningful unless UNUSED. */
    uint32_t priority;
    /** Ticks left in the slice; meaningful while RUNNING. */
    uint32_t slice;
    /** The CPUs it may run on (bit c: CPU c); never 0 unless UNUSED. */
    uint32_t affinity;
    /** Queue links (ids), -1 at the ends; both -1 unless READY. */
    int32_t next;
    int32_t prev;
};

/** One FIFO queue of READY entities: ids, -1 when empty. */
struct sched_queue {
    int32_t head;
    int32_t tail;
};

/**
 * One scheduler. Declared here so the kernel can place it statically; the
 * fields are private to sched.c. Every field is 32 bits wide, so the struct
 * has no padding and two schedulers compare with memcmp.
 */
struct sched {
    struct sched_entity entity[SCHED_MAX_ENTITIES];
    struct sched_queue queue[SCHED_PRIORITIES];
    /** Bit p set exactly when queue[p] is not empty. */
    uint32_t ready_mask;
    /** READY entities, in all queues together. */
    uint32_t ready_count;
    /** The RUNNING entity, or SCHED_IDLE_ID. */
    int32_t current;
    /** Entities in use bound to some CPUs only (affinity not ANY): while
     * there are none, what runs where needs no look at an affinity. */
    uint32_t bound;
    /** The CPU in the kernel (sched_set_cpu), 0 .. SCHED_MAX_CPUS-1: what
     * it takes from the queues must be allowed there. */
    uint32_t cpu;
    /** Unused, always 0: keeps the struct a multiple of 8 bytes. */
    uint32_t spare;
};

/**
 * Binds entity id (not UNUSED) to the CPUs in affinity (bit c: CPU c; bits
 * past SCHED_MAX_CPUS are never looked at): it is only ever taken off a
 * queue by one of them. STATUS_INVALID_ARGUMENT for an empty mask.
 */
status_t sched_set_affinity(struct sched *s, uint32_t id, uint32_t affinity);

/** The CPU in the kernel is cpu (0 .. SCHED_MAX_CPUS-1; anything else is 0). */
void sched_set_cpu(struct sched *s, uint32_t cpu);

/**
 * The most urgent priority among the READY entities that may run on cpu,
 * or -1 if none may: whether that CPU should be made to look again.
 */
int32_t sched_ready_top_on(const struct sched *s, uint32_t cpu);

/** Entity id's priority (0 for an id out of range). */
uint32_t sched_priority(const struct sched *s, uint32_t id);

/**
 * The CPU in the kernel leaves it: its current entity, if any, goes on
 * running there, ON_CPU, and none is current. Returns that entity, or
 * SCHED_IDLE_ID.
 */
int32_t sched_cpu_leave(struct sched *s);

/**
 * A CPU enters the kernel, where id ran when it left (what sched_cpu_leave
 * returned there): id is current again, RUNNING, if it is still ON_CPU;
 * otherwise (another CPU stopped it, or id is SCHED_IDLE_ID) none is
 * current. Requires none current (the last CPU in the kernel left).
 * Returns the current entity, or SCHED_IDLE_ID.
 */
int32_t sched_cpu_enter(struct sched *s, int32_t id);

/** Whether id runs on a CPU other than the one in the kernel (ON_CPU). */
bool sched_on_other_cpu(const struct sched *s, uint32_t id);

/** Sets up s with every entity UNUSED, every queue empty, current SCHED_IDLE_ID. */
void sched_init(struct sched *s);

/**
 * Adds entity id, READY, at the tail of queue priority.
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT when id or
 * priority is out of range or id is in use (not UNUSED).
 */
status_t sched_add(struct sched *s, uint32_t id, uint32_t priority);

/**
 * Removes entity id in any state (the task is destroyed): it leaves its
 * queue; if it was the current one, current becomes SCHED_IDLE_ID until the
 * next sched_pick_next. Returns STATUS_OK; with no effect:
 * STATUS_INVALID_ARGUMENT when id is out of range or UNUSED.
 */
status_t sched_remove(struct sched *s, uint32_t id);

/**
 * Blocks a READY or RUNNING entity (it waits for IPC, a notification, ...):
 * BLOCKED and in no queue; if it was current, current becomes SCHED_IDLE_ID.
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT when id is out
 * of range or neither READY nor RUNNING.
 */
status_t sched_block(struct sched *s, uint32_t id);

/**
 * Wakes a BLOCKED entity: READY at the tail of its priority. When it is more
 * urgent than the current one, sched_should_preempt says so afterwards.
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT when id is out
 * of range or not BLOCKED.
 */
status_t sched_unblock(struct sched *s, uint32_t id);

/**
 * Marks a READY, RUNNING, ON_CPU or BLOCKED entity FAULTED (stopped and
 * reported): in no queue, never picked; if it was current, current becomes
 * SCHED_IDLE_ID (an ON_CPU one is never current: its CPU finds it stopped
 * when it comes back, sched_cpu_enter).
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT when id is out
 * of range or in another state.
 */
status_t sched_set_faulted(struct sched *s, uint32_t id);

/** As sched_set_faulted, for an entity that exited: EXITED. */
status_t sched_set_exited(struct sched *s, uint32_t id);

/**
 * Changes the priority of an entity that is not UNUSED. A READY entity
 * moves to the tail of its new queue (also when the priority is the same);
 * a RUNNING one keeps the CPU and its slice until the next pick (check
 * sched_should_preempt). Returns STATUS_OK; with no effect:
 * STATUS_INVALID_ARGUMENT when id or priority is out of range or id UNUSED.
 */
status_t sched_set_priority(struct sched *s, uint32_t id, uint32_t priority);

/**
 * Chooses the entity to run now. The current entity keeps the CPU (and what
 * is left of its slice) unless its slice is used up or a more urgent entity
 * is READY; then it goes to the tail of its queue. The head of the most
 * urgent non-empty queue becomes RUNNING with a fresh slice (FIFO within a
 * priority: round robin), passing over entities bound to other CPUs
 * (sched_set_affinity). Returns the current entity's id, or SCHED_IDLE_ID
 * when nothing is READY or RUNNING that may run here.
 */
int32_t sched_pick_next(struct sched *s);

/**
 * Hands the CPU from the current entity from straight to the BLOCKED entity
 * to, when to is the one the scheduler would run next anyway: nothing READY
 * is as urgent as to. The result is exactly that of sched_block(from),
 * sched_unblock(to), sched_pick_next() (which would then pick to): from is
 * BLOCKED, to RUNNING with a fresh slice and current; no queue is touched
 * (the IPC fast path, kernel/syscall/run.h). Returns STATUS_OK; with no
 * effect: STATUS_INVALID_ARGUMENT when from is not the current entity, to
 * is not BLOCKED or out of range, or a READY entity is at least as urgent
 * as to (the general path decides then).
 */
status_t sched_handoff(struct sched *s, uint32_t from, uint32_t to);

/**
 * The current entity gives up the CPU and the scheduler chooses: exactly
 * sched_yield_current() then sched_pick_next(), in one step (the yield
 * fast path, kernel/syscall/run.h). When nothing else READY is as urgent
 * as the current entity, that is only a fresh slice for it, and this is
 * what it does. Returns the entity now RUNNING (the same or the head of
 * its queue), or SCHED_IDLE_ID, changing nothing, when none was current.
 */
int32_t sched_yield_next(struct sched *s);

/**
 * Wakes the BLOCKED entity to, more urgent than the current entity from,
 * and hands it the CPU: exactly sched_unblock(to) then sched_pick_next()
 * (which picks to), in one step: from READY at the tail of its queue (its
 * slice kept), to RUNNING with a fresh slice and current. Returns
 * STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT when from is not the
 * current entity, to is out of range or not BLOCKED, to is not more urgent
 * than from, or a READY entity is at least as urgent as to (the general
 * path decides then).
 */
status_t sched_preempt_to(struct sched *s, uint32_t from, uint32_t to);

/**
 * Blocks the current entity from and chooses the next: exactly
 * sched_block(from) then sched_pick_next(), in one step. Returns the entity
 * now RUNNING; with no effect: SCHED_IDLE_ID when from is not the current
 * entity or nothing else is READY (the idle loop would run: the general
 * path decides then).
 */
int32_t sched_block_next(struct sched *s, uint32_t from);

/**
 * The first entity, in the most urgent non-empty queue, that may run on
 * this CPU: the entity sched_pick_next would take when none is current;
 * SCHED_IDLE_ID when none is READY that may run here.
 * Changes nothing.
 */
int32_t sched_ready_head(const struct sched *s);

/**
 * Whether sched_pick_next would leave everything as it is, the current
 * entity id keeping the CPU and its slice: id is current, its slice is
 * not used up and nothing READY is more urgent.
 */
bool sched_keeps(const struct sched *s, uint32_t id);

/**
 * The current entity gives up the CPU: READY at the tail of its queue,
 * current SCHED_IDLE_ID; the next sched_pick_next chooses (possibly the same
 * entity, with a fresh slice). No effect when current is SCHED_IDLE_ID.
 */
void sched_yield_current(struct sched *s);

/**
 * Called on each timer tick: charges the current entity one tick (a slice
 * never goes below 0). Returns sched_should_preempt afterwards: whether the
 * caller should call sched_pick_next now.
 */
bool sched_tick(struct sched *s);

/**
 * Whether sched_pick_next would run another entity than the current one:
 * current is SCHED_IDLE_ID and an entity is READY; or a READY entity is more
 * urgent than the current one; or the current slice is used up and an
 * equally urgent entity is READY.
 */
bool sched_should_preempt(const struct sched *s);

/** The RUNNING entity, or SCHED_IDLE_ID. */
int32_t sched_current(const struct sched *s);

/** The state of entity id; SCHED_UNUSED when id is out of range. */
enum sched_entity_state sched_state(const struct sched *s, uint32_t id);

/** READY entities (the current one is not READY: it is RUNNING). */
uint32_t sched_ready_count(const struct sched *s);

/**
 * Checks every invariant of s (for tests and fuzzers): each READY entity is
 * in exactly one queue, the one of its priority, and no other entity is in
 * any; links are consistent (prev mirrors next, tail is the last) and
 * acyclic; the bitmap matches the non-empty queues; ready_count matches; the
 * current entity is RUNNING, in no queue, and the only RUNNING one; states,
 * priorities and slices are in range. Returns STATUS_OK, or
 * STATUS_BAD_FORMAT when one is broken. Changes nothing.
 */
status_t sched_check_invariants(const struct sched *s);

#ifdef __cplusplus
}
#endif
