#pragma once

/**
 * The EL0 system-call fuzzer (userland/fuzz/fuzz.c) and its helper
 * (fuzzhelp.c): what they share.
 */

#include <stdint.h>

/** Calls the fuzzer makes: defined by the program variant (calls_short.c, calls_long.c). */
extern const uint64_t fuzz_call_count;

/** Calls between two progress lines. */
extern const uint64_t fuzz_progress_every;

/** See fuzz_svc.S. */
void fuzz_svc(const uint64_t in[31], uint64_t out[33]);

/**
 * Labels of the messages the helper understands. Any other label: the
 * helper deletes the capabilities that came with the message and replies
 * with its words (a send gets no reply: the reply fails, and the helper
 * goes back to receiving).
 */
/** Keep capability 0 of the message: a SEND capability to the fuzzer's own endpoint. */
#define FUZZ_LABEL_GIVE 0x6769766500ull
/**
 * Reply, then send one message to the fuzzer's endpoint (so that its
 * receive does not block). The reply's word 0 says whether that message
 * follows: 0 from a helper that was never given the endpoint (the fuzzer
 * spawns more helpers on the same endpoint).
 */
#define FUZZ_LABEL_SENDBACK 0x6261636b00ull
