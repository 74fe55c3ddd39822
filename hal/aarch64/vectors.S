/*
 * The EL1 exception vector table (Arm ARM DDI 0487, D1.10.2 "Exception
 * vectors"): 16 entries of 0x80 bytes, 2 KiB aligned, in four groups --
 * current EL with SP_EL0, current EL with SP_ELx, lower EL in AArch64,
 * lower EL in AArch32 -- of four types each: synchronous, IRQ, FIQ, SError.
 * The board's entry installs it in VBAR_EL1 (aarch64_vectors).
 *
 * Each entry saves a full struct aarch64_frame (hal/aarch64/frame.h) and
 * calls a C handler with kind, the entry's index (group + type):
 *
 *  - From EL1 the frame goes on the kernel stack and the handler is
 *        void aarch64_trap_el1(struct aarch64_frame *frame, uint64_t kind);
 *    (trap.c); if it returns, the frame is restored (a handler may have
 *    changed it) and ERET resumes.
 *  - From EL0 the frame is the running task's own context (struct
 *    hal_context, trap.c): while a task runs at EL0, SP_EL1 points just
 *    past its context (the restore below leaves it there), so the entry
 *    saves the registers straight into it. The handler then runs on the
 *    kernel stack, from its top: the kernel's upcall
 *        struct hal_context *trap_syscall(struct hal_context *context);
 *    for a system call (SVC), else
 *        struct hal_context *aarch64_trap_el0(struct hal_context *context, uint64_t kind);
 *    (trap.c, which calls the kernel's other upcalls), and each returns
 *    the context to resume, the same task's or another's (hal/trap.h).
 *    A switch between tasks copies no registers.
 *
 * What the boot provides: TPIDR_EL1, the top of this CPU's kernel stack
 * (boot_entry.inc, smp.h), which is KERNEL_STACK_SIZE (1 <<
 * KERNEL_STACK_SHIFT) bytes at a base aligned to twice that, over unmapped
 * pages (the board's linker script).
 */

#include "hal/aarch64/esr.h"
#include "hal/aarch64/frame.h"

/* Entry: make room for the frame, free two registers, jump to the body. */
.macro VECTOR_ENTRY kind, body
    .balign 0x80
    sub     sp, sp, #AARCH64_FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       \body
.endm

/*
 * Entry from EL1 on SP_EL1, with a stack overflow check. Kernel stacks are
 * KERNEL_STACK_SIZE bytes at a base aligned to twice that (kernel.ld), so
 * an SP on the stack has bit KERNEL_STACK_SHIFT clear and one that ran off
 * its bottom (into the unmapped guard page and beyond) has it set. Pushing
 * the frame there would fault again, forever; instead the entry moves to
 * the overflow stack. The check needs a scratch register without touching
 * memory: SP and x0 are swapped arithmetically (as Linux does on arm64).
 */
#define KERNEL_STACK_SHIFT 14
.macro VECTOR_ENTRY_EL1 kind, body
    .balign 0x80
    sub     sp, sp, #AARCH64_FRAME_SIZE
    add     sp, sp, x0              /* sp = new sp + x0 */
    sub     x0, sp, x0              /* x0 = new sp */
    tbnz    x0, #KERNEL_STACK_SHIFT, vector_stack_overflow
    sub     x0, sp, x0              /* x0 = x0 again */
    sub     sp, sp, x0              /* sp = new sp again */
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       \body
.endm

