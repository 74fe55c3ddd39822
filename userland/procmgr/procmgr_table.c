/* The process manager's task records (procmgr_table.h). */

#include "userland/procmgr/procmgr_table.h"

#include <stdint.h>

void procmgr_table_init(struct procmgr_table *t)
{
    for (int i = 0; i < PROCMGR_MAX_RECORDS; i++) {
        struct procmgr_record *r = &t->records[i];
        r->used = 0;
        r->id = 0;
        r->state = 0;
        r->priority = 0;
        r->name[0] = 0;
        r->task = HANDLE_NONE;
        r->space = HANDLE_NONE;
    }
    t->next_id = 1;
}

int procmgr_table_take(const struct procmgr_table *t)
{
    int oldest = -1;
    for (int i = 0; i < PROCMGR_MAX_RECORDS; i++) {
        const struct procmgr_record *r = &t->records[i];
        if (!r->used) {
            return i;
        }
        if (r->state != PROCMGR_STATE_RUNNING && (oldest < 0 || r->id < t->records[oldest].id)) {
            oldest = i;
        }
    }
    return oldest;
}

uint32_t procmgr_table_fill(struct procmgr_table *t, int i, const char *name, uint32_t priority,
                            handle_t task, handle_t space)
{
    struct procmgr_record *r = &t->records[i];
    r->used = 1;
    r->id = t->next_id++;
    r->state = PROCMGR_STATE_RUNNING;
    r->priority = priority;
    uint32_t n = 0;
    for (; n < PROCMGR_NAME_MAX - 1 && name[n] != 0; n++) {
        r->name[n] = name[n];
    }
    r->name[n] = 0;
    r->task = task;
    r->space = space;
    return r->id;
}

int procmgr_table_find(const struct procmgr_table *t, uint32_t id)
{
    for (int i = 0; i < PROCMGR_MAX_RECORDS; i++) {
        if (t->records[i].used && t->records[i].id == id) {
            return i;
        }
    }
    return -1;
}

uint64_t procmgr_table_ended(struct procmgr_table *t, uint64_t bits)
{
    uint64_t marked = 0;
    for (int i = 0; i < PROCMGR_MAX_RECORDS; i++) {
        struct procmgr_record *r = &t->records[i];
        if ((bits & procmgr_table_bit(i)) != 0 && r->used && r->state == PROCMGR_STATE_RUNNING) {
            r->state = PROCMGR_STATE_ENDED;
            marked |= procmgr_table_bit(i);
        }
    }
    return marked;
}

int procmgr_table_next(const struct procmgr_table *t, uint32_t cursor, struct procmgr_entry *e)
{
    for (uint32_t i = cursor; i < PROCMGR_MAX_RECORDS; i++) {
        const struct procmgr_record *r = &t->records[i];
        if (!r->used) {
            continue;
        }
        e->id = r->id;
        e->state = r->state;
        e->priority = r->priority;
        e->next = i + 1;
        e->cpu = PROCMGR_CPU_NONE; // the kernel's to say (SYS_TASK_INFO)
        for (uint32_t n = 0; n < PROCMGR_NAME_MAX; n++) {
            e->name[n] = r->name[n];
        }
        return 1;
    }
    return 0;
}
