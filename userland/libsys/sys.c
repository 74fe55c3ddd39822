/*
 * System call wrappers for the target: `svc #0` with the number in x8 and
 * x0-x7 as kernel/abi/syscall.h lays them out.
 */

#include "userland/libsys/sys.h"

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/msg.h"

#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* The counter's frequency in Hz, from x1 at the first instruction (crt0.S). */
uint64_t sys_clock_hz_value;

uint64_t sys_clock_hz(void)
{
    return sys_clock_hz_value;
}

uint64_t sys_clock_now(void)
{
    uint64_t value;
    // The ISB keeps the read from being taken early (Arm ARM D11.2.2).
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value)::"memory");
    return value;
}

uint64_t sys_deadline_after(uint64_t ticks)
{
    uint64_t now = sys_clock_now();
    return ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
}

uint64_t sys_ticks_from_us(uint64_t us)
{
    uint64_t hz = sys_clock_hz_value;
    // us * hz / 1e6 without overflow: whole seconds and the rest apart,
    // saturating at UINT64_MAX.
    uint64_t s = us / 1000000u;
    uint64_t rest = us % 1000000u;
    if (hz != 0 && s > UINT64_MAX / hz) {
        return UINT64_MAX;
    }
    uint64_t ticks = s * hz;
    uint64_t part = rest * (hz / 1000000u) + rest * (hz % 1000000u) / 1000000u;
    return part > UINT64_MAX - ticks ? UINT64_MAX : ticks + part;
}

/**
 * Calls the kernel with number in x8, r[0..7] in x0-x7 and deadline in x9
 * (kernel/abi/syscall.h: 0 for none; the kernel never changes x9), and
 * puts x0-x7 back into r and x8 into *x8_out on return. x0-x8 are inputs
 * and outputs (a receive writes its badge into x8), so the compiler keeps
 * nothing in them across the call; "memory" because the kernel reads
 * (SYS_CONSOLE_WRITE) the caller's memory. Returns x0.
 */
static status_t sys_svc(uint64_t number, uint64_t r[SYS_MSG_REGS], uint64_t deadline,
                        uint64_t *x8_out)
{
    register uint64_t x0 __asm__("x0") = r[0];
    register uint64_t x1 __asm__("x1") = r[1];
    register uint64_t x2 __asm__("x2") = r[2];
    register uint64_t x3 __asm__("x3") = r[3];
    register uint64_t x4 __asm__("x4") = r[4];
    register uint64_t x5 __asm__("x5") = r[5];
    register uint64_t x6 __asm__("x6") = r[6];
    register uint64_t x7 __asm__("x7") = r[7];
    register uint64_t x8 __asm__("x8") = number;
    register uint64_t x9 __asm__("x9") = deadline;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
                       "+r"(x7), "+r"(x8)
                     : "r"(x9)
                     : "memory");
    r[0] = x0;
    r[1] = x1;
    r[2] = x2;
    r[3] = x3;
    r[4] = x4;
    r[5] = x5;
    r[6] = x6;
    r[7] = x7;
    *x8_out = x8;
    // The status is an int32_t in the low half of x0.
    return (status_t)(uint32_t)x0;
}

status_t sys_raw(uint64_t number, uint64_t r[SYS_MSG_REGS])
{
    uint64_t x8 = 0;
    return sys_svc(number, r, 0, &x8);
}

status_t sys_raw_x8(uint64_t number, uint64_t r[SYS_MSG_REGS], uint64_t *x8)
{
    return sys_svc(number, r, 0, x8);
}

status_t sys_raw_until(uint64_t number, uint64_t r[SYS_MSG_REGS], uint64_t deadline)
{
    uint64_t x8 = 0;
    return sys_svc(number, r, deadline, &x8);
}

/** A call with up to four arguments and no result but the status. */
static status_t sys_call4(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    uint64_t r[SYS_MSG_REGS] = {a0, a1, a2, a3, 0, 0, 0, 0};
    return sys_raw(number, r);
}

/** A call with up to two arguments whose one result (x1) goes to *out on success. */
static status_t sys_call_out(uint64_t number, uint64_t a0, uint64_t a1, uint64_t *out)
{
    uint64_t r[SYS_MSG_REGS] = {a0, a1, 0, 0, 0, 0, 0, 0};
    status_t st = sys_raw(number, r);
    if (st == STATUS_OK) {
        *out = r[1];
    }
    return st;
}

