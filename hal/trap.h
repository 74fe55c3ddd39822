#pragma once

/**
 * HAL trap: the contract between the architecture's trap code and the
 * kernel. Tasks run in user mode in contexts (their saved registers, thread
 * ID registers and address space); every trap from user mode saves the
 * running task's registers into its context and calls one of the upcalls
 * at the end of this header, which the kernel implements (kernel/trap) and
 * which return the context to resume: the same task's or another's, so a
 * switch between tasks copies no registers.
 *
 * Implemented by hal/aarch64 (trap.c, vectors.S) and by hal/fake (in
 * memory, for host tests of the kernel's side). Calling context of every
 * function here: the kernel, IRQs masked.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/addr.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Contexts the HAL keeps: hal_context_get(0 .. HAL_CONTEXT_MAX - 1). */
#define HAL_CONTEXT_MAX 64u

/** The argument words of a context (hal_context_args). */
#define HAL_CONTEXT_ARGS 10u

/** A task's context (opaque: its layout is the architecture's). */
struct hal_context;

/** An exception the kernel did not expect, as the vectors saved it (opaque). */
struct hal_exception;

/**
 * Context index (below HAL_CONTEXT_MAX). Contexts live as long as the
 * kernel; the kernel decides which task each one belongs to. Before
 * hal_context_init, a context's registers are all 0.
 */
struct hal_context *hal_context_get(uint32_t index);

/**
 * The ten argument words of a context's saved registers, in order: the
 * system-call registers x0-x7 (arguments, status and results), x8 (the
 * number) and x9 (a deadline) on aarch64; the kernel's struct syscall_regs
 * overlays them. Reads and writes through it are what the task gets when
 * the context resumes. 8-byte aligned, valid as long as the context.
 */
uint64_t *hal_context_args(struct hal_context *context);

/**
 * Makes context a fresh task's: every register 0 but the first three
 * argument words (a0, a1, a2), the stack pointer (stack) and the program
 * counter (entry), in user mode with interrupts unmasked; its thread ID
 * registers 0. Its address space is left as it was (hal_context_set_space).
 */
void hal_context_init(struct hal_context *context, uint64_t entry, uint64_t stack, uint64_t a0,
                      uint64_t a1, uint64_t a2);

/**
 * Saves the thread ID registers of the CPU (aarch64: TPIDR_EL0; TPIDRRO_EL0
 * is read-only to the task, so the context holds it already) into the
 * context of the task leaving it.
 */
void hal_context_tls_save(struct hal_context *context);

/** Loads the thread ID registers of the task about to run from its context. */
void hal_context_tls_load(const struct hal_context *context);

/**
 * Records context's address space: its translation table root and ASID.
 * Root 0 means "not known": the kernel looks it up before the task runs.
 */
void hal_context_set_space(struct hal_context *context, paddr_t root, uint32_t asid);

/** The root hal_context_set_space recorded (0 when none). */
paddr_t hal_context_space_root(const struct hal_context *context);

/**
 * Makes context's address space (its root, not 0, and ASID) the CPU's user
 * address space, unless it is already (hal_mmu_active).
 */
void hal_context_activate_space(const struct hal_context *context);

/**
 * Restores context and runs it in user mode: the first entry to user mode.
 * Never returns (later traps come back through the upcalls).
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void hal_context_enter(struct hal_context *context);

/**
 * Resumes context at once, for the task whose system call this is, when
 * only its argument words (hal_context_args) changed since the trap: the
 * short exit of the fast paths (aarch64: reloads x0-x19 and x30; ELR,
 * SPSR and SP_EL0 still hold the task's, as no exception was taken since,
 * and x20-x29 are callee-saved). It never returns; it is declared returning
 * the context so that an upcall can end with it in tail position (a branch,
 * no stack frame). Only from trap_syscall and its callees.
 */
struct hal_context *hal_context_return(struct hal_context *context);

/** A task's fault, as the architecture describes it, for a one-line report. */
struct hal_fault {
    /** The cause (aarch64: the exception class's name, or "SError", "FIQ"). */
    const char *cause;
    /** The address that faulted; 0 when the cause has none. */
    uint64_t address;
    /** The syndrome of an asynchronous fault (aarch64: ESR of an SError; 0 for a FIQ). */
    uint64_t syndrome;
    /** Where the task was (aarch64: ELR_EL1). */
    uint64_t pc;
    /** Asynchronous (aarch64: SError or FIQ): not caused by the instruction at pc. */
    bool asynchronous;
};

/** An unexpected exception, as the architecture describes it, for a report. */
struct hal_exception_info {
    /** Set when the kernel's stack overflowed into its guard page. */
    bool stack_overflow;
    /** The type ("synchronous", "IRQ", "FIQ", "SError") and where from ("EL1"). */
    const char *type;
    const char *origin;
    /** The cause: its code (aarch64: ESR_EL1.EC) and name. */
    uint32_t cause_code;
    const char *cause;
    /**
     * An abort's details, or abort_status NULL for other causes: the fault
     * status name, the translation level (-1 when none) and the access
     * (", on a write", ", on a read" or "").
     */
    const char *abort_status;
    int abort_level;
    const char *abort_access;
    /**
     * The saved registers, for the report's dump. The general ones:
     * regs[0 .. reg_count), each named reg_prefix and its index (aarch64:
     * "x", x0-x30). The others: other[0 .. other_count), named by
     * other_names, HAL_EXCEPTION_NAME_WIDTH characters each, padded with
     * spaces (aarch64: sp, ELR, SPSR, ESR, FAR). One string, not a table
     * of names: a report may be made before the MMU is on, when a table's
     * addresses are not yet the ones the image runs at.
     */
    const uint64_t *regs;
    uint32_t reg_count;
    const char *reg_prefix;
    const uint64_t *other;
    uint32_t other_count;
    const char *other_names;
};

/** The width of each name in hal_exception_info.other_names. */
#define HAL_EXCEPTION_NAME_WIDTH 4

/** Describes exception e. */
void hal_exception_describe(const struct hal_exception *e, struct hal_exception_info *info);

/*
 * Upcalls: implemented by the kernel, called by the architecture's vectors
 * with IRQs masked, on the kernel stack. Each gets the context of the task
 * that trapped (where its registers are saved) and returns the context to
 * resume, whose address space and thread ID registers the kernel made
 * current (hal_context_activate_space, hal_context_tls_load).
 */

/** A system call by the running task (arguments in hal_context_args). */
struct hal_context *trap_syscall(struct hal_context *context);

/** An interrupt taken while the task ran. */
struct hal_context *trap_interrupt(struct hal_context *context);

/** A fault of the running task (any exception but a system call or an interrupt). */
struct hal_context *trap_fault(struct hal_context *context, const struct hal_fault *fault);

/** An interrupt taken in the kernel (aarch64: while it waits with IRQs unmasked). */
void trap_kernel_interrupt(void);

/**
 * Several CPUs (issue 15): the CPU cpu has just taken the kernel lock
 * (trap_cpu_enter) or is about to release it (trap_cpu_leave); the kernel
 * swaps in and out what it keeps for that CPU (its current task). Called
 * only once the lock is shared: with one CPU, never.
 */
void trap_cpu_enter(uint32_t cpu);
void trap_cpu_leave(uint32_t cpu);

/**
 * Any other exception: a fault of the kernel itself, or one no task can
 * raise. Reports it and halts; never returns.
 */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void trap_unexpected(const struct hal_exception *e);

#ifdef __cplusplus
}
#endif
