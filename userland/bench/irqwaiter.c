/*
 * The benchmark's interrupt handler task: given the notification an IRQ is
 * bound to (x0), waits on it; each time it runs, it stores the instruction
 * count at once in the page the benchmark mapped for it, then waits again.
 */

#include <stdint.h>

#include "userland/bench/bench.h"

#include "kernel/abi/syscall.h"

/* Where bench maps the shared page (after this task first blocks). */
#define IRQWAITER_PAGE 0x30000000ull

int main(uint64_t notification)
{
    for (;;) {
        bench_call2(SYS_NOTIFY_WAIT, notification, 0);
        *(volatile uint64_t *)(uintptr_t)IRQWAITER_PAGE = bench_instret();
    }
}
