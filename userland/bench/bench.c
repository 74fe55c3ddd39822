/*
 * The benchmark (init of the benchmark kernel, //bsp:bench): instructions
 * retired, read from the PMU, for the kernel's hot paths, each the median
 * of BENCH_RUNS runs minus the cost of reading the counter. Run under
 * QEMU with -icount shift=0 the counts are exact and repeatable.
 */

#include <stdint.h>

#include "userland/bench/bench.h"
#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

#define BENCH_RUNS 101
/* The servers run above init (16), so a call or a signal switches to them at once. */
#define BENCH_SERVER_PRIORITY 20

static uint64_t samples[BENCH_RUNS];

/* The median of samples (sorted in place). */
static uint64_t median(void)
{
    for (int i = 1; i < BENCH_RUNS; i++) {
        uint64_t v = samples[i];
        int j = i - 1;
        while (j >= 0 && samples[j] > v) {
            samples[j + 1] = samples[j];
            j--;
        }
        samples[j + 1] = v;
    }
    return samples[BENCH_RUNS / 2];
}

static uint64_t overhead;

static void report(const char *what, uint64_t value)
{
    sys_printf(INIT_HANDLE_CONSOLE, "bench: %-44s %8llu\n", what,
               (unsigned long long)(value - overhead));
}

/* Spawns a benchmark server from its image, giving it cap; stops the run on failure. */
static void spawn(const char *name, handle_t cap)
{
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    status_t st =
        sys_task_spawn(INIT_HANDLE_KERNEL, name, BENCH_SERVER_PRIORITY, cap, &task, &space);
    if (st != STATUS_OK) {
        sys_printf(INIT_HANDLE_CONSOLE, "bench: cannot start %s (status %d)\n", name, st);
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    }
}

/* Where bench maps the console PL011's registers (SYS_CONSOLE_DEVICE names
 * it: virt's PL011, the Raspberry Pi 3's UART0) and the shared page. */
#define BENCH_REGS_VA 0x30000000ull
#define BENCH_SHARED_VA 0x30001000ull
#define BENCH_IRQWAITER_PAGE 0x30000000ull /* in irqwaiter's space */
#define UARTDR 0x000
#define UARTIMSC 0x038
#define UARTICR 0x044
#define UART_INT_TX (1u << 5)

static void bench_fail(const char *what, status_t st)
{
    sys_printf(INIT_HANDLE_CONSOLE, "bench: %s failed (status %d)\n", what, st);
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
}

/*
 * Interrupt to the user handler running: the PL011's transmit interrupt
 * (QEMU raises it as a byte is written) is bound to a notification that
 * irqwaiter, above init, waits on. From the write of the byte to
 * irqwaiter's first instruction after its wait returns: the exception, the
 * GIC acknowledge, the kernel masking the line and signalling, the end of
 * interrupt, the switch. irqwaiter stores its count in a page shared with
 * init; init clears the interrupt and acknowledges the line between runs.
 */
static void bench_irq(void)
{
    handle_t regs = HANDLE_NONE;
    handle_t irq = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    handle_t page = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    struct sys_console_device console;
    status_t st = sys_console_device(INIT_HANDLE_KERNEL, &console);
    if (st == STATUS_OK) {
        st = sys_device_frame_create(INIT_HANDLE_KERNEL, console.page, &regs);
    }
    if (st == STATUS_OK) {
        st = sys_map(INIT_HANDLE_SPACE, regs, BENCH_REGS_VA, SYS_MAP_READ | SYS_MAP_WRITE);
    }
    if (st == STATUS_OK) {
        st = sys_irq_create(INIT_HANDLE_KERNEL, (uint32_t)console.intid, &irq);
    }
    if (st == STATUS_OK) {
        st = sys_notify_create(INIT_HANDLE_KERNEL, &note);
    }
    if (st == STATUS_OK) {
        st = sys_frame_create(INIT_HANDLE_KERNEL, &page);
    }
    if (st == STATUS_OK) {
        st = sys_map(INIT_HANDLE_SPACE, page, BENCH_SHARED_VA, SYS_MAP_READ);
    }
    if (st == STATUS_OK) {
        st = sys_task_spawn(INIT_HANDLE_KERNEL, "irqwaiter", BENCH_SERVER_PRIORITY, note, &task,
                            &space);
    }
    if (st == STATUS_OK) { /* irqwaiter waits already: its page may come now */
        st = sys_map(space, page, BENCH_IRQWAITER_PAGE, SYS_MAP_READ | SYS_MAP_WRITE);
    }
    if (st == STATUS_OK) {
        st = sys_irq_bind(irq, note, 1);
    }
    if (st != STATUS_OK) {
        bench_fail("setting the interrupt up", st);
    }
    volatile uint32_t *uart = (volatile uint32_t *)(uintptr_t)(BENCH_REGS_VA + console.offset);
    volatile uint64_t *shared = (volatile uint64_t *)(uintptr_t)BENCH_SHARED_VA;
    uart[UARTICR / 4] = UART_INT_TX;
    uart[UARTIMSC / 4] = UART_INT_TX;
    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t last = *shared;
        uint64_t t0 = bench_instret();
        uart[UARTDR / 4] = '\r';
        while (*shared == last) { /* irqwaiter has run once it changed */
        }
        samples[i] = *shared - t0;
        uart[UARTICR / 4] = UART_INT_TX;
        bench_call2(SYS_IRQ_ACK, irq, 0);
    }
    uart[UARTIMSC / 4] = 0;
    uart[UARTICR / 4] = UART_INT_TX;
    report("interrupt to the user handler running", median());
}

