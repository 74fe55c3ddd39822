/*
 * timeout_client: the client of userland/timeout (timeout.h), spawned with
 * a capability to send on the server's endpoint in x0, at a priority above
 * the server's. Makes a call with a deadline the server lets pass and
 * reports its status and length; then a call with no deadline, and after
 * its reply keeps the CPU for 40 ms (spinning on the counter) so that the
 * server's reply+receive can time out before the report comes.
 */

#include <stdint.h>

#include "userland/libsys/sys.h"
#include "userland/timeout/timeout.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/** Sends label with two words. */
static void report(handle_t ep, uint64_t label, uint64_t w0, uint64_t w1)
{
    struct sys_msg msg = {0};
    msg.label = label;
    msg.word_count = 2;
    msg.words[0] = w0;
    msg.words[1] = w1;
    (void)sys_send(ep, &msg);
}

int main(uint64_t arg, uint64_t clock_hz)
{
    handle_t ep = (handle_t)arg;
    struct sys_msg msg = {0};
    struct sys_msg reply = {0};

    msg.label = TIMEOUT_LABEL_LATE_CALL;
    uint64_t t0 = sys_clock_now();
    status_t st = sys_call_until(ep, &msg, t0 + clock_hz / 50, &reply); // 20 ms
    uint64_t t1 = sys_clock_now();
    report(ep, TIMEOUT_LABEL_LATE_REPORT, (uint64_t)st, t1 - t0);

    msg.label = TIMEOUT_LABEL_CALL;
    st = sys_call(ep, &msg, &reply);
    uint64_t until = sys_clock_now() + clock_hz / 25; // 40 ms
    while (sys_clock_now() < until) {
    }
    report(ep, TIMEOUT_LABEL_REPORT, (uint64_t)st, reply.label);
    return 0;
}
