/*
 * A program that faults on purpose: as init, it prints a line, then loads
 * from an address nothing maps. The kernel must report the fault, stop
 * this task and go on (with no other task, it powers off).
 */

#include "kernel/abi/init.h"
#include "kernel/abi/syscall.h"

    .section .text._start, "ax", %progbits
    .global _start
_start:
    ldr     x0, =INIT_HANDLE_CONSOLE
    adr     x1, message
    mov     x2, #(message_end - message)
    mov     x8, #SYS_CONSOLE_WRITE
    svc     #0
    ldr     x1, =0xdead0000
    ldr     x0, [x1]
    /* Not reached: the load faults and the task never runs again. */
1:  b       1b
    .ltorg

    .section .rodata.message, "a", %progbits
message:
    .ascii  "fault: about to read 0xdead0000\n"
message_end:
