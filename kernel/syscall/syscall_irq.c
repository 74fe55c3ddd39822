/*
 * Devices in user mode: IRQ handler objects (SYS_IRQ_CREATE, SYS_IRQ_BIND,
 * SYS_IRQ_ACK, and the line firing) and device frames
 * (SYS_DEVICE_FRAME_CREATE), and which device is the console
 * (SYS_CONSOLE_DEVICE). What a driver may have comes from the device
 * tree, through struct kernel_devices (syscall.h); the lines themselves are
 * masked and unmasked through hal/irq.h.
 *
 * Line states, per IRQ handler object:
 *   unbound            masked; firing cannot happen
 *   bound              unmasked; waiting for the line
 *   bound + pending    masked since it fired, notification signalled;
 *                      SYS_IRQ_ACK unmasks it and clears pending
 * An unbind (either capability of the binding removed, the object torn
 * down) masks the line from any state and clears pending.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/irq.h"
#include "hal/mmu.h"
#include "kernel/cap/cap.h"
#include "kernel/check/check.h"
#include "kernel/ipc/notification.h"
#include "kernel/obj/obj.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/*
 * The calls below are cold and kept out of line: inlined into
 * syscall_invoke under LTO they cost the hot calls (yield, signal) a few
 * instructions each in the benchmark.
 */

/** Rights of a new IRQ handler capability and of a new device frame (never EXECUTE). */
#define RIGHTS_NEW_IRQ (RIGHT_CONTROL | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE)
#define RIGHTS_NEW_DEVICE_FRAME                                                                    \
    (RIGHT_READ | RIGHT_WRITE | RIGHT_MAP | RIGHT_GRANT | RIGHT_DERIVE | RIGHT_REVOKE)

/** INTIDs below this are SGIs (GIC): software interrupts between CPUs, the kernel's. */
#define IRQ_FIRST_PPI 16u

void kernel_state_set_devices(struct kernel_state *k, const struct kernel_devices *devices)
{
    CHECK(k != 0);
    k->devices = devices;
}

void syscall_irq_clear(struct kernel_irq *irq)
{
    irq->used = 0;
    irq->intid = 0;
    irq->bound = 0;
    irq->pending = 0;
    irq->note = (struct obj_ref){OBJECT_NONE, 0, 0};
    irq->irq_cap = CAP_NIL;
    irq->note_cap = CAP_NIL;
    irq->pad = 0;
    irq->bits = 0;
}

void syscall_irq_unbind(struct kernel_irq *irq)
{
    if (irq->bound) {
        hal_irq_line_mask(irq->intid);
    }
    irq->bound = 0;
    irq->pending = 0;
    irq->note = (struct obj_ref){OBJECT_NONE, 0, 0};
    irq->irq_cap = CAP_NIL;
    irq->note_cap = CAP_NIL;
    irq->bits = 0;
}

void syscall_irq_teardown(struct kernel_state *k, uint32_t index)
{
    struct kernel_irq *irq = &k->irqs[index];
    // The binding ended with the last capability already (syscall_links.c);
    // the line is masked again all the same: nothing may point at it.
    syscall_irq_unbind(irq);
    hal_irq_line_mask(irq->intid);
    syscall_irq_clear(irq);
}

/** Whether v is one of list[0 .. count). */
static bool irq_listed(const uint32_t *list, uint32_t count, uint32_t v)
{
    for (uint32_t i = 0; i < count; i++) {
        if (list[i] == v) {
            return true;
        }
    }
    return false;
}

/** Decodes the line of SYS_IRQ_CREATE (x1), with no side effect. */
static status_t irq_line_check(const struct kernel_state *k, uint64_t intid)
{
    if (intid >= hal_irq_line_count()) {
        return STATUS_OUT_OF_RANGE;
    }
    const struct kernel_devices *d = k->devices;
    if (intid < IRQ_FIRST_PPI ||
        (d != 0 && irq_listed(d->own_irqs, d->own_irq_count, (uint32_t)intid))) {
        return STATUS_PERMISSION;
    }
    if (d == 0 || !irq_listed(d->irqs, d->irq_count, (uint32_t)intid)) {
        return STATUS_NOT_FOUND;
    }
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        if (k->irqs[i].used && k->irqs[i].intid == intid) {
            return STATUS_BAD_STATE;
        }
    }
    return STATUS_OK;
}

/** SYS_IRQ_CREATE: x1 the INTID. */
SYSCALL_COLD status_t syscall_irq_create(struct kernel_state *k, uint32_t task,
                                         struct syscall_regs *regs)
{
    status_t st = irq_line_check(k, regs->x[1]);
    if (st == STATUS_OK) {
        st = syscall_create_check(k, task, OBJECT_IRQ_HANDLER, 0);
    }
    if (st != STATUS_OK) {
        return st;
    }
    uint32_t intid = (uint32_t)regs->x[1];
    struct obj_ref ref = syscall_create_object(k, task, OBJECT_IRQ_HANDLER, RIGHTS_NEW_IRQ, regs);
    struct kernel_irq *irq = &k->irqs[ref.index];
    CHECK(!irq->used);
    syscall_irq_clear(irq);
    irq->used = 1;
    irq->intid = intid;
    hal_irq_line_mask(intid); // masked until bound, whatever the board left
    return STATUS_OK;
}

