/*
 * The smallest user program: as init, prints one line through its console
 * capability and asks for power-off. It uses nothing but kernel/abi, so it
 * shows the EL0 path on its own: entry, SVC, the console and power calls.
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
    ldr     x0, =INIT_HANDLE_KERNEL
    mov     x1, #SYS_POWER_OFF_HALT
    mov     x8, #SYS_POWER_OFF
    svc     #0
    /* Not reached: power-off does not return. */
1:  b       1b
    .ltorg

    .section .rodata.message, "a", %progbits
message:
    .ascii  "smoke: hello from EL0\n"
message_end:
