#pragma once

/**
 * Address types shared by the HAL and the kernel.
 *
 * Each kind of address is a one-field struct, so physical and virtual
 * addresses cannot be mixed up or dereferenced by accident: converting one
 * into another, or into a pointer, is always an explicit, named step.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A physical address. */
typedef struct {
    uint64_t value;
} paddr_t;

/** A kernel virtual address (TTBR1 half, or the host's address in tests). */
typedef struct {
    uint64_t value;
} vaddr_t;

/** Makes a paddr_t from a raw value. */
static inline paddr_t paddr_make(uint64_t value)
{
    paddr_t pa = {value};
    return pa;
}

/** Makes a vaddr_t from a raw value. */
static inline vaddr_t vaddr_make(uint64_t value)
{
    vaddr_t va = {value};
    return va;
}

#ifdef __cplusplus
}
#endif
