#include "hal/fake/cpu_fake.h"

#include <stddef.h>
#include <stdlib.h>

#include "hal/cpu.h"

/* The test's stand-in for an interrupt, or NULL. */
static cpu_fake_wait_handler cpu_fake_waiter;

void cpu_fake_set_wait_handler(cpu_fake_wait_handler handler)
{
    cpu_fake_waiter = handler;
}

static uint64_t cpu_fake_instructions;
static uint64_t cpu_fake_instructions_step;

void cpu_fake_set_instructions(uint64_t first, uint64_t step)
{
    cpu_fake_instructions = first;
    cpu_fake_instructions_step = step;
}

uint64_t hal_cpu_instructions(void)
{
    uint64_t now = cpu_fake_instructions;
    cpu_fake_instructions += cpu_fake_instructions_step;
    return now;
}

_Noreturn void hal_cpu_halt(void)
{
    exit(CPU_FAKE_HALT_EXIT_CODE);
}

/* The fake has neither a lock nor a real wait: the wait handler (the
 * interrupt a test makes pending) runs. */
void hal_cpu_idle(void)
{
    if (cpu_fake_waiter != NULL) {
        cpu_fake_waiter();
    }
}

uint32_t hal_cpu_index(void)
{
    return 0;
}

void hal_cpu_kick(uint32_t cpu)
{
    (void)cpu; /* the host runs one CPU */
}

uint32_t hal_cpu_online(void)
{
    return 1; /* the host runs one CPU */
}

void hal_cpu_wait_left_el0(uint32_t cpu)
{
    (void)cpu; /* the host runs one CPU: none other is at EL0 */
}