/*
 * IPC call+reply round trip between two CPUs, with two or more online: a
 * client bound to CPU 0 calls an echo server bound to CPU 1. The client is
 * a second task in bench's own space (so that it writes its samples where
 * bench reads them); bench, which may run on either CPU, waits for it to
 * end. Under -icount QEMU runs the CPUs in turn on one thread and the PMU's
 * instruction count is the machine's: a sample is every instruction both
 * CPUs retired from the call to its return (the call, the kick, CPU 0
 * idling, CPU 1 waking, the echo's reply, the kick back, the wake), not
 * only the client CPU's. With one CPU, spawning the echo on CPU 1 fails
 * with STATUS_BAD_AFFINITY and the row is left out.
 */
#define CROSS_CPU_CLIENT 0
#define CROSS_CPU_SERVER 1
static uint8_t cross_stack[4096] __attribute__((aligned(16)));

static _Noreturn void cross_client(uint64_t endpoint)
{
    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        bench_ipc(SYS_CALL, endpoint, sys_msg_info(1, 1, 0), 42);
        samples[i] = bench_instret() - t0;
    }
    sys_exit();
}

static void bench_cross_cpu(void)
{
    handle_t ep = HANDLE_NONE;
    handle_t note = HANDLE_NONE;
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    handle_t client = HANDLE_NONE;
    handle_t given = HANDLE_NONE;
    status_t st = sys_endpoint_create(INIT_HANDLE_KERNEL, &ep);
    if (st == STATUS_OK) {
        st = sys_task_spawn_on(INIT_HANDLE_KERNEL, "echo", BENCH_SERVER_PRIORITY, ep,
                               SYS_AFFINITY(1u << CROSS_CPU_SERVER), &task, &space);
        if (st == STATUS_BAD_AFFINITY) {
            return; /* one CPU online */
        }
    }
    if (st == STATUS_OK) {
        st = sys_notify_create(INIT_HANDLE_KERNEL, &note);
    }
    if (st == STATUS_OK) {
        st = sys_task_create_on(INIT_HANDLE_KERNEL, INIT_HANDLE_SPACE, 16, ep,
                                SYS_AFFINITY(1u << CROSS_CPU_CLIENT), &client, &given);
    }
    if (st == STATUS_OK) {
        st = sys_task_watch(client, note, 1);
    }
    if (st == STATUS_OK) {
        st = sys_task_start(client, (uint64_t)(uintptr_t)cross_client,
                            (uint64_t)(uintptr_t)(cross_stack + sizeof cross_stack), given);
    }
    uint64_t bits = 0;
    if (st == STATUS_OK) {
        st = sys_notify_wait(note, &bits); /* the client has ended */
    }
    if (st != STATUS_OK) {
        bench_fail("the round trip between two CPUs", st);
    }
    report("IPC round trip between two CPUs (0 calls 1)", median());
}

