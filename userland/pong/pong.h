#pragma once

/**
 * The pong protocol (userland/pong serves it, userland/pingpong calls it):
 * calls on one endpoint, told apart by their label.
 *
 * - PONG_LABEL_ID, word 0 an id: the pong that receives it takes that id
 *   if it has none yet (ids are not 0); the reply's word 0 is its id.
 * - PONG_LABEL_PING, word 0 a counter, and at most one capability: the
 *   reply's words are the counter + 1, the pong's id, the pings it has
 *   served, and, when a capability came, the status of printing
 *   "pong: got a console capability" through it (else 0).
 * - PONG_LABEL_EXIT: the pong replies with no word and exits.
 */

#define PONG_LABEL_ID 1
#define PONG_LABEL_PING 2
#define PONG_LABEL_EXIT 3

/** Reply words of a ping. */
#define PONG_REPLY_COUNTER 0
#define PONG_REPLY_ID 1
#define PONG_REPLY_SERVED 2
#define PONG_REPLY_PRINT 3
