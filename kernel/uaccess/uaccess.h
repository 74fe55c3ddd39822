#pragma once

/**
 * User memory: the only way the kernel reads or writes a user buffer.
 *
 * A user address is a uaddr_t, a one-field struct, so kernel code cannot
 * dereference one by mistake: every access goes through copy_from_user /
 * copy_to_user, which walk the task's own translation tables and check the
 * EL0 permissions page by page (DESIGN.md, "User memory"). A bad buffer is
 * an error returned to the caller, never a kernel fault: the tables are
 * read, user memory is reached through the kernel's direct map.
 *
 * No partial effect: the whole range is checked before the first byte is
 * copied, so a failed copy leaves the destination untouched.
 *
 * Calling context: the caller keeps the address space at root from
 * changing during the call (it serializes with map / unmap / protect).
 */

#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A user virtual address (TTBR0 half). Never dereferenced directly. */
typedef struct {
    uint64_t value;
} uaddr_t;

/** Makes a uaddr_t from a raw value (a system call argument, say). */
static inline uaddr_t uaddr_make(uint64_t value)
{
    uaddr_t ua = {value};
    return ua;
}

/**
 * Copies len bytes from user [src, src + len) of the space at root into
 * kernel dst. Requires dst valid for len bytes. Returns STATUS_OK (len 0
 * touches nothing), or STATUS_BAD_BUFFER with dst untouched when any byte
 * of the range is unmapped, not readable by EL0, at or above
 * HAL_MMU_USER_TOP, or src + len wraps.
 */
status_t copy_from_user(paddr_t root, void *dst, uaddr_t src, size_t len);

/**
 * Copies len bytes from kernel src into user [dst, dst + len) of the space
 * at root. Requires src valid for len bytes. Returns STATUS_OK (len 0
 * touches nothing), or STATUS_BAD_BUFFER with no user byte written when any
 * byte of the range is unmapped, not writable by EL0, at or above
 * HAL_MMU_USER_TOP, or dst + len wraps.
 */
status_t copy_to_user(paddr_t root, uaddr_t dst, const void *src, size_t len);

/**
 * Copies the NUL-terminated user string at src into dst (cap bytes, the
 * NUL included) and stores its length (without the NUL) in *len_out.
 * Requires dst valid for cap bytes and len_out non-NULL. Returns STATUS_OK
 * (dst holds the string and its NUL), STATUS_INVALID_ARGUMENT (cap 0),
 * STATUS_OUT_OF_RANGE (no NUL among the first cap bytes, so the string
 * does not fit), or STATUS_BAD_BUFFER (a byte before the NUL or the NUL
 * itself is not readable by EL0). dst and *len_out are untouched on error.
 */
status_t copy_string_from_user(paddr_t root, char *dst, size_t cap, uaddr_t src, size_t *len_out);

#ifdef __cplusplus
}
#endif
