#pragma once

/**
 * What the first task (init) is given: the kernel creates it from the
 * embedded image named "init" and puts four capabilities in its table, in
 * fixed slots, so their handles are known constants. A task started with
 * SYS_TASK_START gets the argument of that call in x0 instead.
 *
 * At its first instruction a task has x0 its argument (for init: 0), x1
 * the frequency of the virtual counter CNTVCT_EL0 in Hz (the unit of
 * deadlines, kernel/abi/syscall.h; EL0 may read the counter and
 * CNTFRQ_EL0, but a firmware may leave CNTFRQ_EL0 wrong, and x1 is what
 * the kernel itself uses), sp the top of its stack (16-byte aligned), and
 * every other general register 0, but for init's x2: its boot flags
 * (INIT_FLAG_*), which the kernel takes from the device tree's /chosen
 * bootargs (QEMU's -append): whitespace-separated tokens, each matched
 * whole; unknown tokens are ignored. This holds for init, spawned tasks
 * and tasks started with SYS_TASK_START alike.
 *
 * The handles are plain integer constants (slot | generation 1 << 16,
 * kernel/abi/handle.h), so assembly can use them too.
 */

/** The kernel object, every right: the privileged calls. */
#define INIT_HANDLE_KERNEL 0x10000
/** Init's own address space (MAP, GRANT, DERIVE, REVOKE). */
#define INIT_HANDLE_SPACE 0x10001
/** Init itself (CONTROL, WATCH, GRANT, DERIVE, REVOKE). */
#define INIT_HANDLE_SELF 0x10002
/** The console (WRITE, GRANT, DERIVE, REVOKE). */
#define INIT_HANDLE_CONSOLE 0x10003

#ifndef __ASSEMBLER__
#include "kernel/abi/handle.h"

_Static_assert(INIT_HANDLE_KERNEL == (1 << HANDLE_SLOT_BITS | 0) &&
                   INIT_HANDLE_CONSOLE == (1 << HANDLE_SLOT_BITS | 3),
               "init's handles: generation 1, slots 0-3");
#endif

/**
 * Boot flag: start the interactive shell after the scenario instead of
 * powering off. Set by the token INIT_BOOTARG_SHELL.
 */
#define INIT_FLAG_SHELL 0x1
#define INIT_BOOTARG_SHELL "basalt.shell=1"

/** The name of init's image in the embedded image table. */
#define INIT_IMAGE_NAME "init"

/**
 * The kernel command line token `basalt.init=NAME` makes the embedded image
 * NAME the first task instead of INIT_IMAGE_NAME, as Linux's init=: the
 * task gets init's capabilities and boot flags, and is still named "init"
 * in reports. A name that no valid image has stops the boot, named.
 */
#define INIT_BOOTARG_IMAGE "basalt.init="
