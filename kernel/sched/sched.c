#include "kernel/sched/sched.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/status.h"

/* A queue link or id that names no entity. */
#define NO_ENTITY (-1)

/* The ready bitmap is one uint32_t; the invariant check tracks ids in a uint64_t. */
_Static_assert(SCHED_PRIORITIES >= 1 && SCHED_PRIORITIES <= 32, "ready_mask is 32 bits");
_Static_assert(SCHED_MAX_ENTITIES >= 1 && SCHED_MAX_ENTITIES <= 64, "seen set is 64 bits");
/* No padding, so that snapshots compare with memcmp. */
_Static_assert(sizeof(struct sched_entity) == 6 * sizeof(uint32_t), "sched_entity padded");
_Static_assert(sizeof(struct sched_queue) == 2 * sizeof(int32_t), "sched_queue padded");
_Static_assert(sizeof(struct sched) == SCHED_MAX_ENTITIES * sizeof(struct sched_entity) +
                                           SCHED_PRIORITIES * sizeof(struct sched_queue) +
                                           6 * sizeof(uint32_t),
               "sched padded");

/** Whether id names an entity slot. */
static bool id_ok(uint32_t id)
{
    return id < SCHED_MAX_ENTITIES;
}

/** Whether entity id may run on the CPU in the kernel (s->cpu). */
__attribute__((always_inline)) static inline bool allowed(const struct sched *s, int32_t id)
{
    return s->bound == 0 || ((s->entity[id].affinity >> s->cpu) & 1u) != 0;
}

/**
 * The most urgent non-empty priority, or -1 when nothing is READY.
 * __builtin_clz is one instruction (clz on aarch64, lzcnt/bsr on x86_64);
 * its argument is never 0 here, where it would be undefined.
 */
static int32_t top_priority(const struct sched *s)
{
    if (s->ready_mask == 0) {
        return -1;
    }
    return 31 - __builtin_clz(s->ready_mask);
}

/** Puts a non-queued entity at the tail of its priority's queue, READY. */
__attribute__((always_inline)) static inline void enqueue_tail(struct sched *s, int32_t id)
{
    struct sched_entity *e = &s->entity[id];
    struct sched_queue *q = &s->queue[e->priority];
    e->state = SCHED_READY;
    e->next = NO_ENTITY;
    e->prev = q->tail;
    if (q->tail == NO_ENTITY) {
        q->head = id;
    } else {
        s->entity[q->tail].next = id;
    }
    q->tail = id;
    s->ready_mask |= 1u << e->priority;
    s->ready_count++;
}

/** Takes a READY entity out of its queue; its state is the caller's to set. */
static void dequeue(struct sched *s, int32_t id)
{
    struct sched_entity *e = &s->entity[id];
    struct sched_queue *q = &s->queue[e->priority];
    if (e->prev == NO_ENTITY) {
        q->head = e->next;
    } else {
        s->entity[e->prev].next = e->next;
    }
    if (e->next == NO_ENTITY) {
        q->tail = e->prev;
    } else {
        s->entity[e->next].prev = e->prev;
    }
    e->next = NO_ENTITY;
    e->prev = NO_ENTITY;
    if (q->head == NO_ENTITY) {
        s->ready_mask &= ~(1u << e->priority);
    }
    s->ready_count--;
}

/** Takes entity id off the CPU or out of its queue, whichever it is on. */
static void detach(struct sched *s, uint32_t id)
{
    if (s->entity[id].state == SCHED_READY) {
        dequeue(s, (int32_t)id);
    } else if (s->entity[id].state == SCHED_RUNNING) {
        s->current = SCHED_IDLE_ID;
    }
}

/** Resets entity slot id to UNUSED with no links. */
static void entity_clear(struct sched_entity *e)
{
    e->state = SCHED_UNUSED;
    e->priority = 0;
    e->slice = 0;
    e->next = NO_ENTITY;
    e->prev = NO_ENTITY;
}

