#pragma once

/**
 * Cache maintenance the kernel asks for: making instructions it wrote
 * visible to instruction fetch.
 *
 * The kernel writes user pages through the direct map (hal/mmu.h) with
 * ordinary data stores. On a Cortex-A the data and instruction caches are
 * not coherent with each other: until the written lines are cleaned to
 * the point of unification and the instruction cache is invalidated, a
 * task can fetch stale instructions -- a recycled page's previous owner's.
 * So before a page becomes executable (mapped or protected with
 * HAL_MMU_EXEC, or filled by the loader as text), its contents as they are
 * then are synchronized here.
 *
 * Implementations: hal/aarch64/cache.c on the target (DC CVAU per line,
 * DSB ISH, IC IVAU per line or IC IALLUIS, DSB ISH, ISB, with line sizes
 * from CTR_EL0); hal/fake/cache_fake.c on the host, which records each
 * operation in order.
 */

#include <stddef.h>

#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Makes the contents of physical [pa, pa + size) (RAM the direct map
 * covers), as they are now, what every CPU's instruction fetch sees from
 * then on, through any mapping of it. Returns once that holds on this
 * CPU (ends with a context synchronization).
 */
void hal_cache_sync_icache(paddr_t pa, size_t size);

#ifdef __cplusplus
}
#endif
