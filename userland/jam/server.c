/*
 * jam server: receives on the service endpoint accepting two capabilities
 * per message, keeps every capability it gets (a careless server), and
 * replies with how many came. Its table fills; from then on a message with
 * capabilities must fail its sender, not this server's receive. If its
 * receive fails 50 times in a row, it is jammed: it reports so and exits.
 */

#include <stdint.h>

#include "userland/jam/jam.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/status.h"

int main(uint64_t arg)
{
    struct jam_setup s;
    if (jam_setup(arg, &s) != STATUS_OK) {
        return 1;
    }
    uint32_t failed = 0;
    while (failed < 50) {
        struct sys_msg msg;
        status_t st = sys_recv_caps(s.ep, 2, &msg);
        if (st != STATUS_OK) {
            failed++;
            continue;
        }
        failed = 0;
        struct sys_msg reply = {0};
        reply.word_count = 1;
        reply.words[0] = msg.cap_count;
        sys_reply(&reply);
    }
    jam_report(&s, JAM_SERVER_JAMMED, 0, 0, 0);
    return 1;
}
