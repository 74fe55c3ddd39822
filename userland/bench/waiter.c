/* The benchmark's notification waiter: given a notification (x0), waits on it forever. */

#include <stdint.h>

#include "userland/bench/bench.h"

#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

int main(uint64_t notification)
{
    // Not given a notification (spawned by hand from the shell, say):
    // nothing to wait for, so it ends rather than spin.
    if (bench_call2(SYS_NOTIFY_WAIT, notification, 0) != STATUS_OK) {
        return 1;
    }
    for (;;) {
        bench_call2(SYS_NOTIFY_WAIT, notification, 0);
    }
}
