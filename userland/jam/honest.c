/*
 * jam honest client: calls the server 50 times with no capability, at the
 * flooder's priority, so its calls queue behind the flooder's. Reports how
 * many were served and exits.
 */

#include <stdint.h>

#include "userland/jam/jam.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/status.h"

#define HONEST_CALLS 50

int main(uint64_t arg)
{
    struct jam_setup s;
    if (jam_setup(arg, &s) != STATUS_OK) {
        return 1;
    }
    uint32_t served = 0;
    for (uint32_t i = 0; i < HONEST_CALLS; i++) {
        struct sys_msg msg = {0};
        msg.word_count = 1;
        msg.words[0] = i;
        struct sys_msg reply;
        if (sys_call(s.ep, &msg, &reply) == STATUS_OK) {
            served++;
        }
    }
    jam_report(&s, JAM_HONEST, served, HONEST_CALLS, 0);
    return 0;
}
