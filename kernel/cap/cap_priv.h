#pragma once

/* Private to kernel/cap: positions and slot access shared by cap.c and cap_check.c. */

#include <stdint.h>

#include "kernel/cap/cap.h"

/** The position of (table, slot); both must be in range. */
static inline int32_t cap_pos(uint32_t table, uint32_t slot)
{
    return (int32_t)(table * CAP_TABLE_SLOTS + slot);
}

/** The table of a position (not CAP_NIL). */
static inline uint32_t cap_pos_table(int32_t pos)
{
    return (uint32_t)pos / CAP_TABLE_SLOTS;
}

/** Whether pos is a position in range (CAP_NIL is not). */
static inline int cap_pos_valid(int32_t pos)
{
    return pos >= 0 && pos < CAP_TOTAL_SLOTS;
}

/** The slot at a position in range. */
static inline struct cap *cap_at(struct cap_space *space, int32_t pos)
{
    return &space->tables[(uint32_t)pos / CAP_TABLE_SLOTS].slots[(uint32_t)pos % CAP_TABLE_SLOTS];
}

/** The slot at a position in range, read only. */
static inline const struct cap *cap_at_const(const struct cap_space *space, int32_t pos)
{
    return &space->tables[(uint32_t)pos / CAP_TABLE_SLOTS].slots[(uint32_t)pos % CAP_TABLE_SLOTS];
}
