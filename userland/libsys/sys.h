#pragma once

/**
 * System call wrappers: one function per call of kernel/abi/syscall.h.
 *
 * Each wrapper puts its arguments in x0-x7 as syscall.h lists them, the
 * number in x8, the deadline in x9 (always: 0, none, but for the _until
 * forms), executes `svc #0` and returns the status_t the kernel left in
 * x0. Results come back through out-pointers, which are written only
 * when the call returns STATUS_OK (syscall.h: on an error no register but
 * x0 changes). Out-pointers must not be NULL.
 *
 * Implemented by sys.c for the target (//userland/libsys:sys); host tests
 * of code that calls these link a fake of their own instead.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A message as user code sees it (syscall.h, "Messages"): the sender's
 * label (48 bits), up to SYS_MSG_MAX_WORDS words and SYS_MSG_MAX_CAPS
 * capability handles. Sent, words and caps beyond the counts are ignored;
 * received, they are 0 and HANDLE_NONE. Its badge, which the kernel
 * chooses and the sender cannot, comes apart: sys_recv_badged and
 * sys_reply_recv_badged. (64 bytes: a `= {0}` of it needs no memset, which
 * user programs do not have.)
 */
struct sys_msg {
    uint64_t label;
    uint32_t word_count;
    uint32_t cap_count;
    uint64_t words[SYS_MSG_MAX_WORDS];
    handle_t caps[SYS_MSG_MAX_CAPS];
};

/**
 * Any system call, every register chosen by the caller and no check of
 * libsys's own (for programs that test the kernel's refusals): x0-x7 from
 * r[0..7], the number in x8; x0-x7 come back in r. Returns x0 as a status.
 */
status_t sys_raw(uint64_t number, uint64_t r[8]);

/** sys_raw, and x8 as the call left it (a received badge) -> *x8. */
status_t sys_raw_x8(uint64_t number, uint64_t r[8], uint64_t *x8);

/** sys_raw with x9 (a blocking call's deadline, 0 for none) chosen too. */
status_t sys_raw_until(uint64_t number, uint64_t r[8], uint64_t deadline);

/*
 * Time: the virtual counter CNTVCT_EL0, read at EL0 without a system call.
 * Deadlines (the _until forms) are absolute counter values; a blocking
 * call whose deadline passes returns STATUS_TIMED_OUT (kernel/abi/
 * syscall.h: at once, with no effect, if it had passed already and the
 * call would wait). Deadline 0 means none.
 */

/** The counter's frequency in Hz, as the kernel gave it in x1 at the first instruction (crt0). */
uint64_t sys_clock_hz(void);

/** The counter now (monotonic; sys_clock_hz() ticks a second). */
uint64_t sys_clock_now(void);

/** The deadline `ticks` from now, UINT64_MAX if that would overflow. */
uint64_t sys_deadline_after(uint64_t ticks);

/** Microseconds in counter ticks (rounded down, UINT64_MAX if too many). */
uint64_t sys_ticks_from_us(uint64_t us);

/**
 * Sleeps until the counter reaches deadline (not 0, else
 * STATUS_INVALID_ARGUMENT): a wait with that deadline on notification,
 * which needs RIGHT_RECV and which nobody should signal (bits that arrive
 * are taken and dropped, and the sleep goes on). Returns STATUS_OK once
 * the deadline has passed, or the wait's error (a bad handle).
 */
status_t sys_sleep_until(handle_t notification, uint64_t deadline);

/** sys_sleep_until(notification, ticks from now). */
status_t sys_sleep_ticks(handle_t notification, uint64_t ticks);

/** SYS_YIELD: gives up the CPU; the task stays runnable. */
status_t sys_yield(void);

/** SYS_EXIT: ends the calling task. Never returns. */
_Noreturn void sys_exit(void);

/** SYS_CAP_DERIVE: a copy of handle with rights (a subset of its own) -> *out. */
status_t sys_cap_derive(handle_t handle, rights_t rights, handle_t *out);

/**
 * SYS_CAP_BADGE: a copy of the endpoint capability handle with rights (a
 * subset of its own) carrying badge (not 0) -> *out. Every message sent
 * through it, or through what is derived from it, reaches its receiver
 * with that badge.
 */
status_t sys_cap_badge(handle_t handle, rights_t rights, uint64_t badge, handle_t *out);

/** SYS_CAP_DELETE: deletes the capability handle names. */
status_t sys_cap_delete(handle_t handle);

/** SYS_CAP_REVOKE: deletes every capability derived from handle. */
status_t sys_cap_revoke(handle_t handle);

/** SYS_NOTIFY_SIGNAL: ORs bits into the notification. */
status_t sys_notify_signal(handle_t notification, uint64_t bits);

/** SYS_NOTIFY_WAIT: blocks until a bit is set -> *bits (cleared in the notification). */
status_t sys_notify_wait(handle_t notification, uint64_t *bits);

