#pragma once

/**
 * A ticket lock for the kernel's CPUs (issue 15: the big kernel lock is
 * one of these): each CPU takes the next ticket with an exclusive
 * load/store pair and waits until the owner field reaches it, so CPUs get
 * the lock in the order they asked (no starvation). Works on every Armv8.0
 * CPU: no LSE atomics (a Cortex-A53 or A57 has none).
 *
 * Ordering (Arm ARM B2.3, "Load-Acquire, Store-Release"): the acquiring
 * load of the owner (LDAXR) keeps every access of the critical section
 * after it; the releasing store (STLR) keeps them all before it. The
 * waiter sleeps in WFE: the releasing store to the owner field clears the
 * waiter's exclusive monitor on it, which is an event (Arm ARM D1.6,
 * "Wait for Event"; the same scheme as Linux arm64's spinlocks), and SEVL
 * makes the first WFE fall through. Interrupts are the caller's business:
 * the kernel holds the lock with them masked.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Zeroed is unlocked. */
struct aarch64_ticket_lock {
    uint32_t next;  /* the next ticket to give out */
    uint32_t owner; /* the ticket that holds the lock */
};

static inline void aarch64_ticket_lock(struct aarch64_ticket_lock *l)
{
    uint32_t ticket, next, failed, owner;
    __asm__ volatile("1: ldaxr %w0, [%4]\n\t"
                     "add %w1, %w0, #1\n\t"
                     "stxr %w2, %w1, [%4]\n\t"
                     "cbnz %w2, 1b\n\t"
                     "ldar %w3, [%5]\n\t"
                     "cmp %w3, %w0\n\t"
                     "b.eq 3f\n\t"
                     "sevl\n"
                     "2: wfe\n\t"
                     "ldaxr %w3, [%5]\n\t"
                     "cmp %w3, %w0\n\t"
                     "b.ne 2b\n"
                     "3:"
                     : "=&r"(ticket), "=&r"(next), "=&r"(failed), "=&r"(owner)
                     : "r"(&l->next), "r"(&l->owner)
                     : "memory", "cc");
}

static inline void aarch64_ticket_unlock(struct aarch64_ticket_lock *l)
{
    /* Only the holder writes the owner field: a plain read of it is its own. */
    uint32_t owner = *(volatile uint32_t *)&l->owner + 1;
    __asm__ volatile("stlr %w0, [%1]" ::"r"(owner), "r"(&l->owner) : "memory");
}

#ifdef __cplusplus
}
#endif
