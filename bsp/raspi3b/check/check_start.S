/*
 * Entry of the raspi3b driver check. QEMU starts all four CPUs here at EL3
 * (QEMU_FACTS.md 1, 2): CPU 0 runs check_main on its own stack, the others
 * wait for good. CPU 0 zeroes .bss first: after a reset QEMU reloads the
 * ELF's contents but not its .bss (QEMU_FACTS.md 15). IRQs stay masked (PSTATE.I is set at reset):
 * the check polls the controllers and never takes an interrupt.
 */
    .section .text.entry, "ax"
    .globl _start
_start:
    mrs x0, mpidr_el1
    and x0, x0, #3
    cbnz x0, 1f
    adrp x0, check_bss_start
    add x0, x0, :lo12:check_bss_start
    adrp x1, check_bss_end
    add x1, x1, :lo12:check_bss_end
0:  cmp x0, x1
    b.hs 2f
    str xzr, [x0], #8
    b 0b
2:  adrp x0, check_stack_top
    add x0, x0, :lo12:check_stack_top
    mov sp, x0
    bl check_main
1:  wfe
    b 1b

    .bss
    .balign 16
    .space 16384
check_stack_top:
