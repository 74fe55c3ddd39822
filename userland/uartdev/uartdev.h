#pragma once

/*
 * The checks of the user-mode device test images (uartdev.c), for an init
 * holding the kernel capability. uartdev_console_device comes first: the
 * others use the console it asked the kernel for. A failed check prints
 * "uartdev: FAIL ..." and powers the machine off.
 */

/** Asks SYS_CONSOLE_DEVICE for the console UART; checks its refusal without the kernel capability.
 */
void uartdev_console_device(void);

/** Device frame and IRQ refusals that name QEMU virt's RAM, GIC and GIC lines: virt only. */
void uartdev_refusals_virt(void);

/** The console's line delivered to a notification, acknowledged, freed with its capability. */
void uartdev_direct_irq(void);

/** A driver refusing registers not word aligned or not in their page (UART_SETUP_DEVICE). */
void uartdev_driver_offsets(void);

/** The UART driver (uart_start) serving writes and reads, and a client dying mid-read. */
void uartdev_through_driver(void);
