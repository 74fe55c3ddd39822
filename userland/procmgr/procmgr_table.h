/*
 * The process manager's records of the tasks it knows: pure bookkeeping
 * (no system call), so host tests check it. procmgr.c does the calls.
 */
#pragma once

#include <stdint.h>

#include "userland/procmgr/procmgr.h"

#include "kernel/abi/handle.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One task the process manager knows. */
struct procmgr_record {
    /** 0: the slot is free. */
    uint32_t used;
    uint32_t id;
    /** PROCMGR_STATE_*. */
    uint32_t state;
    uint32_t priority;
    char name[PROCMGR_NAME_MAX];
    /**
     * The process manager's own capabilities to the task and its space
     * while it runs (HANDLE_NONE for a task it did not spawn, and once the
     * task has ended: the caller deletes them).
     */
    handle_t task;
    handle_t space;
};

struct procmgr_table {
    struct procmgr_record records[PROCMGR_MAX_RECORDS];
    /** The id the next record gets (ids start at 1 and are never reused). */
    uint32_t next_id;
};

/** Empties the table. */
void procmgr_table_init(struct procmgr_table *t);

/**
 * The slot a new record may take: a free one, else the ended (or killed)
 * record with the lowest id; -1 when every slot holds a running task. The
 * caller deletes the capabilities the slot still names before filling it.
 */
int procmgr_table_take(const struct procmgr_table *t);

/**
 * Fills slot i (from procmgr_table_take) with a running task: its name
 * (cut at PROCMGR_NAME_MAX - 1 bytes), priority and capabilities; returns
 * its new id.
 */
uint32_t procmgr_table_fill(struct procmgr_table *t, int i, const char *name, uint32_t priority,
                            handle_t task, handle_t space);

/** The slot of the record with this id, or -1. */
int procmgr_table_find(const struct procmgr_table *t, uint32_t id);

/** The watch bit of slot i: what the kernel signals when that task ends. */
static inline uint64_t procmgr_table_bit(int i)
{
    return 1ull << (uint32_t)i;
}

/**
 * Marks ENDED every running record whose slot's bit is in bits; returns
 * the bits of the records it marked (the caller deletes their
 * capabilities). Bits of free, ended or killed slots are ignored: a bit
 * left from a task that was killed says nothing of the slot's next task.
 */
uint64_t procmgr_table_ended(struct procmgr_table *t, uint64_t bits);

/**
 * The first used record at or after cursor, into *e (e->next: the cursor
 * after it); 0 when there is none.
 */
int procmgr_table_next(const struct procmgr_table *t, uint32_t cursor, struct procmgr_entry *e);

#ifdef __cplusplus
}
#endif
