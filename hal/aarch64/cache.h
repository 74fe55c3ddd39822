#pragma once

/**
 * CTR_EL0 decoding for hal/aarch64/cache.c (pure, host-tested through
 * hal/fake). The boot path's own maintenance (memory written with the MMU
 * off) is in hal/aarch64/boot_entry.inc and boot_mmu.c.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** CTR_EL0 fields (Arm ARM D17.2.34). */
#define CACHE_CTR_IMINLINE_SHIFT 0  /* log2(words) of the smallest I-cache line */
#define CACHE_CTR_L1IP_SHIFT 14     /* L1 I-cache policy, bits [15:14] */
#define CACHE_CTR_L1IP_PIPT 3u      /* physically indexed, physically tagged */
#define CACHE_CTR_DMINLINE_SHIFT 16 /* log2(words) of the smallest D-cache line */
#define CACHE_CTR_IDC (1ull << 28)  /* D-cache clean to PoU not needed for I/D coherence */
#define CACHE_CTR_DIC (1ull << 29)  /* I-cache invalidation not needed for I/D coherence */

/** The smallest data cache line, in bytes. */
static inline size_t cache_dline(uint64_t ctr)
{
    return (size_t)4 << ((ctr >> CACHE_CTR_DMINLINE_SHIFT) & 0xfu);
}

/** The smallest instruction cache line, in bytes. */
static inline size_t cache_iline(uint64_t ctr)
{
    return (size_t)4 << ((ctr >> CACHE_CTR_IMINLINE_SHIFT) & 0xfu);
}

/**
 * Whether IC IVAU through one virtual address is enough: only for a PIPT
 * instruction cache. A VIPT one may hold the same line under the user
 * address too (a different index), so it is invalidated whole.
 */
static inline int cache_icache_by_line(uint64_t ctr)
{
    return ((ctr >> CACHE_CTR_L1IP_SHIFT) & 3u) == CACHE_CTR_L1IP_PIPT;
}

#ifdef __cplusplus
}
#endif
