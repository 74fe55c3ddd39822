#pragma once

/**
 * Messages in registers: packs a struct sys_msg into the x1-x7 of an IPC
 * system call and unpacks x1-x7 of a received one (kernel/abi/syscall.h,
 * "Messages"). Pure functions with no system call, so host tests check them.
 */

#include <stdint.h>

#include "userland/libsys/sys.h"

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of argument registers of a system call: x0-x7. */
#define SYS_MSG_REGS 8

/**
 * Writes msg into regs[1..7] (regs[0] is left alone): the info word, the
 * words, the capability handles; words and handles beyond the counts as 0
 * and HANDLE_NONE. Returns STATUS_INVALID_ARGUMENT, writing nothing, when
 * msg is NULL, word_count > SYS_MSG_MAX_WORDS, cap_count > SYS_MSG_MAX_CAPS
 * or the label does not fit in SYS_MSG_LABEL_BITS.
 */
status_t sys_msg_pack(const struct sys_msg *msg, uint64_t regs[SYS_MSG_REGS]);

/**
 * Reads a received message from regs[1..7] into *msg, as the kernel
 * delivers it (counts within the maximums; words and handles beyond them
 * are cleared here as well, whatever the registers hold).
 */
void sys_msg_unpack(const uint64_t regs[SYS_MSG_REGS], struct sys_msg *msg);

#ifdef __cplusplus
}
#endif
