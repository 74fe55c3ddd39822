/*
 * stackseg: a well-formed program whose only segment lies inside the stack
 * every spawned task gets (stackseg.ld). SYS_TASK_SPAWN must refuse it with
 * STATUS_ALREADY_MAPPED and take nothing; it is never run.
 */

    .section .text._start, "ax", %progbits
    .globl _start
    .type _start, %function
    .p2align 2
_start:
1:  b       1b
    .size _start, . - _start

    .section .note.GNU-stack, "", %progbits
