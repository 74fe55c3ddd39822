#include "bsp/raspi3b/bcm_irq.h"

#include <stdint.h>

#include "bsp/raspi3b/bcm_irq_regs.h"
#include "bsp/raspi3b/bcm_mmio.h"
#include "hal/irq.h"

/*
 * State: set once by bcm_irq_init on the boot CPU, read afterwards; the
 * line operations run with IRQs masked (hal/irq.h), so the read-modify-write
 * of a local control register cannot race an interrupt handler.
 */
static uintptr_t bcm_local; /* 0 until bcm_irq_init */
static uintptr_t bcm_armctrl;
static uint32_t bcm_core;

uint32_t hal_irq_line_count(void)
{
    return bcm_local != 0 ? BCM_IRQ_LINE_COUNT : 0;
}

/**
 * The local control register and bit that enable local line as an IRQ of
 * the set-up core: the timers in TIMER_CTL, the mailboxes in MBOX_CTL.
 * Returns 0 for a local line with no such bit (the GPU cascade, the PMU,
 * AXI, the local timer).
 */
static uint32_t local_ctl_reg(uint32_t line, uint32_t *bit)
{
    if (line <= BCM_IRQ_CNTV) {
        *bit = 1u << line;
        return BCM_LOCAL_TIMER_CTL(bcm_core);
    }
    if (line >= BCM_IRQ_MAILBOX0 && line < BCM_IRQ_MAILBOX0 + 4u) {
        *bit = 1u << (line - BCM_IRQ_MAILBOX0);
        return BCM_LOCAL_MBOX_CTL(bcm_core);
    }
    return 0;
}

/**
 * For a basic or GPU line: the enable or disable register (write 1 to act)
 * and the bit. Returns 0 for a line outside them (holes included).
 */
static uint32_t armctrl_reg(uint32_t line, int enable, uint32_t *bit)
{
    if (line >= BCM_IRQ_BASIC_FIRST && line < BCM_IRQ_BASIC_FIRST + BCM_IRQ_BASIC_COUNT) {
        *bit = 1u << (line - BCM_IRQ_BASIC_FIRST);
        return enable ? BCM_ARMCTRL_ENABLE_BASIC : BCM_ARMCTRL_DISABLE_BASIC;
    }
    if (line >= BCM_IRQ_GPU_FIRST && line < BCM_IRQ_GPU_FIRST + BCM_IRQ_GPU_COUNT) {
        uint32_t n = line - BCM_IRQ_GPU_FIRST;
        *bit = 1u << (n % 32u);
        if (n < 32u) {
            return enable ? BCM_ARMCTRL_ENABLE_1 : BCM_ARMCTRL_DISABLE_1;
        }
        return enable ? BCM_ARMCTRL_ENABLE_2 : BCM_ARMCTRL_DISABLE_2;
    }
    return 0;
}

/** Sets (enable) or clears local line's IRQ enable bit; returns the register, 0 if none. */
static uint32_t local_set(uint32_t line, int enable)
{
    uint32_t bit = 0;
    uint32_t reg = local_ctl_reg(line, &bit);
    if (reg != 0) {
        uint32_t v = bcm_mmio_read32(bcm_local + reg);
        bcm_mmio_write32(bcm_local + reg, enable ? (v | bit) : (v & ~bit));
        return reg;
    }
    if (line == BCM_IRQ_PMU) {
        reg = enable ? BCM_LOCAL_PMU_ROUTE_SET : BCM_LOCAL_PMU_ROUTE_CLR;
        bcm_mmio_write32(bcm_local + reg, 1u << bcm_core);
        return reg;
    }
    return 0;
}

void hal_irq_line_mask(uint32_t line)
{
    if (bcm_local == 0 || line >= BCM_IRQ_LINE_COUNT) {
        return;
    }
    uintptr_t readback;
    uint32_t bit = 0;
    uint32_t reg = armctrl_reg(line, 0, &bit);
    if (reg != 0) {
        /* Disable registers: write 1 to clear that enable bit only. */
        bcm_mmio_write32(bcm_armctrl + reg, bit);
        readback = bcm_armctrl + reg - (BCM_ARMCTRL_DISABLE_1 - BCM_ARMCTRL_ENABLE_1);
    } else {
        reg = local_set(line, 0);
        if (reg == 0) {
            return;
        }
        readback = bcm_local + reg;
    }
    /* The write has completed once the DSB is past; the read from the same
     * peripheral comes after it, so once it returns the line cannot signal
     * (hal/irq.h's promise). */
    bcm_mmio_barrier();
    (void)bcm_mmio_read32(readback);
}

void hal_irq_line_unmask(uint32_t line)
{
    if (bcm_local == 0 || line >= BCM_IRQ_LINE_COUNT) {
        return;
    }
    uint32_t bit = 0;
    uint32_t reg = armctrl_reg(line, 1, &bit);
    if (reg != 0) {
        bcm_mmio_write32(bcm_armctrl + reg, bit);
        return;
    }
    (void)local_set(line, 1);
}

