/* Boot-state probe for QEMU raspi3b: every CPU that arrives records its
 * entry registers, then CPU 0 runs probe_main (probe.c). */
    .section .text.entry, "ax"
    .globl _start
_start:
    /* arm64 Image header (Linux boot protocol): QEMU boots a raw binary
     * that has it as a Linux kernel. As an ELF it is just a branch. */
    b 1f
    .long 0
    .quad PROBE_TEXT_OFFSET /* text_offset: where QEMU loads the Image */
    .quad 0x10000       /* image_size */
    .quad 0xa           /* flags: LE, 4K pages, anywhere */
    .quad 0, 0, 0
    .ascii "ARM\x64"
    .long 0
1:  mrs x9, mpidr_el1
    and x9, x9, #3
    adr x10, probe_slots
    add x10, x10, x9, lsl #6
    str x0, [x10, #0]
    str x1, [x10, #8]
    str x2, [x10, #16]
    str x3, [x10, #24]
    mrs x11, CurrentEL
    str x11, [x10, #32]
    adr x12, _start
    str x12, [x10, #40]
    mov x13, #1
    str x13, [x10, #48]
    cbnz x9, 2f
    adr x14, stack_top
    mov sp, x14
    bl probe_main
2:  wfe
    b 2b
    .bss
    .balign 64
    .globl probe_slots
probe_slots:
    .space 64 * 4
    .balign 16
    .space 8192
stack_top:
