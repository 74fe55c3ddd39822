/*
 * uartdev: the checks of the user-mode device test images, each run from
 * EL0 by an init (uartdev.h):
 *  - SYS_CONSOLE_DEVICE: the console UART's page, offset, size and line,
 *    refused without the kernel capability; every use of the UART below
 *    goes where it says (no UART address or line is written here);
 *  - on QEMU virt only (uartdev_virt.c), the refusals of
 *    SYS_DEVICE_FRAME_CREATE (RAM, the GIC, a misaligned or undeclared
 *    address) and SYS_IRQ_CREATE (the tick, a number the GIC lacks, an
 *    undeclared line): they name virt's RAM, GIC and line numbers;
 *  - interrupt delivery and acknowledge, driving the PL011 itself: its
 *    transmit interrupt (QEMU raises it after each byte written) reaches
 *    a notification, a second handler of the line is refused, the line
 *    stays masked until acknowledged, a second acknowledge is refused, and
 *    deleting the last capability frees the line for a new handler;
 *  - the UART driver (userland/uart): inline and bulk writes, a read of the
 *    line the test feeds to the serial port, and a client that dies while
 *    the driver holds its read, after which the driver serves on.
 * Each check prints one line; a failure prints "uartdev: FAIL ..." and
 * powers off at once.
 */

#include <stddef.h>
#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"
#include "userland/uart/uart_proto.h"
#include "userland/uart/uart_start.h"
#include "userland/uartdev/uartdev.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#define K INIT_HANDLE_KERNEL
#define CONSOLE INIT_HANDLE_CONSOLE

/* Where the test maps the PL011 itself, and its bulk frame. */
#define REGS_VA 0x30000000ull
#define BULK_VA 0x30001000ull

#define UARTDR 0x000
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UART_INT_TX (1u << 5)

#define DRIVER_PRIORITY 24
#define VICTIM_PRIORITY 20

static void uartdev_fail(const char *what, status_t st)
{
    sys_printf(CONSOLE, "uartdev: FAIL %s (status %d)\n", what, st);
    sys_power_off(K, SYS_POWER_OFF_HALT);
    sys_exit();
}

static void expect(status_t got, status_t want, const char *what)
{
    if (got != want) {
        sys_printf(CONSOLE, "uartdev: FAIL %s: status %d, expected %d\n", what, got, want);
        sys_power_off(K, SYS_POWER_OFF_HALT);
        sys_exit();
    }
    sys_printf(CONSOLE, "uartdev: %s: status %d\n", what, got);
}

/* The console UART, as the kernel reports it (console_device). */
static struct sys_console_device con;

/* Asks the kernel which device is the console, and checks the call's refusal. */
void uartdev_console_device(void)
{
    expect(sys_console_device(CONSOLE, &con), STATUS_WRONG_KIND,
           "console device without the kernel capability");
    status_t st = sys_console_device(K, &con);
    if (st != STATUS_OK) {
        uartdev_fail("console device", st);
    }
    sys_printf(CONSOLE, "uartdev: console at page 0x%llx offset 0x%llx size 0x%llx line %u\n",
               (unsigned long long)con.page, (unsigned long long)con.offset,
               (unsigned long long)con.size, (unsigned)con.intid);
    if (con.intid == 0 || con.offset > 0x1000 - 0x48) {
        uartdev_fail("a console with a line and its registers in one page", STATUS_NOT_FOUND);
    }
}

void uartdev_refusals_virt(void)
{
    handle_t h = HANDLE_NONE;
    expect(sys_device_frame_create(K, 0x40000000, &h), STATUS_PERMISSION, "device frame on RAM");
    expect(sys_device_frame_create(K, 0x08000000, &h), STATUS_PERMISSION,
           "device frame on the GIC");
    expect(sys_device_frame_create(K, con.page + 8, &h), STATUS_MISALIGNED,
           "device frame misaligned");
    expect(sys_device_frame_create(K, 0x09100000, &h), STATUS_NOT_FOUND,
           "device frame where no device is");
    expect(sys_irq_create(K, 27, &h), STATUS_PERMISSION, "irq of the tick");
    expect(sys_irq_create(K, 3, &h), STATUS_PERMISSION, "irq of an SGI");
    expect(sys_irq_create(K, 5000, &h), STATUS_OUT_OF_RANGE, "irq the GIC lacks");
    expect(sys_irq_create(K, 100, &h), STATUS_NOT_FOUND, "irq no device declares");
}

static inline void reg_write(uint32_t off, uint32_t value)
{
    *(volatile uint32_t *)(uintptr_t)(REGS_VA + con.offset + off) = value;
}

