#pragma once

/* Shared by gic.c, gicv2.c and gicv3.c: the per-version drivers. */

#include <stdint.h>

#include "bsp/qemu_virt/gic.h"

static inline uint32_t gic_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void gic_write32(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

static inline void gic_write8(uintptr_t addr, uint8_t value)
{
    *(volatile uint8_t *)addr = value;
}

static inline void gic_write64(uintptr_t addr, uint64_t value)
{
    *(volatile uint64_t *)addr = value;
}

static inline uint64_t gic_read64(uintptr_t addr)
{
    return *(volatile uint64_t *)addr;
}

int gicv2_init(const struct gic_config *config);
void gicv2_enable(uint32_t intid, uint8_t priority);
uint32_t gicv2_acknowledge(void);
void gicv2_end(uint32_t intid);
void gicv2_disable(uint32_t intid);
uint32_t gicv2_line_count(void);
int gicv2_cpu_init(uint32_t slot);
void gicv2_send_sgi(uint32_t intid, uint32_t slot);

int gicv3_init(const struct gic_config *config);
void gicv3_enable(uint32_t intid, uint8_t priority);
uint32_t gicv3_acknowledge(void);
void gicv3_end(uint32_t intid);
void gicv3_disable(uint32_t intid);
uint32_t gicv3_line_count(void);
int gicv3_cpu_init(uint32_t slot);
void gicv3_send_sgi(uint32_t intid, uint32_t slot);
