/*
 * The process manager: a user task that creates the other tasks from the
 * embedded images with the kernel capability init lends it, hands each the
 * one capability its requester sends along, watches each until it ends,
 * and lists, kills and waits for them on request (protocol in procmgr.h).
 * It is the only holder of a kernel capability besides init (and the
 * shell, which init lends one).
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/procmgr/procmgr.h"
#include "userland/procmgr/procmgr_table.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

/* What the process manager holds once set up. */
struct procmgr {
    handle_t kernel;
    handle_t console;
    /** Signalled by the kernel with a record's bit when that task ends. */
    handle_t ended;
    struct procmgr_table table;
};

static struct procmgr pm;

/* The reply to a request: a status, words[0], and capabilities to move (or none). */
static void answer(struct sys_msg *reply, status_t st, uint64_t word, handle_t task, handle_t space)
{
    reply->label = (uint64_t)(uint32_t)st;
    reply->word_count = 1;
    reply->words[0] = word;
    reply->cap_count = task != HANDLE_NONE ? 2 : 0;
    reply->caps[0] = task;
    reply->caps[1] = space;
}

/* Deletes the capabilities slot i still holds (a task that ended or was killed). */
static void release(int i)
{
    struct procmgr_record *r = &pm.table.records[i];
    if (r->space != HANDLE_NONE) {
        sys_cap_delete(r->space);
        r->space = HANDLE_NONE;
    }
    if (r->task != HANDLE_NONE) {
        sys_cap_delete(r->task);
        r->task = HANDLE_NONE;
    }
}

/* Records the ends the kernel has signalled (bits, plus any pending). */
static void note_ended(uint64_t bits)
{
    uint64_t more = 0;
    if (sys_notify_poll(pm.ended, &more) == STATUS_OK) {
        bits |= more;
    }
    uint64_t marked = procmgr_table_ended(&pm.table, bits);
    for (int i = 0; i < PROCMGR_MAX_RECORDS; i++) {
        if ((marked & procmgr_table_bit(i)) != 0) {
            release(i);
        }
    }
}

/*
 * Spawns name at priority giving it give; on success *task and *space are
 * the caller's copies and *id the new record's.
 */
static status_t spawn(const char *name, uint64_t priority, handle_t give, uint32_t *id,
                      handle_t *task, handle_t *space)
{
    int i = procmgr_table_take(&pm.table);
    if (i < 0) {
        return STATUS_TABLE_FULL;
    }
    release(i);
    handle_t t = HANDLE_NONE;
    handle_t s = HANDLE_NONE;
    status_t st = sys_task_spawn(pm.kernel, name, priority, give, &t, &s);
    if (st != STATUS_OK) {
        return st;
    }
    // Watch it first: the kernel reports a task that ended already at once.
    st = sys_task_watch(t, pm.ended, procmgr_table_bit(i));
    if (st == STATUS_OK) {
        st = sys_cap_derive(t, RIGHT_CONTROL | RIGHT_GRANT | RIGHT_DERIVE, task);
    }
    if (st == STATUS_OK) {
        st = sys_cap_derive(s, RIGHT_MAP | RIGHT_GRANT | RIGHT_DERIVE, space);
        if (st != STATUS_OK) {
            sys_cap_delete(*task);
        }
    }
    if (st != STATUS_OK) {
        // Undo: with its space gone the task stops and leaves nothing.
        sys_cap_revoke(s);
        sys_cap_delete(s);
        sys_cap_delete(t);
        uint64_t bits = 0;
        sys_notify_poll(pm.ended, &bits); // its bit, if it was set
        return st;
    }
    *id = procmgr_table_fill(&pm.table, i, name, (uint32_t)priority, t, s);
    return STATUS_OK;
}

/* The slot of a task a kill or wait may name, or a status saying why not. */
static status_t target(uint64_t id, int *slot)
{
    int i = id <= UINT32_MAX ? procmgr_table_find(&pm.table, (uint32_t)id) : -1;
    if (i < 0) {
        return STATUS_NOT_FOUND;
    }
    const struct procmgr_record *r = &pm.table.records[i];
    if (r->state == PROCMGR_STATE_RUNNING && r->task == HANDLE_NONE) {
        return STATUS_PERMISSION; // init or the process manager itself
    }
    *slot = i;
    return STATUS_OK;
}

/* PROCMGR_KILL: the task's space goes (every copy revoked), so the kernel stops it. */
static status_t kill(uint64_t id)
{
    int i = 0;
    status_t st = target(id, &i);
    if (st != STATUS_OK) {
        return st;
    }
    struct procmgr_record *r = &pm.table.records[i];
    if (r->state != PROCMGR_STATE_RUNNING) {
        return STATUS_BAD_STATE;
    }
    st = sys_cap_revoke(r->space);
    if (st != STATUS_OK) {
        return st;
    }
    release(i);
    // Its watch bit is set now; take it so it says nothing of the next task.
    note_ended(0);
    r->state = PROCMGR_STATE_KILLED;
    return STATUS_OK;
}

