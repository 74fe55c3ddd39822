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

/* The host runs one CPU; a test may say more are online, and sees the
 * kicks the kernel sends them. */
static uint32_t cpu_fake_online = 1;
static uint32_t cpu_fake_kicked;

void cpu_fake_set_online(uint32_t mask)
{
    cpu_fake_online = mask;
}

uint32_t cpu_fake_take_kicks(void)
{
    uint32_t kicked = cpu_fake_kicked;
    cpu_fake_kicked = 0;
    return kicked;
}

void hal_cpu_kick(uint32_t cpu)
{
    if (cpu < 32) {
        cpu_fake_kicked |= 1u << cpu;
    }
}

uint32_t hal_cpu_online(void)
{
    return cpu_fake_online;
}

void hal_cpu_wait_left_el0(uint32_t cpu)
{
    (void)cpu; /* the host runs one CPU: none other is at EL0 */
}
