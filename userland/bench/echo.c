/*
 * The benchmark's IPC server: given an endpoint (x0), receives and replies
 * with an empty message, forever.
 */

#include <stdint.h>

#include "userland/bench/bench.h"

#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

int main(uint64_t endpoint)
{
    // Not given an endpoint it can receive on (spawned by hand from the
    // shell, say): nothing to serve, so it ends rather than spin.
    if (bench_ipc(SYS_RECV, endpoint, 0, 0) != STATUS_OK) {
        return 1;
    }
    for (;;) {
        bench_ipc(SYS_REPLY_RECV, endpoint, sys_msg_info(0, 0, 0), 0);
    }
}
