/*
 * The UART driver's protocol (userland/uart): calls on its endpoint, a
 * label each. Bytes travel in words 1..3 of a message, packed little-endian
 * (byte i in bits 8*(i%8) of words[1 + i/8]); words[0] holds their count.
 *
 *   UART_WRITE  (call): words[0] n (1..UART_INLINE_MAX), words[1..3] the
 *               bytes. Reply: label the status_t; words[0] the bytes
 *               written (all n on STATUS_OK).
 *   UART_READ   (call): words[0] the most bytes wanted (1..UART_INLINE_MAX).
 *               Blocks until at least one received byte is buffered. Reply:
 *               label the status_t; words[0] n (1..asked), words[1..3] the
 *               bytes, oldest first.
 *
 * Bulk writes, through a frame the client shares (labels from
 * UART_BULK_FIRST up), so that a large write is one call, not one per
 * UART_INLINE_MAX bytes:
 *
 *   UART_BULK_WRITE (call): caps[0] a frame capability with RIGHT_MAP and
 *               RIGHT_READ (moved to the driver: send a derived copy);
 *               words[0] the offset of the first byte in the frame,
 *               words[1] n, 1..UART_BULK_MAX - offset. The driver maps the
 *               frame read-only, writes the bytes, unmaps it and deletes its
 *               capability before it replies. Reply: label the status_t
 *               (the map's error when the frame cannot be mapped, e.g.
 *               STATUS_MISSING_RIGHT); words[0] the bytes written.
 *
 * Writes send '\n' as "\r\n", as the kernel's console does.
 *
 * Starting the driver (userland/uart/uart_driver.c, image "uart"): it is
 * spawned with its endpoint (RIGHT_RECV) as its argument; then its starter
 * sends it two calls, once each, before any client:
 *
 *   UART_SETUP_DEVICE: caps[0] a device frame of the PL011's registers
 *               (RIGHT_MAP, RIGHT_READ, RIGHT_WRITE), caps[1] the driver's
 *               own address space (RIGHT_MAP, from SYS_TASK_SPAWN),
 *               words[0] the offset of the registers within the frame's
 *               page (SYS_CONSOLE_DEVICE's x2; 0 without a word): a
 *               multiple of 4 that leaves the registers the driver uses
 *               (up to UARTICR) inside the page, else
 *               STATUS_INVALID_ARGUMENT.
 *   UART_SETUP_IRQ: caps[0] the IRQ handler of the PL011's line
 *               (RIGHT_CONTROL), caps[1] a notification (RIGHT_RECV and
 *               RIGHT_SEND) the driver binds it to.
 *
 * Each is answered with label the status_t; afterwards both labels are
 * refused like any unknown one.
 *
 * The driver serves one request at a time: a UART_READ with nothing
 * buffered holds the driver until a byte arrives, and other clients wait
 * their turn on the endpoint meanwhile. A client that goes away while the
 * driver holds its request costs nothing: the reply fails, the bytes stay
 * buffered for the next reader.
 *
 * Any other label, or a count out of range, is answered with
 * STATUS_INVALID_ARGUMENT and nothing else.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UART_WRITE 1
#define UART_READ 2
#define UART_BULK_FIRST 16
#define UART_BULK_WRITE UART_BULK_FIRST
/** Starting the driver (see above). */
#define UART_SETUP_DEVICE 8
#define UART_SETUP_IRQ 9

/** Bytes one bulk frame holds (one page). */
#define UART_BULK_MAX 4096u

/** Bytes one inline message carries: words 1..3. */
#define UART_INLINE_MAX (8 * (SYS_MSG_MAX_WORDS - 1))

_Static_assert(UART_WRITE == SYS_PRINT_STREAM_WRITE && UART_INLINE_MAX == SYS_PRINT_STREAM_INLINE,
               "sys_printf on a driver endpoint speaks UART_WRITE");

/** Packs n bytes (n <= UART_INLINE_MAX) of buf into msg's words 0..3. */
static inline void uart_pack_bytes(struct sys_msg *msg, const void *buf, size_t n)
{
    const uint8_t *b = (const uint8_t *)buf;
    for (uint32_t w = 0; w < SYS_MSG_MAX_WORDS; w++) {
        msg->words[w] = 0;
    }
    msg->words[0] = n;
    for (size_t i = 0; i < n; i++) {
        msg->words[1 + i / 8] |= (uint64_t)b[i] << (8 * (i % 8));
    }
    msg->word_count = SYS_MSG_MAX_WORDS;
}

/**
 * Unpacks the bytes of msg into out (room for UART_INLINE_MAX); returns
 * their count, or -1 when words[0] is above UART_INLINE_MAX.
 */
static inline int uart_unpack_bytes(const struct sys_msg *msg, void *out)
{
    uint8_t *b = (uint8_t *)out;
    if (msg->words[0] > UART_INLINE_MAX) {
        return -1;
    }
    const size_t n = (size_t)msg->words[0];
    for (size_t i = 0; i < n; i++) {
        b[i] = (uint8_t)(msg->words[1 + i / 8] >> (8 * (i % 8)));
    }
    return (int)n;
}

/** Writes len bytes of buf through the driver at endpoint, in inline calls. */
status_t uart_write(handle_t endpoint, const void *buf, size_t len);

/**
 * Reads 1..max bytes (max at least 1) into buf, waiting for the first; the
 * count in *got. At most UART_INLINE_MAX bytes per call.
 */
status_t uart_read(handle_t endpoint, void *buf, size_t max, size_t *got);

/**
 * Writes len bytes (1..UART_BULK_MAX - offset) at offset of frame through
 * the driver at endpoint in one UART_BULK_WRITE call; the driver gets a
 * copy of frame (derived here: frame needs RIGHT_DERIVE, RIGHT_GRANT,
 * RIGHT_MAP, RIGHT_READ), the caller keeps its own.
 */
status_t uart_write_bulk(handle_t endpoint, handle_t frame, size_t offset, size_t len);

#ifdef __cplusplus
}
#endif
