#pragma once

/**
 * Flattened device tree (DTB) parser: validates a blob and reduces it to the
 * platform description the boot path needs (RAM, reserved memory, console
 * UART, interrupt controller, generic timer, power device, CPUs).
 *
 * Format references are to the Devicetree Specification v0.4 ("DT spec"):
 * header 5.2, memory reservation block 5.3, structure block 5.4, strings
 * block 5.5, #address-cells / #size-cells 2.3.5, reg 2.3.6, status 2.3.4,
 * memory node 3.4, /reserved-memory 3.5, /chosen 3.6, /aliases 3.3,
 * /cpus 3.7 (enable-method and cpu-release-addr 3.8.1), interrupts and
 * interrupt-parent 2.4.
 *
 * Execution context: freestanding C11 that uses no C library, allocates
 * nothing, keeps no state between calls and holds no tables of absolute
 * addresses, so it runs with the MMU off at an address other than its link
 * address as well as later. fdt_parse_platform needs about 3.5 KiB of stack
 * (3.4 KiB, mostly the per-depth state of FDT_MAX_DEPTH nodes; measured
 * with -fstack-usage for aarch64 at -O2).
 *
 * Safety: whatever the blob holds, no byte outside [blob, blob + size) is
 * ever read and nothing outside *out is written. Every offset, length and
 * string is bounds-checked; sums are computed in 64 bits from 32-bit fields,
 * so they cannot overflow. The blob may be at any alignment: multi-byte
 * fields are read one byte at a time, big-endian (DT spec 5.1).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Nesting limit: a tree with more levels of nodes than this (the root is one) is rejected. */
#define FDT_MAX_DEPTH 16
/**
 * Capacity of fdt_platform.ram. RAM entries past it are counted in
 * ram_dropped and otherwise ignored: RAM the kernel does not use is safe.
 * QEMU virt puts one memory node per NUMA node (up to 128 with -numa).
 */
#define FDT_MAX_RAM_RANGES 64
/**
 * Capacity of fdt_platform.reserved. Reserved ranges are never dropped: a
 * blob with more is refused with FDT_ERR_TOO_MANY. Linux's arm64 Qualcomm
 * boards have up to about 50 /reserved-memory children.
 */
#define FDT_MAX_RESERVED 128
/**
 * Capacity of fdt_platform.gicr. Regions past it are counted in
 * gicr_dropped and not reported (QEMU virt has at most two: the second
 * holds the redistributors of CPUs 124 and up).
 */
#define FDT_MAX_GICR_REGIONS 16
/** Bytes of /chosen bootargs kept, its NUL included. */
#define FDT_BOOTARGS_MAX 256

/**
 * Capacity of fdt_platform.devices (reg ranges of device nodes) and of
 * fdt_platform.device_irqs (their INTIDs). Past it they are counted in
 * devices_dropped / device_irqs_dropped and not reported: a device left
 * out is one no user driver may be given, which is safe. QEMU virt has
 * about 45 device ranges (32 virtio-mmio transports among them).
 */
#define FDT_MAX_DEVICE_RANGES 64
#define FDT_MAX_DEVICE_IRQS 64
/**
 * Capacity of fdt_platform.cpus. CPUs past it are counted in cpu_count
 * and cpus_dropped but not described: a CPU the kernel knows nothing of
 * is one it does not start, which is safe.
 */
#define FDT_MAX_CPUS 8

