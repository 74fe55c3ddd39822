#pragma once

/*
 * The protocol between userland/timeout (init, the server) and
 * timeout_client: message labels, in the order they go.
 */

/* Client -> server: a call with a deadline the server lets pass. */
#define TIMEOUT_LABEL_LATE_CALL 1
/* Client -> server: a send, words[0] the late call's status, words[1] its ticks. */
#define TIMEOUT_LABEL_LATE_REPORT 2
/* Client -> server: a call with no deadline, answered by reply+recv. */
#define TIMEOUT_LABEL_CALL 3
/* Server -> client: that call's reply. */
#define TIMEOUT_LABEL_REPLY 4
/* Client -> server: a send, words[0] the call's status, words[1] the reply's label. */
#define TIMEOUT_LABEL_REPORT 5
