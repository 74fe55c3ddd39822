#include "bsp/common/pl011.h"

#include <stddef.h>
#include <stdint.h>

#include "bsp/common/mmu_off.h"
#include "hal/console.h"

/* Register offsets (PL011 TRM, DDI 0183, Table 3-1). */
#define UARTDR 0x000    /* Data: a write queues one byte to send. */
#define UARTFR 0x018    /* Flags. */
#define UARTLCR_H 0x02c /* Line control. */
#define UARTCR 0x030    /* Control. */
#define UARTIMSC 0x038  /* Interrupt mask set/clear. */
#define UARTICR 0x044   /* Interrupt clear. */

/* UARTFR bits. */
#define UARTFR_BUSY (1u << 3) /* Still sending (shift register or FIFO). */
#define UARTFR_TXFF (1u << 5) /* Transmit FIFO full. */

/* UARTLCR_H bits. PEN (bit 1) = 0: no parity; STP2 (bit 3) = 0: 1 stop. */
#define UARTLCR_H_FEN (1u << 4)    /* FIFOs enabled. */
#define UARTLCR_H_WLEN_8 (3u << 5) /* 8 data bits. */

/* UARTCR bits. */
#define UARTCR_UARTEN (1u << 0) /* UART enabled. */
#define UARTCR_TXE (1u << 8)    /* Transmit enabled. */
#define UARTCR_RXE (1u << 9)    /* Receive enabled. */

/* UARTICR: writing 1 clears an interrupt; bits 10:0 are all of them. */
#define UARTICR_ALL 0x7ffu

/* Register block of the UART in use, 0 until pl011_init. Set and used
 * with the MMU off (boot_mmu_setup's console). */
static uintptr_t pl011_base MMU_OFF_BSS;

/**
 * Reads a 32-bit UART register. The volatile access is what keeps the
 * compiler from merging, reordering or dropping it; with the MMU off every
 * data access is Device-nGnRnE (Arm ARM DDI 0487, "The effects of disabling
 * a stage of address translation"), so the UART sees the accesses in
 * program order.
 */
static inline uint32_t pl011_read(uint32_t offset)
{
    return *(volatile uint32_t *)(pl011_base + offset);
}

/** Writes a 32-bit UART register; see pl011_read. */
static inline void pl011_write(uint32_t offset, uint32_t value)
{
    *(volatile uint32_t *)(pl011_base + offset) = value;
}

/** Sets up the UART at base for polled 8N1 output; see pl011.h. */
void pl011_init(uintptr_t base)
{
    pl011_base = base;
    /*
     * The sequence the TRM's UARTCR description prescribes: disable, let
     * the byte in flight finish, flush the transmit FIFO by clearing FEN,
     * then reprogram and enable.
     */
    pl011_write(UARTCR, 0);
    while (pl011_read(UARTFR) & UARTFR_BUSY) {
    }
    pl011_write(UARTLCR_H, 0);
    /* Polled driver: no interrupts, none left pending. */
    pl011_write(UARTIMSC, 0);
    pl011_write(UARTICR, UARTICR_ALL);
    pl011_write(UARTLCR_H, UARTLCR_H_WLEN_8 | UARTLCR_H_FEN);
    pl011_write(UARTCR, UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
}

/** Queues c once the transmit FIFO has room; see pl011.h. */
void pl011_putc(char c)
{
    if (pl011_base == 0) {
        return;
    }
    while (pl011_read(UARTFR) & UARTFR_TXFF) {
    }
    pl011_write(UARTDR, (uint8_t)c);
}

/** HAL console: one byte, untranslated (hal/console.h). */
void hal_console_putc(char c)
{
    pl011_putc(c);
}

/** HAL console: n bytes, '\n' sent as "\r\n" (hal/console.h). */
void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            pl011_putc('\r');
        }
        pl011_putc(s[i]);
    }
}
