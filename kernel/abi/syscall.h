#pragma once

/**
 * System calls: numbers and register layout.
 *
 * A task calls the kernel with `svc #0`: the number in x8, arguments in
 * x0-x7. On return x0 holds a status_t (status.h; 0 is success) and x1-x7
 * the results listed below (and x8, for a received message, its badge:
 * "Badges" below). Registers that are not results of the call
 * keep the values the caller put there; on any error every register but x0
 * keeps its value (the call had no effect at all).
 *
 * Messages (SYS_SEND, SYS_CALL, SYS_REPLY, SYS_REPLY_RECV in; SYS_RECV,
 * SYS_REPLY_RECV out) travel in registers:
 *
 *   x1  message info (sys_msg_info):
 *
 *        63                                16 15    12 11     8 7          0
 *       +------------------------------------+--------+--------+------------+
 *       |               label                | slots  |  caps  | word_count |
 *       +------------------------------------+--------+--------+------------+
 *
 *       word_count <= 4, cap_count (caps) <= 2, receive slots <= 2, else
 *       STATUS_INVALID_ARGUMENT; the label is the sender's own, 48 bits,
 *       passed on as it is. The receive slots are how many capabilities
 *       the caller accepts in the message it receives by this call: the
 *       one of SYS_RECV (whose x1 holds only this field; the rest is
 *       ignored), of SYS_REPLY_RECV's receive half, and SYS_CALL's reply.
 *       SYS_SEND and SYS_REPLY receive nothing and ignore them. A received
 *       info word has slots 0.
 *   x2  word 0      x3  word 1      x4  word 2      x5  word 3
 *   x6  capability 0    x7  capability 1
 *
 * Sent, x6 and x7 are handles in the sender's table of capabilities to move
 * (each needs RIGHT_GRANT; naming one twice is STATUS_INVALID_ARGUMENT);
 * words and handles beyond the counts are ignored. Received, x6 and x7 are
 * the handles in the receiver's table, HANDLE_NONE beyond cap_count, and
 * words beyond word_count are 0.
 *
 * A message whose capabilities do not fit its receiver (more than the
 * receiver's receive slots, or than the free slots of its table) fails its
 * sender with STATUS_TABLE_FULL and is not delivered at all; its
 * capabilities stay with the sender. A sender or caller waiting to be
 * received is woken with an error in x0 instead of STATUS_OK when, by the
 * time a receiver comes, its message can no longer go: a capability in it
 * was deleted or revoked meanwhile, or its object destroyed
 * (STATUS_STALE_HANDLE, or what else the capability check finds), or its
 * capabilities do not fit that receiver (STATUS_TABLE_FULL). Nothing of its
 * message is delivered, a caller gets no reply, and the receiver goes on to
 * the next sender as if that one had never queued: no message can block an
 * endpoint. A reply that does not fit its caller fails the replier
 * (STATUS_TABLE_FULL, no effect), who may reply again without capabilities.
 *
 * Badges: an endpoint capability may carry a badge, a non-zero 64-bit
 * word chosen by whoever derived it with SYS_CAP_BADGE (0 means none).
 * A received message (SYS_RECV, SYS_REPLY_RECV's receive half) comes
 * with the badge of the capability its sender sent or called through in
 * x8, 0 when that one has none: a register the sender cannot write, so a
 * server tells its clients apart by the capabilities it gave them, while
 * the label stays whatever the sender chose. The reply to SYS_CALL leaves
 * x8 as the caller set it. The capability a queued sender or caller sent
 * through is checked again when a receiver comes, like the capabilities
 * in its message: if it was deleted or revoked meanwhile, the message
 * fails (STATUS_STALE_HANDLE) and is not delivered, so once a server has
 * revoked a badged capability it never receives that badge again from a
 * message sent through it.
 *
 * A blocking call (SYS_NOTIFY_WAIT, SYS_SEND, SYS_CALL, SYS_RECV,
 * SYS_REPLY_RECV) that has to wait returns nothing yet: its outcome
 * (status, bits or message, in the same registers as an immediate result)
 * is written into the task's registers when it is woken.
 *
 * Deadlines: x9 of a blocking call is an absolute deadline in ticks of the
 * virtual counter CNTVCT_EL0 (which EL0 reads; its frequency in Hz is in
 * x1 at a task's first instruction, kernel/abi/init.h), 0 for none. Every
 * other call ignores x9, and no call changes it. When the deadline passes
 * while the task waits, the call returns STATUS_TIMED_OUT and the task has
 * left every queue it was in: a queued sender's message is not delivered
 * (its capabilities stay its own), a caller gets no reply. A deadline at
 * or before the counter's value when the call is made has passed already:
 * the call returns STATUS_TIMED_OUT at once, with no effect, if it would
 * have to wait (SYS_CALL always waits for its reply, so it never sends
 * then), and completes as usual if it would not. Any value is valid: a
 * deadline near UINT64_MAX never passes (no arithmetic is done on it).
 * SYS_REPLY_RECV's deadline bounds its receive only: its reply never
 * waits and is made first, so STATUS_TIMED_OUT from it means "replied,
 * nothing received". A caller that timed out after its message was
 * received takes its replier's reply right with it: the replier's later
 * SYS_REPLY or SYS_REPLY_RECV fails with STATUS_BAD_HANDLE and no effect,
 * exactly as when the caller was destroyed (a server in a reply+receive
 * loop then receives with SYS_RECV). The deadline is exact to the counter
 * tick: the kernel programs its timer for the earliest one; the wake-up
 * comes after it by the interrupt's latency (README, Time).
 */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Give up the CPU; the task stays runnable. No arguments, no results. */
