/*
 * uart: the user-mode PL011 driver. It owns the UART's registers (a device
 * frame mapped Device-nGnRE) and its interrupt line (an IRQ handler bound
 * to a notification), and serves uart_proto.h on the endpoint it is started
 * with.
 *
 * Receiving: the PL011 raises its receive interrupt while its FIFO holds a
 * byte (and its receive timeout); the kernel masks the line and signals the
 * notification. Before each request, and while a UART_READ waits for a
 * byte, the driver takes the signal, moves every byte from the FIFO into
 * its ring buffer, clears the interrupt and acknowledges the line. Between
 * requests it waits on its endpoint, so bytes wait in the FIFO (16 deep)
 * until the next request: see the README for what that means on hardware.
 *
 * Sharing the device with the kernel: the kernel writes its own messages
 * to the data register too (polled, bsp/qemu_virt/pl011.c); it never reads
 * received bytes nor touches the interrupt mask, and this driver never
 * changes the line settings the kernel made. On one CPU the two never run
 * at once, and each write of a byte is one store: messages can interleave
 * between bytes, bytes never mix.
 */

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/sys.h"
#include "userland/uart/uart_proto.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* Where the driver maps the registers and a client's bulk frame. */
#define UART_REGS_VA 0x20000000ull
#define UART_BULK_VA 0x20001000ull

/* PL011 registers (PL011 TRM, DDI 0183, Table 3-1) and bits. */
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
/* The end of the registers the driver uses; the page they must fit in. */
#define UART_REGS_USED (UARTICR + 4)
#define UART_PAGE 0x1000ull
#define UARTFR_RXFE (1u << 4) /* receive FIFO empty */
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */
#define UART_INT_RX (1u << 4) /* receive */
#define UART_INT_RT (1u << 6) /* receive timeout */

/* The notification bit the line signals. */
#define UART_IRQ_BIT 0x1u

/* Received bytes not yet read: a ring, oldest at head. */
#define UART_RX_RING 1024u

struct uart {
    handle_t ep;
    handle_t space;
    handle_t irq;
    handle_t note;
    int device;     /* the registers are mapped */
    uintptr_t regs; /* where they are: UART_REGS_VA plus their offset in the page */
    uint32_t rx_head;
    uint32_t rx_count;
    int rx_pending; /* the line fired and is not acknowledged yet */
    uint8_t rx[UART_RX_RING];
};

static struct uart uart;

static inline uint32_t reg_read(uint32_t off)
{
    return *(volatile uint32_t *)(uart.regs + off);
}

static inline void reg_write(uint32_t off, uint32_t value)
{
    *(volatile uint32_t *)(uart.regs + off) = value;
}

static void tx_byte(uint8_t c)
{
    while ((reg_read(UARTFR) & UARTFR_TXFF) != 0) {
    }
    reg_write(UARTDR, c);
}

/* Sends n bytes, '\n' as "\r\n". */
static void tx(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i] == '\n') {
            tx_byte('\r');
        }
        tx_byte(b[i]);
    }
}

/*
 * Moves the FIFO's bytes into the ring while it has room. The interrupt is
 * cleared first, so a byte that arrives during the drain raises it again
 * rather than waiting unseen. Returns 1 if bytes stay in the FIFO (the ring
 * is full): they wait there, and the sender with them, since QEMU's PL011
 * takes no byte into a full FIFO (on hardware without flow control they
 * would overrun it).
 */
static int rx_drain(void)
{
    reg_write(UARTICR, UART_INT_RX | UART_INT_RT);
    while ((reg_read(UARTFR) & UARTFR_RXFE) == 0) {
        if (uart.rx_count == UART_RX_RING) {
            return 1;
        }
        uart.rx[(uart.rx_head + uart.rx_count) % UART_RX_RING] = (uint8_t)reg_read(UARTDR);
        uart.rx_count++;
    }
    return 0;
}

/*
 * Drains the FIFO if the line fired (rx_pending), and lets it fire again
 * once the FIFO is empty; while the ring is full the line stays masked.
 */
static void rx_service(void)
{
    if (uart.rx_pending && !rx_drain()) {
        uart.rx_pending = 0;
        (void)sys_irq_ack(uart.irq);
    }
}

/* Takes the line's signal, if any, without waiting. */
static void rx_poll(void)
{
    uint64_t bits = 0;
    if (uart.irq != HANDLE_NONE && sys_notify_poll(uart.note, &bits) == STATUS_OK &&
        (bits & UART_IRQ_BIT) != 0) {
        uart.rx_pending = 1;
    }
    rx_service();
}

/* Deletes what a request carried that the driver does not keep. */
static void drop_caps(const struct sys_msg *msg)
{
    for (uint32_t i = 0; i < msg->cap_count && i < SYS_MSG_MAX_CAPS; i++) {
        (void)sys_cap_delete(msg->caps[i]);
    }
}

static status_t setup_device(const struct sys_msg *msg)
{
    uint64_t offset = msg->word_count >= 1 ? msg->words[0] : 0;
    if (uart.device || msg->cap_count != 2 || offset % 4 != 0 ||
        offset > UART_PAGE - UART_REGS_USED) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = sys_map(msg->caps[1], msg->caps[0], UART_REGS_VA, SYS_MAP_READ | SYS_MAP_WRITE);
    if (st == STATUS_OK) {
        uart.space = msg->caps[1];
        uart.regs = (uintptr_t)(UART_REGS_VA + offset);
        uart.device = 1;
    }
    return st;
}

