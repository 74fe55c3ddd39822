#pragma once

/**
 * Handles: how user code names a capability.
 *
 * A handle is a 64-bit value: the slot index in the caller's capability
 * table and the slot's generation when the capability was put there.
 *
 *   63            48 47                           16 15            0
 *  +----------------+-------------------------------+---------------+
 *  |   0 (reserved) |          generation           |     slot      |
 *  +----------------+-------------------------------+---------------+
 *
 * Each time a slot is emptied its generation goes up, so a handle kept
 * after the capability was deleted, moved or revoked fails with
 * STATUS_STALE_HANDLE instead of reaching whatever fills the slot next.
 * Generation 0 is never given out: HANDLE_NONE (0) names nothing.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t handle_t;

#define HANDLE_NONE ((handle_t)0)
#define HANDLE_SLOT_BITS 16
#define HANDLE_GENERATION_BITS 32
#define HANDLE_SLOT_MASK ((1ull << HANDLE_SLOT_BITS) - 1)
#define HANDLE_GENERATION_MASK ((1ull << HANDLE_GENERATION_BITS) - 1)

/** Makes a handle from a slot index and a generation. */
static inline handle_t handle_make(uint32_t slot, uint32_t generation)
{
    return ((handle_t)generation << HANDLE_SLOT_BITS) | ((handle_t)slot & HANDLE_SLOT_MASK);
}

/** The slot index of a handle. */
static inline uint32_t handle_slot(handle_t handle)
{
    return (uint32_t)(handle & HANDLE_SLOT_MASK);
}

/** The generation of a handle. */
static inline uint32_t handle_generation(handle_t handle)
{
    return (uint32_t)((handle >> HANDLE_SLOT_BITS) & HANDLE_GENERATION_MASK);
}

/** Whether the reserved top bits of a handle are zero (a well-formed handle). */
static inline int handle_well_formed(handle_t handle)
{
    return (handle >> (HANDLE_SLOT_BITS + HANDLE_GENERATION_BITS)) == 0;
}

#ifdef __cplusplus
}
#endif
