/*
 * _start: the first instructions of the image, on QEMU's virt board.
 *
 * The whole path to bsp_main is the architecture's (hal/aarch64/
 * boot_entry.inc says what it does and in which order); what is the
 * board's is passed to it:
 * - at EL3 (secure=on), the Secure-state set-up only the board knows:
 *   the GIC's interrupts handed to the Non-secure state (below);
 * - which CPU boots: CPU 0 (VIRT_BOOT_CPU_CHECK, below); any other that
 *   arrives (they all do at EL3) is parked;
 * - the MMU set-up (bsp/common/boot_mmu.c, with this board's hooks in
 *   board.c): where RAM, the device tree and the devices are, and what is
 *   mapped;
 * - bsp_main (bsp/common/bsp_main.c), the C entry in the upper half:
 *     void bsp_main(uint64_t boot_el, uint64_t dtb);
 *   with boot_el the entry exception level: 1, 2 (virtualization=on) or 3
 *   (secure=on), the image running at Non-secure EL1 in every case.
 * The load address and the stack's place are kernel.ld's.
 *
 * Entry state: MMU and data cache off, x0 the device tree blob's physical
 * address or 0 (QEMU 7.2 enters an ELF image with x0 = 0 even though it
 * has put a blob at the start of RAM; boot_mmu.c looks there, at
 * board_config.dtb_default).
 */

#include "hal/aarch64/boot_entry.inc"

/* The GIC distributor (hw/arm/virt.c's memory map, VIRT_GIC_DIST), fixed
 * on this board: EL3 runs before the device tree is read. */
#define VIRT_GICD_BASE 0x08000000
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
/* The GICv2 CPU interface (VIRT_GIC_CPU) and its priority mask. */
#define VIRT_GICC_BASE 0x08010000
#define GICC_PMR 0x004
/* GICD_CTLR.DS, bit 6, and RWP, bit 31 (IHI 0069, 12.9.4). */
#define GICD_CTLR_DS_BIT 6
#define GICD_CTLR_RWP_BIT 31

/*
 * At EL3 (secure=on): QEMU's GIC then has the Security Extensions, every
 * interrupt resets to Group 0, Secure, and the Non-secure EL1 the kernel
 * runs at can neither see nor enable one. Firmware would hand them over;
 * here this does, from the Secure state (IHI 0048 4.3.12 and IHI 0069
 * 12.9.4). Clobbers x0-x3.
 * - GICv3 (ID_AA64PFR0_EL1.GIC, bits [27:24], non-zero): GICD_CTLR.DS =
 *   1, security disabled, so the GIC behaves as without secure=on and the
 *   driver sets the groups itself (bsp/qemu_virt/gicv3.c). Written while
 *   ARE_S is still 0, as the reset leaves it; RWP says when it is done.
 * - GICv2: every GICD_IGROUPRn (GICD_TYPER.ITLinesNumber + 1 of them) all
 *   ones, every interrupt Group 1, Non-secure. IGROUPR0 (SGIs and PPIs,
 *   the timer's among them) is banked per CPU: this sets the boot CPU's;
 *   SMP (issue 15) must do the same for each CPU it starts. And GICC_PMR
 *   = 0xff, every priority let through: the Non-secure view may only
 *   write it once the Secure one has put it in the upper half (IHI 0048,
 *   "Non-secure access to the Priority Mask Register"; QEMU ignores the
 *   driver's write otherwise, and the reset value is 0).
 */
.macro VIRT_EL3_GIC_TO_NONSECURE
    mov     x0, #VIRT_GICD_BASE
    mrs     x1, id_aa64pfr0_el1
    ubfx    x1, x1, #24, #4
    cbz     x1, 1f
    ldr     w1, [x0, #GICD_CTLR]
    orr     w1, w1, #(1 << GICD_CTLR_DS_BIT)
    str     w1, [x0, #GICD_CTLR]
2:  ldr     w1, [x0, #GICD_CTLR]
    tbnz    w1, #GICD_CTLR_RWP_BIT, 2b
    b       4f
1:  ldr     w1, [x0, #GICD_TYPER]
    and     w1, w1, #0x1f
    add     w1, w1, #1
    add     x2, x0, #GICD_IGROUPR
    mov     w3, #-1
3:  str     w3, [x2], #4
    subs    w1, w1, #1
    b.ne    3b
    mov     x0, #VIRT_GICC_BASE
    mov     w1, #0xff
    str     w1, [x0, #GICC_PMR]
4:
.endm

/*
 * x0 = 0 on the boot CPU, the one whose MPIDR_EL1 affinity fields Aff3
 * (bits [39:32]), Aff2, Aff1 and Aff0 (bits [23:0]) are all 0: CPU 0 of
 * QEMU's device tree. Entered at EL1 or EL2, QEMU starts that CPU alone
 * (the others stay off until PSCI CPU_ON); entered at EL3 (secure=on) it
 * starts every CPU at the entry at once, and the others must be parked.
 */
.macro VIRT_BOOT_CPU_CHECK
    mrs     x0, mpidr_el1
    ubfx    x1, x0, #32, #8
    and     x0, x0, #0xffffff
    orr     x0, x0, x1
.endm

    .section .text.boot, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    AARCH64_BOOT_ENTRY mmu_setup=boot_mmu_setup, main=bsp_main, \
        el3_setup=VIRT_EL3_GIC_TO_NONSECURE, boot_cpu_check=VIRT_BOOT_CPU_CHECK
    .size _start, . - _start
    .ltorg

/* The other CPUs' entry (hal/aarch64/smp.h): where the boot CPU starts
 * them, with the physical address of their record in x0. */
    .section .text.boot, "ax", %progbits
    .global aarch64_secondary_entry
    .type aarch64_secondary_entry, %function
aarch64_secondary_entry:
    AARCH64_SECONDARY_ENTRY main=bsp_secondary_main, el3_setup=VIRT_EL3_GIC_TO_NONSECURE
    .size aarch64_secondary_entry, . - aarch64_secondary_entry
    .ltorg
