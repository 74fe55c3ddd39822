#include "bsp/common/board.h"

#include <stdint.h>

#include "bsp/common/boot_mmu.h"
#include "bsp/common/memory_map.h"
#include "bsp/qemu_virt/gic.h"
#include "bsp/qemu_virt/psci.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/trap/trap.h"

/*
 * QEMU's virt board behind bsp/common/board.h: the GIC (v2 or v3, from the
 * device tree) and PSCI.
 */

/* Every redistributor region the device tree parser reports reaches the
 * GIC driver. */
_Static_assert(FDT_MAX_GICR_REGIONS <= GIC_MAX_RD_REGIONS, "gic_config.gicr too small");

/** Priority of the tick interrupt at the GIC (0 highest, 0xff lowest). */
#define BSP_TIMER_PRIORITY 0x80

/*
 * hw/arm/virt.c's memory map: the PL011 QEMU connects to -serial at
 * 0x09000000, RAM from 0x40000000. QEMU places the device tree blob at the
 * start of RAM when the image leaves room below itself and enters an ELF
 * image with x0 = 0; the image is linked at 0x40100000
 * (bsp/qemu_virt/kernel.ld) for that reason.
 */
const struct board_config board_config = {
    .early_uart = 0x09000000u,
    .dtb_default = 0x40000000u,
    .dtb_max_size = 2u << 20,
};

/* The blob QEMU puts at the start of RAM is read where it is. */
const void *board_dtb_view(uint64_t dtb_phys, uint64_t *size)
{
    (void)size;
    return (const void *)(uintptr_t)dtb_phys;
}

void board_map_devices(struct aarch64_boot_tables *t, const struct fdt_platform *p)
{
    if (p->irq_controller != FDT_IRQC_GIC_V2 && p->irq_controller != FDT_IRQC_GIC_V3) {
        boot_fail("device tree", "no GIC (this board drives only a GICv2 or GICv3)");
    }
    boot_mmu_map_device(t, p->gicd, "GIC distributor");
    if (p->gic_version == FDT_GIC_V2) {
        boot_mmu_map_device(t, p->gicc, "GIC CPU interface");
    }
    for (uint32_t i = 0; i < p->gicr_count; i++) {
        boot_mmu_map_device(t, p->gicr[i], "GIC redistributors");
    }
}

void board_init_power(const struct fdt_platform *p)
{
    if (p->psci_conduit == FDT_PSCI_SMC) {
        psci_set_conduit(PSCI_CONDUIT_SMC);
    } else if (p->psci_conduit == FDT_PSCI_HVC) {
        psci_set_conduit(PSCI_CONDUIT_HVC);
    }
}

const char *board_cpu_on(const struct fdt_cpu *cpu, uint64_t entry_pa, uint64_t arg, int64_t *code)
{
    if (cpu->enable_method == FDT_CPU_ENABLE_NONE) {
        return "the device tree gives it no enable-method";
    }
    if (cpu->enable_method != FDT_CPU_ENABLE_PSCI) {
        return "its enable-method is not psci";
    }
    if (!psci_available()) {
        return "no PSCI to start it with (QEMU offers none to an image entered at EL3)";
    }
    int32_t r = psci_cpu_on(cpu->mpidr, entry_pa, arg);
    *code = r;
    return r == 0 ? 0 : "PSCI CPU_ON returned";
}

/* The timer's line, a PPI: each CPU enables its own copy. */
static uint32_t board_timer_line;

int board_cpu_init(uint32_t slot)
{
    if (gic_cpu_init(slot) != 0) {
        return -1;
    }
    gic_enable(board_timer_line, BSP_TIMER_PRIORITY);
    return 0;
}

void board_init_interrupts(const struct fdt_platform *p)
{
    /* Static (zeroed), filled field by field: an initializer of this size
     * would be a memset call, which the kernel does not link. Runs once. */
    static struct gic_config gic;
    gic.version = p->gic_version;
    gic.gicd = (uintptr_t)(PHYS_MAP_BASE + p->gicd.base);
    gic.gicc = p->gicc.size ? (uintptr_t)(PHYS_MAP_BASE + p->gicc.base) : 0;
    gic.gicr_count = 0;
    for (uint32_t i = 0; i < p->gicr_count; i++) {
        gic.gicr[gic.gicr_count].base = (uintptr_t)(PHYS_MAP_BASE + p->gicr[i].base);
        gic.gicr[gic.gicr_count].size = p->gicr[i].size;
        gic.gicr_count++;
    }
    if (p->gicr_dropped != 0) {
        kprintf("basalt: device tree: %u GIC redistributor regions past the first %u not used\n",
                (unsigned)p->gicr_dropped, (unsigned)FDT_MAX_GICR_REGIONS);
    }
    if (gic_init(&gic) != 0) {
        boot_fail("interrupt controller", "the GIC the device tree describes does not respond");
    }
    hal_timer_init(p->timer_frequency);
    board_timer_line = p->timer_irq_virt;
    gic_enable(p->timer_irq_virt, BSP_TIMER_PRIORITY);
    trap_set_timer_line(p->timer_irq_virt);
}

void board_refuse_devices(struct kernel_devices *d, const struct fdt_platform *p)
{
    bsp_devices_refuse(d, p->gicd.base, p->gicd.size);
    bsp_devices_refuse(d, p->gicc.base, p->gicc.size);
    for (uint32_t i = 0; i < p->gicr_count; i++) {
        bsp_devices_refuse(d, p->gicr[i].base, p->gicr[i].size);
    }
}