#define SYS_YIELD 0
/** End the calling task. No arguments; never returns to the task. */
#define SYS_EXIT 1
/**
 * x0 handle (needs RIGHT_DERIVE), x1 rights (a subset of the handle's)
 * -> x1 new handle in the caller's table.
 */
#define SYS_CAP_DERIVE 2
/** x0 handle: delete that capability; its children move to its parent. */
#define SYS_CAP_DELETE 3
/** x0 handle (needs RIGHT_REVOKE): delete every capability derived from it. */
#define SYS_CAP_REVOKE 4
/** x0 notification handle (needs RIGHT_SEND), x1 bits to OR in. */
#define SYS_NOTIFY_SIGNAL 5
/** x0 notification handle (needs RIGHT_RECV) -> x1 bits; blocks until a bit is set. */
#define SYS_NOTIFY_WAIT 6
/** x0 notification handle (needs RIGHT_RECV) -> x1 bits; STATUS_WOULD_BLOCK if none. */
#define SYS_NOTIFY_POLL 7
/** x0 endpoint handle (needs RIGHT_SEND), x1-x7 message; blocks until received. */
#define SYS_SEND 8
/** x0 endpoint handle (needs RIGHT_SEND), x1-x7 message -> x1-x7 the reply (on wake). */
#define SYS_CALL 9
/**
 * x0 endpoint handle (needs RIGHT_RECV), x1 receive slots (info word
 * field) -> x1-x7 the message received, x8 its badge.
 */
#define SYS_RECV 10
/** x0 ignored, x1-x7 the reply to the last call received. */
#define SYS_REPLY 11
/** x0 endpoint handle (needs RIGHT_RECV), x1-x7 reply -> x1-x7 next message, x8 its badge. */
#define SYS_REPLY_RECV 12
/**
 * x0 address-space handle (needs RIGHT_MAP), x1 frame handle (needs
 * RIGHT_MAP, and RIGHT_READ, RIGHT_WRITE, RIGHT_EXECUTE for each of the
 * permissions asked), x2 page-aligned user address, x3 permissions
 * (SYS_MAP_*; READ required, WRITE with EXEC refused): maps the frame there.
 * A frame may be mapped many times; unmapped everywhere when destroyed.
 */
#define SYS_MAP 13
/** x0 address-space handle (needs RIGHT_MAP), x1 page address: unmaps that page. */
#define SYS_UNMAP 14
/**
 * x0 address-space handle (needs RIGHT_MAP), x1 page address, x2 new
 * permissions (SYS_MAP_*), within what the frame capability allowed when it
 * was mapped (else STATUS_PERMISSION).
 */
#define SYS_PROTECT 15
/**
 * x0 task handle (needs RIGHT_CONTROL), x1 entry address, x2 initial stack
 * pointer, x3 the value of its x0: the task, created and not yet started,
 * becomes runnable.
 */
#define SYS_TASK_START 16

/**
 * x0 console handle (needs RIGHT_WRITE), x1 user address, x2 length (at
 * most SYS_CONSOLE_WRITE_MAX): writes those bytes of the caller's memory to
 * the console, all or nothing (STATUS_BAD_BUFFER if any byte is not
 * readable by the caller).
 */
#define SYS_CONSOLE_WRITE 17

/**
 * x0 task handle (needs RIGHT_WATCH), x1 notification handle (needs
 * RIGHT_SEND), x2 bits (not 0): when the task faults, is stopped or exits,
 * the notification is signalled with those bits (at once if it has
 * stopped already, so a watch set late misses nothing). One watcher per
 * task: a new call replaces the last.
 */
#define SYS_TASK_WATCH 18

/*
 * Privileged calls: the numbers whose bit is set in SYS_PRIVILEGED_MASK
 * (19 to 25, 26 and 27, 31, 32, and any later one listed there). Each takes in x0 a handle to
 * the kernel object (OBJECT_KERNEL) with RIGHT_CONTROL, checked before
 * anything else the call does; their arguments start at x1.
 */
/** -> x1 handle of a new endpoint (SEND, RECV, GRANT, DERIVE, REVOKE). */
#define SYS_ENDPOINT_CREATE 19
/** -> x1 handle of a new notification (SEND, RECV, GRANT, DERIVE, REVOKE). */
#define SYS_NOTIFY_CREATE 20
/**
 * -> x1 handle of a new zeroed frame (READ, WRITE, EXECUTE, MAP, GRANT,
 * DERIVE, REVOKE). Its page is one no space has reserved for its tables
 * (see SYS_SPACE_CREATE): STATUS_NO_MEMORY when none is left.
 */
#define SYS_FRAME_CREATE 21
/**
 * x1 its quota of kernel pages (translation tables, its root included,
 * and pages of mapping records, 64 mappings each, at most 64 such pages:
 * 0 for the kernel's default, 64; at most 1024, else
 * STATUS_INVALID_ARGUMENT) -> x1 handle of a new empty address space (MAP,
 * GRANT, DERIVE, REVOKE). The quota is reserved whole, in 4 KiB pages of
 * kernel memory, when the space is made: if the memory no other space has
 * reserved cannot cover it the call fails with STATUS_NO_MEMORY and
 * nothing is created. The space's tables and mapping records come only
 * out of that reservation, so a map within the quota never fails for lack
 * of memory whatever other spaces do; a map that would pass the quota (or
 * need a 65th page of records) fails with STATUS_QUOTA; unmapping gives
 * emptied tables back to the reservation (record pages stay with the
 * space, their records reused), and the reservation ends when the space
 * is destroyed.
 */
#define SYS_SPACE_CREATE 22
/** SYS_SPACE_CREATE's quotas: the default (x1 0) and the most. */
#define SYS_SPACE_QUOTA_DEFAULT 64u
#define SYS_SPACE_QUOTA_MAX 1024u
/**
 * x1 address-space handle (needs RIGHT_MAP) the task will run in, x2
 * priority, x3 a capability handle (needs RIGHT_GRANT) copied into the new
 * task's empty table, or HANDLE_NONE, x4 its affinity (SYS_AFFINITY_ANY or
 * SYS_AFFINITY(mask)) -> x1 handle of the new task (CONTROL, WATCH, GRANT,
 * DERIVE, REVOKE), x2 the copy's handle in its table. The task does not
 * run until SYS_TASK_START.
 */
