/*
 * Two entries for boot_test_cpus.c's CPUs that do not come up right:
 * boot_test_cpu_silent parks at once and never reports in;
 * boot_test_cpu_failing comes up as the kernel's own secondaries do
 * (AARCH64_SECONDARY_ENTRY), then reports that its set-up failed.
 */

#include "hal/aarch64/boot_entry.inc"

    .section .text.boot_test_cpus, "ax", %progbits
    .global boot_test_cpu_silent
    .type boot_test_cpu_silent, %function
boot_test_cpu_silent:
    msr     daifset, #0xf
1:  wfi
    b       1b
    .size boot_test_cpu_silent, . - boot_test_cpu_silent

    .global boot_test_cpu_failing
    .type boot_test_cpu_failing, %function
boot_test_cpu_failing:
    AARCH64_SECONDARY_ENTRY main=boot_test_cpu_fail_main
    .size boot_test_cpu_failing, . - boot_test_cpu_failing
    .ltorg
