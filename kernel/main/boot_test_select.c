/*
 * kernel_boot_test() of a test kernel (boot_test.h): runs the boot test
 * that `basalt.boot_test=NAME` names, from the table the linker gathers
 * (bsp/common/kernel_sections.ld) out of every BOOT_TEST linked in.
 */

#include <stddef.h>
#include <stdint.h>

#include "kernel/console/kprintf.h"
#include "kernel/main/boot_flags.h"
#include "kernel/main/boot_test.h"

/* The table's bounds (kernel_sections.ld). */
extern const struct boot_test __boot_tests_start[];
extern const struct boot_test __boot_tests_end[];

static int boot_test_name_is(const char *a, const char *b)
{
    size_t i = 0;
    for (; a[i] != 0 && a[i] == b[i]; i++) {
    }
    return a[i] == b[i];
}

int kernel_boot_test(const char *bootargs, uint32_t truncated)
{
    char name[BOOT_TEST_NAME_MAX];
    boot_value how = kernel_boot_value(bootargs, truncated, BOOT_TEST_BOOTARG, name, sizeof name);
    if (how == BOOT_VALUE_ABSENT) {
        return 0;
    }
    if (how == BOOT_VALUE_FOUND) {
        for (const struct boot_test *t = __boot_tests_start; t < __boot_tests_end; t++) {
            if (boot_test_name_is(t->name, name)) {
                kprintf("boot test: %s\n", t->name);
                t->run();
                return 0;
            }
        }
        kprintf("boot test: this kernel has none named \"%s\"; it has:", name);
    } else {
        kprintf("boot test: the name after " BOOT_TEST_BOOTARG " is longer than %d bytes; "
                "this kernel has:",
                BOOT_TEST_NAME_MAX - 1);
    }
    for (const struct boot_test *t = __boot_tests_start; t < __boot_tests_end; t++) {
        kprintf(" %s", t->name);
    }
    kprintf("\n");
    return -1;
}
