#pragma once

/*
 * Register offsets of the raspi3b's interrupt controllers (bcm_irq.c and
 * its test).
 */

/* The local controller (QA7 rev 3.4, section 4), from its base. */
#define BCM_LOCAL_GPU_ROUTE 0x0cu     /* bits 1:0 core for GPU IRQ, 3:2 for FIQ */
#define BCM_LOCAL_PMU_ROUTE_SET 0x10u /* bit n: PMU IRQ to core n; write 1 to set */
#define BCM_LOCAL_PMU_ROUTE_CLR 0x14u /* write 1 to clear */
#define BCM_LOCAL_TIMER_CTL(core) (0x40u + 4u * (core)) /* bits 0-3 IRQ, 4-7 FIQ */
#define BCM_LOCAL_MBOX_CTL(core) (0x50u + 4u * (core))  /* bits 0-3 IRQ, 4-7 FIQ */
#define BCM_LOCAL_IRQ_SOURCE(core) (0x60u + 4u * (core))
#define BCM_LOCAL_SOURCE_MASK 0xfffu /* bits 0-11; the rest reserved */
#define BCM_LOCAL_CTL_IRQ_MASK 0x0fu /* the IRQ half of TIMER_CTL / MBOX_CTL */

/* The BCM2835 controller (ARM Peripherals 7.5), from its base (0x...b200). */
#define BCM_ARMCTRL_PENDING_BASIC 0x00u
#define BCM_ARMCTRL_PENDING_1 0x04u
#define BCM_ARMCTRL_PENDING_2 0x08u
#define BCM_ARMCTRL_FIQ_CONTROL 0x0cu
#define BCM_ARMCTRL_ENABLE_1 0x10u
#define BCM_ARMCTRL_ENABLE_2 0x14u
#define BCM_ARMCTRL_ENABLE_BASIC 0x18u
#define BCM_ARMCTRL_DISABLE_1 0x1cu
#define BCM_ARMCTRL_DISABLE_2 0x20u
#define BCM_ARMCTRL_DISABLE_BASIC 0x24u
/* Basic pending: bits 0-7 the basic ARM interrupts, 8 and 9 "something in
 * pending 1 / 2", 10-20 shortcuts to GPU 7, 9, 10, 18, 19, 53-57, 62
 * (which the real chip need not also flag in bits 8-9). */
#define BCM_ARMCTRL_BASIC_LINES 0xffu
#define BCM_ARMCTRL_BASIC_GPU 0x1fff00u
