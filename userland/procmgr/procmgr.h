/*
 * The process manager's protocol (userland/procmgr): requests on its
 * endpoint, a label each.
 *
 *   PROCMGR_SETUP   (send, once, from init): caps[0] the kernel capability
 *                   it will spawn with, caps[1] a console capability.
 *   PROCMGR_SPAWN   (call): words[0..3] the image name, NUL-padded (at
 *                   most 31 characters), caps[0] (optional) a capability
 *                   for the new task, which gets it in x0. Reply: label
 *                   the status_t of the spawn; on success caps[0] the new
 *                   task's capability (CONTROL, WATCH, ...) and caps[1] its
 *                   address space's, moved to the caller (the task runs
 *                   while its space has a capability).
 *
 * Any other label, or a malformed request, is answered with
 * STATUS_INVALID_ARGUMENT and nothing else.
 */
#pragma once

#include <stdint.h>

#include "userland/libsys/sys.h"

#define PROCMGR_SETUP 1
#define PROCMGR_SPAWN 2

/** The priority the process manager gives the tasks it starts. */
#define PROCMGR_CHILD_PRIORITY 20

/** Packs name (NUL-terminated) into the words of msg; false if it is too long. */
static inline int procmgr_pack_name(struct sys_msg *msg, const char *name)
{
    for (uint32_t w = 0; w < SYS_MSG_MAX_WORDS; w++) {
        msg->words[w] = 0;
    }
    uint32_t i = 0;
    for (; name[i] != 0; i++) {
        if (i >= 8 * SYS_MSG_MAX_WORDS - 1) {
            return 0;
        }
        msg->words[i / 8] |= (uint64_t)(uint8_t)name[i] << (8 * (i % 8));
    }
    msg->word_count = SYS_MSG_MAX_WORDS;
    return i > 0;
}

/** Unpacks the name from msg into out (32 bytes); false if it has no NUL or is empty. */
static inline int procmgr_unpack_name(const struct sys_msg *msg, char out[8 * SYS_MSG_MAX_WORDS])
{
    for (uint32_t i = 0; i < 8 * SYS_MSG_MAX_WORDS; i++) {
        out[i] = (char)(msg->words[i / 8] >> (8 * (i % 8)));
        if (out[i] == 0) {
            return i > 0;
        }
    }
    return 0;
}
