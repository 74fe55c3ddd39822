#pragma once

/**
 * Starting the other CPUs, the architecture's half (issue 15): what a
 * secondary CPU needs to reach the kernel's address space, and its report
 * that it did. The board's half chooses the CPUs and starts each (PSCI
 * CPU_ON on virt) at aarch64_secondary_entry_pa() with the physical address
 * aarch64_secondary_prepare() returns as its argument (x0).
 *
 * The secondary's path (AARCH64_SECONDARY_ENTRY, boot_entry.inc): DAIF
 * masked; down to EL1 as the boot CPU went; the EL1 control registers in
 * full, PAN on; MAIR, TCR and both TTBRs from the record (the boot CPU's,
 * TTBR0 still the boot identity map of the text); the TLB invalidated, MMU
 * and caches on; to the upper half, on its own stack (AARCH64_STACK_SIZE
 * over an unmapped guard, TPIDR_EL1 its top: the vectors move there on
 * every trap), vectors installed, TTBR0 walks off (TCR_EL1.EPD0); then
 * the board's C with the CPU's slot.
 *
 * Slots: slot 0 is the boot CPU (the boot stack), slots 1 ..
 * AARCH64_MAX_CPUS - 1 the CPUs the board starts, in the order it starts
 * them. A slot is used once: a CPU that never reported may still arrive.
 */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** The CPUs the kernel runs, the boot CPU included (kernel.ld's stacks). */
#define AARCH64_MAX_CPUS 8

/* kernel.ld's kernel stacks: each AARCH64_STACK_SIZE bytes, slot s's at
 * __stack_bottom + s * AARCH64_STACK_STRIDE, unmapped pages between. */
#define AARCH64_STACK_SIZE 0x4000ull
#define AARCH64_STACK_STRIDE 0x8000ull

/* Offsets in struct aarch64_secondary_boot, for boot_entry.inc. */
#define AARCH64_SECONDARY_MAIR 0
#define AARCH64_SECONDARY_TTBR0 16
#define AARCH64_SECONDARY_STACK 32

#ifndef __ASSEMBLER__
/**
 * What a secondary reads: the first 32 bytes with the MMU off (so the boot
 * CPU cleans them to the point of coherency before starting it), the rest
 * once the MMU is on.
 */
struct aarch64_secondary_boot {
    uint64_t mair;
    uint64_t tcr; /* EPD0 clear: TTBR0 is the identity map until the jump */
    uint64_t ttbr0;
    uint64_t ttbr1;
    uint64_t stack_top; /* the slot's stack, a virtual address */
    uint64_t slot;
    uint64_t online; /* its report, enum aarch64_secondary_report (store-release) */
    uint64_t pad;
};
_Static_assert(sizeof(struct aarch64_secondary_boot) == 64, "one cache line of 64 bytes");

/**
 * Records the boot CPU's translation registers for the secondaries. Call
 * once the MMU is on and before aarch64_boot_mmu_finish(): TTBR0 still
 * holds the boot identity map then.
 */
void aarch64_secondary_record(void);

/**
 * The record for slot (1 .. AARCH64_MAX_CPUS - 1), filled and cleaned to
 * the point of coherency: its physical address, the argument of the
 * secondary's entry. 0 for a slot out of range.
 */
uint64_t aarch64_secondary_prepare(uint32_t slot);

/** The physical address of the secondaries' entry (the board's start.S). */
uint64_t aarch64_secondary_entry_pa(void);

/** The physical address of va, an address in the kernel image. */
uint64_t aarch64_image_pa(const void *va);

/** What aarch64_secondary_wait returns. */
enum aarch64_secondary_report {
    AARCH64_SECONDARY_SILENT = 0, /* no report within the timeout */
    AARCH64_SECONDARY_UP = 1,     /* it runs, set up */
    AARCH64_SECONDARY_FAILED = 2, /* it runs, but its set-up failed */
};

/**
 * Waits until slot's CPU reports in (aarch64_secondary_online), or until
 * the system counter has advanced by timeout_ticks. Returns the report.
 */
enum aarch64_secondary_report aarch64_secondary_wait(uint32_t slot, uint64_t timeout_ticks);

/**
 * Called by the secondary of slot once it runs C and has set itself up
 * (ok) or failed to: its report (store-release).
 */
void aarch64_secondary_online(uint32_t slot, bool ok);

/** MPIDR_EL1's affinity fields: Aff3 (39:32), Aff2, Aff1, Aff0 (23:0). */
#define AARCH64_MPIDR_AFFINITY 0xff00ffffffull

/** The calling CPU's MPIDR_EL1 affinity fields (what a /cpus reg names). */
uint64_t aarch64_cpu_mpidr(void);

/** The slot of the calling CPU (TPIDR_EL1's stack), 0 for the boot CPU. */
uint32_t aarch64_cpu_slot(void);
#endif

#ifdef __cplusplus
}
#endif
