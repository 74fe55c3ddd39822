#pragma once

/**
 * What a board gives the shared boot path (bsp/common): a const
 * description, board_config, and four hooks. Each board package
 * (bsp/qemu_virt, bsp/raspi3b) defines all of them once, as ordinary
 * symbols linked into its kernel; bsp/common calls them and defines
 * nothing here.
 *
 * The shared path: boot_mmu.c (MMU off) starts the early console at
 * board_config.early_uart, reads the device tree, maps the image, RAM and
 * the console UART, then calls board_map_devices; bsp_main.c (MMU on)
 * starts the console the tree names, calls board_init_power, reports the
 * CPU's features, calls board_init_interrupts, fills the kernel's boot_info
 * and the devices user drivers may have (board_refuse_devices adds the
 * board's own), and enters the kernel.
 */

#include <stdint.h>

#include "hal/aarch64/boot_mmu.h"
#include "kernel/fdt/fdt.h"
#include "kernel/syscall/syscall.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Fixed facts about the board the boot path needs before it can read the
 * device tree. Plain numbers, no pointers: read with the MMU off, away
 * from the link address.
 */
struct board_config {
    /** Physical base of the PL011 used until the device tree names the
     * console, so that a missing or broken tree can still be reported. */
    uint64_t early_uart;
    /** Where the device tree blob is looked for when the entry's x0 is 0
     * (QEMU enters an ELF image with x0 = 0 on both boards). */
    uint64_t dtb_default;
    /** The most device tree the boot path reads from that address. */
    uint64_t dtb_max_size;
};

/** The board's description; a const object in the board's package. */
extern const struct board_config board_config;

/**
 * Where the boot path reads the blob at physical dtb_phys from, with the MMU
 * off: a pointer to the blob's bytes, *size of them readable (on entry, what
 * may be read at dtb_phys; the hook may lower it). Normally dtb_phys
 * itself; a board whose blob lies at physical 0, which C cannot read
 * through a pointer, copies it (MMU_OFF_BSS) and returns the copy. The
 * bytes are only checked by the parser, after the call. Same rules as
 * board_map_devices.
 */
const void *board_dtb_view(uint64_t dtb_phys, uint64_t *size);

/**
 * Maps the interrupt controller and any other device the kernel itself
 * uses besides the console UART (boot_mmu_map_device), from p. Called with
 * the MMU off from boot_mmu_setup: the same rules as there (no absolute
 * addresses, only MMU_OFF_BSS statics). A device the board cannot boot
 * without and p lacks is a boot_fail.
 */
void board_map_devices(struct aarch64_boot_tables *t, const struct fdt_platform *p);

/**
 * Sets up whatever hal_power_off and hal_power_reset use (PSCI conduit,
 * PM watchdog), from p; runs with the MMU on, the console up.
 */
void board_init_power(const struct fdt_platform *p);

/**
 * Sets up the interrupt controller behind hal/irq.h, starts the generic
 * timer (hal_timer_init) and unmasks the tick's line, telling the kernel
 * which it is (trap_set_timer_line). A controller that does not respond is
 * a boot_fail.
 */
void board_init_interrupts(const struct fdt_platform *p);

/**
 * Adds the board's kernel-owned register ranges (its interrupt controllers,
 * its power device) to d's refused ranges, with bsp_devices_refuse.
 */
void board_refuse_devices(struct kernel_devices *d, const struct fdt_platform *p);

/**
 * Starts cpu (a CPU of the device tree, not the boot CPU, not disabled,
 * its MPIDR known) at the physical address entry_pa with arg in its x0,
 * by its enable-method. Returns NULL once the CPU was told to start (it
 * reports in later, or not: bsp_start_cpus waits), or why it was not:
 * a phrase for "basalt: CPU N did not start: ...", with *code a status to
 * print after it (0 for none).
 */
const char *board_cpu_on(const struct fdt_cpu *cpu, uint64_t entry_pa, uint64_t arg, int64_t *code);

/**
 * Starts every other CPU the device tree lists and the kernel can run
 * (hal/aarch64/smp.h) with board_cpu_on, each in turn, and waits up to a
 * second for each to report in. Says which did not start, and why, by number
 * (their order in /cpus); CPUs past the kernel's limit stay off, said
 * once. Ends with the marker "basalt: N CPUs online". Returns N, the boot
 * CPU included (every CPU running, started by this call or an earlier).
 */
uint32_t bsp_start_cpus(const struct fdt_platform *p);

/**
 * bsp_start_cpus with the CPUs started at entry_pa instead of the
 * kernel's secondary entry, each waited for timeout ticks of the system
 * counter (a boot test's, to see what happens when a CPU never reports in
 * or reports a failure). Stack slots and the count of CPUs online are
 * shared by every call.
 */
uint32_t bsp_start_cpus_at(const struct fdt_platform *p, uint64_t entry_pa, uint64_t timeout);

/**
 * Sets up the calling CPU's own part of the interrupt controller (its GIC
 * CPU interface or redistributor), on a started CPU of slot. Returns 0, or
 * -1 when the controller does not answer.
 */
int board_cpu_init(uint32_t slot);

/**
 * A started CPU's C (AARCH64_SECONDARY_ENTRY's main): board_cpu_init,
 * then its report, then bsp_secondary_work if set, then it waits with
 * interrupts masked. It runs no task yet (issue 15).
 */
void bsp_secondary_main(uint64_t slot);

/**
 * What a started CPU runs once it has reported in (with interrupts
 * masked), or NULL for nothing: the image sets none, a boot test sets its
 * own before it starts the CPUs.
 */
extern void (*volatile bsp_secondary_work)(uint32_t slot);

/**
 * Appends [base, base + size) to d's refused ranges; nothing for size 0.
 * Requires: room in d->refused (bsp_main.c's static assertions).
 */
void bsp_devices_refuse(struct kernel_devices *d, uint64_t base, uint64_t size);

#ifdef __cplusplus
}
#endif
