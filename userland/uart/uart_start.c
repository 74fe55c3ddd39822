/* Starting the UART driver: see uart_start.h. */

#include "userland/uart/uart_start.h"

#include "userland/libsys/sys.h"
#include "userland/uart/uart_proto.h"

#include "kernel/abi/object.h"

/* One setup call with two capabilities (moved to the driver) and one word. */
static status_t setup_call(handle_t ep, uint64_t label, handle_t a, handle_t b, uint64_t word)
{
    struct sys_msg msg = {label, 1, 2, {word, 0, 0, 0}, {a, b}};
    struct sys_msg reply;
    status_t st = sys_call(ep, &msg, &reply);
    return st == STATUS_OK ? (status_t)(uint32_t)reply.label : st;
}

/* A device frame of the console UART the kernel reports, in *frame, and
 * its line and its registers' offset in the frame in *con. */
static status_t uart_find(handle_t kernel, handle_t *frame, struct sys_console_device *con)
{
    status_t st = sys_console_device(kernel, con);
    if (st != STATUS_OK) {
        return st;
    }
    if (con->intid == 0) {
        return STATUS_NOT_FOUND; // the driver reads on interrupts: it cannot poll
    }
    return sys_device_frame_create(kernel, con->page, frame);
}

status_t uart_start(handle_t kernel, uint64_t priority, handle_t *endpoint)
{
    handle_t ep = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    handle_t frame = HANDLE_NONE;
    handle_t irq = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    struct sys_console_device con = {0, 0, 0, 0};
    status_t st = sys_endpoint_create(kernel, &ep);
    if (st == STATUS_OK) {
        st = uart_find(kernel, &frame, &con);
    }
    if (st == STATUS_OK) {
        st = sys_irq_create(kernel, con.intid, &irq);
    }
    if (st == STATUS_OK) {
        st = sys_notify_create(kernel, &note);
    }
    if (st == STATUS_OK) {
        st = sys_task_spawn(kernel, "uart", priority, ep, &task, &space);
    }
    if (st == STATUS_OK) {
        st = setup_call(ep, UART_SETUP_DEVICE, frame, space, con.offset);
    }
    if (st == STATUS_OK) {
        st = setup_call(ep, UART_SETUP_IRQ, irq, note, 0);
    }
    if (st == STATUS_OK) {
        st = sys_cap_derive(ep, RIGHT_SEND | RIGHT_GRANT | RIGHT_DERIVE, endpoint);
    }
    return st;
}
