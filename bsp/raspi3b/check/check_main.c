/*
 * The raspi3b drivers (bcm_irq, bcm_pm) on QEMU's emulated hardware: each
 * step prints "check: NAME ok" or "check: NAME FAILED ..." on UART0, then
 * the machine is powered off (or reset, built with CHECK_RESET; or, built
 * with CHECK_NO_RESET, powered off through a "PM block" in RAM that resets
 * nothing, so that hal_power_off must say so and halt).
 * //tests/raspi3b:driver_check_test reads the output and QEMU's exit.
 *
 * Addresses are QEMU's (QEMU_FACTS.md 7): this program has no device tree.
 */
#include <stddef.h>
#include <stdint.h>

#include "bsp/raspi3b/bcm_irq.h"
#include "bsp/raspi3b/bcm_pm.h"
#include "hal/console.h"
#include "hal/irq.h"
#include "hal/power.h"
#include "hal/timer.h"

#define CHECK_UART 0x3f201000u
#define CHECK_LOCAL 0x40000000u
#define CHECK_ARMCTRL 0x3f00b200u
#define CHECK_PM 0x3f100000u

#define PL011_DR 0x00u
#define PL011_FR 0x18u
#define PL011_FR_TXFF (1u << 5)
#define PL011_IMSC 0x38u
#define PL011_IMSC_TXIM (1u << 5)

static uint32_t check_failures;

static void check_putc(char c)
{
    volatile uint32_t *uart = (volatile uint32_t *)(uintptr_t)CHECK_UART;
    while (uart[PL011_FR / 4] & PL011_FR_TXFF) {
    }
    uart[PL011_DR / 4] = (uint8_t)c;
}

/* bcm_pm's report when no reset comes. */
void hal_console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_putc(s[i]);
    }
}

static void check_puts(const char *s)
{
    while (*s != 0) {
        check_putc(*s++);
    }
}

static void check_putu(uint32_t v)
{
    char buf[11];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    while (n > 0) {
        check_putc(buf[--n]);
    }
}

/** Prints "check: name ok", or FAILED with the value got and the one wanted. */
static void check_eq(const char *name, uint32_t got, uint32_t want)
{
    check_puts("check: ");
    check_puts(name);
    if (got == want) {
        check_puts(" ok\n");
        return;
    }
    check_failures++;
    check_puts(" FAILED: got ");
    check_putu(got);
    check_puts(", want ");
    check_putu(want);
    check_puts("\n");
}

static void check_delay(void)
{
    for (volatile uint32_t i = 0; i < 10000u; i++) {
    }
}

static void cntv_write(uint64_t ctl, uint64_t tval)
{
    __asm__ volatile("msr cntv_tval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb" ::"r"(tval), "r"(ctl)
                     : "memory");
}

/* The virtual timer (hal/aarch64/timer.c's) on line CNTV. */
static void check_timer(void)
{
    check_eq("timer_line", bcm_irq_timer_line(), BCM_IRQ_CNTV);
    cntv_write(1, 0); /* enabled, condition met at once, not masked in the timer */
    check_delay();
    check_eq("timer_masked_at_controller", hal_irq_acknowledge(), HAL_IRQ_NONE);
    bcm_irq_timer_enable();
    check_delay();
    check_eq("timer_pending", hal_irq_acknowledge(), BCM_IRQ_CNTV);
    hal_irq_end(BCM_IRQ_CNTV);
    hal_irq_line_mask(BCM_IRQ_CNTV);
    check_eq("timer_line_masked", hal_irq_acknowledge(), HAL_IRQ_NONE);
    hal_irq_line_unmask(BCM_IRQ_CNTV);
    check_eq("timer_line_unmasked", hal_irq_acknowledge(), BCM_IRQ_CNTV);
    cntv_write(0, 0); /* the timer off: its level drops */
    check_delay();
    check_eq("timer_off", hal_irq_acknowledge(), HAL_IRQ_NONE);
}

/* UART0's transmit interrupt (its FIFO is empty, so it is raised at once)
 * through the GPU controller: GPU 57, line 121. */
static void check_uart_irq(void)
{
    volatile uint32_t *uart = (volatile uint32_t *)(uintptr_t)CHECK_UART;
    uart[PL011_IMSC / 4] = PL011_IMSC_TXIM;
    check_delay();
    check_eq("uart_masked_at_controller", hal_irq_acknowledge(), HAL_IRQ_NONE);
    hal_irq_line_unmask(BCM_IRQ_GPU(57));
    check_eq("uart_pending", hal_irq_acknowledge(), BCM_IRQ_GPU(57));
    hal_irq_end(BCM_IRQ_GPU(57));
    hal_irq_line_mask(BCM_IRQ_GPU(57));
    check_eq("uart_line_masked", hal_irq_acknowledge(), HAL_IRQ_NONE);
    hal_irq_line_unmask(BCM_IRQ_GPU(57));
    uart[PL011_IMSC / 4] = 0;
    check_delay();
    check_eq("uart_irq_off", hal_irq_acknowledge(), HAL_IRQ_NONE);
    hal_irq_line_mask(BCM_IRQ_GPU(57));
}

void check_main(void);

void check_main(void)
{
    check_puts("check: raspi3b drivers\n");
    check_eq("line_count_before_init", hal_irq_line_count(), 0);
    bcm_irq_init(CHECK_LOCAL, CHECK_ARMCTRL, 0);
    check_eq("line_count", hal_irq_line_count(), BCM_IRQ_LINE_COUNT);
    check_eq("nothing_pending", hal_irq_acknowledge(), HAL_IRQ_NONE);
    check_timer();
    check_uart_irq();
    /* Lines that do not exist change nothing. */
    hal_irq_line_unmask(200);
    hal_irq_line_unmask(20);
    check_eq("holes_ignored", hal_irq_acknowledge(), HAL_IRQ_NONE);
    check_puts(check_failures == 0 ? "check: all ok\n" : "check: FAILURES\n");
    hal_timer_init(0);
#ifdef CHECK_NO_RESET
    /* Registers that are plain memory: the writes reset nothing. */
    static uint32_t not_a_pm_block[0x30 / 4];
    bcm_pm_init((uintptr_t)not_a_pm_block);
    check_puts("check: power off without a PM block\n");
    hal_power_off();
#endif
    bcm_pm_init(CHECK_PM);
#ifdef CHECK_RESET
    check_puts("check: reset\n");
    hal_power_reset();
#else
    check_puts("check: power off\n");
    hal_power_off();
#endif
}
