/*
 * What was made through a capability lives exactly as long as it: a frame
 * mapping (SYS_MAP), a watch (SYS_TASK_WATCH) and an IRQ binding
 * (SYS_IRQ_BIND: a removed IRQ or notification capability unbinds and
 * masks the line). kernel/cap reports each
 * capability it removes or moves through the hooks set here (cap.h); a
 * removed frame capability's mappings are unmapped everywhere (TLB included,
 * vm_unmap_owner) and a removed task or notification capability's watches
 * end, before the deleting call returns; a moved one's records follow it.
 */

#include <stddef.h>
#include <stdint.h>

#include "hal/mmu.h"
#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/obj/obj.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/object.h"
#include "kernel/abi/status.h"

_Static_assert(VM_NIL == CAP_NIL, "a mapping with no owner names no capability position");

/** The kernel state whose caps member space is (the hooks are set only on those). */
static struct kernel_state *kernel_of(struct cap_space *space)
{
    return (struct kernel_state *)(void *)((char *)space - offsetof(struct kernel_state, caps));
}

/** Ends every watch made through the capability at pos. */
static void watches_end(struct kernel_state *k, int32_t pos)
{
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        struct kernel_task *t = &k->tasks[i];
        if (t->watch_set && (t->watch_task_cap == pos || t->watch_note_cap == pos)) {
            syscall_task_watch_end(t);
        }
    }
}

/** The watches made through the capability at from now name it at to. */
static void watches_rehome(struct kernel_state *k, int32_t from, int32_t to)
{
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        struct kernel_task *t = &k->tasks[i];
        if (t->watch_task_cap == from) {
            t->watch_task_cap = to;
        }
        if (t->watch_note_cap == from) {
            t->watch_note_cap = to;
        }
    }
}

/** Ends every IRQ binding made through the capability at pos (the line is masked). */
static void irq_bindings_end(struct kernel_state *k, int32_t pos)
{
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        struct kernel_irq *irq = &k->irqs[i];
        if (irq->bound && (irq->irq_cap == pos || irq->note_cap == pos)) {
            syscall_irq_unbind(irq);
        }
    }
}

/** The IRQ bindings made through the capability at from now name it at to. */
static void irq_bindings_rehome(struct kernel_state *k, int32_t from, int32_t to)
{
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        struct kernel_irq *irq = &k->irqs[i];
        if (irq->irq_cap == from) {
            irq->irq_cap = to;
        }
        if (irq->note_cap == from) {
            irq->note_cap = to;
        }
    }
}

/** cap_hooks.removed: the capability at pos is about to go. */
static void links_removed(struct cap_space *space, int32_t pos)
{
    struct kernel_state *k = kernel_of(space);
    const struct cap *c = cap_at_pos(space, pos);
    CHECK(c != 0);
    if (c->object.kind == OBJECT_FRAME) {
        (void)vm_unmap_owner(&k->vm, k->frames, c->object.index, pos);
    } else if (c->object.kind == OBJECT_TASK || c->object.kind == OBJECT_NOTIFICATION) {
        watches_end(k, pos);
    }
    if (c->object.kind == OBJECT_IRQ_HANDLER || c->object.kind == OBJECT_NOTIFICATION) {
        irq_bindings_end(k, pos);
    }
}

/** cap_hooks.moved: the capability at from now lies at to. */
static void links_moved(struct cap_space *space, int32_t from, int32_t to)
{
    struct kernel_state *k = kernel_of(space);
    const struct cap *c = cap_at_pos(space, to);
    CHECK(c != 0);
    if (c->object.kind == OBJECT_FRAME) {
        (void)vm_rehome(&k->vm, c->object.index, from, to);
    } else if (c->object.kind == OBJECT_TASK || c->object.kind == OBJECT_NOTIFICATION) {
        watches_rehome(k, from, to);
    }
    if (c->object.kind == OBJECT_IRQ_HANDLER || c->object.kind == OBJECT_NOTIFICATION) {
        irq_bindings_rehome(k, from, to);
    }
}

static const struct cap_hooks links_hooks = {
    .removed = links_removed,
    .moved = links_moved,
};

void syscall_links_init(struct kernel_state *k)
{
    cap_space_set_hooks(&k->caps, &links_hooks);
}

/** The mapping permissions rights allow (as syscall_map computes its ceiling). */
static uint32_t rights_perms(rights_t rights)
{
    return ((rights & RIGHT_READ) != 0 ? HAL_MMU_READ : 0u) |
           ((rights & RIGHT_WRITE) != 0 ? HAL_MMU_WRITE : 0u) |
           ((rights & RIGHT_EXECUTE) != 0 ? HAL_MMU_EXEC : 0u);
}

/** Whether the capability at pos names obj (kind and index) and has the rights needed. */
static int cap_names(const struct kernel_state *k, int32_t pos, uint32_t kind, uint32_t index,
                     rights_t needed)
{
    const struct cap *c = cap_at_pos(&k->caps, pos);
    return c != 0 && c->object.kind == kind && c->object.index == index &&
           (c->rights & needed) == needed;
}

/** Every IRQ binding names the capabilities it was made through; unbound records name none. */
static status_t check_irq_links(const struct kernel_state *k)
{
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        const struct kernel_irq *irq = &k->irqs[i];
        if (!irq->bound) {
            if (irq->irq_cap != CAP_NIL || irq->note_cap != CAP_NIL || irq->pending) {
                return STATUS_BAD_FORMAT;
            }
            continue;
        }
        if (!irq->used || !cap_names(k, irq->irq_cap, OBJECT_IRQ_HANDLER, i, RIGHT_CONTROL) ||
            !cap_names(k, irq->note_cap, OBJECT_NOTIFICATION, irq->note.index, RIGHT_SEND)) {
            return STATUS_BAD_FORMAT;
        }
    }
    return STATUS_OK;
}

status_t kernel_check_links(const struct kernel_state *k)
{
    if (k == 0 || k->caps.hooks != &links_hooks) {
        return STATUS_BAD_FORMAT;
    }
    for (uint32_t s = 0; s < OBJ_MAX_ADDRESS_SPACES; s++) {
        const struct vm_mapping *r = 0;
        for (int32_t m = vm_space_first_mapping(&k->vm, s); m != VM_NIL; m = r->next_in_space) {
            r = vm_mapping_at(&k->vm, m);
            if (r == 0) {
                return STATUS_BAD_FORMAT;
            }
            if (r->frame == VM_ANON) {
                continue;
            }
            if (!cap_names(k, r->owner, OBJECT_FRAME, r->frame, RIGHT_MAP)) {
                return STATUS_BAD_FORMAT;
            }
            if ((r->max_perms & ~rights_perms(cap_at_pos(&k->caps, r->owner)->rights)) != 0) {
                return STATUS_BAD_FORMAT;
            }
        }
    }
    for (uint32_t i = 0; i < OBJ_MAX_TASKS; i++) {
        const struct kernel_task *t = &k->tasks[i];
        if (!t->watch_set) {
            if (t->watch_task_cap != CAP_NIL || t->watch_note_cap != CAP_NIL) {
                return STATUS_BAD_FORMAT;
            }
            continue;
        }
        if (!cap_names(k, t->watch_task_cap, OBJECT_TASK, i, RIGHT_WATCH) ||
            !cap_names(k, t->watch_note_cap, OBJECT_NOTIFICATION, t->watch.index, RIGHT_SEND)) {
            return STATUS_BAD_FORMAT;
        }
    }
    return check_irq_links(k);
}