status_t sys_yield(void)
{
    return sys_call4(SYS_YIELD, 0, 0, 0, 0);
}

_Noreturn void sys_exit(void)
{
    sys_call4(SYS_EXIT, 0, 0, 0, 0);
    // SYS_EXIT does not return; should it ever, do not run on.
    for (;;) {
        sys_call4(SYS_EXIT, 0, 0, 0, 0);
    }
}

status_t sys_cap_derive(handle_t handle, rights_t rights, handle_t *out)
{
    return sys_call_out(SYS_CAP_DERIVE, handle, rights, out);
}

status_t sys_cap_badge(handle_t handle, rights_t rights, uint64_t badge, handle_t *out)
{
    uint64_t r[SYS_MSG_REGS] = {handle, rights, badge, 0, 0, 0, 0, 0};
    status_t st = sys_raw(SYS_CAP_BADGE, r);
    if (st == STATUS_OK) {
        *out = r[1];
    }
    return st;
}

status_t sys_cap_delete(handle_t handle)
{
    return sys_call4(SYS_CAP_DELETE, handle, 0, 0, 0);
}

status_t sys_cap_revoke(handle_t handle)
{
    return sys_call4(SYS_CAP_REVOKE, handle, 0, 0, 0);
}

status_t sys_notify_signal(handle_t notification, uint64_t bits)
{
    return sys_call4(SYS_NOTIFY_SIGNAL, notification, bits, 0, 0);
}

status_t sys_notify_wait(handle_t notification, uint64_t *bits)
{
    return sys_call_out(SYS_NOTIFY_WAIT, notification, 0, bits);
}

status_t sys_notify_wait_until(handle_t notification, uint64_t deadline, uint64_t *bits)
{
    uint64_t r[SYS_MSG_REGS] = {notification, 0, 0, 0, 0, 0, 0, 0};
    status_t st = sys_raw_until(SYS_NOTIFY_WAIT, r, deadline);
    if (st == STATUS_OK) {
        *bits = r[1];
    }
    return st;
}

status_t sys_sleep_until(handle_t notification, uint64_t deadline)
{
    if (deadline == 0) {
        return STATUS_INVALID_ARGUMENT; // 0 is "no deadline": it would never end
    }
    for (;;) {
        uint64_t bits = 0;
        status_t st = sys_notify_wait_until(notification, deadline, &bits);
        if (st == STATUS_TIMED_OUT) {
            return STATUS_OK;
        }
        if (st != STATUS_OK) {
            return st;
        }
        // Signalled after all: the bits are dropped, the sleep goes on.
    }
}

status_t sys_sleep_ticks(handle_t notification, uint64_t ticks)
{
    uint64_t deadline = sys_deadline_after(ticks);
    return sys_sleep_until(notification, deadline != 0 ? deadline : 1);
}

status_t sys_notify_poll(handle_t notification, uint64_t *bits)
{
    return sys_call_out(SYS_NOTIFY_POLL, notification, 0, bits);
}

/**
 * An IPC call: x0 the endpoint, x1-x7 the message `in` (or nothing when
 * in is NULL) with receive slots `slots` in the info word, and on success
 * the message in x1-x7 -> *out (when not NULL) and x8 -> *x8 (a received
 * message's badge; the caller's own x8 after SYS_CALL's reply).
 */
static status_t sys_ipc(uint64_t number, handle_t endpoint, const struct sys_msg *in,
                        uint32_t slots, struct sys_msg *out, uint64_t deadline, uint64_t *x8_out)
{
    uint64_t r[SYS_MSG_REGS] = {endpoint, 0, 0, 0, 0, 0, 0, 0};
    if (slots > SYS_MSG_MAX_CAPS) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (in != NULL) {
        status_t st = sys_msg_pack(in, r);
        if (st != STATUS_OK) {
            return st;
        }
    }
    r[SYS_MSG_REG_INFO] = sys_msg_with_slots(r[SYS_MSG_REG_INFO], slots);
    uint64_t x8 = 0;
    status_t st = sys_svc(number, r, deadline, &x8);
    if (st == STATUS_OK && out != NULL) {
        sys_msg_unpack(r, out);
        *x8_out = x8;
    }
    return st;
}

