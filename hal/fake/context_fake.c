#include "hal/fake/context_fake.h"

#include <stdint.h>
#include <stdlib.h>

#include "hal/addr.h"
#include "hal/mmu.h"
#include "hal/trap.h"

static struct hal_context context_fake_contexts[HAL_CONTEXT_MAX];
static uint64_t context_fake_tls;
static uint32_t context_fake_return_count;
static struct hal_context *context_fake_returned;

void context_fake_reset(void)
{
    static const struct hal_context zero;
    for (uint32_t i = 0; i < HAL_CONTEXT_MAX; i++) {
        context_fake_contexts[i] = zero;
    }
    context_fake_tls = 0;
    context_fake_return_count = 0;
    context_fake_returned = NULL;
}

uint64_t context_fake_cpu_tls(void)
{
    return context_fake_tls;
}

void context_fake_set_cpu_tls(uint64_t value)
{
    context_fake_tls = value;
}

uint32_t context_fake_returns(void)
{
    return context_fake_return_count;
}

struct hal_context *context_fake_last_return(void)
{
    return context_fake_returned;
}

struct hal_context *hal_context_get(uint32_t index)
{
    if (index >= HAL_CONTEXT_MAX) {
        abort(); /* the kernel asked for a context that does not exist */
    }
    return &context_fake_contexts[index];
}

uint64_t *hal_context_args(struct hal_context *context)
{
    return context->x;
}

void hal_context_init(struct hal_context *context, uint64_t entry, uint64_t stack, uint64_t a0,
                      uint64_t a1, uint64_t a2)
{
    for (uint32_t i = 0; i < 31; i++) {
        context->x[i] = 0;
    }
    context->x[0] = a0;
    context->x[1] = a1;
    context->x[2] = a2;
    context->sp = stack;
    context->pc = entry;
    context->user_mode = true;
    context->tpidr = 0;
}

void hal_context_tls_save(struct hal_context *context)
{
    context->tpidr = context_fake_tls;
}

void hal_context_tls_load(const struct hal_context *context)
{
    context_fake_tls = context->tpidr;
}

void hal_context_set_space(struct hal_context *context, paddr_t root, uint32_t asid)
{
    context->space_root = root;
    context->space_asid = asid;
}

paddr_t hal_context_space_root(const struct hal_context *context)
{
    return context->space_root;
}

void hal_context_activate_space(const struct hal_context *context)
{
    if (hal_mmu_active().value != context->space_root.value) {
        hal_mmu_activate(context->space_root, context->space_asid);
    }
}

void hal_context_enter(struct hal_context *context)
{
    (void)context;
    abort(); /* no user mode on the host: tests use trap_start (kernel/trap) */
}

struct hal_context *hal_context_return(struct hal_context *context)
{
    context_fake_return_count++;
    context_fake_returned = context;
    return context;
}
