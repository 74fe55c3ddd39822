/*
 * jam flooder: calls the server 60 times with two capabilities each (two
 * new children of its endpoint capability), more than the server's table
 * holds. Each call refused must fail with STATUS_TABLE_FULL and leave both
 * capabilities with the flooder. Reports the counts and exits.
 */

#include <stdint.h>

#include "userland/jam/jam.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

#define FLOOD_CALLS 60

int main(uint64_t arg)
{
    struct jam_setup s;
    if (jam_setup(arg, &s) != STATUS_OK) {
        return 1;
    }
    uint32_t accepted = 0;
    uint32_t refused = 0;
    uint32_t bad = 0;
    for (uint32_t i = 0; i < FLOOD_CALLS; i++) {
        struct sys_msg msg = {0};
        msg.cap_count = 2;
        if (sys_cap_derive(s.ep, RIGHT_SEND | RIGHT_GRANT, &msg.caps[0]) != STATUS_OK ||
            sys_cap_derive(s.ep, RIGHT_SEND | RIGHT_GRANT, &msg.caps[1]) != STATUS_OK) {
            bad++;
            break;
        }
        struct sys_msg reply;
        status_t st = sys_call(s.ep, &msg, &reply);
        if (st == STATUS_OK && reply.words[0] == 2) {
            accepted++;
        } else if (st == STATUS_TABLE_FULL && sys_cap_delete(msg.caps[0]) == STATUS_OK &&
                   sys_cap_delete(msg.caps[1]) == STATUS_OK) {
            refused++; // both were still ours
        } else {
            sys_printf(s.console, "jam flooder: FAIL call %u: status %d\n", i, st);
            bad++;
        }
    }
    jam_report(&s, JAM_FLOODER, accepted, refused, bad);
    return 0;
}