/** sys_notify_wait that gives up at deadline: STATUS_TIMED_OUT. */
status_t sys_notify_wait_until(handle_t notification, uint64_t deadline, uint64_t *bits);

/** SYS_NOTIFY_POLL: like sys_notify_wait, or STATUS_WOULD_BLOCK at once if no bit is set. */
status_t sys_notify_poll(handle_t notification, uint64_t *bits);

/**
 * SYS_SEND: sends msg on endpoint; blocks until it is received.
 * STATUS_INVALID_ARGUMENT without calling the kernel when msg is NULL, has
 * more than SYS_MSG_MAX_WORDS words or SYS_MSG_MAX_CAPS capabilities, or a
 * label wider than SYS_MSG_LABEL_BITS (the info word would silently drop
 * the excess bits).
 */
status_t sys_send(handle_t endpoint, const struct sys_msg *msg);

/** sys_send that gives up at deadline: STATUS_TIMED_OUT, the message not sent. */
status_t sys_send_until(handle_t endpoint, const struct sys_msg *msg, uint64_t deadline);

/*
 * Receiving calls say how many capabilities (receive slots, 0 to
 * SYS_MSG_MAX_CAPS) they accept in the message they receive: a message
 * with more fails its sender with STATUS_TABLE_FULL, keeping them
 * (kernel/abi/syscall.h). sys_call, sys_recv and sys_reply_recv accept
 * none; their _caps forms take the number. Slots above SYS_MSG_MAX_CAPS
 * are STATUS_INVALID_ARGUMENT.
 */

/** SYS_CALL: sends msg (checked as for sys_send) and waits for the reply -> *reply. */
status_t sys_call(handle_t endpoint, const struct sys_msg *msg, struct sys_msg *reply);

/**
 * sys_call that gives up at deadline: STATUS_TIMED_OUT, and no reply will
 * come (the server's reply right went; its reply fails with
 * STATUS_BAD_HANDLE).
 */
status_t sys_call_until(handle_t endpoint, const struct sys_msg *msg, uint64_t deadline,
                        struct sys_msg *reply);

/** sys_call accepting up to slots capabilities in the reply. */
status_t sys_call_caps(handle_t endpoint, const struct sys_msg *msg, uint32_t slots,
                       struct sys_msg *reply);

/** SYS_RECV: blocks until a message comes on endpoint -> *msg. */
status_t sys_recv(handle_t endpoint, struct sys_msg *msg);

/** sys_recv that gives up at deadline: STATUS_TIMED_OUT. */
status_t sys_recv_until(handle_t endpoint, uint64_t deadline, struct sys_msg *msg);

/** sys_recv accepting up to slots capabilities. */
status_t sys_recv_caps(handle_t endpoint, uint32_t slots, struct sys_msg *msg);

/** SYS_REPLY: replies (checked as for sys_send) to the last call received. */
status_t sys_reply(const struct sys_msg *reply);

/** SYS_REPLY_RECV: replies, then waits on endpoint for the next message -> *msg. */
status_t sys_reply_recv(handle_t endpoint, const struct sys_msg *reply, struct sys_msg *msg);

/**
 * sys_reply_recv whose receive gives up at deadline: STATUS_TIMED_OUT
 * means the reply was made and nothing was received.
 */
status_t sys_reply_recv_until(handle_t endpoint, const struct sys_msg *reply, uint64_t deadline,
                              struct sys_msg *msg);

/** sys_reply_recv accepting up to slots capabilities in the message received. */
status_t sys_reply_recv_caps(handle_t endpoint, const struct sys_msg *reply, uint32_t slots,
                             struct sys_msg *msg);

/*
 * Receiving with the badge: as sys_recv_caps and sys_reply_recv_caps, and
 * on success *badge is the badge of the capability the message's sender
 * sent or called through (x8; 0 for none; kernel/abi/syscall.h, "Badges"):
 * how a server tells its clients apart, whatever label they choose.
 */
status_t sys_recv_badged(handle_t endpoint, uint32_t slots, struct sys_msg *msg, uint64_t *badge);
status_t sys_reply_recv_badged(handle_t endpoint, const struct sys_msg *reply, uint32_t slots,
                               struct sys_msg *msg, uint64_t *badge);

/** SYS_MAP: maps frame at the page-aligned addr of space with perms (SYS_MAP_*). */
status_t sys_map(handle_t space, handle_t frame, uint64_t addr, uint32_t perms);

/** SYS_UNMAP: unmaps the page at addr of space. */
status_t sys_unmap(handle_t space, uint64_t addr);

/** SYS_PROTECT: changes the permissions (SYS_MAP_*) of the page at addr of space. */
status_t sys_protect(handle_t space, uint64_t addr, uint32_t perms);

/** SYS_TASK_START: makes a created task runnable at entry, with stack pointer sp and x0 arg. */
status_t sys_task_start(handle_t task, uint64_t entry, uint64_t sp, uint64_t arg);

