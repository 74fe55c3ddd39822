#include <stdint.h>

#include "bsp/common/board.h"
#include "bsp/common/boot_mmu.h"
#include "bsp/common/memory_map.h"
#include "bsp/common/pl011.h"
#include "hal/aarch64/boot_mmu.h"
#include "hal/aarch64/cpu_features.h"
#include "hal/aarch64/kernel_lock.h"
#include "hal/aarch64/pmu_user.h"
#include "hal/aarch64/smp.h"
#include "hal/cpu.h"
#include "hal/mmu.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/images/images.h"
#include "kernel/images/images_linked.h"
#include "kernel/main/boot_info.h"
#include "kernel/main/boot_markers.h"
#include "kernel/main/kernel_main.h"
#include "kernel/trap/trap.h"

/*
 * The boards' C entry in the upper half (hal/aarch64/boot_entry.inc's
 * main): what every board does with the device tree boot_mmu_setup parsed,
 * with the board's own steps as hooks (bsp/common/board.h).
 */

/* Everything the device tree parser reports fits where the kernel keeps it:
 * RAM and reserved ranges are never cut here (the image and the blob are
 * two more reserved ranges). */
_Static_assert(FDT_MAX_RAM_RANGES <= BOOT_INFO_MAX_RAM, "boot_info.ram too small");
_Static_assert(FDT_BOOTARGS_MAX == BOOT_INFO_BOOTARGS_MAX, "boot_info.bootargs holds the line");
_Static_assert(FDT_MAX_RESERVED + 2 <= BOOT_INFO_MAX_RESERVED, "boot_info.reserved too small");

/* Image bounds from kernel.ld. */
extern char __image_start[];
extern char __image_end[];

/* What the kernel is told; filled once at boot, then read-only. */
static struct boot_info bsp_boot_info;
/* What user drivers may be given (bsp_fill_devices); then read-only. */
static struct kernel_devices bsp_devices;

_Static_assert(FDT_MAX_DEVICE_RANGES <= KERNEL_DEVICE_RANGES, "kernel_devices.mmio too small");
_Static_assert(FDT_MAX_DEVICE_IRQS <= KERNEL_DEVICE_IRQS, "kernel_devices.irqs too small");
/* RAM, reserved ranges, and the board's own (board_refuse_devices: at most
 * two more ranges than the GIC's redistributor regions). */
_Static_assert(BOOT_INFO_MAX_RAM + BOOT_INFO_MAX_RESERVED + 2 + FDT_MAX_GICR_REGIONS <=
                   KERNEL_REFUSED_RANGES,
               "kernel_devices.refused too small");
/* The user images linked into this kernel (its basalt_images library). */
static struct image_table bsp_images;

void bsp_main(uint64_t boot_el, uint64_t dtb);

static void bsp_add_reserved(struct boot_info *info, uint64_t base, uint64_t size)
{
    if (info->reserved_count == BOOT_INFO_MAX_RESERVED) {
        boot_fail("device tree", "more reserved memory ranges than the kernel can track");
    }
    info->reserved[info->reserved_count].base = paddr_make(base);
    info->reserved[info->reserved_count].size = size;
    info->reserved_count++;
}

static void bsp_fill_boot_info(struct boot_info *info, const struct fdt_platform *p,
                               uint64_t boot_el)
{
    uint64_t image = (uint64_t)(uintptr_t)__image_start;
    uint64_t image_pa = image - boot_kimage_offset;
    info->entry_el = (uint32_t)boot_el;
    info->cpu_count = p->cpu_count;
    info->dtb = paddr_make(boot_dtb_phys);
    info->dtb_size = p->totalsize;
    for (uint32_t i = 0; i < p->ram_count; i++) {
        info->ram[i].base = paddr_make(p->ram[i].base);
        info->ram[i].size = p->ram[i].size;
        info->ram_count++;
    }
    if (p->ram_dropped != 0) {
        kprintf("basalt: device tree: %u RAM ranges past the first %u left unused\n",
                (unsigned)p->ram_dropped, (unsigned)FDT_MAX_RAM_RANGES);
    }
    bsp_add_reserved(info, image_pa, (uint64_t)(uintptr_t)__image_end - image);
    bsp_add_reserved(info, boot_dtb_phys, p->totalsize);
    for (uint32_t i = 0; i < p->reserved_count; i++) {
        bsp_add_reserved(info, p->reserved[i].base, p->reserved[i].size);
    }
    for (uint32_t i = 0; i < FDT_BOOTARGS_MAX; i++) {
        info->bootargs[i] = p->bootargs[i];
    }
    info->bootargs_truncated = p->bootargs_truncated;
    info->phys_to_virt = PHYS_MAP_BASE;
    info->kernel_virt = vaddr_make(image);
    info->kernel_phys = paddr_make(image_pa);
}

