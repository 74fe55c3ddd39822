#pragma once

/**
 * Host fake of hal/cache.h: the real sequence (hal/aarch64/cache.c) over
 * recorded instructions. Each cache maintenance instruction or barrier it
 * issues is appended to a log, in order, with its address and (for a data
 * cache clean) the 8 bytes at that address when it was issued, so a test
 * can tell the maintenance came after the write it publishes. CTR_EL0 is
 * whatever the test sets (default: 64-byte lines, PIPT instruction cache,
 * IDC = DIC = 0, as on a Cortex-A57).
 */

#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cache_fake_kind {
    CACHE_FAKE_DC_CVAU = 1,
    CACHE_FAKE_IC_IVAU,
    CACHE_FAKE_IC_IALLUIS,
    CACHE_FAKE_DSB_ISH,
    CACHE_FAKE_ISB,
};

struct cache_fake_op {
    enum cache_fake_kind kind;
    uintptr_t va;  /**< the address operand (0 for barriers and IC IALLUIS) */
    uint64_t data; /**< DC CVAU: the 8 bytes at va when issued */
};

/** The CTR_EL0 value the fake reports (Cortex-A57's by default). */
#define CACHE_FAKE_CTR_DEFAULT 0x8444c004ull

/** The log holds this many operations; more are counted, not kept. */
#define CACHE_FAKE_MAX_OPS 65536u

/** Clears the log and restores the default CTR_EL0. */
void cache_fake_reset(void);

/** Sets the CTR_EL0 value cache_ctr() returns. */
void cache_fake_set_ctr(uint64_t ctr);

/** Operations issued since the last reset (the log holds the first CACHE_FAKE_MAX_OPS). */
size_t cache_fake_count(void);

/** The log. */
const struct cache_fake_op *cache_fake_ops(void);

/**
 * Parses the log into complete hal_cache_sync_icache sequences for the
 * default CTR_EL0 (DC CVAU over each 64-byte line of one page in order,
 * DSB ISH, IC IVAU over the same lines, DSB ISH, ISB), and writes the
 * physical page of each, in order, to pages[0..*count) (at most max).
 * Returns 0 when the whole log is such sequences, else the index + 1 of
 * the first operation that breaks the pattern.
 */
size_t cache_fake_synced_pages(paddr_t *pages, size_t max, size_t *count);

#ifdef __cplusplus
}
#endif
