#pragma once

/*
 * The protocol between userland/smpstress (the director) and its workers
 * (smpworker): a worker is spawned with a control endpoint in x0 and
 * receives its role there, as the label of one message (sys_send), with
 * its capabilities and words:
 *
 *   SMP_ROLE_PONG   caps[0] an endpoint: answers every call on it with its
 *                   word + 1 until a call labelled SMP_LABEL_END, then exits.
 *   SMP_ROLE_PING   caps[0] the pong's endpoint, caps[1] the result endpoint,
 *                   words[0] rounds: calls the pong that many times, checking
 *                   every answer, then ends it (SMP_LABEL_END) and sends
 *                   the result: words[0] wrong answers, words[1] rounds done.
 *   SMP_ROLE_HOLDER caps[0] a notification (SEND), caps[1] the result
 *                   endpoint: signals bit 1 until a signal fails, then sends
 *                   the result: words[0] the failing status, words[1] the
 *                   signals that went through.
 *   SMP_ROLE_SPIN   caps[0] a notification (SEND), words[0] a bit: signals
 *                   it once, then spins at EL0 until it is stopped.
 *   SMP_ROLE_FAULT  words[0] a counter value: spins until then, then
 *                   writes to an unmapped address (a data abort).
 *   SMP_ROLE_SLEEP  caps[0] a notification nobody signals (RECV), caps[1]
 *                   the result endpoint, words[0] counter ticks: sleeps
 *                   that long SMP_SLEEPS times, then sends the result:
 *                   words[0] sleeps that ended early, words[1] the
 *                   longest, in counter ticks.
 */

#define SMP_ROLE_PONG 1
#define SMP_ROLE_PING 2
#define SMP_ROLE_HOLDER 3
#define SMP_ROLE_SPIN 4
#define SMP_ROLE_FAULT 5
#define SMP_ROLE_SLEEP 6

/** SMP_ROLE_SLEEP's sleeps. */
#define SMP_SLEEPS 5

/** A ping's call labels: a round, and the last call. */
#define SMP_LABEL_ROUND 10
#define SMP_LABEL_END 11
/** The label of a result (SMP_ROLE_PING, SMP_ROLE_HOLDER). */
#define SMP_LABEL_RESULT 12
