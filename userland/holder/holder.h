#pragma once

/**
 * The holder protocol (userland/holder serves it, userland/revoke calls
 * it): calls on the endpoint the holder is spawned with, told apart by
 * their label.
 *
 * - HOLDER_LABEL_GIVE, capabilities: a notification (RIGHT_SEND) and a
 *   console (RIGHT_WRITE): the holder keeps both; empty reply.
 * - HOLDER_LABEL_SIGNAL, word 0 the bits, word 1 HOLDER_BEFORE_REVOKE or
 *   HOLDER_AFTER_REVOKE: the holder signals its notification with the
 *   bits, prints "holder: signal <before|after> revoke: status <N>" on its
 *   console, and replies with the status in word 0.
 * - HOLDER_LABEL_EXIT: the holder replies and exits.
 */

#define HOLDER_LABEL_GIVE 1
#define HOLDER_LABEL_SIGNAL 2
#define HOLDER_LABEL_EXIT 3

#define HOLDER_BEFORE_REVOKE 0
#define HOLDER_AFTER_REVOKE 1
