/*
 * badge: the protocol between the badge test's server (init, badge.c), its
 * three clients (client.c) and the forger (forger.c).
 */
#pragma once

#include <stdint.h>

/** The badges init gives its three clients and the forger. */
#define BADGE_CLIENT_A 0xa11ceull
#define BADGE_CLIENT_B 0xb0bull
#define BADGE_CLIENT_C 0xca201ull
#define BADGE_FORGER 0xf0f0ull

/** Calls each client makes; word 0 of call n (from 1) is n. */
#define BADGE_CLIENT_CALLS 2

/** The label an honest client sends (any label: the server ignores it). */
#define BADGE_LABEL_CLIENT 0x1ull

/**
 * The forger's calls: two claiming to be client A (label and every word
 * BADGE_CLIENT_A, the second with every message register set to it), one
 * through a capability it derived from its own, and a last one whose
 * words 0 and 1 are the statuses of its two attempts to re-badge.
 */
#define BADGE_FORGER_CALLS 4
#define BADGE_LABEL_REPORT 0x7e907ull

/** Every call the server answers before it checks and powers off. */
#define BADGE_TOTAL_CALLS (3 * BADGE_CLIENT_CALLS + BADGE_FORGER_CALLS)
