#pragma once

/**
 * The tls protocol (userland/tls calls, userland/tls_peer serves): the
 * peer is spawned with an endpoint, reads its thread ID registers, sets
 * TPIDR_EL0 to TLS_PEER_VALUE and waits on the endpoint. Calls, told apart
 * by their label:
 *
 * - TLS_LABEL_REPORT: the reply's words are the peer's TPIDR_EL0 and
 *   TPIDRRO_EL0 as it found them at its start, then its TPIDR_EL0 now.
 * - TLS_LABEL_WRITE_RO: the peer replies, then writes TPIDRRO_EL0, which
 *   EL0 may not: the kernel stops it with a fault.
 */

#include <stdint.h>

#define TLS_LABEL_REPORT 1
#define TLS_LABEL_WRITE_RO 2

/** What init writes to its own TPIDR_EL0, and the peer to its. */
#define TLS_INIT_VALUE 0xaaaaull
#define TLS_PEER_VALUE 0xbbbbull

static inline uint64_t tls_read_tpidr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
    return v;
}

static inline void tls_write_tpidr(uint64_t v)
{
    __asm__ volatile("msr tpidr_el0, %0" ::"r"(v));
}

static inline uint64_t tls_read_tpidrro(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, tpidrro_el0" : "=r"(v));
    return v;
}