#define SYS_TASK_CREATE 23
/**
 * A task's affinity, given by its creator (SYS_TASK_CREATE's x4,
 * SYS_TASK_SPAWN's x5) and kept for its life: SYS_AFFINITY_ANY (0, the
 * default; any value without bit 63, so that callers written before the
 * argument existed are unchanged) lets it run on any CPU;
 * SYS_AFFINITY(mask) only on the CPUs in
 * mask, bit c for CPU c (0 the boot CPU, then the others in the order they
 * came up, as the boot says "N CPUs online": CPUs 0 to N-1). An empty mask,
 * a CPU that is not online, or a bit past SYS_AFFINITY_CPUS fails the call
 * with STATUS_BAD_AFFINITY before anything is made.
 */
#define SYS_AFFINITY_ANY 0ull
#define SYS_AFFINITY(mask) ((1ull << 63) | (uint64_t)(mask))
#define SYS_AFFINITY_CPUS 8u
/**
 * x1 SYS_POWER_OFF_HALT or SYS_POWER_OFF_RESET: turns the machine off or
 * resets it once the call returns to the kernel's exit path; the caller
 * does not run again.
 */
#define SYS_POWER_OFF 24
/**
 * x1 user address and x2 length (1..31 bytes, no NUL) of the name of an
 * embedded image, x3 priority, x4 a capability handle (needs RIGHT_GRANT)
 * copied into the new task's table, or HANDLE_NONE, x5 its affinity (as
 * SYS_TASK_CREATE's x4): loads the image into a
 * new address space with a stack and starts it, the copy's handle (or
 * HANDLE_NONE) in its x0 -> x1 handle of the task (CONTROL, WATCH, GRANT,
 * DERIVE, REVOKE), x2 handle of its address space (MAP, GRANT, DERIVE,
 * REVOKE). The new space's table quota is room for the load plus
 * SYS_SPACE_QUOTA_DEFAULT (at most SYS_SPACE_QUOTA_MAX), reserved as
 * SYS_SPACE_CREATE's. Everything is checked before anything is taken: a
 * name that is not in the table (STATUS_NOT_FOUND), an image whose hash
 * does not match (STATUS_PERMISSION), a malformed image (its ELF error's
 * status), too little memory for the pages and the quota's reservation
 * together (STATUS_NO_MEMORY) all leave nothing behind.
 */
#define SYS_TASK_SPAWN 25
/*
 * Devices in user mode: an IRQ handler object (OBJECT_IRQ_HANDLER) stands
 * for one interrupt line, a device frame (an OBJECT_FRAME over an MMIO page
 * instead of RAM) for one page of a device's registers.
 *
 * An IRQ handler is made by SYS_IRQ_CREATE, bound to a notification by
 * SYS_IRQ_BIND. When its line fires, the kernel masks the line at the
 * interrupt controller, marks it pending and signals the notification with
 * the bound bits; the driver serves its device, then SYS_IRQ_ACK clears
 * pending and unmasks the line. A level-triggered line that is still
 * asserted fires again at once. A binding lives exactly as long as both
 * capabilities it was made through (as a mapping does): deleting or
 * revoking either, or the driver's end (its table emptied), masks the line
 * and unbinds it before the call returns; the line is free for a new
 * SYS_IRQ_CREATE once its last IRQ capability is gone.
 */
/**
 * x1 an INTID -> x1 handle of a new IRQ handler for that line (CONTROL,
 * GRANT, DERIVE, REVOKE), unbound and masked. One handler object per line.
 * Errors, with nothing changed: STATUS_OUT_OF_RANGE (an INTID the
 * interrupt controller does not have), STATUS_PERMISSION (a line the
 * kernel uses itself: SGIs 0-15 and every generic-timer line, its tick
 * among them), STATUS_NOT_FOUND (no device node of the device tree
 * declares the line in its interrupts), STATUS_BAD_STATE (the line has a
 * handler object already), STATUS_NO_MEMORY, STATUS_TABLE_FULL.
 */
