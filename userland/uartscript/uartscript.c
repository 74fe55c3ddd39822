/*
 * A scripted stand-in for the UART driver, for the shell's QEMU test
 * (//tests/qemu:shell_script_test): it serves the driver's protocol
 * (userland/uart/uart_proto.h) on the endpoint it is given in x0, answers
 * UART_READ from a fixed script, as if someone typed it, and UART_WRITE by
 * printing the bytes through the console capability of its one setup
 * message (label 1, caps[0]). When the script is used up it stops
 * answering, as a terminal nobody types on.
 *
 * The script exercises what the shell must survive: empty lines, spaces,
 * control bytes and an escape sequence, DEL, a 10,000-character line.
 */

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/sys.h"
#include "userland/uart/uart_proto.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"

/* One piece of the script: text typed count times. */
struct piece {
    const char *text;
    uint32_t length;
    uint32_t count;
};

#define TEXT(s) s, sizeof(s) - 1

/*
 * Ids in the comments are the process manager's: init 1, procmgr 2, hello
 * 3, crash 4, this driver 5, the shell 6.
 */
static const struct piece script[] = {
    {TEXT("help\n"), 1},
    {TEXT("ps\n"), 1},
    {TEXT("spawn hello\n"), 1},   // 7: runs at once (priority 20) and ends
    {TEXT("spawn hello 5\n"), 1}, // 8: below the shell, so still waiting to run
    {TEXT("ps\n"), 1},
    {TEXT("kill 8\n"), 1},         // killed before it ever ran
    {TEXT("kill 8\n"), 1},         // already ended
    {TEXT("kill 1\n"), 1},         // init: not the process manager's to kill
    {TEXT("kill 99\n"), 1},        // no such task
    {TEXT("kill x\n"), 1},         // usage
    {TEXT("spawn nosuch\n"), 1},   // no such image
    {TEXT("spawn hello 40\n"), 1}, // a priority the kernel refuses
    {TEXT("ps\n"), 1},
    {TEXT("mem\n"), 1},
    {TEXT("echo hello,  world\r\n"), 1},
    {TEXT("\n"), 1}, // empty lines
    {TEXT("   \r"), 1},
    {TEXT("frobnicate the kernel\n"), 1},
    {TEXT("x"), 10000}, // a 10,000-character line
    {TEXT("\n"), 1},
    // Control bytes, an arrow key's escape sequence and DEL: "echo yz".
    {TEXT("e\x01"
          "ch\x1b[Ao x\x7fyz\n"),
     1},
    {TEXT("spawn crash\n"), 1}, // 9: faults at once, reported; the shell goes on
    {TEXT("ps\n"), 1},
    {TEXT("bench\n"), 1},
    {TEXT("poweroff\n"), 1},
};

#define SCRIPT_PIECES (sizeof script / sizeof script[0])

/* Where the script has got to. */
static uint32_t piece;
static uint32_t round_;
static uint32_t offset;

/* The next byte of the script into *c; 0 once it is used up. */
static int next_byte(uint8_t *c)
{
    while (piece < SCRIPT_PIECES) {
        const struct piece *p = &script[piece];
        if (offset < p->length) {
            *c = (uint8_t)p->text[offset++];
            return 1;
        }
        offset = 0;
        if (++round_ >= p->count) {
            round_ = 0;
            piece++;
        }
    }
    return 0;
}

static void reply_status(struct sys_msg *reply, status_t st, uint64_t count)
{
    reply->label = (uint64_t)(uint32_t)st;
    reply->word_count = 1;
    reply->cap_count = 0;
    reply->words[0] = count;
}

int main(uint64_t endpoint)
{
    struct sys_msg msg;
    if (sys_recv_caps(endpoint, 1, &msg) != STATUS_OK || msg.cap_count != 1) {
        return 1;
    }
    const handle_t console = msg.caps[0];
    struct sys_msg reply;
    status_t st = sys_recv(endpoint, &msg);
    for (;;) {
        uint8_t bytes[UART_INLINE_MAX];
        if (st != STATUS_OK) {
            reply_status(&reply, STATUS_INVALID_ARGUMENT, 0);
        } else if (msg.label == UART_WRITE && msg.words[0] >= 1 &&
                   msg.words[0] <= UART_INLINE_MAX) {
            int n = uart_unpack_bytes(&msg, bytes);
            reply_status(&reply, sys_console_write(console, bytes, (size_t)n), (uint64_t)n);
        } else if (msg.label == UART_READ && msg.words[0] >= 1 && msg.words[0] <= UART_INLINE_MAX) {
            size_t n = 0;
            while (n < msg.words[0] && next_byte(&bytes[n])) {
                n++;
            }
            if (n == 0) {
                // Nothing more is typed: the caller waits for good.
                for (;;) {
                    sys_recv(endpoint, &msg);
                }
            }
            reply.label = STATUS_OK;
            uart_pack_bytes(&reply, bytes, n);
            reply.cap_count = 0;
        } else {
            reply_status(&reply, STATUS_INVALID_ARGUMENT, 0);
        }
        st = sys_reply_recv(endpoint, &reply, &msg);
    }
}
