#pragma once

/**
 * A hook that lets a test kernel exercise the kernel's fatal paths during
 * boot. kernel_main() calls kernel_boot_test() once the console is up and
 * memory is set, before interrupts are on.
 *
 * The production image links boot_test_none.c, which runs nothing. A
 * board's test kernel links boot_test_select.c and every boot test
 * (//kernel/main:boot_test_*, and the board's own); each declares itself
 * with BOOT_TEST in the table the linker gathers (bsp/common/
 * kernel_sections.ld), and the kernel command line token
 * `basalt.boot_test=NAME` picks the one that runs. Which tests a kernel
 * can run is decided by its Bazel dependencies, never at run time.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The kernel command line token that names the boot test to run. */
#define BOOT_TEST_BOOTARG "basalt.boot_test="

/** Bytes of a boot test's name, its NUL included. */
#define BOOT_TEST_NAME_MAX 32

/** A boot test: its name, as given after BOOT_TEST_BOOTARG, and its body. */
struct boot_test {
    const char *name;
    void (*run)(void);
};

/**
 * Puts the boot test `fn` in the kernel's table as `id` (a C identifier,
 * also its name). Used in test kernels only: the table is the section
 * basalt_boot_tests, which only the kernel's linker script gathers.
 */
#define BOOT_TEST(id, fn)                                                                          \
    __attribute__((used, section("basalt_boot_tests"),                                             \
                   aligned(8))) static const struct boot_test boot_test_entry_##id = {#id, fn}

/**
 * Runs the boot test that bootargs (NUL-terminated, may be NULL; cut if
 * truncated) names, if it names one. Returns 0, or -1 when it names one
 * this kernel does not have (said on the console): the boot must stop.
 */
int kernel_boot_test(const char *bootargs, uint32_t truncated);

#ifdef __cplusplus
}
#endif