void sched_init(struct sched *s)
{
    for (uint32_t i = 0; i < SCHED_MAX_ENTITIES; i++) {
        entity_clear(&s->entity[i]);
        s->entity[i].affinity = 0;
    }
    for (uint32_t p = 0; p < SCHED_PRIORITIES; p++) {
        s->queue[p].head = NO_ENTITY;
        s->queue[p].tail = NO_ENTITY;
    }
    s->ready_mask = 0;
    s->ready_count = 0;
    s->current = SCHED_IDLE_ID;
    s->bound = 0;
    s->cpu = 0;
    s->spare = 0;
}

status_t sched_add(struct sched *s, uint32_t id, uint32_t priority)
{
    if (!id_ok(id) || priority >= SCHED_PRIORITIES || s->entity[id].state != SCHED_UNUSED) {
        return STATUS_INVALID_ARGUMENT;
    }
    s->entity[id].priority = priority;
    s->entity[id].slice = 0;
    s->entity[id].affinity = SCHED_AFFINITY_ANY;
    enqueue_tail(s, (int32_t)id);
    return STATUS_OK;
}

status_t sched_set_affinity(struct sched *s, uint32_t id, uint32_t affinity)
{
    if (!id_ok(id) || affinity == 0 || s->entity[id].state == SCHED_UNUSED) {
        return STATUS_INVALID_ARGUMENT;
    }
    s->bound += (affinity != SCHED_AFFINITY_ANY) - (s->entity[id].affinity != SCHED_AFFINITY_ANY);
    s->entity[id].affinity = affinity;
    return STATUS_OK;
}

void sched_set_cpu(struct sched *s, uint32_t cpu)
{
    s->cpu = cpu < SCHED_MAX_CPUS ? cpu : 0;
}

/**
 * The first READY entity, most urgent queue first, that may run on cpu
 * (below SCHED_MAX_CPUS), or NO_ENTITY. Inline: find_top takes it on the
 * fast paths when the head of the top queue is bound elsewhere.
 */
__attribute__((always_inline)) static inline int32_t first_ready_on(const struct sched *s,
                                                                    uint32_t cpu)
{
    for (uint32_t mask = s->ready_mask; mask != 0;) {
        uint32_t p = 31u - (uint32_t)__builtin_clz(mask);
        for (int32_t id = s->queue[p].head; id != NO_ENTITY; id = s->entity[id].next) {
            if (((s->entity[id].affinity >> cpu) & 1u) != 0) {
                return id;
            }
        }
        mask &= ~(1u << p);
    }
    return NO_ENTITY;
}

int32_t sched_ready_top_on(const struct sched *s, uint32_t cpu)
{
    int32_t id = cpu < SCHED_MAX_CPUS ? first_ready_on(s, cpu) : NO_ENTITY;
    return id == NO_ENTITY ? -1 : (int32_t)s->entity[id].priority;
}

uint32_t sched_priority(const struct sched *s, uint32_t id)
{
    return id_ok(id) ? s->entity[id].priority : 0;
}

status_t sched_remove(struct sched *s, uint32_t id)
{
    if (!id_ok(id) || s->entity[id].state == SCHED_UNUSED) {
        return STATUS_INVALID_ARGUMENT;
    }
    detach(s, id);
    s->bound -= s->entity[id].affinity != SCHED_AFFINITY_ANY;
    entity_clear(&s->entity[id]);
    s->entity[id].affinity = 0;
    return STATUS_OK;
}

/**
 * Moves a READY, RUNNING or BLOCKED entity to state to (BLOCKED, FAULTED or
 * EXITED), off the CPU and out of the queues. from_blocked says whether a
 * BLOCKED entity is accepted. Returns STATUS_INVALID_ARGUMENT, with no
 * effect, for any other entity.
 */
static status_t leave_cpu(struct sched *s, uint32_t id, uint32_t to, bool from_blocked)
{
    if (!id_ok(id)) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint32_t state = s->entity[id].state;
    bool ok = state == SCHED_READY || state == SCHED_RUNNING ||
              (from_blocked && (state == SCHED_BLOCKED || state == SCHED_ON_CPU));
    if (!ok) {
        return STATUS_INVALID_ARGUMENT;
    }
    detach(s, id);
    s->entity[id].state = to;
    s->entity[id].slice = 0;
    return STATUS_OK;
}

