/* The client side of the UART driver's protocol (uart_proto.h). */

#include "userland/uart/uart_proto.h"

status_t uart_write(handle_t endpoint, const void *buf, size_t len)
{
    const uint8_t *b = (const uint8_t *)buf;
    while (len > 0) {
        const size_t n = len < UART_INLINE_MAX ? len : UART_INLINE_MAX;
        struct sys_msg msg = {.label = UART_WRITE};
        struct sys_msg reply;
        uart_pack_bytes(&msg, b, n);
        status_t st = sys_call(endpoint, &msg, &reply);
        if (st == STATUS_OK) {
            st = (status_t)(uint32_t)reply.label;
        }
        if (st != STATUS_OK) {
            return st;
        }
        b += n;
        len -= n;
    }
    return STATUS_OK;
}

status_t uart_read(handle_t endpoint, void *buf, size_t max, size_t *got)
{
    if (max == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct sys_msg msg = {.label = UART_READ, .word_count = 1};
    msg.words[0] = max < UART_INLINE_MAX ? max : UART_INLINE_MAX;
    struct sys_msg reply;
    status_t st = sys_call(endpoint, &msg, &reply);
    if (st == STATUS_OK) {
        st = (status_t)(uint32_t)reply.label;
    }
    if (st != STATUS_OK) {
        return st;
    }
    uint8_t tmp[UART_INLINE_MAX];
    const int n = uart_unpack_bytes(&reply, tmp);
    if (n <= 0 || (size_t)n > max) {
        return STATUS_BAD_FORMAT;
    }
    uint8_t *out = (uint8_t *)buf;
    for (int i = 0; i < n; i++) {
        out[i] = tmp[i];
    }
    *got = (size_t)n;
    return STATUS_OK;
}

status_t uart_write_bulk(handle_t endpoint, handle_t frame, size_t offset, size_t len)
{
    if (len == 0 || offset >= UART_BULK_MAX || len > UART_BULK_MAX - offset) {
        return STATUS_INVALID_ARGUMENT;
    }
    struct sys_msg msg = {.label = UART_BULK_WRITE, .word_count = 2, .cap_count = 1};
    msg.words[0] = offset;
    msg.words[1] = len;
    msg.caps[1] = HANDLE_NONE;
    status_t st = sys_cap_derive(frame, RIGHT_MAP | RIGHT_READ | RIGHT_GRANT, &msg.caps[0]);
    if (st != STATUS_OK) {
        return st;
    }
    struct sys_msg reply;
    st = sys_call(endpoint, &msg, &reply);
    if (st != STATUS_OK) {
        (void)sys_cap_delete(msg.caps[0]); // not delivered: still ours
        return st;
    }
    return (status_t)(uint32_t)reply.label;
}