#define SYS_IRQ_CREATE 26
/**
 * x1 the physical address of one page of MMIO (page aligned) -> x1 handle
 * of a new device frame (READ, WRITE, MAP, GRANT, DERIVE, REVOKE; never
 * EXECUTE) for that page. It is an OBJECT_FRAME: SYS_MAP maps it, always
 * as Device-nGnRE memory, user-only and never executable (SYS_MAP_EXEC is
 * refused for lack of RIGHT_EXECUTE, whatever the caller asks); it is not
 * zeroed, and destroying it gives no page to the frame allocator. One page
 * per call: a larger device takes one frame per page. Errors, with nothing
 * changed: STATUS_MISALIGNED (address not page aligned), STATUS_OUT_OF_RANGE
 * (the page runs past 2^48), STATUS_PERMISSION (the page overlaps RAM, the
 * kernel's image, a reserved range or a device the kernel drives itself:
 * the GIC), STATUS_NOT_FOUND (no device node of the device tree has a reg
 * range that holds the whole page), STATUS_NO_MEMORY, STATUS_TABLE_FULL.
 */
#define SYS_DEVICE_FRAME_CREATE 27
/**
 * x0 IRQ handler handle (needs RIGHT_CONTROL), x1 notification handle
 * (needs RIGHT_SEND), x2 bits (not 0, else STATUS_INVALID_ARGUMENT): the
 * line signals those bits from now on, and is unmasked unless it is
 * pending. A new bind replaces the last.
 */
#define SYS_IRQ_BIND 28
/**
 * x0 IRQ handler handle (needs RIGHT_CONTROL): the line, pending since it
 * fired, is unmasked. STATUS_BAD_STATE, with nothing changed, when it is
 * not pending (it did not fire, or was acknowledged already, or was
 * unbound since).
 */
#define SYS_IRQ_ACK 29
/**
 * x0 endpoint handle (needs RIGHT_DERIVE), x1 rights (a subset of the
 * handle's), x2 the badge (any word but 0) -> x1 handle of a new
 * capability to the same endpoint carrying that badge: a child of x0 in
 * the derivation tree, as SYS_CAP_DERIVE's, so revoking x0 deletes it.
 * A badge is fixed once set: SYS_CAP_DERIVE and every move or copy keep
 * it, and badging a badged capability again is STATUS_BAD_STATE. Errors,
 * with no effect: STATUS_INVALID_ARGUMENT (badge 0, rights wider than 32
 * bits), the lookup's errors (STATUS_WRONG_KIND for anything but an
 * endpoint, STATUS_MISSING_RIGHT without RIGHT_DERIVE or for rights that
 * are not a subset), STATUS_BAD_STATE, STATUS_TABLE_FULL. See "Badges"
 * above.
 */
#define SYS_CAP_BADGE 30
/**
 * x1 user address, x2 length (exactly sizeof(struct sys_kernel_stats)):
 * writes the kernel's counts there (free, total and reserved frames, objects in use
 * and slots of each kind, the boot's instruction counts), all or nothing: STATUS_INVALID_ARGUMENT
 * for another length, STATUS_BAD_BUFFER if any byte is not writable by the caller. Privileged.
 * Changes nothing in the kernel.
 */
#define SYS_KERNEL_STATS 31
/**
 * -> x1 the physical address of the page that holds the console UART's
 * registers (page aligned: what SYS_DEVICE_FRAME_CREATE takes), x2 the
 * offset of the registers within that page (0 when they start a page),
 * x3 the size in bytes of its register range, x4 its interrupt line (an
 * INTID in the kernel's numbering, what SYS_IRQ_CREATE takes), 0 when the
 * device tree gives it none (or one the kernel cannot decode): a driver
 * then has no interrupt and must poll. The console is the UART the device
 * tree's /chosen stdout-path names (else its first PL011): the one the
 * kernel prints on, so a user driver shares it with the kernel. This call
 * only reports: the device frame and IRQ handler still come from
 * SYS_DEVICE_FRAME_CREATE and SYS_IRQ_CREATE, with their own checks.
 * Privileged; the kernel capability's errors are those of every
 * privileged call (STATUS_BAD_HANDLE, STATUS_STALE_HANDLE,
 * STATUS_WRONG_KIND, STATUS_MISSING_RIGHT). Its own error, with nothing
 * changed: STATUS_NOT_FOUND (the board declared no console to the kernel).
 * Changes nothing in the kernel.
 */
#define SYS_CONSOLE_DEVICE 32
/**
 * x0 task handle (needs RIGHT_WATCH) -> x1 the CPU that runs it, or last
 * ran it (0 until it has run; the numbering of SYS_AFFINITY), x2 the CPUs
 * it may run on (its affinity: bit c for CPU c, every online CPU's bit when
 * it may run on any). Its errors are the handle's (STATUS_BAD_HANDLE,
 * STATUS_STALE_HANDLE, STATUS_WRONG_KIND, STATUS_MISSING_RIGHT).
 * Changes nothing in the kernel.
 */
#define SYS_TASK_INFO 33
/** Number of system calls; every number is below it. */
#define SYS_COUNT 34

/** The privileged calls: bit n set when call n needs the kernel capability. */
#define SYS_PRIVILEGED_MASK                                                                        \
    ((1ull << SYS_ENDPOINT_CREATE) | (1ull << SYS_NOTIFY_CREATE) | (1ull << SYS_FRAME_CREATE) |    \
     (1ull << SYS_SPACE_CREATE) | (1ull << SYS_TASK_CREATE) | (1ull << SYS_POWER_OFF) |            \
     (1ull << SYS_TASK_SPAWN) | (1ull << SYS_IRQ_CREATE) | (1ull << SYS_DEVICE_FRAME_CREATE) |     \
     (1ull << SYS_KERNEL_STATS) | (1ull << SYS_CONSOLE_DEVICE))

/** SYS_CONSOLE_WRITE: bytes one call may write. */
#define SYS_CONSOLE_WRITE_MAX 256
/** SYS_POWER_OFF: what to do. */
#define SYS_POWER_OFF_HALT 0
#define SYS_POWER_OFF_RESET 1

/** SYS_KERNEL_STATS: room for kinds (object.h's OBJECT_KIND_COUNT may grow up to it). */
#define SYS_KERNEL_STATS_KINDS 16

/**
 * SYS_KERNEL_STATS: the boot's milestones, indexes of boot_instructions.
 * Each entry is the count of instructions retired from the kernel's entry
 * to that point (0 where the CPU does not count them).
 */
#define SYS_BOOT_PHASES 8
/** kernel_main entered: MMU on, device tree read, console and interrupt controller set up. */
#define SYS_BOOT_KERNEL_MAIN 0
/** The frame allocator set up over RAM. */
#define SYS_BOOT_MEMORY 1
/** The timer's interrupt taken once. */
#define SYS_BOOT_INTERRUPTS 2
/** init's image found and its SHA-256 checked. */
#define SYS_BOOT_INIT_FOUND 3
/** init loaded into its address space, ready to run. */
#define SYS_BOOT_INIT_LOADED 4

#ifndef __ASSEMBLER__
/**
 * What SYS_KERNEL_STATS writes: a snapshot taken inside the call. Entries
 * of objects_used and objects_max at kind_count and above are 0.
 */
struct sys_kernel_stats {
    /** 4 KiB frames the allocator has free, and all it manages. */
    uint64_t frames_free;
    uint64_t frames_total;
    /**
     * Of the free frames, those reserved by address spaces for their
     * tables and mapping records (their quotas not yet spent): no other
     * use can take them.
     */
    uint64_t frames_reserved;
    /** OBJECT_KIND_COUNT of the kernel that answered. */
    uint32_t kind_count;
    uint32_t reserved;
    /** Live objects of each kind (object.h's OBJECT_*), indexed by kind. */
    uint32_t objects_used[SYS_KERNEL_STATS_KINDS];
    /** Slots of each kind (its arena's size). */
    uint32_t objects_max[SYS_KERNEL_STATS_KINDS];
    /** Instructions retired at each of the boot's milestones (SYS_BOOT_*); unused entries 0. */
    uint64_t boot_instructions[SYS_BOOT_PHASES];
};
_Static_assert(sizeof(struct sys_kernel_stats) ==
                   8 + 8 + 8 + 8 + 8 * SYS_KERNEL_STATS_KINDS + 8 * SYS_BOOT_PHASES,
               "struct sys_kernel_stats has no padding");
_Static_assert(OBJECT_KIND_COUNT <= SYS_KERNEL_STATS_KINDS, "every kind has an entry");
#endif

/** Permissions of a mapping (SYS_MAP, SYS_PROTECT). */
#define SYS_MAP_READ 0x1u
#define SYS_MAP_WRITE 0x2u
#define SYS_MAP_EXEC 0x4u

/** Message registers: x1 the info word, then the words, then the capabilities. */
#define SYS_MSG_REG_INFO 1
#define SYS_MSG_REG_WORD0 2
#define SYS_MSG_REG_CAP0 6
/** The register of a blocking call's deadline (x9; 0: none). */
#define SYS_REG_DEADLINE 9
/** Words and capabilities a message may carry in registers. */
#define SYS_MSG_MAX_WORDS 4
#define SYS_MSG_MAX_CAPS 2
/** The info word's fields: the 8-bit word count, 4-bit cap count and receive slots, the label. */
#define SYS_MSG_COUNT_MASK 0xffull
#define SYS_MSG_CAPS_SHIFT 8
#define SYS_MSG_CAPS_MASK 0xfull
#define SYS_MSG_SLOTS_SHIFT 12
#define SYS_MSG_SLOTS_MASK 0xfull
#define SYS_MSG_LABEL_SHIFT 16
#define SYS_MSG_LABEL_BITS 48
#define SYS_MSG_LABEL_MASK ((1ull << SYS_MSG_LABEL_BITS) - 1)

#ifndef __ASSEMBLER__
/**
 * Packs a message info word (x1) with receive slots 0. Label bits above
 * SYS_MSG_LABEL_BITS, word count bits above 8 and cap count bits above 4
 * are dropped, so no field spills into another.
 */
static inline uint64_t sys_msg_info(uint64_t label, uint32_t word_count, uint32_t cap_count)
{
    return (label & SYS_MSG_LABEL_MASK) << SYS_MSG_LABEL_SHIFT |
           ((uint64_t)cap_count & SYS_MSG_CAPS_MASK) << SYS_MSG_CAPS_SHIFT |
           ((uint64_t)word_count & SYS_MSG_COUNT_MASK);
}

/** An info word with its receive slots set to slots (bits above 4 dropped). */
static inline uint64_t sys_msg_with_slots(uint64_t info, uint32_t slots)
{
    return (info & ~(SYS_MSG_SLOTS_MASK << SYS_MSG_SLOTS_SHIFT)) |
           ((uint64_t)slots & SYS_MSG_SLOTS_MASK) << SYS_MSG_SLOTS_SHIFT;
}

/** The receive slots of an info word (not checked against SYS_MSG_MAX_CAPS). */
static inline uint32_t sys_msg_slots(uint64_t info)
{
    return (uint32_t)((info >> SYS_MSG_SLOTS_SHIFT) & SYS_MSG_SLOTS_MASK);
}

/** Whether system call number n (any value) is privileged. */
static inline int sys_is_privileged(uint64_t n)
{
    return n < SYS_COUNT && ((SYS_PRIVILEGED_MASK >> n) & 1u) != 0;
}

/** The label of a message info word (48 bits). */
static inline uint64_t sys_msg_label(uint64_t info)
{
    return info >> SYS_MSG_LABEL_SHIFT;
}

/** The word count of a message info word (not checked against SYS_MSG_MAX_WORDS). */
static inline uint32_t sys_msg_words(uint64_t info)
{
    return (uint32_t)(info & SYS_MSG_COUNT_MASK);
}

/** The capability count of a message info word (not checked against SYS_MSG_MAX_CAPS). */
static inline uint32_t sys_msg_caps(uint64_t info)
{
    return (uint32_t)((info >> SYS_MSG_CAPS_SHIFT) & SYS_MSG_CAPS_MASK);
}