/** SYS_CONSOLE_WRITE: writes len (<= SYS_CONSOLE_WRITE_MAX) bytes of buf, all or nothing. */
status_t sys_console_write(handle_t console, const void *buf, size_t len);

/* Privileged calls: kernel is a handle to the kernel object with RIGHT_CONTROL. */

/** SYS_ENDPOINT_CREATE -> *out a new endpoint. */
status_t sys_endpoint_create(handle_t kernel, handle_t *out);

/** SYS_NOTIFY_CREATE -> *out a new notification. */
status_t sys_notify_create(handle_t kernel, handle_t *out);

/** SYS_FRAME_CREATE -> *out a new zeroed frame. */
status_t sys_frame_create(handle_t kernel, handle_t *out);

/** SYS_SPACE_CREATE -> *out a new empty address space. */
status_t sys_space_create(handle_t kernel, handle_t *out);
/**
 * SYS_SPACE_CREATE with a table quota (translation tables the space may
 * hold, its root included; 0: the kernel's default) -> *out. The quota is
 * reserved in kernel memory when the space is made: STATUS_NO_MEMORY, and
 * no space, when memory cannot cover it.
 */
status_t sys_space_create_quota(handle_t kernel, uint64_t quota, handle_t *out);

/**
 * SYS_TASK_CREATE: a task in space at priority, with a copy of give (or
 * HANDLE_NONE) in its table -> *task its handle, *given the copy's handle
 * in the new task's table (HANDLE_NONE when nothing was given).
 */
status_t sys_task_create(handle_t kernel, handle_t space, uint64_t priority, handle_t give,
                         handle_t *task, handle_t *given);

/**
 * sys_task_create with an affinity (SYS_AFFINITY(mask) or SYS_AFFINITY_ANY,
 * kernel/abi/syscall.h): the task runs only on those CPUs.
 */
status_t sys_task_create_on(handle_t kernel, handle_t space, uint64_t priority, handle_t give,
                            uint64_t affinity, handle_t *task, handle_t *given);

/** SYS_POWER_OFF: how is SYS_POWER_OFF_HALT or SYS_POWER_OFF_RESET; returns only on error. */
status_t sys_power_off(handle_t kernel, uint64_t how);

/** SYS_TASK_WATCH: notification is signalled with bits when task faults, is stopped or exits. */
status_t sys_task_watch(handle_t task, handle_t notification, uint64_t bits);

/**
 * SYS_TASK_SPAWN: starts the embedded image `name` (NUL-terminated, 1..31
 * characters) as a new task at priority, with a copy of give (or
 * HANDLE_NONE) as its argument; its task and space handles go to *task and
 * *space.
 */
status_t sys_task_spawn(handle_t kernel, const char *name, uint64_t priority, handle_t give,
                        handle_t *task, handle_t *space);

/**
 * sys_task_spawn with an affinity (SYS_AFFINITY(mask) or SYS_AFFINITY_ANY,
 * kernel/abi/syscall.h): the task runs only on those CPUs.
 */
status_t sys_task_spawn_on(handle_t kernel, const char *name, uint64_t priority, handle_t give,
                           uint64_t affinity, handle_t *task, handle_t *space);

/**
 * SYS_TASK_INFO: *cpu the CPU that runs task or last ran it (0 before it
 * has run), *cpus the CPUs it may run on (bit c: CPU c).
 */
status_t sys_task_info(handle_t task, uint64_t *cpu, uint64_t *cpus);

/** SYS_IRQ_CREATE: an IRQ handler for line intid -> *out. */
status_t sys_irq_create(handle_t kernel, uint64_t intid, handle_t *out);

/** SYS_DEVICE_FRAME_CREATE: a device frame for the MMIO page at physical pa -> *out. */
status_t sys_device_frame_create(handle_t kernel, uint64_t pa, handle_t *out);

/** SYS_IRQ_BIND: irq's line signals bits (not 0) on notification. */
status_t sys_irq_bind(handle_t irq, handle_t notification, uint64_t bits);

/** SYS_IRQ_ACK: unmasks irq's line after it fired. */
status_t sys_irq_ack(handle_t irq);

/** SYS_KERNEL_STATS: the kernel's counts (frames, objects per kind) into *out. */
status_t sys_kernel_stats(handle_t kernel, struct sys_kernel_stats *out);

/** What SYS_CONSOLE_DEVICE reports: where the console UART is and its line. */
struct sys_console_device {
    /** Physical address of the page holding its registers (for sys_device_frame_create). */
    uint64_t page;
    /** Offset of the registers within that page. */
    uint64_t offset;
    /** Size of its register range in bytes. */
    uint64_t size;
    /** Its line (for sys_irq_create); 0 when it has none: a driver must poll. */
    uint64_t intid;
};

/** SYS_CONSOLE_DEVICE: the console UART the device tree names -> *out (STATUS_NOT_FOUND: none). */
status_t sys_console_device(handle_t kernel, struct sys_console_device *out);

#ifdef __cplusplus
}
#endif
