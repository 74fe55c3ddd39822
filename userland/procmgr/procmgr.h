/*
 * The process manager's protocol (userland/procmgr): requests on its
 * endpoint, a label each.
 *
 *   PROCMGR_SETUP   (send, once, from init): caps[0] the kernel capability
 *                   it will spawn with, caps[1] a console capability.
 *   PROCMGR_SPAWN   (call): words[0..2] the image name, NUL-padded (at
 *                   most 23 characters), words[3] the priority (0 for
 *                   PROCMGR_CHILD_PRIORITY), caps[0] (optional) a capability
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

/** The priority the process manager gives a task when the request names none. */
#define PROCMGR_CHILD_PRIORITY 20
/** Words of a request that hold the name; the last word is the priority. */
#define PROCMGR_NAME_WORDS 3

/** Packs name (NUL-terminated) and priority into msg's words; false if the name is too long. */
static inline int procmgr_pack_spawn(struct sys_msg *msg, const char *name, uint64_t priority)
{
    for (uint32_t w = 0; w < SYS_MSG_MAX_WORDS; w++) {
        msg->words[w] = 0;
    }
    uint32_t i = 0;
    for (; name[i] != 0; i++) {
        if (i >= 8 * PROCMGR_NAME_WORDS - 1) {
            return 0;
        }
        msg->words[i / 8] |= (uint64_t)(uint8_t)name[i] << (8 * (i % 8));
    }
    msg->words[PROCMGR_NAME_WORDS] = priority;
    msg->word_count = SYS_MSG_MAX_WORDS;
    return i > 0;
}

/** Unpacks the name from msg into out (24 bytes); false if it has no NUL or is empty. */
static inline int procmgr_unpack_name(const struct sys_msg *msg, char out[8 * PROCMGR_NAME_WORDS])
{
    for (uint32_t i = 0; i < 8 * PROCMGR_NAME_WORDS; i++) {
        out[i] = (char)(msg->words[i / 8] >> (8 * (i % 8)));
        if (out[i] == 0) {
            return i > 0;
        }
    }
    return 0;
}