int32_t sched_cpu_leave(struct sched *s)
{
    int32_t id = s->current;
    if (id != SCHED_IDLE_ID) {
        s->entity[id].state = SCHED_ON_CPU;
        s->current = SCHED_IDLE_ID;
    }
    return id;
}

int32_t sched_cpu_enter(struct sched *s, int32_t id)
{
    if (s->current == SCHED_IDLE_ID && id >= 0 && id < SCHED_MAX_ENTITIES &&
        s->entity[id].state == SCHED_ON_CPU) {
        s->entity[id].state = SCHED_RUNNING;
        s->current = id;
    }
    return s->current;
}

bool sched_on_other_cpu(const struct sched *s, uint32_t id)
{
    return id_ok(id) && s->entity[id].state == SCHED_ON_CPU;
}

status_t sched_block(struct sched *s, uint32_t id)
{
    return leave_cpu(s, id, SCHED_BLOCKED, false);
}

status_t sched_set_faulted(struct sched *s, uint32_t id)
{
    return leave_cpu(s, id, SCHED_FAULTED, true);
}

status_t sched_set_exited(struct sched *s, uint32_t id)
{
    return leave_cpu(s, id, SCHED_EXITED, true);
}

status_t sched_unblock(struct sched *s, uint32_t id)
{
    if (!id_ok(id) || s->entity[id].state != SCHED_BLOCKED) {
        return STATUS_INVALID_ARGUMENT;
    }
    enqueue_tail(s, (int32_t)id);
    return STATUS_OK;
}

status_t sched_set_priority(struct sched *s, uint32_t id, uint32_t priority)
{
    if (!id_ok(id) || priority >= SCHED_PRIORITIES || s->entity[id].state == SCHED_UNUSED) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (s->entity[id].state == SCHED_READY) {
        dequeue(s, (int32_t)id);
        s->entity[id].priority = priority;
        enqueue_tail(s, (int32_t)id);
    } else {
        s->entity[id].priority = priority;
    }
    return STATUS_OK;
}

bool sched_should_preempt(const struct sched *s)
{
    int32_t top = top_priority(s);
    if (top < 0) {
        return false;
    }
    if (s->current == SCHED_IDLE_ID) {
        return true;
    }
    const struct sched_entity *cur = &s->entity[s->current];
    int32_t mine = (int32_t)cur->priority;
    return top > mine || (cur->slice == 0 && top == mine);
}

/**
 * The READY entity sched_pick_next would take on this CPU: the first in
 * the most urgent queue that may run here, or NO_ENTITY. Usually the head
 * of the top queue; the walk goes on only past entities bound elsewhere.
 */
__attribute__((always_inline)) static inline int32_t find_top(const struct sched *s)
{
    int32_t top = top_priority(s);
    if (top < 0) {
        return NO_ENTITY;
    }
    int32_t id = s->queue[top].head;
    // The walk: only past entities bound to other CPUs.
    return __builtin_expect(allowed(s, id), 1) ? id : first_ready_on(s, s->cpu);
}

/**
 * The second half of sched_pick_next, with no entity current: find_top's
 * entity runs with a fresh slice. Forced inline
 * into it and into the fast paths' scheduler calls below, which the fast
 * paths (kernel/syscall/run.h) inline in turn: a call there gives the
 * whole fast path a stack frame (IPC round trip 468 -> 513 instructions);
 * so is find_top's walk (first_ready_on).
 */
__attribute__((always_inline)) static inline int32_t take_top(struct sched *s)
{
    int32_t id = find_top(s);
    if (id == NO_ENTITY) {
        return SCHED_IDLE_ID;
    }
    dequeue(s, id);
    s->entity[id].state = SCHED_RUNNING;
    s->entity[id].slice = SCHED_SLICE_TICKS;
    s->current = id;
    return id;
}

