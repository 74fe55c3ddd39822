/*
 * The shell's line editor: bytes from the terminal in, a line out. Pure (no
 * system call), so host tests check it byte by byte.
 *
 * Printable ASCII (and tab, kept as a space) is added to the line and
 * echoed. Backspace (0x08) and DEL (0x7f, what most terminals send for the
 * backspace key) remove the last character and echo "\b \b". Ctrl-U
 * and Ctrl-C drop it (Ctrl-C echoes "^C"). CR, LF or CR LF end it
 * (one line, not two, for CR LF). Escape sequences (ESC [ ... final byte,
 * ESC O x, as arrow keys send) and every other control byte or byte above
 * 0x7e are dropped and counted, never stored or echoed. Characters past
 * SHELL_LINE_MAX - 1 are counted but not stored or echoed, so the caller
 * can refuse an over-long line instead of running a cut one.
 */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes a line holds, its NUL included. */
#define SHELL_LINE_MAX 128
/** The most bytes one call may want echoed. */
#define SHELL_ECHO_MAX 4

/** What shell_line_feed says after a byte. */
#define SHELL_LINE_MORE 0   /**< the line goes on */
#define SHELL_LINE_READY 1  /**< a line ended: read it, then shell_line_reset */
#define SHELL_LINE_CANCEL 2 /**< Ctrl-C: the line was dropped (already reset) */

struct shell_line {
    /** The line so far, NUL-terminated. */
    char text[SHELL_LINE_MAX];
    uint32_t len;
    /** Printable characters typed beyond what fits (the line is too long when not 0). */
    uint32_t overflow;
    /** Control and non-ASCII bytes dropped. */
    uint32_t dropped;
    /** Internal: the last byte was CR (a LF after it is the same end). */
    uint32_t after_cr;
    /** Internal: 0, or inside an escape sequence (1: after ESC, 2: after ESC [ or ESC O). */
    uint32_t escape;
};

/** Empties the line (and its counts); a CR just seen is still remembered. */
void shell_line_reset(struct shell_line *l);

/**
 * Feeds byte c; the bytes to echo go to echo (room for SHELL_ECHO_MAX) and
 * their count to *echo_len. Returns SHELL_LINE_MORE, SHELL_LINE_READY or
 * SHELL_LINE_CANCEL.
 */
int shell_line_feed(struct shell_line *l, uint8_t c, char *echo, uint32_t *echo_len);

#ifdef __cplusplus
}
#endif