/** Why a blob was rejected. 0 is success; the set is closed. */
typedef enum {
    FDT_OK = 0,
    /** A required pointer argument is NULL. */
    FDT_ERR_NULL,
    /** The buffer is smaller than the header, or than the header's totalsize. */
    FDT_ERR_TRUNCATED,
    /** The magic is not 0xd00dfeed (5.2). */
    FDT_ERR_BAD_MAGIC,
    /** version < 16, or last_comp_version > 17 (5.2): a format this parser cannot read. */
    FDT_ERR_BAD_VERSION,
    /**
     * totalsize smaller than the header, a block (reservation map, structure,
     * strings) outside totalsize, overlapping the header or another block,
     * misaligned (reservation map 8, structure 4), or a reservation map
     * without its terminating entry inside its room (5.2, 5.3).
     */
    FDT_ERR_BAD_LAYOUT,
    /**
     * The structure block is malformed (5.4): an unknown token, a node name
     * without its NUL, a property or padding past the block's end, a
     * property after a child node, END_NODE with no node open, a second
     * root, FDT_END missing or inside a node, or more than FDT_MAX_DEPTH
     * levels.
     */
    FDT_ERR_BAD_STRUCTURE,
    /** A property's name offset lies outside the strings block or its name has no NUL there (5.5).
     */
    FDT_ERR_BAD_STRING,
    /**
     * A property the parser reads has the wrong form: reg or ranges not a
     * whole number of entries, cells > 2 or malformed, an entry missing (a
     * GIC with one reg entry, or fewer than 1 + #redistributor-regions; a
     * BCM2836 controller or the BCM2835 PM without reg), a range that wraps
     * past 2^64 (reg, translated reg or reservation entry), the console's
     * or timer's interrupts not whole specifiers of their parent controller
     * (its #interrupt-cells: 3 or 4 for a GIC, 3 when absent; exactly 2 for
     * the BCM2836 controllers) or naming a line out of range, a string
     * property without its NUL, a PSCI method other than "hvc" / "smc".
     */
    FDT_ERR_BAD_PROPERTY,
    /** No available node with device_type "memory" reports a non-empty RAM range (3.4). */
    FDT_ERR_NO_MEMORY_NODE,
    /** No available node compatible with "arm,pl011". */
    FDT_ERR_NO_UART,
    /**
     * No interrupt controller the parser supports: no available node
     * compatible with a GICv2 or GICv3, nor both BCM2836 controllers
     * ("brcm,bcm2836-l1-intc" and "brcm,bcm2836-armctrl-ic").
     */
    FDT_ERR_NO_IRQ_CONTROLLER,
    /** No node compatible with "arm,armv8-timer" or "arm,armv7-timer". */
    FDT_ERR_NO_TIMER,
    /** More reserved ranges than FDT_MAX_RESERVED. */
    FDT_ERR_TOO_MANY,
    /**
     * A node the kernel uses (memory, reserved memory, the console UART,
     * the GIC) sits below a bus node without a ranges property: its
     * addresses are not translatable to CPU addresses (2.3.8).
     */
    FDT_ERR_NO_RANGES,
    /**
     * A reg range of a node the kernel uses lies in none of its bus's
     * ranges entries (or runs past the end of the one it starts in).
     */
    FDT_ERR_NOT_IN_RANGES,
    /**
     * The timer's interrupt parent (2.4) is not one of the platform's
     * interrupt controllers: its interrupt-parent (own or inherited) is
     * malformed, names no node, or names a node that is not the platform's
     * controller (another controller, a nexus, or a node that is no
     * controller at all: the parser never follows interrupt-parent links
     * past the first, so a cycle of them cannot make it loop); or no node
     * on its path names one on a platform whose controller is not a GIC.
     */
    FDT_ERR_BAD_IRQ_PARENT,
} fdt_error;

/** Number of fdt_error values; every value is below it. */
#define FDT_ERROR_COUNT 17

/** A physical range [base, base + size). */
struct fdt_range {
    uint64_t base;
    uint64_t size;
};

/** Values of fdt_platform.gic_version. */
enum fdt_gic_version {
    FDT_GIC_NONE = 0,
    FDT_GIC_V2 = 2,
    FDT_GIC_V3 = 3,
};

/** Values of fdt_platform.irq_controller: the platform's interrupt controller. */
enum fdt_irq_controller {
    FDT_IRQC_NONE = 0,
    FDT_IRQC_GIC_V2,
    FDT_IRQC_GIC_V3,
    /**
     * The BCM2836 pair: the per-core local controller
     * ("brcm,bcm2836-l1-intc") and, cascaded into it, the BCM2835 peripheral
     * controller ("brcm,bcm2836-armctrl-ic").
     */
    FDT_IRQC_BCM2836,
};

