/** Endpoint calls: send, call, recv, reply, reply+recv, with messages in registers. */

#include <stdint.h>

#include "hal/timer.h"
#include "kernel/check/check.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/ipc.h"
#include "kernel/syscall/syscall_priv.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

_Static_assert(SYS_MSG_MAX_WORDS <= IPC_MSG_WORDS, "register words fit a message");
_Static_assert(SYS_MSG_MAX_CAPS == IPC_MSG_CAPS, "registers carry every capability of a message");

/**
 * Decodes the receive slots of the info word (x1) into *slots. Returns
 * STATUS_INVALID_ARGUMENT when they are above SYS_MSG_MAX_CAPS.
 */
static status_t slots_decode(const struct syscall_regs *regs, uint16_t *slots)
{
    uint32_t n = sys_msg_slots(regs->x[SYS_MSG_REG_INFO]);
    if (n > SYS_MSG_MAX_CAPS) {
        return STATUS_INVALID_ARGUMENT;
    }
    *slots = (uint16_t)n;
    return STATUS_OK;
}

/**
 * Decodes the message registers x1-x7 into *msg. Returns
 * STATUS_INVALID_ARGUMENT when the info word (x1) has a word count above
 * SYS_MSG_MAX_WORDS, a capability count above SYS_MSG_MAX_CAPS or receive
 * slots above it; the label is whatever its top 48 bits hold. Words and
 * handles beyond the counts are ignored and become 0 and HANDLE_NONE.
 */
static status_t msg_decode(const struct syscall_regs *regs, struct ipc_msg *msg)
{
    uint64_t info = regs->x[SYS_MSG_REG_INFO];
    uint32_t words = sys_msg_words(info);
    uint32_t caps = sys_msg_caps(info);
    if (words > SYS_MSG_MAX_WORDS || caps > SYS_MSG_MAX_CAPS ||
        sys_msg_slots(info) > SYS_MSG_MAX_CAPS) {
        return STATUS_INVALID_ARGUMENT;
    }
    msg->label = sys_msg_label(info);
    for (uint32_t w = 0; w < IPC_MSG_WORDS; w++) {
        msg->words[w] = w < words ? regs->x[SYS_MSG_REG_WORD0 + w] : 0;
    }
    msg->word_count = words;
    msg->cap_count = caps;
    for (uint32_t c = 0; c < IPC_MSG_CAPS; c++) {
        msg->caps[c] = c < caps ? (handle_t)regs->x[SYS_MSG_REG_CAP0 + c] : HANDLE_NONE;
    }
    return STATUS_OK;
}

void syscall_regs_from_msg(struct syscall_regs *regs, const struct ipc_msg *msg)
{
    // Every message in the kernel came from msg_decode.
    CHECK(msg->word_count <= SYS_MSG_MAX_WORDS && msg->cap_count <= SYS_MSG_MAX_CAPS &&
          msg->label <= SYS_MSG_LABEL_MASK);
    regs->x[SYS_MSG_REG_INFO] = sys_msg_info(msg->label, msg->word_count, msg->cap_count);
    for (uint32_t w = 0; w < SYS_MSG_MAX_WORDS; w++) {
        regs->x[SYS_MSG_REG_WORD0 + w] = w < msg->word_count ? msg->words[w] : 0;
    }
    for (uint32_t c = 0; c < SYS_MSG_MAX_CAPS; c++) {
        regs->x[SYS_MSG_REG_CAP0 + c] = c < msg->cap_count ? msg->caps[c] : HANDLE_NONE;
    }
}

void syscall_regs_from_recv(struct syscall_regs *regs, const struct ipc_msg *msg)
{
    syscall_regs_from_msg(regs, msg);
    regs->number = msg->badge;
}

/**
 * Copies a message field by field: a struct assignment may compile into a
 * call to memcpy, which the freestanding kernel does not have.
 */
static void msg_copy(struct ipc_msg *dst, const struct ipc_msg *src)
{
    dst->label = src->label;
    for (uint32_t w = 0; w < IPC_MSG_WORDS; w++) {
        dst->words[w] = src->words[w];
    }
    dst->word_count = src->word_count;
    dst->cap_count = src->cap_count;
    for (uint32_t c = 0; c < IPC_MSG_CAPS; c++) {
        dst->caps[c] = src->caps[c];
    }
    dst->badge = src->badge;
    dst->via = src->via;
}

void syscall_deadline_begin(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs)
{
    uint64_t deadline = regs->deadline;
    // Without one there is nothing to write: a task that waits on nothing
    // has deadline 0 already (kernel/ipc/ipc.h, ipc_check_invariants).
    if (deadline != 0) {
        k->ipc.tasks[task].deadline = deadline;
        k->ipc.now = hal_timer_count();
    }
}

void syscall_deadline_end(struct kernel_state *k, uint32_t task)
{
    uint64_t deadline = k->ipc.tasks[task].deadline;
    if (deadline == 0) {
        return;
    }
    k->ipc.now = 0; // scratch of the call: the state is as before it
    if (k->ipc.tasks[task].wait == IPC_WAIT_NONE) {
        k->ipc.tasks[task].deadline = 0; // it did not wait: nothing to bound
    } else if (k->alarm == 0 || deadline < k->alarm) {
        k->alarm = deadline;
        hal_timer_set_alarm(deadline);
    }
}

/** Which endpoint operation ipc_invoke runs. */
enum ipc_op { OP_SEND, OP_CALL, OP_REPLY, OP_REPLY_RECV };

