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
 * (unsigned long long, 1 or 2) and the physical address of the device tree
 * blob as handed over (unsigned long long), printed as 0x and 16 hex digits.
 * Example: "basalt: entered at EL1, dtb at 0x0000000040000000".
 */
#define BOOT_MARKER_ENTERED_FORMAT "basalt: entered at EL%llu, dtb at 0x%016llx"

/** Last line the kernel prints before it asks for power-off. */
#define BOOT_MARKER_POWER_OFF "basalt: power off"

/**
 * Printed when the kernel stops for good after a fatal error (an unexpected
 * exception, a broken invariant); the report comes before it. Tests stop
 * QEMU when they see it.
 */
#define BOOT_MARKER_HALTED "basalt: kernel halted"
