/* Message checks and transfer between two tasks (decode, then invoke). */

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/ipc_priv.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

/**
 * Checks the sender's side: see ipc_priv.h. A handle named twice is refused
 * (STATUS_INVALID_ARGUMENT): the second move would fail after the first, so
 * the pair cannot be transferred atomically.
 */
status_t ipc_msg_check_sender(struct ipc *ipc, struct cap_space *caps, uint32_t from)
{
    const struct ipc_msg *m = &ipc->tasks[from].msg;
    if (m->word_count > IPC_MSG_WORDS || m->cap_count > IPC_MSG_CAPS) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (m->cap_count == 0 && m->via == HANDLE_NONE) {
        return STATUS_OK;
    }
    if (caps == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (m->via != HANDLE_NONE) {
        // The capability it is sent through: deleted or revoked while the
        // message waited, its badge must not reach a receiver any more.
        struct cap *c = 0;
        status_t st = cap_lookup(caps, from, m->via, OBJECT_ENDPOINT, RIGHT_SEND, &c);
        if (st != STATUS_OK) {
            return st;
        }
    }
    for (uint32_t i = 0; i < m->cap_count; i++) {
        struct cap *c = 0;
        status_t st = cap_lookup(caps, from, m->caps[i], OBJECT_NONE, RIGHT_GRANT, &c);
        if (st != STATUS_OK) {
            return st;
        }
        for (uint32_t j = 0; j < i; j++) {
            if (m->caps[j] == m->caps[i]) {
                return STATUS_INVALID_ARGUMENT;
            }
        }
    }
    return STATUS_OK;
}

/** Checks the receiver's room: see ipc_priv.h. */
status_t ipc_msg_check_room(const struct ipc *ipc, const struct cap_space *caps, uint32_t from,
                            uint32_t to)
{
    uint32_t count = ipc->tasks[from].msg.cap_count;
    if (count > 0 && to != from &&
        (count > ipc->tasks[to].recv_slots ||
         CAP_TABLE_SLOTS - cap_table_count(caps, to) < count)) {
        return STATUS_TABLE_FULL;
    }
    return STATUS_OK;
}

/** Checks both sides, the sender's first: see ipc_priv.h. */
status_t ipc_msg_check(struct ipc *ipc, struct cap_space *caps, uint32_t from, uint32_t to)
{
    status_t st = ipc_msg_check_sender(ipc, caps, from);
    return st != STATUS_OK ? st : ipc_msg_check_room(ipc, caps, from, to);
}

/**
 * Copies the message and moves its capabilities: see ipc_priv.h. Field by
 * field (a struct copy could become memcpy, absent in the freestanding
 * kernel); unused words and handles become 0 so nothing stale leaks.
 */
void ipc_msg_transfer(struct ipc *ipc, struct cap_space *caps, uint32_t from, uint32_t to)
{
    const struct ipc_msg *src = &ipc->tasks[from].msg;
    struct ipc_msg *dst = &ipc->tasks[to].msg;
    dst->label = src->label;
    for (uint32_t w = 0; w < IPC_MSG_WORDS; w++) {
        dst->words[w] = w < src->word_count ? src->words[w] : 0;
    }
    dst->word_count = src->word_count;
    uint32_t count = src->cap_count;
    for (uint32_t i = 0; i < IPC_MSG_CAPS; i++) {
        handle_t out = HANDLE_NONE;
        if (i < count) {
            /* Cannot fail: ipc_msg_check looked every handle up and counted free slots. */
            CHECK(cap_transfer(caps, from, src->caps[i], to, true, &out) == STATUS_OK);
        }
        dst->caps[i] = out;
    }
    dst->cap_count = count;
    dst->badge = src->badge;
    dst->via = HANDLE_NONE;
}
