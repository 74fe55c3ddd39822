/* The benchmark's other task for context switches: yields forever. */

#include <stdint.h>

#include "userland/bench/bench.h"

#include "kernel/abi/syscall.h"

int main(uint64_t arg)
{
    (void)arg;
    for (;;) {
        bench_call2(SYS_YIELD, 0, 0);
    }
}
