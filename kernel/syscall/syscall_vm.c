/** Memory calls: map, unmap and protect pages of an address space; console writes from one. */

#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/console.h"
#include "hal/mmu.h"
#include "kernel/cap/cap.h"
#include "kernel/obj/obj.h"
#include "kernel/syscall/syscall_priv.h"
#include "kernel/uaccess/uaccess.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

_Static_assert(SYS_MAP_READ == HAL_MMU_READ && SYS_MAP_WRITE == HAL_MMU_WRITE &&
                   SYS_MAP_EXEC == HAL_MMU_EXEC,
               "the ABI's permission bits are the HAL's");

/** Every permission bit the ABI defines. */
#define SYS_MAP_ALL (SYS_MAP_READ | SYS_MAP_WRITE | SYS_MAP_EXEC)

/** The mapping permissions a frame capability's rights allow. */
static uint32_t perms_allowed(rights_t rights)
{
    uint32_t perms = 0;
    if ((rights & RIGHT_READ) != 0) {
        perms |= SYS_MAP_READ;
    }
    if ((rights & RIGHT_WRITE) != 0) {
        perms |= SYS_MAP_WRITE;
    }
    if ((rights & RIGHT_EXECUTE) != 0) {
        perms |= SYS_MAP_EXEC;
    }
    return perms;
}

/** x0 space (RIGHT_MAP), x1 frame (RIGHT_MAP + one right per permission), x2 va, x3 perms. */
SYSCALL_COLD status_t syscall_map(struct kernel_state *k, uint32_t task,
                                  const struct syscall_regs *regs)
{
    if (regs->x[3] > SYS_MAP_ALL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint32_t perms = (uint32_t)regs->x[3];
    uint32_t space = 0;
    status_t st =
        syscall_lookup_index_slow(k, task, regs->x[0], OBJECT_ADDRESS_SPACE, RIGHT_MAP, &space);
    if (st != STATUS_OK) {
        return st;
    }
    struct cap *frame = 0;
    st = cap_lookup(&k->caps, task, (handle_t)regs->x[1], OBJECT_FRAME, RIGHT_MAP, &frame);
    if (st != STATUS_OK) {
        return st;
    }
    uint32_t allowed = perms_allowed(frame->rights);
    if ((perms & ~allowed) != 0) {
        return STATUS_MISSING_RIGHT;
    }
    if (k->frames == 0) {
        return STATUS_NO_MEMORY;
    }
    // vm_map checks the rest (W^X, READ, the address, room) before it changes anything. The
    // mapping lives as long as the frame capability (syscall_links.c).
    return vm_map(&k->vm, k->frames, space, frame->object.index, regs->x[2], perms, allowed,
                  cap_position(&k->caps, frame));
}

/** x0 space (RIGHT_MAP), x1 va. */
SYSCALL_COLD status_t syscall_unmap(struct kernel_state *k, uint32_t task,
                                    const struct syscall_regs *regs)
{
    uint32_t space = 0;
    status_t st =
        syscall_lookup_index_slow(k, task, regs->x[0], OBJECT_ADDRESS_SPACE, RIGHT_MAP, &space);
    if (st != STATUS_OK) {
        return st;
    }
    return vm_unmap(&k->vm, k->frames, space, regs->x[1]);
}

/** x0 space (RIGHT_MAP), x1 va, x2 perms. */
SYSCALL_COLD status_t syscall_protect(struct kernel_state *k, uint32_t task,
                                      const struct syscall_regs *regs)
{
    if (regs->x[2] > SYS_MAP_ALL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint32_t space = 0;
    status_t st =
        syscall_lookup_index_slow(k, task, regs->x[0], OBJECT_ADDRESS_SPACE, RIGHT_MAP, &space);
    if (st != STATUS_OK) {
        return st;
    }
    return vm_protect(&k->vm, space, regs->x[1], (uint32_t)regs->x[2]);
}

paddr_t syscall_task_root(const struct kernel_state *k, uint32_t task)
{
    if (task >= OBJ_MAX_TASKS || !k->tasks[task].used ||
        obj_check(&k->caps.objects, k->tasks[task].space, OBJECT_ADDRESS_SPACE) != STATUS_OK) {
        return paddr_make(0);
    }
    return vm_space_root(&k->vm, k->tasks[task].space.index);
}

/** x0 console (RIGHT_WRITE), x1 user address, x2 length: copied whole, then written. */
SYSCALL_COLD status_t syscall_console_write(struct kernel_state *k, uint32_t task,
                                            const struct syscall_regs *regs)
{
    struct cap *c = 0;
    status_t st = cap_lookup(&k->caps, task, (handle_t)regs->x[0], OBJECT_CONSOLE, RIGHT_WRITE, &c);
    if (st != STATUS_OK) {
        return st;
    }
    if (regs->x[2] > SYS_CONSOLE_WRITE_MAX) {
        return STATUS_INVALID_ARGUMENT;
    }
    size_t len = (size_t)regs->x[2];
    paddr_t root = syscall_task_root(k, task);
    if (root.value == 0) {
        return STATUS_BAD_BUFFER;
    }
    char buf[SYS_CONSOLE_WRITE_MAX];
    st = copy_from_user(root, buf, uaddr_make(regs->x[1]), len);
    if (st != STATUS_OK) {
        return st;
    }
    hal_console_write(buf, len);
    return STATUS_OK;
}