/** Index of the lowest set bit of a non-zero v. */
static uint32_t lowest_bit(uint32_t v)
{
    return (uint32_t)__builtin_ctz(v);
}

/**
 * The GPU controller's highest-priority pending line, or HAL_IRQ_NONE:
 * basic ARM lines, then GPU 0-31, then GPU 32-63. Pending 1 and 2 are
 * read only when basic pending says something is there (its bits 8-9, or
 * a shortcut bit, which the real chip need not mirror in 8-9).
 */
static uint32_t armctrl_acknowledge(void)
{
    uint32_t basic = bcm_mmio_read32(bcm_armctrl + BCM_ARMCTRL_PENDING_BASIC);
    if ((basic & BCM_ARMCTRL_BASIC_LINES) != 0) {
        return BCM_IRQ_BASIC_FIRST + lowest_bit(basic & BCM_ARMCTRL_BASIC_LINES);
    }
    if ((basic & BCM_ARMCTRL_BASIC_GPU) == 0) {
        return HAL_IRQ_NONE;
    }
    uint32_t p1 = bcm_mmio_read32(bcm_armctrl + BCM_ARMCTRL_PENDING_1);
    if (p1 != 0) {
        return BCM_IRQ_GPU_FIRST + lowest_bit(p1);
    }
    uint32_t p2 = bcm_mmio_read32(bcm_armctrl + BCM_ARMCTRL_PENDING_2);
    if (p2 != 0) {
        return BCM_IRQ_GPU_FIRST + 32u + lowest_bit(p2);
    }
    return HAL_IRQ_NONE;
}

uint32_t hal_irq_acknowledge(void)
{
    if (bcm_local == 0) {
        return HAL_IRQ_NONE;
    }
    uint32_t source =
        bcm_mmio_read32(bcm_local + BCM_LOCAL_IRQ_SOURCE(bcm_core)) & BCM_LOCAL_SOURCE_MASK;
    while (source != 0) {
        uint32_t bit = lowest_bit(source);
        if (bit != BCM_IRQ_GPU_CASCADE) {
            return bit;
        }
        /* From the local controller to the GPU's: another peripheral
         * (bcm_mmio.h). */
        bcm_mmio_barrier();
        uint32_t line = armctrl_acknowledge();
        if (line != HAL_IRQ_NONE) {
            return line;
        }
        /* The cascade dropped meanwhile: go on with the sources above it. */
        source &= ~(1u << bit);
    }
    return HAL_IRQ_NONE;
}

void hal_irq_end(uint32_t line)
{
    (void)line; /* nothing to end: see bcm_irq.h */
}

void bcm_irq_init(uintptr_t local_base, uintptr_t armctrl_base, uint32_t core)
{
    if (local_base == 0 || armctrl_base == 0) {
        bcm_local = bcm_armctrl = 0; /* not set up: every operation a no-op */
        return;
    }
    bcm_local = local_base;
    bcm_armctrl = armctrl_base;
    bcm_core = core < 4u ? core : 0u;
    /* Everything off first: the GPU controller's three enable sets, its FIQ
     * (bit 7 of FIQ control enables it), the core's timer and mailbox
     * interrupts (IRQ and FIQ halves), the PMU's IRQ and FIQ routing to it. */
    bcm_mmio_write32(bcm_armctrl + BCM_ARMCTRL_DISABLE_1, 0xffffffffu);
    bcm_mmio_write32(bcm_armctrl + BCM_ARMCTRL_DISABLE_2, 0xffffffffu);
    bcm_mmio_write32(bcm_armctrl + BCM_ARMCTRL_DISABLE_BASIC, BCM_ARMCTRL_BASIC_LINES);
    bcm_mmio_write32(bcm_armctrl + BCM_ARMCTRL_FIQ_CONTROL, 0);
    bcm_mmio_barrier();
    bcm_mmio_write32(bcm_local + BCM_LOCAL_TIMER_CTL(bcm_core), 0);
    bcm_mmio_write32(bcm_local + BCM_LOCAL_MBOX_CTL(bcm_core), 0);
    bcm_mmio_write32(bcm_local + BCM_LOCAL_PMU_ROUTE_CLR, (1u << bcm_core) | (16u << bcm_core));
    /* GPU IRQ and FIQ to this core (the FIQ stays disabled above). */
    bcm_mmio_write32(bcm_local + BCM_LOCAL_GPU_ROUTE, bcm_core | (bcm_core << 2));
    bcm_mmio_barrier();
}

void bcm_irq_timer_enable(void)
{
    hal_irq_line_unmask(BCM_IRQ_CNTV);
}

uint32_t bcm_irq_timer_line(void)
{
    return BCM_IRQ_CNTV;
}