/** Values of fdt_platform.power_device. */
enum fdt_power_device {
    FDT_POWER_NONE = 0,
    /** A PSCI node: psci_conduit and psci_system_off / _reset say how. */
    FDT_POWER_PSCI,
    /** The BCM2835 power manager and watchdog ("brcm,bcm2835-pm-wdt" / "brcm,bcm2835-pm"). */
    FDT_POWER_BCM2835_PM,
};

/** Values of fdt_cpu.enable_method (3.8.1). */
enum fdt_cpu_enable_method {
    /** No enable-method property. */
    FDT_CPU_ENABLE_NONE = 0,
    /** "psci": started with PSCI CPU_ON. */
    FDT_CPU_ENABLE_PSCI,
    /** "spin-table": released by writing its entry point to cpu-release-addr. */
    FDT_CPU_ENABLE_SPIN_TABLE,
    /** Any other value, or one that is not a string: the kernel cannot start this CPU. */
    FDT_CPU_ENABLE_OTHER,
};

/** fdt_cpu.mpidr of a CPU whose reg does not decode (no MPIDR has bits 63:40 set). */
#define FDT_CPU_NO_MPIDR UINT64_MAX

/** One child of /cpus with device_type "cpu" (3.7, 3.8), for starting it later. */
struct fdt_cpu {
    /**
     * cpu-release-addr, the 64-bit physical address a spin-table CPU polls
     * (3.8.1: a <u64>, two cells). 0 when absent or not 8 bytes long.
     */
    uint64_t release_addr;
    /**
     * Its reg: the MPIDR_EL1 affinity fields that name it (3.8.1), which
     * PSCI CPU_ON takes. FDT_CPU_NO_MPIDR when reg is absent or its length
     * is not /cpus's #address-cells (1 or 2) cells.
     */
    uint64_t mpidr;
    /** enum fdt_cpu_enable_method, from the first string of enable-method. */
    uint32_t enable_method;
    /** 1 when its status disables it (offline, but present). */
    uint32_t disabled;
};

/** Values of fdt_platform.psci_conduit. */
enum fdt_psci_conduit {
    FDT_PSCI_NONE = 0,
    FDT_PSCI_HVC,
    FDT_PSCI_SMC,
};

/**
 * The machine, as the device tree describes it. Fixed-width fields only:
 * the enum-valued ones are stored as uint32_t.
 *
 * "Available" below means a node whose status property is absent, "okay"
 * or "ok" (2.3.4); disabled nodes (QEMU's secure-only devices and secure
 * RAM with secure=on) are skipped. reg is decoded with the #address-cells
 * and #size-cells of the node's parent (defaults 2 and 1, 2.3.5), then
 * translated to a CPU address through the ranges of every bus above it
 * (2.3.8): an empty ranges is the identity, an absent one is
 * FDT_ERR_NO_RANGES, an address in none of the entries (or a range running
 * past the end of its entry) FDT_ERR_NOT_IN_RANGES. Each bus's ranges is
 * read with its own #address-cells / #size-cells and its parent's
 * #address-cells (1 or 2 each). Only the nodes the kernel uses are
 * translated: a device nobody reads may sit anywhere.
 *
 * Interrupt numbers are the HAL's line numbers (hal/irq.h), decoded from
 * each specifier by the binding of the node's interrupt parent (2.4: its
 * own interrupt-parent, else its parent node if that has #interrupt-cells,
 * else its parent's interrupt parent; on a GIC platform, a node with none
 * on its path is the GIC's, as on QEMU virt). Only the platform's
 * controller(s) are decoded:
 *   - GIC: <type num flags> (or, with #interrupt-cells = 4, <type num flags
 *     partition>); type 0 (SPI) gives INTID 32 + num, type 1 (PPI) 16 + num.
 *   - BCM2836 local controller: <source flags> (#interrupt-cells = 2) gives
 *     line source (0-11, the bits of a core's IRQ source register).
 *   - BCM2835 peripheral controller: <bank number> (#interrupt-cells = 2)
 *     gives line 32 + 32 * bank + number: bank 0 (basic, number 0-7), 1
 *     (GPU 0-31) and 2 (GPU 32-63, number 0-31), so GPU interrupt n is line
 *     64 + n.
 * Only the timer's, the console UART's and the device nodes' interrupts
 * are decoded, after the walk; no other node's interrupt properties are
 * read, so a stray device's odd ones never matter.
 */