/* Writes one byte to the PL011 (its transmit interrupt follows at once in QEMU). */
static void poke(char c)
{
    reg_write(UARTDR, (uint8_t)c);
}

void uartdev_direct_irq(void)
{
    handle_t frame = HANDLE_NONE;
    handle_t irq = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    handle_t again = HANDLE_NONE;
    uint64_t bits = 0;
    status_t st = sys_device_frame_create(K, con.page, &frame);
    if (st == STATUS_OK) {
        st = sys_map(INIT_HANDLE_SPACE, frame, REGS_VA, SYS_MAP_READ | SYS_MAP_WRITE);
    }
    if (st == STATUS_OK) {
        st = sys_irq_create(K, con.intid, &irq);
    }
    if (st == STATUS_OK) {
        st = sys_notify_create(K, &note);
    }
    if (st != STATUS_OK) {
        uartdev_fail("device frame and irq of the pl011", st);
    }
    expect(sys_irq_create(K, con.intid, &again), STATUS_BAD_STATE, "second handler of one line");
    expect(sys_irq_ack(irq), STATUS_BAD_STATE, "ack of a line that did not fire");
    expect(sys_irq_bind(irq, note, 0), STATUS_INVALID_ARGUMENT, "bind with no bits");
    expect(sys_irq_bind(irq, note, 0x4), STATUS_OK, "bind");
    // The transmit interrupt is enabled only around each poke: the lines
    // printed in between (the kernel writes the same UART) would raise it.
    // Only it is cleared: received bytes wait in the FIFO for the driver.
    reg_write(UARTICR, UART_INT_TX);
    reg_write(UARTIMSC, UART_INT_TX);
    poke('\r');
    st = sys_notify_wait(note, &bits);
    // Still asserted (not cleared) but masked: nothing more until the ack.
    status_t masked = sys_notify_poll(note, &bits);
    reg_write(UARTIMSC, 0);
    reg_write(UARTICR, UART_INT_TX);
    if (st != STATUS_OK) {
        uartdev_fail("waiting for the transmit interrupt", st);
    }
    sys_printf(CONSOLE, "uartdev: irq %u delivered, bits 0x%llx\n", (unsigned)con.intid,
               (unsigned long long)bits);
    expect(masked, STATUS_WOULD_BLOCK, "masked until acknowledged");
    expect(sys_irq_ack(irq), STATUS_OK, "ack");
    expect(sys_irq_ack(irq), STATUS_BAD_STATE, "second ack");
    reg_write(UARTIMSC, UART_INT_TX);
    poke('\r');
    st = sys_notify_wait(note, &bits);
    reg_write(UARTIMSC, 0);
    reg_write(UARTICR, UART_INT_TX);
    if (st != STATUS_OK || bits != 0x4) {
        uartdev_fail("waiting for the interrupt after the ack", st);
    }
    sys_printf(CONSOLE, "uartdev: irq %u delivered again after the ack\n", (unsigned)con.intid);
    // The last capability goes: the line is masked and free again.
    expect(sys_cap_delete(irq), STATUS_OK, "delete the irq handler");
    expect(sys_irq_create(K, con.intid, &again), STATUS_OK, "the line is free again");
    expect(sys_cap_delete(again), STATUS_OK, "delete it again");
    expect(sys_cap_delete(frame), STATUS_OK, "delete the device frame");
    (void)sys_cap_delete(note);
}

/* Reads one line (without its '\n') from the driver into line (room n). */
static status_t read_line(handle_t uart, char *line, size_t n)
{
    size_t len = 0;
    for (;;) {
        char c = 0;
        size_t got = 0;
        status_t st = uart_read(uart, &c, 1, &got);
        if (st != STATUS_OK) {
            return st;
        }
        if (c == '\n' || c == '\r') {
            if (len == 0) {
                continue;
            }
            line[len] = '\0';
            return STATUS_OK;
        }
        if (len + 1 < n) {
            line[len++] = c;
        }
    }
}

/*
 * Offers a driver waiting on ep the console's page with its registers at
 * offset (UART_SETUP_DEVICE's words[0]); a copy of its space goes with the
 * frame, so a refusal (the driver deletes both) leaves it its space.
 */
static status_t offer_registers(handle_t ep, handle_t space, uint64_t offset)
{
    handle_t frame = HANDLE_NONE;
    handle_t copy = HANDLE_NONE;
    status_t st = sys_device_frame_create(K, con.page, &frame);
    if (st == STATUS_OK) {
        st = sys_cap_derive(space, RIGHT_MAP | RIGHT_GRANT, &copy);
    }
    if (st != STATUS_OK) {
        uartdev_fail("a frame and a space for the driver", st);
    }
    struct sys_msg msg = {UART_SETUP_DEVICE, 1, 2, {offset, 0, 0, 0}, {frame, copy}};
    struct sys_msg reply;
    st = sys_call(ep, &msg, &reply);
    return st == STATUS_OK ? (status_t)(uint32_t)reply.label : st;
}

