/*
 * fuzz_svc: one system call with every general register chosen by the
 * caller, and every register as the kernel left it after `svc #0`.
 *
 *   void fuzz_svc(const uint64_t in[31], uint64_t out[33]);
 *
 * Loads x0-x30 from in[0..30] (x8 is the call number, x0-x7 its
 * arguments, x9-x30 patterns the kernel must not change), calls the
 * kernel, then stores x0-x30 into out[0..30], sp after the call into
 * out[31] and sp before it into out[32]. The
 * callee-saved registers (x19-x29), the link register and `out` live in a
 * frame on the stack meanwhile; sp itself is the one register the stub
 * needs intact to find them again (a kernel that changed it is caught by
 * the comparison of out[31] with out[32], or by the fault that follows).
 */

    .section .text.fuzz_svc, "ax", %progbits
    .globl fuzz_svc
    .type fuzz_svc, %function
    .p2align 2
fuzz_svc:
    sub     sp, sp, #112
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    str     x1, [sp, #96]
    mov     x9, sp
    str     x9, [x1, #256]
    // Every register from in[], x0 (the pointer) last.
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldr     x30, [x0, #240]
    ldp     x0, x1, [x0, #0]
    svc     #0
    // x0 goes to the frame's spare slot, then x0 holds out.
    str     x0, [sp, #104]
    ldr     x0, [sp, #96]
    str     x1, [x0, #8]
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    str     x30, [x0, #240]
    ldr     x1, [sp, #104]
    str     x1, [x0, #0]
    mov     x1, sp
    str     x1, [x0, #248]
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    add     sp, sp, #112
    ret
    .size fuzz_svc, . - fuzz_svc

    .section .note.GNU-stack, "", %progbits