/* Saves x2..x29 into the frame at SP (x0, x1 are saved by the entry). */
.macro SAVE_X2_X29
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #16 * 9]
    stp     x20, x21, [sp, #16 * 10]
    stp     x22, x23, [sp, #16 * 11]
    stp     x24, x25, [sp, #16 * 12]
    stp     x26, x27, [sp, #16 * 13]
    stp     x28, x29, [sp, #16 * 14]
.endm

/* Saves the syndrome registers into the frame at SP; leaves ESR in x1 and FAR in x2. */
.macro SAVE_SYSREGS
    mrs     x1, elr_el1
    mrs     x2, spsr_el1
    stp     x1, x2, [sp, #AARCH64_FRAME_ELR]
    mrs     x1, esr_el1
    mrs     x2, far_el1
    stp     x1, x2, [sp, #AARCH64_FRAME_ESR]
.endm

/* Restores x0..x30 from the frame at SP, pops it and returns. */
.macro RESTORE_AND_ERET
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    ldr     x30, [sp, #AARCH64_FRAME_X30]
    add     sp, sp, #AARCH64_FRAME_SIZE
    eret
.endm

/* Saves an EL0 context into the frame at SP but x0, x1 (the entry's). */
.macro SAVE_EL0
    SAVE_X2_X29
    mrs     x1, sp_el0
    stp     x30, x1, [sp, #AARCH64_FRAME_X30]
    SAVE_SYSREGS
.endm

/* Moves to the top of this CPU's kernel stack, which TPIDR_EL1 holds
 * (boot_entry.inc sets it on every CPU, smp.h) with bit 0 set once the
 * kernel lock is shared (kernel_lock.h). Leaves TPIDR_EL1 in x2 for
 * KERNEL_LOCK; uses x3. */
.macro KERNEL_STACK
    mrs     x2, tpidr_el1
    bic     x3, x2, #1
    mov     sp, x3
.endm

/*
 * Takes the big kernel lock (kernel_lock.h), inline: spinlock.h's ticket
 * lock, the same instructions, once a second CPU may enter the kernel
 * (bit 0 of TPIDR_EL1, in x2 from KERNEL_STACK). Uses x2-x5 and the flags.
 */
.macro KERNEL_LOCK
    tbz     x2, #0, 3f              /* one CPU: no lock (kernel_lock.h) */
    stp     x0, x1, [sp, #-16]!
    bl      aarch64_cpu_arrive      /* off EL0: a CPU evicting its task may go on */
    ldp     x0, x1, [sp], #16
    adrp    x2, aarch64_kernel_lock
    add     x2, x2, :lo12:aarch64_kernel_lock
1:  ldaxr   w3, [x2]
    add     w4, w3, #1
    stxr    w5, w4, [x2]
    cbnz    w5, 1b
    add     x2, x2, #4              /* the owner */
    ldar    w4, [x2]
    cmp     w4, w3
    b.eq    5f
    sevl
2:  wfe
    ldaxr   w4, [x2]
    cmp     w4, w3
    b.ne    2b
    /* Taken: this CPU's state in (kernel_lock.h). x0 and x1 kept. */
5:  stp     x0, x1, [sp, #-16]!
    bl      aarch64_cpu_enter
    ldp     x0, x1, [sp], #16
3:
.endm

/* Releases the big kernel lock, which this CPU holds (once it is shared),
 * this CPU's state out first; on the kernel stack, x0 kept. Uses x1, x2. */
.macro KERNEL_UNLOCK
    mrs     x1, tpidr_el1
    tbz     x1, #0, 4f              /* one CPU: no lock (kernel_lock.h) */
    str     x0, [sp, #-16]!
    mov     x0, #1                  /* to EL0 */
    bl      aarch64_cpu_leave
    ldr     x0, [sp], #16
    adrp    x1, aarch64_kernel_lock + 4
    add     x1, x1, :lo12:aarch64_kernel_lock + 4 /* the owner */
    ldr     w2, [x1]
    add     w2, w2, #1
    stlr    w2, [x1]
4:
.endm

/*
 * A synchronous exception from EL0, whole in its 32-instruction slot but
 * for the kernel lock (the system call path): once the lock is taken, a
 * system call goes straight to trap_syscall(context), anything else to
 * aarch64_trap_el0(context, kind) as for the other entries, once FAR is
 * saved too (a system call needs none).
 */
.macro VECTOR_EL0_SYNC
    .balign 0x80
    sub     sp, sp, #AARCH64_FRAME_SIZE
    stp     x0, x1, [sp, #0]
    SAVE_X2_X29
    mrs     x1, sp_el0
    stp     x30, x1, [sp, #AARCH64_FRAME_X30]
    mrs     x1, elr_el1
    mrs     x2, spsr_el1
    stp     x1, x2, [sp, #AARCH64_FRAME_ELR]
    mrs     x1, esr_el1
    str     x1, [sp, #AARCH64_FRAME_ESR] /* FAR: vector_el0_sync_other */
    ubfx    x1, x1, #ESR_EC_SHIFT, #ESR_EC_WIDTH
    mov     x0, sp
    KERNEL_STACK
    b       vector_el0_sync_locked
.endm

    .section .text.vectors, "ax", %progbits
    .balign 0x800
    .global aarch64_vectors
aarch64_vectors:
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL1_SP0 + AARCH64_VECTOR_SYNC), vector_el1
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL1_SP0 + AARCH64_VECTOR_IRQ), vector_el1
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL1_SP0 + AARCH64_VECTOR_FIQ), vector_el1
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL1_SP0 + AARCH64_VECTOR_SERROR), vector_el1
    VECTOR_ENTRY_EL1 (AARCH64_VECTOR_GROUP_EL1_SPX + AARCH64_VECTOR_SYNC), vector_el1
    VECTOR_ENTRY_EL1 (AARCH64_VECTOR_GROUP_EL1_SPX + AARCH64_VECTOR_IRQ), vector_el1
    VECTOR_ENTRY_EL1 (AARCH64_VECTOR_GROUP_EL1_SPX + AARCH64_VECTOR_FIQ), vector_el1
    VECTOR_ENTRY_EL1 (AARCH64_VECTOR_GROUP_EL1_SPX + AARCH64_VECTOR_SERROR), vector_el1
    VECTOR_EL0_SYNC
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL0_A64 + AARCH64_VECTOR_IRQ), vector_el0
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL0_A64 + AARCH64_VECTOR_FIQ), vector_el0
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL0_A64 + AARCH64_VECTOR_SERROR), vector_el0
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL0_A32 + AARCH64_VECTOR_SYNC), vector_el0
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL0_A32 + AARCH64_VECTOR_IRQ), vector_el0
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL0_A32 + AARCH64_VECTOR_FIQ), vector_el0
    VECTOR_ENTRY (AARCH64_VECTOR_GROUP_EL0_A32 + AARCH64_VECTOR_SERROR), vector_el0
    /* Each entry fits its 0x80 bytes: if one overflowed, shifting the rest,
     * this .org would move backwards, which is an error. */
    .org    aarch64_vectors + 0x800

/* From EL1: the frame is on the kernel stack; the interrupted SP is above it. */
vector_el1:
    SAVE_X2_X29
    add     x1, sp, #AARCH64_FRAME_SIZE
    stp     x30, x1, [sp, #AARCH64_FRAME_X30]
    SAVE_SYSREGS
    mov     x1, x0
    mov     x0, sp
    bl      aarch64_trap_el1
    /* Restore what the handler may have changed: ELR, SPSR and the
     * general registers. */
    ldp     x1, x2, [sp, #AARCH64_FRAME_ELR]
    msr     elr_el1, x1
    msr     spsr_el1, x2
    RESTORE_AND_ERET

/* VECTOR_EL0_SYNC's rest: x0 the context, x1 the exception class. */
vector_el0_sync_locked:
    KERNEL_LOCK
    cmp     x1, #ESR_EC_SVC64
    b.ne    vector_el0_sync_other
    adr     x30, vector_el0_restore /* trap_syscall returns straight there */
    b       trap_syscall

/* From EL0: the frame is the task's context; the handler runs on the kernel
 * stack and returns the context to resume. */
vector_el0:
    SAVE_EL0
    mov     x1, x0
    mov     x0, sp
    KERNEL_STACK
    KERNEL_LOCK
    bl      aarch64_trap_el0
    b       vector_el0_restore

/* The rest of a synchronous exception from EL0 that is not a system call. */
vector_el0_sync_other:
    mrs     x1, far_el1
    str     x1, [x0, #AARCH64_FRAME_FAR]
    mov     x1, #(AARCH64_VECTOR_GROUP_EL0_A64 + AARCH64_VECTOR_SYNC)
    bl      aarch64_trap_el0

vector_el0_restore:
    KERNEL_UNLOCK
    mov     sp, x0
    ldp     x1, x2, [sp, #AARCH64_FRAME_ELR]
    msr     elr_el1, x1
    msr     spsr_el1, x2
    ldr     x1, [sp, #AARCH64_FRAME_SP]
    msr     sp_el0, x1
    RESTORE_AND_ERET

/*
 * hal_context_return(context): the task whose system call this is goes on,
 * after a fast path that did not switch (hal/trap.h says why ELR_EL1,
 * SPSR_EL1, SP_EL0 and x20-x29 need no restoring here).
 */
    .global hal_context_return
hal_context_return:
    KERNEL_UNLOCK
    mov     sp, x0
    ldp     x0, x1, [sp, #16 * 0]
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldr     x30, [sp, #AARCH64_FRAME_X30]
    add     sp, sp, #AARCH64_FRAME_SIZE
    eret

/*
 * void hal_context_enter(struct hal_context *context): the first entry to
 * EL0, by a CPU that holds the kernel lock. The context is restored as the
 * EL0 vectors restore the one an upcall returns (releasing the lock),
 * ending in ERET with SP_EL1 just past its frame.
 */
    .global hal_context_enter
hal_context_enter:
    b       vector_el0_restore

/*
 * The kernel stack overflowed: here x0 = the SP the frame would have had
 * and sp = that + the interrupted x0. Recover x0 through TPIDR_EL1 (this
 * CPU's stack top, lost here: the handler never returns), move to the
 * overflow stack (one for all CPUs: two overflowing at once would share
 * it), and report with the AARCH64_VECTOR_STACK_OVERFLOW flag.
 */
vector_stack_overflow:
    sub     x0, sp, x0
    msr     tpidr_el1, x0
    ldr     x0, =vector_overflow_stack_top
    mov     sp, x0
    sub     sp, sp, #AARCH64_FRAME_SIZE
    mrs     x0, tpidr_el1
    stp     x0, x1, [sp, #0]
    mov     x0, #(AARCH64_VECTOR_GROUP_EL1_SPX + AARCH64_VECTOR_SYNC + AARCH64_VECTOR_STACK_OVERFLOW)
    b       vector_el1
    .ltorg

    .section .bss.vector_overflow_stack, "aw", %nobits
    .balign 16
vector_overflow_stack:
    .space 4096
vector_overflow_stack_top:
