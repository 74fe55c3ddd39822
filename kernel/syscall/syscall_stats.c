/** SYS_KERNEL_STATS: the kernel's counts, for a privileged caller (the shell's `mem`). */

#include <stddef.h>
#include <stdint.h>

#include "kernel/mm/frame_alloc.h"
#include "kernel/obj/obj.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/uaccess/uaccess.h"

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/** Fills *s from k: frames, then each kind's live objects and slots; unused entries 0. */
static void stats_fill(const struct kernel_state *k, struct sys_kernel_stats *s)
{
    s->frames_free = k->frames != 0 ? frame_alloc_free_count(k->frames) : 0;
    s->frames_total = k->frames != 0 ? frame_alloc_total_count(k->frames) : 0;
    s->frames_reserved = k->frames != 0 ? frame_alloc_reserved_count(k->frames) : 0;
    s->kind_count = OBJECT_KIND_COUNT;
    s->reserved = 0;
    for (uint32_t kind = 0; kind < SYS_KERNEL_STATS_KINDS; kind++) {
        const int known = kind < OBJECT_KIND_COUNT;
        s->objects_used[kind] = known ? obj_count(&k->caps.objects, kind) : 0;
        s->objects_max[kind] = known ? obj_capacity(kind) : 0;
    }
    for (uint32_t i = 0; i < SYS_BOOT_PHASES; i++) {
        s->boot_instructions[i] = k->boot_instructions[i];
    }
}

/**
 * SYS_KERNEL_STATS (privileged; the dispatcher checked x0): x1 user
 * address, x2 length. Decode: the length must be the structure's, the
 * caller must have a space; then one copy, all or nothing. Nothing in the
 * kernel changes either way.
 */
SYSCALL_COLD status_t syscall_kernel_stats(struct kernel_state *k, uint32_t task,
                                           const struct syscall_regs *regs)
{
    if (regs->x[2] != sizeof(struct sys_kernel_stats)) {
        return STATUS_INVALID_ARGUMENT;
    }
    paddr_t root = syscall_task_root(k, task);
    if (root.value == 0) {
        return STATUS_BAD_BUFFER;
    }
    struct sys_kernel_stats s;
    stats_fill(k, &s);
    return copy_to_user(root, uaddr_make(regs->x[1]), &s, sizeof s);
}