struct fdt_platform {
    /** totalsize of the blob, from its header. */
    uint32_t totalsize;
    /** reg entries of every available device_type "memory" node, in blob order; empty ones
     * skipped. */
    struct fdt_range ram[FDT_MAX_RAM_RANGES];
    uint32_t ram_count;
    /** Non-empty RAM entries past FDT_MAX_RAM_RANGES, not in ram[]. */
    uint32_t ram_dropped;
    /**
     * Memory reservation block entries (5.3, empty ones skipped), then the
     * reg entries of each available child of /reserved-memory (3.5) that
     * has a reg (children with only size / alloc-ranges are dynamic
     * allocations and are ignored).
     */
    struct fdt_range reserved[FDT_MAX_RESERVED];
    uint32_t reserved_count;
    /**
     * The console: the available pl011 that /chosen stdout-path names (the
     * part before ':', a full path or the name of an /aliases entry, 3.6),
     * else the first available pl011. reg[0]. Only this node's reg and
     * interrupts are decoded; an error in them is an error of the blob.
     */
    struct fdt_range uart;
    /**
     * The console's line from its first interrupt entry: its interrupts
     * when its interrupt parent is the platform's controller (see above),
     * or its interrupts-extended when that names the controller first. 0
     * when it has none or they go to another interrupt controller or nexus
     * (interrupt-map), or to a phandle that names nothing the parser knows:
     * the kernel polls the console.
     */
    uint32_t uart_irq;
    /**
     * enum fdt_irq_controller: the first available GIC node, else the
     * BCM2836 pair when both of its controllers are there (each the first
     * available node of its compatible).
     */
    uint32_t irq_controller;
    /** enum fdt_gic_version of the first GIC node; NONE for the BCM2836 kind. */
    uint32_t gic_version;
    /** Distributor (reg[0]). */
    struct fdt_range gicd;
    /** GICv2 CPU interface (reg[1]); zero for v3. */
    struct fdt_range gicc;
    /**
     * GICv3 redistributor regions (reg[1] .. reg[#redistributor-regions],
     * 1 region when the property is absent), in blob order; none for v2.
     */
    struct fdt_range gicr[FDT_MAX_GICR_REGIONS];
    uint32_t gicr_count;
    /** Redistributor regions past FDT_MAX_GICR_REGIONS, not in gicr[]. */
    uint32_t gicr_dropped;
    /**
     * The BCM2836 kind: the local controller's reg[0] and the BCM2835
     * peripheral controller's reg[0], as CPU addresses (translated through
     * the ranges above them). Zero for a GIC.
     */
    struct fdt_range bcm_local;
    struct fdt_range bcm_armctrl;
    /**
     * Generic timer lines from the first timer node's interrupts, whose
     * entries are: secure physical, non-secure physical, virtual,
     * hypervisor physical (Linux binding arm,arch_timer), each decoded by
     * the timer's interrupt parent.
     */
    uint32_t timer_irq_phys_s;
    uint32_t timer_irq_phys_ns;
    uint32_t timer_irq_virt;
    uint32_t timer_irq_hyp;
    /** The timer node's clock-frequency; 0 when absent (then read CNTFRQ_EL0). */
    uint32_t timer_frequency;
    /** enum fdt_psci_conduit from the PSCI node's method; NONE without a PSCI node. */
    uint32_t psci_conduit;
    /**
     * SYSTEM_OFF and SYSTEM_RESET function ids (0x84000008, 0x84000009)
     * when the node is compatible with "arm,psci-0.2" or "arm,psci-1.0";
     * 0 for a node that is only the original "arm,psci".
     */
    uint32_t psci_system_off;
    uint32_t psci_system_reset;
    /**
     * enum fdt_power_device: PSCI when there is a PSCI node, else the first
     * available BCM2835 PM node (its reg[0] in power: PM_RSTC, PM_RSTS and
     * PM_WDOG are inside it), else NONE.
     */
    uint32_t power_device;
    /** The BCM2835 PM's reg[0] as a CPU address; zero for other kinds. */
    struct fdt_range power;
    /** Children of /cpus with device_type "cpu" (disabled ones too). */
    uint32_t cpu_count;
    /** The first FDT_MAX_CPUS of them, in blob order; the rest counted in cpus_dropped. */
    uint32_t cpus_dropped;
    struct fdt_cpu cpus[FDT_MAX_CPUS];
    /**
     * What user drivers may be given (kernel/abi/syscall.h: SYS_IRQ_CREATE,
     * SYS_DEVICE_FRAME_CREATE). A device node is an available node below
     * the root with a compatible property that is none of: a memory node,
     * a CPU, a child of /reserved-memory, an interrupt controller the
     * parser knows (GIC, BCM2836 local or BCM2835 peripheral controller),
     * the timer, PSCI, the BCM2835 PM. Its
     * non-empty reg entries, translated like the kernel's own, go to
     * devices[] (a node whose reg does not decode or translate is left out:
     * not an error of the blob, since the kernel does not use it); the
     * lines of its interrupts entries, when its interrupt parent is the
     * platform's controller (as for uart_irq; interrupts-extended is not
     * read for devices), go to device_irqs[] once each (entries that do not
     * decode are left out). In blob order.
     */
    struct fdt_range devices[FDT_MAX_DEVICE_RANGES];
    uint32_t device_count;
    uint32_t devices_dropped;
    uint32_t device_irqs[FDT_MAX_DEVICE_IRQS];
    uint32_t device_irq_count;
    uint32_t device_irqs_dropped;
    /**
     * /chosen bootargs (3.6; QEMU fills it from -append), NUL-terminated:
     * its first FDT_BOOTARGS_MAX - 1 bytes, up to its first NUL. Empty
     * when absent; a value that is not a string is BAD_PROPERTY.
     */
    char bootargs[FDT_BOOTARGS_MAX];
    /** 1 when bootargs was longer than FDT_BOOTARGS_MAX - 1 bytes and was cut. */
    uint32_t bootargs_truncated;
};

