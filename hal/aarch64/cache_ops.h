#pragma once

/**
 * The cache maintenance instructions hal/aarch64/cache.c is made of, one
 * function each: cache_ops.c executes them on the target, hal/fake records
 * them for host tests (hal/fake/cache_fake.h). Addresses are virtual
 * addresses this CPU can use now.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** CTR_EL0: cache line sizes and the instruction cache's policy. */
uint64_t cache_ctr(void);
/** DC CVAU: clean the data cache line holding va to the point of unification. */
void cache_dc_cvau(uintptr_t va);
/** IC IVAU: invalidate the instruction cache line holding va to the point of unification. */
void cache_ic_ivau(uintptr_t va);
/** IC IALLUIS: invalidate every instruction cache of the inner shareable domain. */
void cache_ic_ialluis(void);
/** DSB ISH. */
void cache_dsb_ish(void);
/** ISB. */
void cache_isb(void);

#ifdef __cplusplus
}
#endif