/* Reports what the boot entry chose from the ID registers: PAN (and whether
 * PSTATE.PAN is really set) and the ASID width TCR_EL1.AS selects. */
static void bsp_report_cpu_features(void)
{
    struct aarch64_cpu_features f;
    aarch64_cpu_features_read(&f);
    unsigned asid_bits = (unsigned)f.asid_bits;
    if (!f.has_pan) {
        kprintf("basalt: no PAN on this CPU, %u-bit ASIDs\n", asid_bits);
        return;
    }
    kprintf("basalt: PAN %s, %u-bit ASIDs\n", f.pan_on ? "on" : "OFF", asid_bits);
}

void bsp_devices_refuse(struct kernel_devices *d, uint64_t base, uint64_t size)
{
    if (size != 0) {
        d->refused[d->refused_count].base = base;
        d->refused[d->refused_count].size = size;
        d->refused_count++;
    }
}

/*
 * The devices the device tree declares, for user drivers: every device
 * node's reg ranges and lines (fdt_platform.devices, device_irqs); refused
 * to device frames: RAM, everything reserved (the image, the blob), the
 * board's own registers (board_refuse_devices: its interrupt controllers,
 * its power device); kept by the kernel: every generic-timer line (the
 * tick is the virtual timer's); reported by SYS_CONSOLE_DEVICE: the
 * console UART's reg and line (fdt_platform.uart, uart_irq).
 */
static void bsp_fill_devices(struct kernel_devices *d, const struct fdt_platform *p,
                             const struct boot_info *info)
{
    for (uint32_t i = 0; i < p->device_count; i++) {
        d->mmio[i].base = p->devices[i].base;
        d->mmio[i].size = p->devices[i].size;
    }
    d->mmio_count = p->device_count;
    for (uint32_t i = 0; i < p->device_irq_count; i++) {
        d->irqs[i] = p->device_irqs[i];
    }
    d->irq_count = p->device_irq_count;
    for (uint32_t i = 0; i < info->ram_count; i++) {
        bsp_devices_refuse(d, info->ram[i].base.value, info->ram[i].size);
    }
    for (uint32_t i = 0; i < info->reserved_count; i++) {
        bsp_devices_refuse(d, info->reserved[i].base.value, info->reserved[i].size);
    }
    board_refuse_devices(d, p);
    d->own_irqs[0] = p->timer_irq_virt;
    d->own_irqs[1] = p->timer_irq_phys_ns;
    d->own_irqs[2] = p->timer_irq_hyp;
    d->own_irq_count = 3;
    d->console.base = p->uart.base;
    d->console.size = p->uart.size;
    d->console_irq = p->uart_irq;
}

void bsp_main(uint64_t boot_el, uint64_t dtb)
{
    (void)dtb;                  /* boot_mmu_setup found and parsed the blob */
    aarch64_kernel_lock_take(); /* held until the first task runs (kernel_lock.h) */
    aarch64_secondary_record(); /* TTBR0 is the identity map until the next call */
    aarch64_boot_mmu_finish();
    hal_mmu_init(PHYS_MAP_BASE);
    pl011_init((uintptr_t)(PHYS_MAP_BASE + boot_platform.uart.base));
    board_init_power(&boot_platform);
    bsp_report_cpu_features();
    board_init_interrupts(&boot_platform);
    bsp_fill_boot_info(&bsp_boot_info, &boot_platform, boot_el);
    bsp_fill_devices(&bsp_devices, &boot_platform, &bsp_boot_info);
    bsp_boot_info.devices = &bsp_devices;
    image_table_linked(&bsp_images);
    bsp_boot_info.images = &bsp_images;
    struct kernel_state *k = kernel_main(&bsp_boot_info);
    bsp_start_cpus(&boot_platform);
    aarch64_pmu_user_setup();
    trap_run(k);
}
