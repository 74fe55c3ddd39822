/* The shell's line editor (shell_line.h). */

#include "userland/shell/shell_line.h"

#include <stdint.h>

#define CTRL_C 0x03
#define BACKSPACE 0x08
#define TAB 0x09
#define LF 0x0a
#define CR 0x0d
#define CTRL_U 0x15
#define ESC 0x1b
#define DEL 0x7f

void shell_line_reset(struct shell_line *l)
{
    const uint32_t after_cr = l->after_cr;
    for (uint32_t i = 0; i < SHELL_LINE_MAX; i++) {
        l->text[i] = 0;
    }
    l->len = 0;
    l->overflow = 0;
    l->dropped = 0;
    l->escape = 0;
    l->after_cr = after_cr;
}

/* Inside an escape sequence: whether c ends it (or is part of it). */
static void escape_byte(struct shell_line *l, uint8_t c)
{
    if (l->escape == 1) {
        // ESC [ (CSI) and ESC O (SS3) take more bytes; anything else ends here.
        l->escape = (c == '[' || c == 'O') ? 2 : 0;
    } else if (c >= 0x40 && c <= 0x7e) {
        l->escape = 0; // a final byte
    }
    l->dropped++;
}

static void put(char *echo, uint32_t *n, char c)
{
    if (*n < SHELL_ECHO_MAX) {
        echo[(*n)++] = c;
    }
}

int shell_line_feed(struct shell_line *l, uint8_t c, char *echo, uint32_t *echo_len)
{
    *echo_len = 0;
    const uint32_t after_cr = l->after_cr;
    l->after_cr = c == CR;
    if (l->escape != 0) {
        escape_byte(l, c);
        return SHELL_LINE_MORE;
    }
    switch (c) {
    case CR:
        return SHELL_LINE_READY;
    case LF:
        if (after_cr) {
            return SHELL_LINE_MORE; // the LF of CR LF: that line has ended already
        }
        return SHELL_LINE_READY;
    case BACKSPACE:
    case DEL:
        if (l->overflow > 0) {
            l->overflow--;
        } else if (l->len > 0) {
            l->text[--l->len] = 0;
            put(echo, echo_len, '\b');
            put(echo, echo_len, ' ');
            put(echo, echo_len, '\b');
        }
        return SHELL_LINE_MORE;
    case CTRL_U:
        // One "\b \b" per character would need more echo room: the caller
        // gets a line end instead and prompts again.
        shell_line_reset(l);
        return SHELL_LINE_CANCEL;
    case CTRL_C:
        shell_line_reset(l);
        put(echo, echo_len, '^');
        put(echo, echo_len, 'C');
        return SHELL_LINE_CANCEL;
    case ESC:
        l->escape = 1;
        l->dropped++;
        return SHELL_LINE_MORE;
    default:
        break;
    }
    if (c == TAB) {
        c = ' ';
    }
    if (c < 0x20 || c > 0x7e) {
        l->dropped++;
        return SHELL_LINE_MORE;
    }
    if (l->overflow > 0 || l->len >= SHELL_LINE_MAX - 1) {
        l->overflow++;
        return SHELL_LINE_MORE;
    }
    l->text[l->len++] = (char)c;
    put(echo, echo_len, (char)c);
    return SHELL_LINE_MORE;
}
