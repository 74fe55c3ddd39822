/*
 * crt0: the first instruction of every user program (ENTRY in
 * userland/user.ld). kernel/abi/init.h: x0 holds the task's argument, sp
 * the top of its stack (16-byte aligned), every other register 0.
 *
 * Calls `int main(uint64_t arg)` with the argument untouched in x0, then
 * ends the task with sys_exit() (SYS_EXIT takes no exit code: main's
 * return value is dropped).
 */

    .section .text._start, "ax", %progbits
    .globl _start
    .type _start, %function
    .p2align 2
_start:
    // A zero frame record ends every frame-pointer walk (AAPCS64 6.2.3).
    mov     x29, #0
    mov     x30, #0
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    bl      main
    bl      sys_exit
    // sys_exit does not return.
1:  b       1b
    .size _start, . - _start

    // Do not ask for an executable stack.
    .section .note.GNU-stack, "", %progbits