_Static_assert(SYS_YIELD == 0, "numbers start at 0");
_Static_assert(
    SYS_EXIT == SYS_YIELD + 1 && SYS_CAP_DERIVE == SYS_EXIT + 1 &&
        SYS_CAP_DELETE == SYS_CAP_DERIVE + 1 && SYS_CAP_REVOKE == SYS_CAP_DELETE + 1 &&
        SYS_NOTIFY_SIGNAL == SYS_CAP_REVOKE + 1 && SYS_NOTIFY_WAIT == SYS_NOTIFY_SIGNAL + 1 &&
        SYS_NOTIFY_POLL == SYS_NOTIFY_WAIT + 1 && SYS_SEND == SYS_NOTIFY_POLL + 1 &&
        SYS_CALL == SYS_SEND + 1 && SYS_RECV == SYS_CALL + 1 && SYS_REPLY == SYS_RECV + 1 &&
        SYS_REPLY_RECV == SYS_REPLY + 1 && SYS_MAP == SYS_REPLY_RECV + 1 &&
        SYS_UNMAP == SYS_MAP + 1 && SYS_PROTECT == SYS_UNMAP + 1 &&
        SYS_TASK_START == SYS_PROTECT + 1 && SYS_CONSOLE_WRITE == SYS_TASK_START + 1 &&
        SYS_TASK_WATCH == SYS_CONSOLE_WRITE + 1 && SYS_ENDPOINT_CREATE == SYS_TASK_WATCH + 1 &&
        SYS_NOTIFY_CREATE == SYS_ENDPOINT_CREATE + 1 && SYS_FRAME_CREATE == SYS_NOTIFY_CREATE + 1 &&
        SYS_SPACE_CREATE == SYS_FRAME_CREATE + 1 && SYS_TASK_CREATE == SYS_SPACE_CREATE + 1 &&
        SYS_POWER_OFF == SYS_TASK_CREATE + 1 && SYS_TASK_SPAWN == SYS_POWER_OFF + 1 &&
        SYS_IRQ_CREATE == SYS_TASK_SPAWN + 1 && SYS_DEVICE_FRAME_CREATE == SYS_IRQ_CREATE + 1 &&
        SYS_IRQ_BIND == SYS_DEVICE_FRAME_CREATE + 1 && SYS_IRQ_ACK == SYS_IRQ_BIND + 1 &&
        SYS_CAP_BADGE == SYS_IRQ_ACK + 1 && SYS_KERNEL_STATS == SYS_CAP_BADGE + 1 &&
        SYS_CONSOLE_DEVICE == SYS_KERNEL_STATS + 1 && SYS_TASK_INFO == SYS_CONSOLE_DEVICE + 1,
    "syscall numbers are dense");
_Static_assert(SYS_TASK_INFO + 1 == SYS_COUNT, "every number is below SYS_COUNT");
_Static_assert(SYS_COUNT <= 64 && (SYS_PRIVILEGED_MASK >> SYS_COUNT) == 0,
               "the privileged mask names only numbers below SYS_COUNT");
_Static_assert(SYS_MSG_REG_INFO == 1 && SYS_MSG_REG_WORD0 == SYS_MSG_REG_INFO + 1 &&
                   SYS_MSG_REG_CAP0 == SYS_MSG_REG_WORD0 + SYS_MSG_MAX_WORDS &&
                   SYS_MSG_REG_CAP0 + SYS_MSG_MAX_CAPS == 8,
               "x0 handle, x1 info, x2-x5 words, x6-x7 capabilities fill x0-x7");
_Static_assert(SYS_MSG_MAX_WORDS <= SYS_MSG_COUNT_MASK && SYS_MSG_MAX_CAPS <= SYS_MSG_CAPS_MASK &&
                   SYS_MSG_MAX_CAPS <= SYS_MSG_SLOTS_MASK,
               "the counts fit their fields");
_Static_assert(SYS_MSG_CAPS_SHIFT == 8 && SYS_MSG_SLOTS_SHIFT == SYS_MSG_CAPS_SHIFT + 4 &&
                   SYS_MSG_LABEL_SHIFT == SYS_MSG_SLOTS_SHIFT + 4 &&
                   SYS_MSG_LABEL_SHIFT + SYS_MSG_LABEL_BITS == 64,
               "word_count, cap_count, receive slots and label fill the info word");

#endif /* __ASSEMBLER__ */

#ifdef __cplusplus
}
#endif