int32_t sched_pick_next(struct sched *s)
{
    if (s->current != SCHED_IDLE_ID) {
        if (!sched_should_preempt(s) && s->entity[s->current].slice > 0) {
            return s->current;
        }
        /* Slice used up or a more urgent entity waits: back to the tail. */
        enqueue_tail(s, s->current);
        s->current = SCHED_IDLE_ID;
    }
    return take_top(s);
}

__attribute__((always_inline)) status_t sched_handoff(struct sched *s, uint32_t from, uint32_t to)
{
    if (!id_ok(from) || !id_ok(to) || s->current != (int32_t)from ||
        s->entity[to].state != SCHED_BLOCKED || (s->ready_mask >> s->entity[to].priority) != 0 ||
        !allowed(s, (int32_t)to)) {
        return STATUS_INVALID_ARGUMENT;
    }
    /* from is RUNNING (current) and to BLOCKED: neither is in a queue. */
    s->entity[from].state = SCHED_BLOCKED;
    s->entity[from].slice = 0;
    s->entity[to].state = SCHED_RUNNING;
    s->entity[to].slice = SCHED_SLICE_TICKS;
    s->current = (int32_t)to;
    return STATUS_OK;
}

__attribute__((always_inline)) int32_t sched_yield_next(struct sched *s)
{
    int32_t id = s->current;
    if (id == SCHED_IDLE_ID) {
        return SCHED_IDLE_ID;
    }
    struct sched_entity *e = &s->entity[id];
    if ((s->ready_mask >> e->priority) == 0) {
        /* It would go to the tail of an empty queue and be picked again:
         * every link and count comes back as it was, but the slice. */
        e->slice = SCHED_SLICE_TICKS;
        return id;
    }
    e->slice = 0; /* sched_yield_current */
    enqueue_tail(s, id);
    s->current = SCHED_IDLE_ID;
    return take_top(s);
}

__attribute__((always_inline)) status_t sched_preempt_to(struct sched *s, uint32_t from,
                                                         uint32_t to)
{
    if (!id_ok(from) || !id_ok(to) || s->current != (int32_t)from ||
        s->entity[to].state != SCHED_BLOCKED ||
        s->entity[to].priority <= s->entity[from].priority ||
        (s->ready_mask >> s->entity[to].priority) != 0 || !allowed(s, (int32_t)to)) {
        return STATUS_INVALID_ARGUMENT;
    }
    /* sched_pick_next would preempt from (to is more urgent) to the tail of
     * its queue, slice kept, and take to, alone at the top, off its queue. */
    enqueue_tail(s, (int32_t)from);
    s->entity[to].state = SCHED_RUNNING;
    s->entity[to].slice = SCHED_SLICE_TICKS;
    s->current = (int32_t)to;
    return STATUS_OK;
}

__attribute__((always_inline)) int32_t sched_block_next(struct sched *s, uint32_t from)
{
    if (!id_ok(from) || s->current != (int32_t)from || find_top(s) == NO_ENTITY) {
        return SCHED_IDLE_ID;
    }
    s->entity[from].state = SCHED_BLOCKED;
    s->entity[from].slice = 0;
    s->current = SCHED_IDLE_ID;
    return take_top(s);
}

__attribute__((always_inline)) int32_t sched_ready_head(const struct sched *s)
{
    int32_t id = find_top(s);
    return id == NO_ENTITY ? SCHED_IDLE_ID : id;
}

__attribute__((always_inline)) bool sched_keeps(const struct sched *s, uint32_t id)
{
    return id_ok(id) && s->current == (int32_t)id && s->entity[id].slice > 0 &&
           (s->ready_mask >> s->entity[id].priority >> 1) == 0;
}

void sched_yield_current(struct sched *s)
{
    if (s->current == SCHED_IDLE_ID) {
        return;
    }
    s->entity[s->current].slice = 0;
    enqueue_tail(s, s->current);
    s->current = SCHED_IDLE_ID;
}