status_t sys_send(handle_t endpoint, const struct sys_msg *msg)
{
    if (msg == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint64_t x8 = 0;
    return sys_ipc(SYS_SEND, endpoint, msg, 0, NULL, 0, &x8);
}

status_t sys_send_until(handle_t endpoint, const struct sys_msg *msg, uint64_t deadline)
{
    if (msg == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint64_t x8 = 0;
    return sys_ipc(SYS_SEND, endpoint, msg, 0, NULL, deadline, &x8);
}

status_t sys_call(handle_t endpoint, const struct sys_msg *msg, struct sys_msg *reply)
{
    return sys_call_caps(endpoint, msg, 0, reply);
}

status_t sys_call_caps(handle_t endpoint, const struct sys_msg *msg, uint32_t slots,
                       struct sys_msg *reply)
{
    if (msg == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint64_t x8 = 0;
    return sys_ipc(SYS_CALL, endpoint, msg, slots, reply, 0, &x8);
}

status_t sys_call_until(handle_t endpoint, const struct sys_msg *msg, uint64_t deadline,
                        struct sys_msg *reply)
{
    if (msg == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint64_t x8 = 0;
    return sys_ipc(SYS_CALL, endpoint, msg, 0, reply, deadline, &x8);
}

status_t sys_recv(handle_t endpoint, struct sys_msg *msg)
{
    return sys_recv_caps(endpoint, 0, msg);
}

status_t sys_recv_caps(handle_t endpoint, uint32_t slots, struct sys_msg *msg)
{
    uint64_t badge = 0;
    return sys_recv_badged(endpoint, slots, msg, &badge);
}

status_t sys_recv_badged(handle_t endpoint, uint32_t slots, struct sys_msg *msg, uint64_t *badge)
{
    return sys_ipc(SYS_RECV, endpoint, NULL, slots, msg, 0, badge);
}

status_t sys_recv_until(handle_t endpoint, uint64_t deadline, struct sys_msg *msg)
{
    uint64_t badge = 0;
    return sys_ipc(SYS_RECV, endpoint, NULL, 0, msg, deadline, &badge);
}

status_t sys_reply(const struct sys_msg *reply)
{
    if (reply == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint64_t x8 = 0;
    return sys_ipc(SYS_REPLY, HANDLE_NONE, reply, 0, NULL, 0, &x8);
}

status_t sys_reply_recv(handle_t endpoint, const struct sys_msg *reply, struct sys_msg *msg)
{
    return sys_reply_recv_caps(endpoint, reply, 0, msg);
}

status_t sys_reply_recv_caps(handle_t endpoint, const struct sys_msg *reply, uint32_t slots,
                             struct sys_msg *msg)
{
    uint64_t badge = 0;
    return sys_reply_recv_badged(endpoint, reply, slots, msg, &badge);
}

status_t sys_reply_recv_badged(handle_t endpoint, const struct sys_msg *reply, uint32_t slots,
                               struct sys_msg *msg, uint64_t *badge)
{
    if (reply == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    return sys_ipc(SYS_REPLY_RECV, endpoint, reply, slots, msg, 0, badge);
}

status_t sys_reply_recv_until(handle_t endpoint, const struct sys_msg *reply, uint64_t deadline,
                              struct sys_msg *msg)
{
    if (reply == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    uint64_t badge = 0;
    return sys_ipc(SYS_REPLY_RECV, endpoint, reply, 0, msg, deadline, &badge);
}

status_t sys_map(handle_t space, handle_t frame, uint64_t addr, uint32_t perms)
{
    return sys_call4(SYS_MAP, space, frame, addr, perms);
}

status_t sys_unmap(handle_t space, uint64_t addr)
{
    return sys_call4(SYS_UNMAP, space, addr, 0, 0);
}

status_t sys_protect(handle_t space, uint64_t addr, uint32_t perms)
{
    return sys_call4(SYS_PROTECT, space, addr, perms, 0);
}

status_t sys_task_start(handle_t task, uint64_t entry, uint64_t sp, uint64_t arg)
{
    return sys_call4(SYS_TASK_START, task, entry, sp, arg);
}

status_t sys_console_write(handle_t console, const void *buf, size_t len)
{
    return sys_call4(SYS_CONSOLE_WRITE, console, (uint64_t)(uintptr_t)buf, len, 0);
}

status_t sys_endpoint_create(handle_t kernel, handle_t *out)
{
    return sys_call_out(SYS_ENDPOINT_CREATE, kernel, 0, out);
}

status_t sys_notify_create(handle_t kernel, handle_t *out)
{
    return sys_call_out(SYS_NOTIFY_CREATE, kernel, 0, out);
}

status_t sys_frame_create(handle_t kernel, handle_t *out)
{
    return sys_call_out(SYS_FRAME_CREATE, kernel, 0, out);
}

status_t sys_space_create(handle_t kernel, handle_t *out)
{
    return sys_call_out(SYS_SPACE_CREATE, kernel, 0, out);
}

status_t sys_space_create_quota(handle_t kernel, uint64_t quota, handle_t *out)
{
    return sys_call_out(SYS_SPACE_CREATE, kernel, quota, out);
}

status_t sys_task_create(handle_t kernel, handle_t space, uint64_t priority, handle_t give,
                         handle_t *task, handle_t *given)
{
    return sys_task_create_on(kernel, space, priority, give, SYS_AFFINITY_ANY, task, given);
}

status_t sys_task_create_on(handle_t kernel, handle_t space, uint64_t priority, handle_t give,
                            uint64_t affinity, handle_t *task, handle_t *given)
{
    uint64_t r[SYS_MSG_REGS] = {kernel, space, priority, give, affinity, 0, 0, 0};
    status_t st = sys_raw(SYS_TASK_CREATE, r);
    if (st == STATUS_OK) {
        *task = r[1];
        *given = r[2];
    }
    return st;
}

status_t sys_power_off(handle_t kernel, uint64_t how)
{
    return sys_call4(SYS_POWER_OFF, kernel, how, 0, 0);
}

status_t sys_task_spawn(handle_t kernel, const char *name, uint64_t priority, handle_t give,
                        handle_t *task, handle_t *space)
{
    return sys_task_spawn_on(kernel, name, priority, give, SYS_AFFINITY_ANY, task, space);
}

status_t sys_task_info(handle_t task, uint64_t *cpu, uint64_t *cpus)
{
    uint64_t r[SYS_MSG_REGS] = {task, 0, 0, 0, 0, 0, 0, 0};
    status_t st = sys_raw(SYS_TASK_INFO, r);
    if (st == STATUS_OK) {
        *cpu = r[1];
        *cpus = r[2];
    }
    return st;
}

status_t sys_task_spawn_on(handle_t kernel, const char *name, uint64_t priority, handle_t give,
                           uint64_t affinity, handle_t *task, handle_t *space)
{
    uint64_t len = 0;
    while (name[len] != 0) {
        len++;
    }
    uint64_t r[SYS_MSG_REGS] = {kernel, (uint64_t)(uintptr_t)name, len, priority, give, affinity, 0,
                                0};
    status_t st = sys_raw(SYS_TASK_SPAWN, r);
    if (st == STATUS_OK) {
        *task = r[1];
        *space = r[2];
    }
    return st;
}

status_t sys_task_watch(handle_t task, handle_t notification, uint64_t bits)
{
    return sys_call4(SYS_TASK_WATCH, task, notification, bits, 0);
}

status_t sys_irq_create(handle_t kernel, uint64_t intid, handle_t *out)
{
    return sys_call_out(SYS_IRQ_CREATE, kernel, intid, out);
}

status_t sys_device_frame_create(handle_t kernel, uint64_t pa, handle_t *out)
{
    return sys_call_out(SYS_DEVICE_FRAME_CREATE, kernel, pa, out);
}

status_t sys_irq_bind(handle_t irq, handle_t notification, uint64_t bits)
{
    return sys_call4(SYS_IRQ_BIND, irq, notification, bits, 0);
}

status_t sys_irq_ack(handle_t irq)
{
    return sys_call4(SYS_IRQ_ACK, irq, 0, 0, 0);
}

status_t sys_kernel_stats(handle_t kernel, struct sys_kernel_stats *out)
{
    return sys_call4(SYS_KERNEL_STATS, kernel, (uint64_t)(uintptr_t)out, sizeof *out, 0);
}

status_t sys_console_device(handle_t kernel, struct sys_console_device *out)
{
    uint64_t r[SYS_MSG_REGS] = {kernel, 0, 0, 0, 0, 0, 0, 0};
    status_t st = sys_raw(SYS_CONSOLE_DEVICE, r);
    if (st == STATUS_OK) {
        out->page = r[1];
        out->offset = r[2];
        out->size = r[3];
        out->intid = r[4];
    }
    return st;
}
