#pragma once

/**
 * What the board tells the kernel at boot: the machine as the device tree
 * describes it, reduced to what the kernel itself needs. Filled by the BSP
 * before kernel_main() and read-only afterwards.
 */

#include <stdint.h>

#include "hal/addr.h"
#include "kernel/images/images.h"
#include "kernel/syscall/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for every RAM range the device tree parser reports (FDT_MAX_RAM_RANGES,
 * one memory node per NUMA node on QEMU virt) and for all of its reserved
 * ranges (FDT_MAX_RESERVED) plus the kernel image and the blob; the BSP
 * checks both statically. */
#define BOOT_INFO_MAX_RAM 64
#define BOOT_INFO_MAX_RESERVED 130
/** Bytes of the kernel command line kept, its NUL included. */
#define BOOT_INFO_BOOTARGS_MAX 256

/** A physical memory range [base, base + size). */
struct boot_range {
    paddr_t base;
    uint64_t size;
};

struct boot_info {
    /** Exception level the kernel was entered at (1, 2 or 3). */
    uint32_t entry_el;
    /** Number of CPUs the device tree lists. */
    uint32_t cpu_count;
    /** The device tree blob and its size in bytes. */
    paddr_t dtb;
    uint64_t dtb_size;
    /** RAM, as the device tree's memory nodes report it. */
    struct boot_range ram[BOOT_INFO_MAX_RAM];
    uint32_t ram_count;
    /** Memory that is not free RAM: the image, the blob, DT reservations. */
    struct boot_range reserved[BOOT_INFO_MAX_RESERVED];
    uint32_t reserved_count;
    /** Offset from a RAM physical address to the kernel address that maps it. */
    uint64_t phys_to_virt;
    /** Where the kernel image is: its first byte's virtual and physical address. */
    vaddr_t kernel_virt;
    paddr_t kernel_phys;
    /**
     * The kernel command line (/chosen bootargs), NUL-terminated, and
     * whether it was cut to fit; init's boot flags come from it
     * (kernel/main/boot_flags.h).
     */
    char bootargs[BOOT_INFO_BOOTARGS_MAX];
    uint32_t bootargs_truncated;
    /** The user images linked into the kernel (kernel/images), or NULL for none. */
    const struct image_table *images;
    /** What user drivers may be given (devices, their lines), or NULL for nothing. */
    const struct kernel_devices *devices;
};

#ifdef __cplusplus
}
#endif