/** SYS_IRQ_BIND: x0 IRQ handler (RIGHT_CONTROL), x1 notification (RIGHT_SEND), x2 bits. */
SYSCALL_COLD status_t syscall_irq_bind(struct kernel_state *k, uint32_t task,
                                       const struct syscall_regs *regs)
{
    struct cap *ic = 0;
    status_t st =
        cap_lookup(&k->caps, task, (handle_t)regs->x[0], OBJECT_IRQ_HANDLER, RIGHT_CONTROL, &ic);
    if (st != STATUS_OK) {
        return st;
    }
    struct cap *nc = 0;
    st = cap_lookup(&k->caps, task, (handle_t)regs->x[1], OBJECT_NOTIFICATION, RIGHT_SEND, &nc);
    if (st != STATUS_OK) {
        return st;
    }
    if (regs->x[2] == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct kernel_irq *irq = &k->irqs[ic->object.index];
    CHECK(irq->used);
    irq->bound = 1;
    irq->note = nc->object;
    irq->bits = regs->x[2];
    // The binding lives as long as both capabilities it was made through.
    irq->irq_cap = cap_position(&k->caps, ic);
    irq->note_cap = cap_position(&k->caps, nc);
    if (!irq->pending) {
        hal_irq_line_unmask(irq->intid);
    }
    return STATUS_OK;
}

/** SYS_IRQ_ACK: x0 IRQ handler (RIGHT_CONTROL). */
SYSCALL_COLD status_t syscall_irq_ack(struct kernel_state *k, uint32_t task,
                                      const struct syscall_regs *regs)
{
    struct cap *ic = 0;
    status_t st =
        cap_lookup(&k->caps, task, (handle_t)regs->x[0], OBJECT_IRQ_HANDLER, RIGHT_CONTROL, &ic);
    if (st != STATUS_OK) {
        return st;
    }
    struct kernel_irq *irq = &k->irqs[ic->object.index];
    if (!irq->pending) {
        return STATUS_BAD_STATE;
    }
    irq->pending = 0;
    hal_irq_line_unmask(irq->intid);
    return STATUS_OK;
}

bool kernel_irq_fired(struct kernel_state *k, uint32_t intid)
{
    CHECK(k != 0);
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i++) {
        struct kernel_irq *irq = &k->irqs[i];
        if (!irq->used || irq->intid != intid) {
            continue;
        }
        hal_irq_line_mask(intid);
        if (!irq->bound || irq->pending) {
            return irq->bound != 0; // masked again: it cannot storm
        }
        irq->pending = 1;
        // A bound notification is live: its capability's removal unbinds.
        CHECK(obj_check(&k->caps.objects, irq->note, OBJECT_NOTIFICATION) == STATUS_OK);
        CHECK(ipc_notify_signal(&k->ipc, &k->sched, irq->note.index, irq->bits) == STATUS_OK);
        return true;
    }
    hal_irq_line_mask(intid);
    return false;
}

/** Whether [a, a + an) (a + an does not wrap) and [b, b + bn) overlap; b + bn may wrap. */
static bool ranges_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    uint64_t b_end = b + bn < b ? UINT64_MAX : b + bn;
    return bn != 0 && a < b_end && b < a + an;
}

/** Decodes the page of SYS_DEVICE_FRAME_CREATE (x1), with no side effect. */
static status_t device_page_check(const struct kernel_state *k, uint64_t pa)
{
    const uint64_t page = HAL_MMU_PAGE_SIZE;
    if (pa % page != 0) {
        return STATUS_MISALIGNED;
    }
    if (pa >= HAL_MMU_USER_TOP - page) {
        return STATUS_OUT_OF_RANGE; // no physical address reaches 2^48 on this kernel
    }
    const struct kernel_devices *d = k->devices;
    if (d == 0) {
        return STATUS_NOT_FOUND;
    }
    for (uint32_t i = 0; i < d->refused_count; i++) {
        if (ranges_overlap(pa, page, d->refused[i].base, d->refused[i].size)) {
            return STATUS_PERMISSION;
        }
    }
    for (uint32_t i = 0; i < d->mmio_count; i++) {
        const struct kernel_range *r = &d->mmio[i];
        if (pa >= r->base && pa - r->base <= r->size && r->size - (pa - r->base) >= page) {
            return STATUS_OK;
        }
    }
    return STATUS_NOT_FOUND;
}

/** SYS_DEVICE_FRAME_CREATE: x1 the page's physical address. */
SYSCALL_COLD status_t syscall_device_frame_create(struct kernel_state *k, uint32_t task,
                                                  struct syscall_regs *regs)
{
    status_t st = device_page_check(k, regs->x[1]);
    if (st == STATUS_OK) {
        st = syscall_create_check(k, task, OBJECT_FRAME, 0);
    }
    if (st != STATUS_OK) {
        return st;
    }
    uint64_t pa = regs->x[1];
    struct obj_ref ref =
        syscall_create_object(k, task, OBJECT_FRAME, RIGHTS_NEW_DEVICE_FRAME, regs);
    CHECK(vm_frame_create_device(&k->vm, ref.index, paddr_make(pa)) == STATUS_OK);
    return STATUS_OK;
}

/**
 * SYS_CONSOLE_DEVICE (privileged; the dispatcher checked x0): the console
 * UART the board recorded from the device tree. Decode: the board must
 * have declared one; then x1 its page, x2 the registers' offset in it, x3
 * the reg size, x4 its line (0: none). Changes nothing in the kernel.
 */
SYSCALL_COLD status_t syscall_console_device(const struct kernel_state *k,
                                             struct syscall_regs *regs)
{
    const struct kernel_devices *d = k->devices;
    if (d == 0 || d->console.size == 0) {
        return STATUS_NOT_FOUND;
    }
    const uint64_t page = HAL_MMU_PAGE_SIZE;
    regs->x[1] = d->console.base - d->console.base % page;
    regs->x[2] = d->console.base % page;
    regs->x[3] = d->console.size;
    regs->x[4] = d->console_irq;
    return STATUS_OK;
}