bool sched_tick(struct sched *s)
{
    if (s->current != SCHED_IDLE_ID && s->entity[s->current].slice > 0) {
        s->entity[s->current].slice--;
    }
    return sched_should_preempt(s);
}

int32_t sched_current(const struct sched *s)
{
    return s->current;
}

enum sched_entity_state sched_state(const struct sched *s, uint32_t id)
{
    if (!id_ok(id)) {
        return SCHED_UNUSED;
    }
    uint32_t state = s->entity[id].state;
    return state == SCHED_ON_CPU ? SCHED_RUNNING : (enum sched_entity_state)state;
}

uint32_t sched_ready_count(const struct sched *s)
{
    return s->ready_count;
}

/**
 * Walks queue p: every member READY with priority p, links mirrored, tail
 * the last, no entity seen twice (in this or an earlier queue: *seen holds
 * the ids met so far). Adds the members to *seen and their number to
 * *count. Returns false on the first broken invariant; at most
 * SCHED_MAX_ENTITIES + 1 steps, so a cycle is caught as a repeat.
 */
static bool queue_check(const struct sched *s, uint32_t p, uint64_t *seen, uint32_t *count)
{
    const struct sched_queue *q = &s->queue[p];
    if ((q->head == NO_ENTITY) != (q->tail == NO_ENTITY) ||
        ((s->ready_mask >> p) & 1u) != (q->head != NO_ENTITY)) {
        return false;
    }
    int32_t prev = NO_ENTITY;
    for (int32_t id = q->head; id != NO_ENTITY; id = s->entity[id].next) {
        if (id < 0 || id >= SCHED_MAX_ENTITIES || ((*seen >> id) & 1u) != 0) {
            return false;
        }
        const struct sched_entity *e = &s->entity[id];
        if (e->state != SCHED_READY || e->priority != p || e->prev != prev) {
            return false;
        }
        *seen |= (uint64_t)1 << id;
        (*count)++;
        prev = id;
    }
    return q->tail == prev;
}

/** Checks one entity's own fields; see sched_check_invariants. */
static bool entity_check(const struct sched *s, int32_t id)
{
    const struct sched_entity *e = &s->entity[id];
    if (e->state >= SCHED_STATE_COUNT || e->priority >= SCHED_PRIORITIES ||
        e->slice > SCHED_SLICE_TICKS ||
        (s->entity[id].affinity == 0) != (e->state == SCHED_UNUSED)) {
        return false;
    }
    /* Only the current entity is RUNNING; only READY ones carry links. */
    if ((e->state == SCHED_RUNNING) != (s->current == id)) {
        return false;
    }
    return e->state == SCHED_READY || (e->next == NO_ENTITY && e->prev == NO_ENTITY);
}

status_t sched_check_invariants(const struct sched *s)
{
    if ((s->current != SCHED_IDLE_ID && (s->current < 0 || s->current >= SCHED_MAX_ENTITIES)) ||
        s->cpu >= SCHED_MAX_CPUS) {
        return STATUS_BAD_FORMAT;
    }
    uint64_t seen = 0;
    uint32_t queued = 0;
    for (uint32_t p = 0; p < SCHED_PRIORITIES; p++) {
        if (!queue_check(s, p, &seen, &queued)) {
            return STATUS_BAD_FORMAT;
        }
    }
    uint32_t ready = 0;
    uint32_t bound = 0;
    for (int32_t id = 0; id < SCHED_MAX_ENTITIES; id++) {
        if (!entity_check(s, id)) {
            return STATUS_BAD_FORMAT;
        }
        ready += s->entity[id].state == SCHED_READY;
        bound +=
            s->entity[id].state != SCHED_UNUSED && s->entity[id].affinity != SCHED_AFFINITY_ANY;
    }
    if (bound != s->bound || s->spare != 0) {
        return STATUS_BAD_FORMAT;
    }
    /* Each READY entity was met in a queue exactly once. */
    if (ready != queued || queued != s->ready_count) {
        return STATUS_BAD_FORMAT;
    }
    return STATUS_OK;
}
