#pragma once

/**
 * MMU_OFF_BSS marks a zero-initialized static that code running with the
 * MMU off reads or writes: the boot entry (start.S, with
 * hal/aarch64/boot_entry.inc), and boot_mmu_setup() with everything it
 * calls. Such a static goes to .bss.mmu-off (kernel.ld), which the entry
 * zeroes with the MMU off and whose cache lines it invalidates before and
 * after that code runs. Any other static is in .data or .bss: .bss is
 * zeroed only once the MMU is on, so a write to it before then would be
 * wiped, and a read would find garbage. //tests/image:mmu_off_test checks
 * that no code run before the MMU is on references a page of either.
 *
 * The name cannot clash with the section -fdata-sections gives a variable
 * (".bss." and its symbol name, which never holds a '-'); starting with
 * ".bss." makes the compiler emit it as NOBITS.
 */
#define MMU_OFF_BSS __attribute__((section(".bss.mmu-off")))