/** Runs one ipc operation; ipc checks everything before it changes anything. */
static status_t ipc_invoke(struct kernel_state *k, enum ipc_op op, uint32_t ep, uint32_t task)
{
    switch (op) {
    case OP_SEND:
        return ipc_send(&k->ipc, &k->sched, &k->caps, ep, task);
    case OP_CALL:
        return ipc_call(&k->ipc, &k->sched, &k->caps, ep, task);
    case OP_REPLY:
        return ipc_reply(&k->ipc, &k->sched, &k->caps, task);
    case OP_REPLY_RECV:
    default:
        return ipc_reply_recv(&k->ipc, &k->sched, &k->caps, ep, task);
    }
}

/**
 * Decodes the message registers, puts the message in the task's buffer
 * with the badge of the endpoint capability via it goes through
 * (HANDLE_NONE and 0 for a reply) (and, for a call or reply+recv, which
 * receive, the receive slots in its recv_slots) and runs op. The ipc
 * module checks the capabilities and the receiver's room before it changes
 * anything; if it refuses, the task's buffer and slots get their old
 * contents back, so an error changes nothing.
 */
static status_t send_message(struct kernel_state *k, enum ipc_op op, uint32_t ep, uint32_t task,
                             const struct syscall_regs *regs, handle_t via, uint64_t badge)
{
    struct ipc_msg msg;
    status_t st = msg_decode(regs, &msg);
    if (st != STATUS_OK) {
        return st;
    }
    msg.via = via;
    msg.badge = badge;
    struct ipc_task *t = &k->ipc.tasks[task];
    struct ipc_msg saved;
    const uint16_t saved_slots = t->recv_slots;
    msg_copy(&saved, &t->msg);
    msg_copy(&t->msg, &msg);
    if (op == OP_CALL || op == OP_REPLY_RECV) {
        t->recv_slots = (uint16_t)sys_msg_slots(regs->x[SYS_MSG_REG_INFO]);
    }
    if (op != OP_REPLY) {
        syscall_deadline_begin(k, task, regs);
    }
    st = ipc_invoke(k, op, ep, task);
    syscall_deadline_end(k, task);
    if (st != STATUS_OK) {
        msg_copy(&t->msg, &saved);
        t->recv_slots = saved_slots;
    }
    return st;
}

/** x0 endpoint handle (RIGHT_SEND), x1-x7 message, sent with x0's badge. */
__attribute__((noinline)) status_t syscall_ipc_send(struct kernel_state *k, uint32_t task,
                                                    const struct syscall_regs *regs)
{
    uint32_t ep = 0;
    uint64_t badge = 0;
    status_t st = syscall_lookup_endpoint_slow(k, task, regs->x[0], RIGHT_SEND, &ep, &badge);
    return st != STATUS_OK ? st
                           : send_message(k, OP_SEND, ep, task, regs, (handle_t)regs->x[0], badge);
}

/** x0 endpoint handle (RIGHT_SEND), x1-x7 message, sent with x0's badge; always blocks. */
__attribute__((noinline)) status_t syscall_ipc_call(struct kernel_state *k, uint32_t task,
                                                    const struct syscall_regs *regs)
{
    uint32_t ep = 0;
    uint64_t badge = 0;
    status_t st = syscall_lookup_endpoint_slow(k, task, regs->x[0], RIGHT_SEND, &ep, &badge);
    return st != STATUS_OK ? st
                           : send_message(k, OP_CALL, ep, task, regs, (handle_t)regs->x[0], badge);
}

/**
 * x0 endpoint handle (RIGHT_RECV), x1 receive slots -> x1-x7 the message
 * and x8 its badge, unless the task blocked. On error the task's
 * recv_slots are put back.
 */
__attribute__((noinline)) status_t syscall_ipc_recv(struct kernel_state *k, uint32_t task,
                                                    struct syscall_regs *regs)
{
    uint32_t ep = 0;
    uint16_t slots = 0;
    status_t st = syscall_lookup_index_slow(k, task, regs->x[0], OBJECT_ENDPOINT, RIGHT_RECV, &ep);
    if (st == STATUS_OK) {
        st = slots_decode(regs, &slots);
    }
    if (st != STATUS_OK) {
        return st;
    }
    uint16_t *recv_slots = &k->ipc.tasks[task].recv_slots;
    const uint16_t saved_slots = *recv_slots;
    *recv_slots = slots;
    syscall_deadline_begin(k, task, regs);
    st = ipc_recv(&k->ipc, &k->sched, &k->caps, ep, task);
    syscall_deadline_end(k, task);
    if (st != STATUS_OK) {
        *recv_slots = saved_slots;
    }
    if (st == STATUS_OK && k->ipc.tasks[task].wait == IPC_WAIT_NONE) {
        syscall_regs_from_recv(regs, &k->ipc.tasks[task].msg);
    }
    return st;
}

/** x0 ignored, x1-x7 the reply (no badge: a reply goes through no capability). */
status_t syscall_ipc_reply(struct kernel_state *k, uint32_t task, const struct syscall_regs *regs)
{
    return send_message(k, OP_REPLY, 0, task, regs, HANDLE_NONE, 0);
}

/**
 * x0 endpoint handle (RIGHT_RECV), x1-x7 reply -> x1-x7 the next message
 * and x8 its badge, unless blocked.
 */
__attribute__((noinline)) status_t syscall_ipc_reply_recv(struct kernel_state *k, uint32_t task,
                                                          struct syscall_regs *regs)
{
    uint32_t ep = 0;
    status_t st = syscall_lookup_index_slow(k, task, regs->x[0], OBJECT_ENDPOINT, RIGHT_RECV, &ep);
    if (st != STATUS_OK) {
        return st;
    }
    st = send_message(k, OP_REPLY_RECV, ep, task, regs, HANDLE_NONE, 0);
    if (st == STATUS_OK && k->ipc.tasks[task].wait == IPC_WAIT_NONE) {
        syscall_regs_from_recv(regs, &k->ipc.tasks[task].msg);
    }
    return st;
}
