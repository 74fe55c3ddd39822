/*
 * The process manager's protocol (userland/procmgr): requests on its
 * endpoint, a label each.
 *
 *   PROCMGR_SETUP   (send, once, from init): caps[0] the kernel capability
 *                   it will spawn with, caps[1] a console capability;
 *                   words[0] and words[1] (optional, with word_count 2)
 *                   init's and the process manager's own priorities, so
 *                   that the list shows them too.
 *   PROCMGR_SPAWN   (call): words[0..2] the image name, NUL-padded (at
 *                   most 23 characters), words[3] the priority (0 for
 *                   PROCMGR_CHILD_PRIORITY), caps[0] (optional) a capability
 *                   for the new task, which gets it in x0. Reply: label
 *                   the status_t of the spawn (STATUS_TABLE_FULL when
 *                   PROCMGR_MAX_RECORDS tasks run already); on success
 *                   words[0] its id, caps[0] a capability to the new task
 *                   (CONTROL, GRANT, DERIVE: no WATCH, the process manager
 *                   watches it) and caps[1] one to its address space (MAP,
 *                   GRANT, DERIVE), derived from the process manager's
 *                   own: the task runs until it ends or is killed,
 *                   whatever the caller does with them.
 *   PROCMGR_LIST    (call): words[0] a cursor (0 for the first record).
 *                   Reply: STATUS_OK with the first record at or after the
 *                   cursor in words[0..3] (procmgr_pack_entry, which gives
 *                   the next cursor too), or STATUS_NOT_FOUND past the
 *                   last. Records are kept in spawn order of their slots;
 *                   an ended task's record stays until its slot is needed.
 *   PROCMGR_KILL    (call): words[0] a task id. Stops the task for good:
 *                   its address space goes (every capability to it is
 *                   revoked), so the kernel stops it. Reply: STATUS_OK,
 *                   STATUS_NOT_FOUND (no such id), STATUS_PERMISSION
 *                   (a task the process manager did not spawn: init, or
 *                   itself), STATUS_BAD_STATE (it has ended already).
 *   PROCMGR_WAIT    (call): words[0] a task id. Replies once the task has
 *                   ended (at once if it has): STATUS_OK, or the errors of
 *                   PROCMGR_KILL. The process manager serves nobody else
 *                   while it waits.
 *
 * Tasks end (exit, fault, or their space going) as SYS_TASK_WATCH tells
 * the process manager; the watch does not say how, so the list says
 * "ended" for all three and "killed" for a PROCMGR_KILL.
 *
 * Any other label, or a malformed request, is answered with
 * STATUS_INVALID_ARGUMENT and nothing else.
 */
#pragma once

#include <stdint.h>

#include "userland/libsys/sys.h"

#define PROCMGR_SETUP 1
#define PROCMGR_SPAWN 2
#define PROCMGR_LIST 3
#define PROCMGR_KILL 4
#define PROCMGR_WAIT 5

/** Task records the process manager keeps (running and ended). */
#define PROCMGR_MAX_RECORDS 24
_Static_assert(PROCMGR_MAX_RECORDS < 0xff, "a cursor fits PROCMGR_LIST's 8 bits");

/** A record's state (procmgr_entry.state). */
#define PROCMGR_STATE_RUNNING 1
#define PROCMGR_STATE_ENDED 2
#define PROCMGR_STATE_KILLED 3

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

/** Bytes of a name in a message: three words, its NUL included. */
#define PROCMGR_NAME_MAX (8 * PROCMGR_NAME_WORDS)

/** procmgr_entry.cpu of a task whose CPU is not known (ended, or not its spawn). */
#define PROCMGR_CPU_NONE 0xffu

/** One record of PROCMGR_LIST's reply. */
struct procmgr_entry {
    /** The id PROCMGR_KILL and PROCMGR_WAIT take (1 up, never reused). */
    uint32_t id;
    /** PROCMGR_STATE_*. */
    uint32_t state;
    uint32_t priority;
    /** The cursor of the next PROCMGR_LIST request. */
    uint32_t next;
    /** The image name, NUL-terminated. */
    char name[PROCMGR_NAME_MAX];
    /** The CPU that runs it or last ran it (SYS_TASK_INFO), PROCMGR_CPU_NONE if unknown. */
    uint32_t cpu;
};

/**
 * Packs e into msg's words: words[0] the id (bits 0-31), state (32-39),
 * priority (40-47), next cursor (48-55) and CPU (56-63); words[1..3] the name,
 * NUL-padded (cut at PROCMGR_NAME_MAX - 1 bytes).
 */
static inline void procmgr_pack_entry(struct sys_msg *msg, const struct procmgr_entry *e)
{
    for (uint32_t w = 0; w < SYS_MSG_MAX_WORDS; w++) {
        msg->words[w] = 0;
    }
    msg->words[0] = (uint64_t)e->id | (uint64_t)(e->state & 0xff) << 32 |
                    (uint64_t)(e->priority & 0xff) << 40 | (uint64_t)(e->next & 0xff) << 48 |
                    (uint64_t)(e->cpu & 0xff) << 56;
    for (uint32_t i = 0; i < PROCMGR_NAME_MAX - 1 && e->name[i] != 0; i++) {
        msg->words[1 + i / 8] |= (uint64_t)(uint8_t)e->name[i] << (8 * (i % 8));
    }
    msg->word_count = SYS_MSG_MAX_WORDS;
}

/** Unpacks a record from msg into *e; false if the message is too short or its state unknown. */
static inline int procmgr_unpack_entry(const struct sys_msg *msg, struct procmgr_entry *e)
{
    if (msg->word_count < SYS_MSG_MAX_WORDS) {
        return 0;
    }
    const uint64_t w = msg->words[0];
    e->id = (uint32_t)w;
    e->state = (uint32_t)(w >> 32) & 0xff;
    e->priority = (uint32_t)(w >> 40) & 0xff;
    e->next = (uint32_t)(w >> 48) & 0xff;
    e->cpu = (uint32_t)(w >> 56);
    for (uint32_t i = 0; i < PROCMGR_NAME_MAX; i++) {
        e->name[i] = i < PROCMGR_NAME_MAX - 1 ? (char)(msg->words[1 + i / 8] >> (8 * (i % 8))) : 0;
    }
    return e->state >= PROCMGR_STATE_RUNNING && e->state <= PROCMGR_STATE_KILLED;
}

/** A state's name for listings ("?" for an unknown one). */
static inline const char *procmgr_state_name(uint32_t state)
{
    switch (state) {
    case PROCMGR_STATE_RUNNING:
        return "running";
    case PROCMGR_STATE_ENDED:
        return "ended";
    case PROCMGR_STATE_KILLED:
        return "killed";
    default:
        return "?";
    }
}