void uartdev_driver_offsets(void)
{
    handle_t ep = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    status_t st = sys_endpoint_create(K, &ep);
    if (st == STATUS_OK) {
        st = sys_task_spawn(K, "uart", DRIVER_PRIORITY, ep, &task, &space);
    }
    if (st != STATUS_OK) {
        uartdev_fail("a driver for the offset checks", st);
    }
    // Registers at a word's half, and UARTICR one word past the page.
    expect(offer_registers(ep, space, 2), STATUS_INVALID_ARGUMENT,
           "driver refuses registers at offset 0x2");
    expect(offer_registers(ep, space, 0x1000 - 0x44), STATUS_INVALID_ARGUMENT,
           "driver refuses registers at offset 0xfbc");
    // UARTICR the page's last word: accepted (the driver only maps them).
    expect(offer_registers(ep, space, 0x1000 - 0x48), STATUS_OK,
           "driver accepts registers at offset 0xfb8");
    expect(sys_cap_delete(task), STATUS_OK, "that driver is stopped");
    (void)sys_cap_delete(space);
    (void)sys_cap_delete(ep);
}

void uartdev_through_driver(void)
{
    handle_t uart = HANDLE_NONE;
    status_t st = uart_start(K, DRIVER_PRIORITY, &uart);
    if (st != STATUS_OK) {
        uartdev_fail("starting the driver", st);
    }
    static const char inline_text[] = "uartdev: an inline write through the driver\n";
    expect(uart_write(uart, inline_text, sizeof inline_text - 1), STATUS_OK, "inline write");
    expect(sys_printf(uart, "uartdev: sys_printf through the driver, %d\n", 42), STATUS_OK,
           "sys_printf to the driver");

    handle_t frame = HANDLE_NONE;
    st = sys_frame_create(K, &frame);
    if (st == STATUS_OK) {
        st = sys_map(INIT_HANDLE_SPACE, frame, BULK_VA, SYS_MAP_READ | SYS_MAP_WRITE);
    }
    if (st != STATUS_OK) {
        uartdev_fail("bulk frame", st);
    }
    char *bulk = (char *)(uintptr_t)BULK_VA;
    static const char head[] = "uartdev: a bulk write of one call:";
    size_t n = 0;
    for (; head[n] != '\0'; n++) {
        bulk[100 + n] = head[n];
    }
    for (int i = 0; i < 40; i++) {
        bulk[100 + n++] = (char)('a' + i % 26);
    }
    bulk[100 + n++] = '\n';
    expect(uart_write_bulk(uart, frame, 100, n), STATUS_OK, "bulk write");
    expect(uart_write_bulk(uart, frame, 4000, 200), STATUS_INVALID_ARGUMENT,
           "bulk write past the frame");
    handle_t ro = HANDLE_NONE;
    (void)sys_cap_derive(frame, RIGHT_GRANT | RIGHT_DERIVE | RIGHT_READ, &ro); // no MAP
    expect(uart_write_bulk(uart, ro, 0, 1), STATUS_MISSING_RIGHT, "bulk write without map");

    char line[64];
    st = read_line(uart, line, sizeof line);
    if (st != STATUS_OK) {
        uartdev_fail("reading a line", st);
    }
    sys_printf(uart, "uartdev: read [%s]\n", line);

    // A client that dies while the driver holds its read: it runs above
    // init, so it is inside the driver when the spawn returns.
    handle_t victim = HANDLE_NONE;
    handle_t vspace = HANDLE_NONE;
    st = sys_task_spawn(K, "uartvictim", VICTIM_PRIORITY, uart, &victim, &vspace);
    if (st != STATUS_OK) {
        uartdev_fail("spawning the victim", st);
    }
    expect(sys_cap_delete(victim), STATUS_OK, "the victim is killed mid-request");
    (void)sys_cap_delete(vspace);
    // The driver still holds the dead client's read: init says it on the
    // kernel's console (the test feeds the next line only after this).
    sys_printf(CONSOLE, "uartdev: victim gone\n");
    st = read_line(uart, line, sizeof line);
    if (st != STATUS_OK) {
        uartdev_fail("reading after the victim died", st);
    }
    sys_printf(uart, "uartdev: read [%s] after the victim died\n", line);
    sys_printf(uart, "uartdev: done\n");
}
