#pragma once

/*
 * Register access for the raspi3b drivers (bcm_irq, bcm_pm): 32-bit
 * volatile loads and stores, and the barrier the BCM283x needs.
 *
 * On the target these are plain volatile accesses to Device-nGnRE memory
 * and DSB SY. Accesses to one peripheral arrive in program order (the
 * mapping is non-reordering, Arm ARM B2.7.2); the BCM2835 ARM Peripherals
 * manual (section 1.3) asks for a barrier when code moves from one
 * peripheral to another, because the SoC's bus may return reads from two
 * peripherals out of order, and DSB also waits until an earlier write has
 * completed (Arm ARM B2.3.12).
 *
 * On the host (the drivers' unit tests) each access calls a function the
 * test defines, which performs it on memory laid out like the registers and
 * records it, so a test checks the order of writes and barriers as well as
 * the values. No other host target links these drivers.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__aarch64__)

static inline uint32_t bcm_mmio_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void bcm_mmio_write32(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

static inline void bcm_mmio_barrier(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

#else

/** Defined by the host test: reads the register at addr. */
uint32_t bcm_mmio_host_read32(uintptr_t addr);
/** Defined by the host test: writes value to the register at addr. */
void bcm_mmio_host_write32(uintptr_t addr, uint32_t value);
/** Defined by the host test: records a DSB. */
void bcm_mmio_host_barrier(void);

static inline uint32_t bcm_mmio_read32(uintptr_t addr)
{
    return bcm_mmio_host_read32(addr);
}

static inline void bcm_mmio_write32(uintptr_t addr, uint32_t value)
{
    bcm_mmio_host_write32(addr, value);
}

static inline void bcm_mmio_barrier(void)
{
    bcm_mmio_host_barrier();
}

#endif

#ifdef __cplusplus
}
#endif
