/*
 * tls_peer: the other task of userland/tls (tls.h). Reads its thread ID
 * registers at its start, sets TPIDR_EL0 and blocks; reports what it saw
 * when asked, and on TLS_LABEL_WRITE_RO tries to write TPIDRRO_EL0, which
 * faults.
 */

#include <stdint.h>

#include "userland/libsys/sys.h"
#include "userland/tls/tls.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

int main(uint64_t arg)
{
    handle_t ep = (handle_t)arg;
    uint64_t tpidr_at_start = tls_read_tpidr();
    uint64_t tpidrro_at_start = tls_read_tpidrro();
    tls_write_tpidr(TLS_PEER_VALUE);
    struct sys_msg msg;
    status_t st = sys_recv(ep, &msg);
    while (st == STATUS_OK) {
        struct sys_msg reply = {0};
        reply.label = msg.label;
        if (msg.label == TLS_LABEL_WRITE_RO) {
            sys_reply(&reply);
            __asm__ volatile("msr tpidrro_el0, %0" ::"r"(TLS_PEER_VALUE));
            return 1; // not reached: the write faults
        }
        reply.word_count = 3;
        reply.words[0] = tpidr_at_start;
        reply.words[1] = tpidrro_at_start;
        reply.words[2] = tls_read_tpidr();
        st = sys_reply_recv(ep, &reply, &msg);
    }
    return 1;
}
