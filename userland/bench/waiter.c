/* The benchmark's notification waiter: given a notification (x0), waits on it forever. */

#include <stdint.h>

#include "userland/bench/bench.h"

#include "kernel/abi/syscall.h"

int main(uint64_t notification)
{
    for (;;) {
        bench_call2(SYS_NOTIFY_WAIT, notification, 0);
    }
}
