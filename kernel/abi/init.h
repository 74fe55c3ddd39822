#pragma once

/**
 * What the first task (init) is given: the kernel creates it from the
 * embedded image named "init" and puts four capabilities in its table, in
 * fixed slots, so their handles are known constants. A task started with
 * SYS_TASK_START gets the argument of that call in x0 instead.
 *
 * At its first instruction a task has x0 its argument (for init: 0), sp
 * the top of its stack (16-byte aligned), and every other general register
 * 0.
 */

#include "kernel/abi/handle.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The kernel object, every right: the privileged calls. */
#define INIT_HANDLE_KERNEL ((handle_t)(1ull << HANDLE_SLOT_BITS | 0))
/** Init's own address space (MAP, GRANT, DERIVE, REVOKE). */
#define INIT_HANDLE_SPACE ((handle_t)(1ull << HANDLE_SLOT_BITS | 1))
/** Init itself (CONTROL, WATCH, GRANT, DERIVE, REVOKE). */
#define INIT_HANDLE_SELF ((handle_t)(1ull << HANDLE_SLOT_BITS | 2))
/** The console (WRITE, GRANT, DERIVE, REVOKE). */
#define INIT_HANDLE_CONSOLE ((handle_t)(1ull << HANDLE_SLOT_BITS | 3))

/** The name of init's image in the embedded image table. */
#define INIT_IMAGE_NAME "init"

#ifdef __cplusplus
}
#endif
