#pragma once

/**
 * Host fake of hal/trap.h's contexts: plain memory, with the CPU's thread
 * ID register a variable and the address space switched through hal/mmu.h
 * (hal/fake:mmu_fake records it). There are no vectors: a test calls the
 * kernel's upcalls itself with a context, as the vectors would.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/trap.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The fake's layout of a context, for tests to read and write. */
struct hal_context {
    uint64_t x[31]; /* x[0 .. HAL_CONTEXT_ARGS) are the argument words */
    uint64_t sp;
    uint64_t pc;
    bool user_mode; /* hal_context_init makes it user mode */
    uint64_t tpidr;
    paddr_t space_root;
    uint32_t space_asid;
};

/** Every context zeroed, the CPU's thread ID 0, call counts 0. */
void context_fake_reset(void);

/** The CPU's thread ID register (what the running task would read). */
uint64_t context_fake_cpu_tls(void);
void context_fake_set_cpu_tls(uint64_t value);

/** hal_context_return calls since the last reset, and the last one's context. */
uint32_t context_fake_returns(void);
struct hal_context *context_fake_last_return(void);

#ifdef __cplusplus
}
#endif