/* PROCMGR_WAIT: blocks on the watch notification until the task has ended. */
static status_t wait_for(uint64_t id)
{
    int i = 0;
    status_t st = target(id, &i);
    while (st == STATUS_OK && pm.table.records[i].state == PROCMGR_STATE_RUNNING) {
        uint64_t bits = 0;
        st = sys_notify_wait(pm.ended, &bits);
        if (st == STATUS_OK) {
            note_ended(bits);
        }
    }
    return st;
}

/* PROCMGR_LIST: the record at or after the cursor. */
static void list(uint64_t cursor, struct sys_msg *reply)
{
    struct procmgr_entry e;
    if (cursor > PROCMGR_MAX_RECORDS || !procmgr_table_next(&pm.table, (uint32_t)cursor, &e)) {
        answer(reply, STATUS_NOT_FOUND, 0, HANDLE_NONE, HANDLE_NONE);
        return;
    }
    const struct procmgr_record *r = &pm.table.records[e.next - 1];
    uint64_t cpu = 0;
    uint64_t cpus = 0;
    if (r->state == PROCMGR_STATE_RUNNING && r->task != HANDLE_NONE &&
        sys_task_info(r->task, &cpu, &cpus) == STATUS_OK && cpu < PROCMGR_CPU_NONE) {
        e.cpu = (uint32_t)cpu;
    }
    answer(reply, STATUS_OK, 0, HANDLE_NONE, HANDLE_NONE);
    procmgr_pack_entry(reply, &e);
}

/* Serves one request into reply. */
static void serve(const struct sys_msg *msg, struct sys_msg *reply)
{
    char name[PROCMGR_NAME_MAX];
    switch (msg->label) {
    case PROCMGR_SPAWN: {
        handle_t give = msg->cap_count > 0 ? msg->caps[0] : HANDLE_NONE;
        if (!procmgr_unpack_name(msg, name)) {
            answer(reply, STATUS_INVALID_ARGUMENT, 0, HANDLE_NONE, HANDLE_NONE);
        } else {
            uint64_t priority = msg->words[PROCMGR_NAME_WORDS];
            priority = priority != 0 ? priority : PROCMGR_CHILD_PRIORITY;
            uint32_t id = 0;
            handle_t task = HANDLE_NONE;
            handle_t space = HANDLE_NONE;
            status_t st = spawn(name, priority, give, &id, &task, &space);
            sys_printf(pm.console, "procmgr: spawn %s: status %d\n", name, st);
            answer(reply, st, id, task, space);
        }
        // The task has its own copy of what it was given.
        if (give != HANDLE_NONE) {
            sys_cap_delete(give);
        }
        return;
    }
    case PROCMGR_LIST:
        list(msg->words[0], reply);
        return;
    case PROCMGR_KILL:
        answer(reply, kill(msg->words[0]), 0, HANDLE_NONE, HANDLE_NONE);
        return;
    case PROCMGR_WAIT:
        answer(reply, wait_for(msg->words[0]), 0, HANDLE_NONE, HANDLE_NONE);
        return;
    default:
        for (uint32_t i = 0; i < msg->cap_count && i < SYS_MSG_MAX_CAPS; i++) {
            sys_cap_delete(msg->caps[i]);
        }
        answer(reply, STATUS_INVALID_ARGUMENT, 0, HANDLE_NONE, HANDLE_NONE);
        return;
    }
}

int main(uint64_t endpoint)
{
    struct sys_msg msg;
    if (sys_recv_caps(endpoint, 2, &msg) != STATUS_OK || msg.label != PROCMGR_SETUP ||
        msg.cap_count != 2) {
        return 1;
    }
    pm.kernel = msg.caps[0];
    pm.console = msg.caps[1];
    procmgr_table_init(&pm.table);
    if (sys_notify_create(pm.kernel, &pm.ended) != STATUS_OK) {
        sys_printf(pm.console, "procmgr: cannot create its watch notification\n");
        return 1;
    }
    // init and the process manager itself: listed, never killed.
    if (msg.word_count >= 2) {
        procmgr_table_fill(&pm.table, procmgr_table_take(&pm.table), "init", (uint32_t)msg.words[0],
                           HANDLE_NONE, HANDLE_NONE);
        procmgr_table_fill(&pm.table, procmgr_table_take(&pm.table), "procmgr",
                           (uint32_t)msg.words[1], HANDLE_NONE, HANDLE_NONE);
    }
    sys_printf(pm.console, "procmgr: ready\n");
    struct sys_msg reply;
    status_t st = sys_recv_caps(endpoint, 1, &msg);
    for (;;) {
        note_ended(0);
        if (st != STATUS_OK) {
            answer(&reply, STATUS_INVALID_ARGUMENT, 0, HANDLE_NONE, HANDLE_NONE);
        } else {
            serve(&msg, &reply);
        }
        st = sys_reply_recv_caps(endpoint, &reply, 1, &msg);
    }
}
