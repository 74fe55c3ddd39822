#pragma once

/**
 * The raspi3b's interrupt controllers behind hal/irq.h: the BCM2836-style
 * per-core local controller (QA7 rev 3.4, "ARM Quad A7 core", at
 * 0x40000000) and, cascaded into it, the BCM2835 controller of the GPU's
 * and the ARM's peripheral interrupts (BCM2835 ARM Peripherals, chapter 7,
 * at 0x3f00b200). Register facts: bsp/raspi3b/QEMU_FACTS.md, 9 and 10.
 *
 * Line numbers (the HAL's "INTID" on this board), 0 to BCM_IRQ_LINE_COUNT - 1:
 *
 *   0-11    the calling core's local sources, the bit numbers of its IRQ
 *           source register: 0 CNTPS, 1 CNTPNS, 2 CNTHP, 3 CNTV (the
 *           generic timer), 4-7 mailboxes 0-3, 8 the GPU controller's
 *           cascade (not a line of its own), 9 PMU, 10 AXI outstanding,
 *           11 the local timer.
 *   32-39   the 8 basic ARM interrupts (basic pending bits 0-7: ARM timer,
 *           ARM mailbox, doorbells 0 and 1, GPU 0 and 1 halted, illegal
 *           access types 1 and 0).
 *   64-127  GPU interrupts 0-63: line 64 + n (UART0, GPU 57, is line 121).
 *
 * So a device-tree interrupt of the local controller, <source flags>, is
 * line source, and one of the BCM2835 controller, <bank number> (bank 0
 * basic, 1 GPU 0-31, 2 GPU 32-63), is line 32 + 32 * bank + number -- as
 * a GIC SPI <0 n flags> is INTID 32 + n. Lines 12-31 and 40-63 are holes:
 * no source exists there, and like lines at or above the count they are
 * ignored by mask and unmask and never acknowledged.
 *
 * Only one core takes interrupts: the one given to bcm_irq_init (the boot
 * CPU); GPU interrupts are routed to it and the local lines are its own.
 */

#include <stdint.h>

#include "hal/irq.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BCM_IRQ_LINE_COUNT 128u

/* Local sources (bit numbers of a core's IRQ source register). */
#define BCM_IRQ_CNTPS 0u
#define BCM_IRQ_CNTPNS 1u
#define BCM_IRQ_CNTHP 2u
#define BCM_IRQ_CNTV 3u
#define BCM_IRQ_MAILBOX0 4u
#define BCM_IRQ_GPU_CASCADE 8u
#define BCM_IRQ_PMU 9u
#define BCM_IRQ_AXI 10u
#define BCM_IRQ_LOCAL_TIMER 11u
#define BCM_IRQ_LOCAL_COUNT 12u

/** First line of the basic ARM interrupts and of the GPU interrupts. */
#define BCM_IRQ_BASIC_FIRST 32u
#define BCM_IRQ_BASIC_COUNT 8u
#define BCM_IRQ_GPU_FIRST 64u
#define BCM_IRQ_GPU_COUNT 64u

/** The line of GPU interrupt n (0-63). */
#define BCM_IRQ_GPU(n) (BCM_IRQ_GPU_FIRST + (n))

/*
 * hal_irq_acknowledge (hal/irq.h) on this board: the highest-priority line
 * signalling to the calling CPU, or HAL_IRQ_NONE. Priority: the local
 * sources in bit order (the generic timer first), the GPU cascade at its
 * bit's place, and inside it the basic ARM interrupts, then GPU 0-31, then
 * GPU 32-63, the lowest number first.
 *
 * hal_irq_end: nothing to do on this board: neither controller has an
 * in-service state or an end-of-interrupt register. Every source is
 * level-sensitive and stays pending until its device drops it (the timer
 * when re-armed or masked in CNTV_CTL_EL0, a GPU device when serviced, a
 * mailbox when its bits are written to its read-clear register).
 */

/**
 * Sets the controllers up for core (0-3, the calling CPU) with their
 * registers at local_base (the local controller, 0x40000000 on QEMU) and
 * armctrl_base (the BCM2835 controller, 0x3f00b200), both as the CPU
 * reaches them (mapped, or physical with the MMU off), from the device
 * tree: every line disabled, FIQs off, GPU interrupts routed to core's IRQ.
 * Until it is called (or when either base is 0), hal_irq_line_count() is 0,
 * every line operation does nothing and acknowledge answers HAL_IRQ_NONE.
 * A core above 3 is taken as 0.
 */
void bcm_irq_init(uintptr_t local_base, uintptr_t armctrl_base, uint32_t core);

/**
 * Unmasks the generic timer's virtual timer interrupt (CNTV, line
 * BCM_IRQ_CNTV) for the set-up core: the timer hal/aarch64/timer.c
 * programs. Its line at the HAL is bcm_irq_timer_line().
 */
void bcm_irq_timer_enable(void);

/** The line the kernel's tick arrives on: BCM_IRQ_CNTV. */
uint32_t bcm_irq_timer_line(void);

#ifdef __cplusplus
}
#endif
