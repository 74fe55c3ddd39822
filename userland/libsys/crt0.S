/*
 * crt0: the first instruction of every user program (ENTRY in
 * userland/user.ld). kernel/abi/init.h: x0 holds the task's argument, x1
 * the counter's frequency in Hz, sp the top of its stack (16-byte
 * aligned), every other register 0.
 *
 * Keeps the frequency for sys_clock_hz(), then calls
 * `int main(uint64_t arg, uint64_t clock_hz)` (a main that takes only arg
 * works the same) with x0 and x1 untouched, then ends the task with
 * sys_exit() (SYS_EXIT takes no exit code: main's return value is
 * dropped).
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
    adrp    x9, sys_clock_hz_value
    str     x1, [x9, :lo12:sys_clock_hz_value]
    bl      main
    bl      sys_exit
    // sys_exit does not return.
1:  b       1b
    .size _start, . - _start

    // Do not ask for an executable stack.
    .section .note.GNU-stack, "", %progbits
