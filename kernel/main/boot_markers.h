#pragma once

/**
 * Boot markers: lines the kernel prints on the console at fixed points of
 * its life. System tests match them, so their text is a stable interface:
 * change it only together with the tests that look for it.
 *
 * Each marker is printed on a line of its own (followed by "\n", which the
 * console sends as "\r\n").
 */

/** First line the kernel prints: the board has handed over to the kernel. */
#define BOOT_MARKER_BOOT "basalt: boot"

/**
 * Where the kernel was entered: printf format taking the exception level
 * (unsigned long long, 1, 2 or 3) and the physical address of the device tree
 * blob the board found (unsigned long long), printed as 0x and 16 hex digits.
 * Example: "basalt: entered at EL1, dtb at 0x0000000040000000".
 */
#define BOOT_MARKER_ENTERED_FORMAT "basalt: entered at EL%llu, dtb at 0x%016llx"

/**
 * The MMU is on with the kernel's own tables: printf format taking the
 * direct map's base address (unsigned long long).
 * Example: "basalt: MMU on, direct map at 0xffff000000000000".
 */
#define BOOT_MARKER_MMU_ON_FORMAT "basalt: MMU on, direct map at 0x%016llx"

/**
 * The kernel runs at its upper-half link address: printf format taking the
 * image's virtual and physical addresses (unsigned long long each).
 * Example: "basalt: high half active, image at 0xffffffffc0100000 (physical
 * 0x0000000040100000)".
 */
#define BOOT_MARKER_HIGH_HALF_FORMAT                                                               \
    "basalt: high half active, image at 0x%016llx (physical 0x%016llx)"

/**
 * The frame allocator is up: printf format taking the RAM size in MiB, the
 * free and the usable frame counts (unsigned long long each). Tests match
 * the part up to "RAM": the counts change with the image size.
 * Example: "basalt: memory: 128 MiB RAM, 32435 of 32451 frames free".
 */
#define BOOT_MARKER_MEMORY_FORMAT "basalt: memory: %llu MiB RAM, %llu of %llu frames free"

/**
 * Interrupts are delivered: the timer's was taken (an alarm due at once,
 * so the boot waits for no tick). printf format taking the tick rate in Hz
 * (int). Example: "basalt: interrupts on, timer at 100 Hz".
 */
#define BOOT_MARKER_INTERRUPTS_ON_FORMAT "basalt: interrupts on, timer at %d Hz"

/** Last line the kernel prints before it asks for power-off. */
#define BOOT_MARKER_POWER_OFF "basalt: power off"
/** init is loaded and READY: its image's pages and entry point. */
#define BOOT_MARKER_INIT_FORMAT "basalt: init loaded, %llu pages, entry 0x%016llx"

/**
 * Printed when the kernel stops for good after a fatal error (an unexpected
 * exception, a broken invariant); the report comes before it. Tests stop
 * QEMU when they see it.
 */
#define BOOT_MARKER_HALTED "basalt: kernel halted"
