/*
 * _start: the first instructions of the image, on the Raspberry Pi 3 as
 * QEMU 7.2's raspi3b emulates it (bsp/raspi3b/QEMU_FACTS.md).
 *
 * The whole path to bsp_main is the architecture's (hal/aarch64/
 * boot_entry.inc says what it does and in which order); what is the
 * board's is passed to it:
 * - at EL3, the Secure-state set-up only the board knows (below): this
 *   board has no GIC, so no interrupt needs handing to the Non-secure
 *   state; what EL3 must do is the Cortex-A53's coherency bit;
 * - which CPU boots: core 0 (RASPI_BOOT_CPU_CHECK, below). QEMU starts
 *   all four cores at the entry at once, at EL3, with no spin loop to
 *   wait in (QEMU_FACTS.md 1, 2): the others are parked here;
 * - the MMU set-up (bsp/common/boot_mmu.c, with this board's hooks in
 *   board.c): the blob at physical 0, RAM, UART0, the interrupt
 *   controllers and the PM block;
 * - bsp_main (bsp/common/bsp_main.c), the C entry in the upper half:
 *     void bsp_main(uint64_t boot_el, uint64_t dtb);
 *   with boot_el 3 under QEMU (2 from firmware that drops to EL2 first),
 *   the image running at Non-secure EL1 in every case.
 * The load address and the stack's place are kernel.ld's.
 *
 * Entry state: MMU and data cache off, x0 = 0 (with -dtb, QEMU puts the
 * blob at physical 0 and still enters an ELF image with x0 = 0,
 * QEMU_FACTS.md 4; boot_mmu.c looks there, at board_config.dtb_default).
 */

#include "hal/aarch64/boot_entry.inc"

/* CPUECTLR_EL1 (S3_1_C15_C2_1), the Cortex-A53's CPU Extended Control
 * Register, and its SMPEN bit (6): the core takes part in the cluster's
 * data coherency. The A53 TRM (DDI 0500, 4.3.68 CPUECTLR_EL1) requires it
 * set before the caches or the MMU are enabled, or any cache or TLB
 * maintenance is done; it resets to 0. It is writable at EL3 (at EL1 and
 * EL2 only when ACTLR_EL3 and ACTLR_EL2 allow it, which they do not at
 * reset), so this is EL3's to do. QEMU implements the register as a
 * constant 0 that ignores writes. */
#define CPUECTLR_EL1 s3_1_c15_c2_1
#define CPUECTLR_SMPEN_BIT 6

/*
 * At EL3 (QEMU's entry; the real board's firmware starts a kernel at EL2
 * and does this itself): SMPEN set, so that the caches and the MMU the
 * boot path turns on are coherent. Nothing else is the Secure state's on
 * this board: the local and BCM2835 interrupt controllers have no security
 * state, and CNTFRQ_EL0, EL3's to write, holds the counter's frequency
 * already (62.5 MHz under QEMU, QEMU_FACTS.md 8; the firmware's 19.2 MHz on
 * the board). Clobbers x0.
 */
.macro RASPI_EL3_SETUP
    mrs     x0, CPUECTLR_EL1
    orr     x0, x0, #(1 << CPUECTLR_SMPEN_BIT)
    msr     CPUECTLR_EL1, x0
    isb
.endm

/*
 * x0 = 0 on the boot CPU, core 0: MPIDR_EL1.Aff0 (bits [7:0]) is the core
 * number in the BCM2837's one cluster (Aff1-Aff3 are 0). QEMU starts every
 * core at the entry at once: the others are parked.
 */
.macro RASPI_BOOT_CPU_CHECK
    mrs     x0, mpidr_el1
    and     x0, x0, #0xff
.endm

    .section .text.boot, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    AARCH64_BOOT_ENTRY mmu_setup=boot_mmu_setup, main=bsp_main, \
        el3_setup=RASPI_EL3_SETUP, boot_cpu_check=RASPI_BOOT_CPU_CHECK
    .size _start, . - _start
    .ltorg

/* The other CPUs' entry (hal/aarch64/smp.h): where the boot CPU starts
 * them, with the physical address of their record in x0. */
    .section .text.boot, "ax", %progbits
    .global aarch64_secondary_entry
    .type aarch64_secondary_entry, %function
aarch64_secondary_entry:
    AARCH64_SECONDARY_ENTRY main=bsp_secondary_main, el3_setup=RASPI_EL3_SETUP
    .size aarch64_secondary_entry, . - aarch64_secondary_entry
    .ltorg