static status_t setup_irq(const struct sys_msg *msg)
{
    if (!uart.device || uart.irq != HANDLE_NONE || msg->cap_count != 2) {
        return STATUS_INVALID_ARGUMENT;
    }
    // Receive interrupts only. What came before the driver is in the FIFO
    // already: taken now, since QEMU's PL011 raises its receive interrupt
    // only as the FIFO goes from empty to one byte.
    (void)rx_drain();
    reg_write(UARTIMSC, UART_INT_RX | UART_INT_RT);
    status_t st = sys_irq_bind(msg->caps[0], msg->caps[1], UART_IRQ_BIT);
    if (st == STATUS_OK) {
        uart.irq = msg->caps[0];
        uart.note = msg->caps[1];
    } else {
        reg_write(UARTIMSC, 0);
    }
    return st;
}

static status_t do_write(const struct sys_msg *msg, struct sys_msg *reply)
{
    uint8_t buf[UART_INLINE_MAX];
    int n = uart_unpack_bytes(msg, buf);
    if (n <= 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    tx(buf, (size_t)n);
    reply->words[0] = (uint64_t)n;
    reply->word_count = 1;
    return STATUS_OK;
}

static status_t do_read(const struct sys_msg *msg, struct sys_msg *reply)
{
    uint64_t want = msg->words[0];
    if (want == 0 || want > UART_INLINE_MAX || uart.irq == HANDLE_NONE) {
        return STATUS_INVALID_ARGUMENT;
    }
    while (uart.rx_count == 0) {
        uint64_t bits = 0;
        status_t st = sys_notify_wait(uart.note, &bits);
        if (st != STATUS_OK) {
            return st;
        }
        if ((bits & UART_IRQ_BIT) != 0) {
            uart.rx_pending = 1;
        }
        rx_service();
    }
    // Copied, not taken: they leave the ring once the reply is delivered
    // (main), so a reader that went away meanwhile loses nobody's bytes.
    uint8_t buf[UART_INLINE_MAX];
    size_t n = 0;
    while (n < want && n < uart.rx_count) {
        buf[n] = uart.rx[(uart.rx_head + n) % UART_RX_RING];
        n++;
    }
    uart_pack_bytes(reply, buf, n);
    return STATUS_OK;
}

static status_t do_bulk_write(const struct sys_msg *msg, struct sys_msg *reply)
{
    uint64_t offset = msg->words[0];
    uint64_t n = msg->words[1];
    if (msg->cap_count != 1 || n == 0 || offset >= UART_BULK_MAX || n > UART_BULK_MAX - offset) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t st = sys_map(uart.space, msg->caps[0], UART_BULK_VA, SYS_MAP_READ);
    if (st != STATUS_OK) {
        return st;
    }
    tx((const uint8_t *)(uintptr_t)(UART_BULK_VA + offset), (size_t)n);
    (void)sys_unmap(uart.space, UART_BULK_VA);
    reply->words[0] = n;
    reply->word_count = 1;
    return STATUS_OK;
}

/* Serves one request into reply; the label is its status. */
static void serve(const struct sys_msg *msg, struct sys_msg *reply)
{
    status_t st = STATUS_INVALID_ARGUMENT;
    uint64_t label = msg->label;
    if (label == UART_SETUP_DEVICE && !uart.device) {
        st = setup_device(msg);
        if (st != STATUS_OK) {
            drop_caps(msg);
        }
    } else if (label == UART_SETUP_IRQ && uart.irq == HANDLE_NONE) {
        st = setup_irq(msg);
        if (st != STATUS_OK) {
            drop_caps(msg);
        }
    } else if (!uart.device) {
        drop_caps(msg); // not set up yet: nothing to serve with
        st = STATUS_BAD_STATE;
    } else if (label == UART_WRITE) {
        drop_caps(msg);
        st = do_write(msg, reply);
    } else if (label == UART_READ) {
        drop_caps(msg);
        st = do_read(msg, reply);
    } else if (label == UART_BULK_WRITE) {
        st = do_bulk_write(msg, reply);
        drop_caps(msg); // the frame is deleted: its mapping went with the unmap
    } else {
        drop_caps(msg);
    }
    reply->label = (uint64_t)(uint32_t)st;
}

int main(uint64_t ep)
{
    uart.ep = (handle_t)ep;
    uart.space = HANDLE_NONE;
    uart.irq = HANDLE_NONE;
    uart.note = HANDLE_NONE;
    for (;;) {
        struct sys_msg msg;
        if (sys_recv_caps(uart.ep, SYS_MSG_MAX_CAPS, &msg) != STATUS_OK) {
            sys_exit(); // the endpoint is gone: nobody can reach the driver
        }
        rx_poll();
        struct sys_msg reply = {0, 0, 0, {0, 0, 0, 0}, {HANDLE_NONE, HANDLE_NONE}};
        serve(&msg, &reply);
        // A caller that went away while it was served (or a plain send)
        // makes the reply fail: nothing to undo, the next request is taken
        // as usual. Bytes read leave the ring only once delivered.
        status_t st = sys_reply(&reply);
        if (st == STATUS_OK && msg.label == UART_READ && reply.label == STATUS_OK) {
            uint32_t n = (uint32_t)reply.words[0];
            uart.rx_head = (uart.rx_head + n) % UART_RX_RING;
            uart.rx_count -= n;
            rx_service(); // room again for what waits in the FIFO
        }
    }
}
