/* Starting the UART driver: see uart_start.h. */

#include "userland/uart/uart_start.h"

#include "userland/libsys/sys.h"
#include "userland/uart/uart_proto.h"

#include "kernel/abi/object.h"

/* One setup call with two capabilities (moved to the driver). */
static status_t setup_call(handle_t ep, uint64_t label, handle_t a, handle_t b)
{
    struct sys_msg msg = {label, 0, 2, {0, 0, 0, 0}, {a, b}};
    struct sys_msg reply;
    status_t st = sys_call(ep, &msg, &reply);
    return st == STATUS_OK ? (status_t)(uint32_t)reply.label : st;
}

/* The console PL011s, in the order tried (uart_start.h). */
static const struct {
    uint64_t base;
    uint32_t intid;
} uart_consoles[] = {
    {UART_VIRT_PL011, UART_VIRT_PL011_INTID},
    {UART_RASPI3B_PL011, UART_RASPI3B_PL011_INTID},
};

/* A device frame of the first console PL011 the kernel grants, in *frame,
 * and its line in *intid; the last refusal if it grants none. */
static status_t uart_find(handle_t kernel, handle_t *frame, uint32_t *intid)
{
    status_t st = STATUS_NOT_FOUND;
    for (uint32_t i = 0; i < sizeof uart_consoles / sizeof uart_consoles[0]; i++) {
        st = sys_device_frame_create(kernel, uart_consoles[i].base, frame);
        if (st == STATUS_OK) {
            *intid = uart_consoles[i].intid;
            break;
        }
    }
    return st;
}

status_t uart_start(handle_t kernel, uint64_t priority, handle_t *endpoint)
{
    handle_t ep = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    handle_t frame = HANDLE_NONE;
    handle_t irq = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    uint32_t intid = 0;
    status_t st = sys_endpoint_create(kernel, &ep);
    if (st == STATUS_OK) {
        st = uart_find(kernel, &frame, &intid);
    }
    if (st == STATUS_OK) {
        st = sys_irq_create(kernel, intid, &irq);
    }
    if (st == STATUS_OK) {
        st = sys_notify_create(kernel, &note);
    }
    if (st == STATUS_OK) {
        st = sys_task_spawn(kernel, "uart", priority, ep, &task, &space);
    }
    if (st == STATUS_OK) {
        st = setup_call(ep, UART_SETUP_DEVICE, frame, space);
    }
    if (st == STATUS_OK) {
        st = setup_call(ep, UART_SETUP_IRQ, irq, note);
    }
    if (st == STATUS_OK) {
        st = sys_cap_derive(ep, RIGHT_SEND | RIGHT_GRANT | RIGHT_DERIVE, endpoint);
    }
    return st;
}