/**
 * A short English description of e, for boot messages ("unknown error" for
 * a value outside fdt_error). The string is a literal: its address is only
 * valid in the address space the call was made in (before the MMU is on,
 * a physical address).
 */
const char *fdt_error_string(fdt_error e);

/**
 * Validates a blob: the header (5.2), the block layout, the memory
 * reservation block (5.3), and every token of the structure block (5.4)
 * with every property name in the strings block (5.5).
 * Requires: blob points to size readable bytes (size counts only what the
 * caller knows is readable; the blob may be shorter than that).
 * totalsize_out may be NULL; otherwise it receives the header's totalsize
 * on success and is left alone on failure.
 * Returns FDT_OK, FDT_ERR_NULL for a NULL blob, or the first problem found:
 * TRUNCATED, BAD_MAGIC, BAD_VERSION, BAD_LAYOUT, BAD_STRUCTURE, BAD_STRING.
 */
fdt_error fdt_check(const void *blob, size_t size, uint32_t *totalsize_out);

/**
 * Fills *out from the blob: every check of fdt_check, then a few linear
 * passes over the structure block (find /chosen stdout-path, resolve it
 * through /aliases, then read every node) with a fixed stack of per-depth
 * state. The walk that finds /chosen is also the one that checks every
 * token, so a blob fdt_check rejects gets fdt_check's error.
 * Requires: blob points to size readable bytes; out points to writable
 * storage (it is zeroed first).
 * Returns FDT_OK with *out complete, or an error: those of fdt_check,
 * BAD_PROPERTY, TOO_MANY, NO_RANGES, NOT_IN_RANGES, NO_MEMORY_NODE,
 * NO_UART, NO_IRQ_CONTROLLER, NO_TIMER (the last four checked in that
 * order after the walk), BAD_IRQ_PARENT. A missing PSCI or PM node is not
 * an error.
 * On error *out holds unspecified values.
 */
fdt_error fdt_parse_platform(const void *blob, size_t size, struct fdt_platform *out);

#ifdef __cplusplus
}
#endif
