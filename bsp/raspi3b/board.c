#include "bsp/common/board.h"

#include <stdint.h>

#include "bsp/common/boot_mmu.h"
#include "bsp/common/memory_map.h"
#include "bsp/common/mmu_off.h"
#include "bsp/raspi3b/bcm_irq.h"
#include "bsp/raspi3b/bcm_pm.h"
#include "hal/cpu.h"
#include "hal/timer.h"
#include "kernel/fdt/fdt.h"
#include "kernel/trap/trap.h"

/*
 * The Raspberry Pi 3 (QEMU 7.2's raspi3b) behind bsp/common/board.h: the
 * BCM2836 local and BCM2835 peripheral interrupt controllers (bcm_irq.c)
 * and the BCM2835 PM watchdog for power off and reset (bcm_pm.c), all
 * found in the device tree. Facts: QEMU_FACTS.md.
 */

/*
 * UART0, the PL011 QEMU connects to the first serial port (QEMU_FACTS.md
 * 7), for the early console. The blob: with -dtb, QEMU puts it at physical
 * 0 and enters the image with x0 = 0 (fact 4), so it is looked for there;
 * its magic is checked by the parser (without -dtb, 0 holds zeros and the
 * boot says there is no usable device tree). It lies below the image
 * (kernel.ld), which bounds what is read.
 */
const struct board_config board_config = {
    .early_uart = 0x3f201000u,
    .dtb_default = 0,
    .dtb_max_size = 2u << 20,
};

/*
 * The blob QEMU puts at physical 0 is copied here to be parsed: with the
 * MMU off, physical 0 is address 0, which C cannot read through a pointer
 * (the parser rightly refuses a null blob, and the compiler may assume no
 * object lives there). The blob itself stays where it is, reserved from 0
 * up; the copy is only read by the parser and lies in the image. QEMU's
 * blob is 23,828 bytes (QEMU_FACTS.md 16), the firmware's for a Pi 3 about
 * 30 KiB; a longer one is cut here and refused by the parser.
 */
#define RASPI_DTB_COPY_MAX (64u * 1024u)
/* The header's size (DTSpec 5.2: ten 32-bit fields). */
#define RASPI_DTB_HEADER_SIZE 40u
static uint64_t raspi_dtb_copy[RASPI_DTB_COPY_MAX / 8] MMU_OFF_BSS;

/* The 8 bytes at physical (= virtual, MMU off) address pa, 8-byte aligned
 * (the MMU off makes every access Device memory, which faults when
 * misaligned). An asm load: pa may be 0. */
static uint64_t raspi_phys_read64(uint64_t pa)
{
    uint64_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(pa) : "memory");
    return v;
}

const void *board_dtb_view(uint64_t dtb_phys, uint64_t *size)
{
    if (dtb_phys != 0) {
        return (const void *)(uintptr_t)dtb_phys;
    }
    uint64_t n = *size < sizeof raspi_dtb_copy ? *size : sizeof raspi_dtb_copy;
    /* The header's totalsize, bytes 4-7, big-endian (DTSpec 5.2): no more
     * than the blob is copied. */
    uint64_t totalsize = __builtin_bswap32((uint32_t)(raspi_phys_read64(0) >> 32));
    /* No blob (QEMU without -dtb leaves zeros) or a header that says less
     * than a header: the header is still copied, so that the parser names
     * what is wrong (the magic) rather than a blob cut short here. */
    if (totalsize < RASPI_DTB_HEADER_SIZE) {
        totalsize = RASPI_DTB_HEADER_SIZE;
    }
    if (totalsize < n) {
        n = totalsize;
    }
    for (uint64_t off = 0; off < n; off += 8) {
        raspi_dtb_copy[off / 8] = raspi_phys_read64(off);
    }
    *size = n;
    return raspi_dtb_copy;
}

/* The one core that takes interrupts: the boot CPU, core 0 (start.S). */
#define RASPI_BOOT_CORE 0u

void board_map_devices(struct aarch64_boot_tables *t, const struct fdt_platform *p)
{
    if (p->irq_controller != FDT_IRQC_BCM2836) {
        boot_fail("device tree", "no BCM2836 local and BCM2835 interrupt controllers");
    }
    if (p->power_device != FDT_POWER_BCM2835_PM) {
        boot_fail("device tree", "no BCM2835 power manager");
    }
    boot_mmu_map_device(t, p->bcm_local, "BCM2836 local interrupt controller");
    boot_mmu_map_device(t, p->bcm_armctrl, "BCM2835 interrupt controller");
    boot_mmu_map_device(t, p->power, "BCM2835 power manager");
}

void board_init_power(const struct fdt_platform *p)
{
    bcm_pm_init((uintptr_t)(PHYS_MAP_BASE + p->power.base));
}

const char *board_cpu_on(const struct fdt_cpu *cpu, uint64_t entry_pa, uint64_t arg, int64_t *code)
{
    (void)entry_pa;
    (void)arg;
    (void)code;
    /* The Pi's cores wait in the entry's park (boot_entry.inc), not in
     * QEMU's or the firmware's spin table: releasing them is to come. */
    return cpu->enable_method == FDT_CPU_ENABLE_SPIN_TABLE
               ? "the kernel does not release spin-table CPUs yet"
               : "its enable-method is not spin-table";
}

void hal_cpu_kick(uint32_t cpu)
{
    (void)cpu; /* no other core is started on this board yet */
}

int board_cpu_init(uint32_t slot)
{
    (void)slot;
    return -1; /* no core is started on this board yet (board_cpu_on) */
}

void board_init_interrupts(const struct fdt_platform *p)
{
    bcm_irq_init((uintptr_t)(PHYS_MAP_BASE + p->bcm_local.base),
                 (uintptr_t)(PHYS_MAP_BASE + p->bcm_armctrl.base), RASPI_BOOT_CORE);
    /* The tick is the virtual timer, which bcm_irq unmasks at its own
     * line: the tree must say the same. */
    if (p->timer_irq_virt != bcm_irq_timer_line()) {
        boot_fail("device tree",
                  "the virtual timer's interrupt is not the local controller's CNTV");
    }
    hal_timer_init(p->timer_frequency);
    bcm_irq_timer_enable();
    trap_set_timer_line(p->timer_irq_virt);
}

void board_refuse_devices(struct kernel_devices *d, const struct fdt_platform *p)
{
    bsp_devices_refuse(d, p->bcm_local.base, p->bcm_local.size);
    bsp_devices_refuse(d, p->bcm_armctrl.base, p->bcm_armctrl.size);
    bsp_devices_refuse(d, p->power.base, p->power.size);
}
