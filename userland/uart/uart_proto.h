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
 * Bulk writes through a shared frame are the driver's to add (labels from
 * UART_BULK_FIRST up); they are described next to the driver.
 *
 * Any other label, or a count out of range, is answered with
 * STATUS_INVALID_ARGUMENT and nothing else.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/sys.h"

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UART_WRITE 1
#define UART_READ 2
#define UART_BULK_FIRST 16

/** Bytes one inline message carries: words 1..3. */
#define UART_INLINE_MAX (8 * (SYS_MSG_MAX_WORDS - 1))

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

#ifdef __cplusplus
}
#endif
