/*
 * badge client: given a badged send capability to the server (x0), calls
 * it BADGE_CLIENT_CALLS times, word 0 the call's number, then exits. It
 * never learns its badge; the server tells it apart from the others by it.
 */

#include <stdint.h>

#include "userland/badge/badge.h"
#include "userland/libsys/sys.h"

int main(uint64_t server)
{
    for (uint64_t n = 1; n <= BADGE_CLIENT_CALLS; n++) {
        struct sys_msg msg = {0};
        msg.label = BADGE_LABEL_CLIENT;
        msg.word_count = 1;
        msg.words[0] = n;
        struct sys_msg reply;
        (void)sys_call(server, &msg, &reply);
    }
    return 0;
}