/* The boot's phases: the kernel's milestones (SYS_KERNEL_STATS) and init's first line. */
static void boot_phases(uint64_t boot)
{
    struct sys_kernel_stats stats;
    status_t st = sys_kernel_stats(INIT_HANDLE_KERNEL, &stats);
    if (st != STATUS_OK) {
        bench_fail("kernel stats", st);
    }
    static const struct {
        const char *what;
        int to;
    } phases[] = {
        {"boot: to kernel_main (MMU, device tree)", SYS_BOOT_KERNEL_MAIN},
        {"boot: frame allocator set up", SYS_BOOT_MEMORY},
        {"boot: one timer interrupt taken", SYS_BOOT_INTERRUPTS},
        {"boot: init found, its SHA-256 checked", SYS_BOOT_INIT_FOUND},
        {"boot: init loaded and ready", SYS_BOOT_INIT_LOADED},
    };
    uint64_t from = 0;
    for (unsigned i = 0; i < sizeof phases / sizeof phases[0]; i++) {
        uint64_t at = stats.boot_instructions[phases[i].to];
        sys_printf(INIT_HANDLE_CONSOLE, "bench: %-44s %8llu\n", phases[i].what,
                   (unsigned long long)(at - from));
        from = at;
    }
    sys_printf(INIT_HANDLE_CONSOLE, "bench: %-44s %8llu\n",
               "boot: from then to the first line of init", (unsigned long long)(boot - from));
}

int main(uint64_t arg)
{
    (void)arg;
    uint64_t boot = bench_instret();

    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        uint64_t t1 = bench_instret();
        samples[i] = t1 - t0;
    }
    overhead = median();

    sys_printf(INIT_HANDLE_CONSOLE, "bench: %-44s %8s\n", "instructions retired, median of 101",
               "count");
    sys_printf(INIT_HANDLE_CONSOLE, "bench: %-44s %8llu\n",
               "kernel entry to the first line of init", (unsigned long long)boot);
    boot_phases(boot);

    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        bench_call2(SYS_COUNT, 0, 0); /* an unknown number: the null call */
        samples[i] = bench_instret() - t0;
    }
    report("null syscall round trip", median());

    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        bench_call2(SYS_YIELD, 0, 0); /* no other task ready */
        samples[i] = bench_instret() - t0;
    }
    report("yield with no other task ready", median());

    handle_t ep = HANDLE_NONE;
    handle_t notification = HANDLE_NONE;
    if (sys_endpoint_create(INIT_HANDLE_KERNEL, &ep) != STATUS_OK ||
        sys_notify_create(INIT_HANDLE_KERNEL, &notification) != STATUS_OK) {
        sys_printf(INIT_HANDLE_CONSOLE, "bench: cannot create the objects\n");
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    }
    spawn("echo", ep);
    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        bench_ipc(SYS_CALL, ep, sys_msg_info(1, 1, 0), 42);
        samples[i] = bench_instret() - t0;
    }
    report("IPC call+reply round trip (two switches)", median());

    /* The same round trip through a badged capability: the echo server gets the badge in x8. */
    handle_t badged = HANDLE_NONE;
    if (sys_cap_badge(ep, RIGHT_SEND, 0xbad6e, &badged) != STATUS_OK) {
        sys_printf(INIT_HANDLE_CONSOLE, "bench: cannot badge the endpoint\n");
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    }
    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        bench_ipc(SYS_CALL, badged, sys_msg_info(1, 1, 0), 42);
        samples[i] = bench_instret() - t0;
    }
    report("IPC round trip through a badged capability", median());

    spawn("waiter", notification);
    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        bench_call2(SYS_NOTIFY_SIGNAL, notification, 1);
        samples[i] = bench_instret() - t0;
    }
    report("notification signal, wake, wait again", median());

    bench_irq();
    bench_cross_cpu();

    /* Last: the yielder shares init's priority and never blocks. */
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    if (sys_task_spawn(INIT_HANDLE_KERNEL, "yielder", 16, HANDLE_NONE, &task, &space) !=
        STATUS_OK) {
        sys_printf(INIT_HANDLE_CONSOLE, "bench: cannot start yielder\n");
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    }
    for (int i = 0; i < BENCH_RUNS; i++) {
        uint64_t t0 = bench_instret();
        bench_call2(SYS_YIELD, 0, 0);
        samples[i] = bench_instret() - t0;
    }
    report("yield to another task and back (two switches)", median());

    sys_printf(INIT_HANDLE_CONSOLE, "bench: done\n");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
