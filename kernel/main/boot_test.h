#pragma once

/**
 * A hook that lets a test image exercise the kernel's fatal paths during
 * boot. kernel_main() calls kernel_boot_test() once the console is up.
 *
 * The production image links boot_test_none.c, which does nothing; test
 * images link one of the other implementations instead, chosen by their
 * Bazel dependencies (//kernel/main:boot_test_*), never at run time.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** Runs the image's boot-time test, if it has one. */
void kernel_boot_test(void);

#ifdef __cplusplus
}
#endif
