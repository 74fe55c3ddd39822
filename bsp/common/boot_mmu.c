#include "bsp/common/boot_mmu.h"

#include <stdbool.h>
#include <stdint.h>

#include "bsp/common/board.h"
#include "bsp/common/memory_map.h"
#include "bsp/common/mmu_off.h"
#include "bsp/common/pl011.h"
#include "hal/aarch64/boot_mmu.h"
#include "hal/aarch64/pt.h"
#include "hal/addr.h"
#include "hal/cpu.h"
#include "kernel/console/kprintf.h"
#include "kernel/fdt/fdt.h"
#include "kernel/main/boot_markers.h"

/*
 * The boards' part of the boot path's address-space set-up: where the
 * device tree is (board_config), and what is mapped besides the image (RAM,
 * the console, and what board_map_devices adds from the device tree). The
 * tables, the image's mappings and the register set-up are
 * hal/aarch64/boot_mmu.h's.
 *
 * Everything here runs with the MMU off, at the physical address the image
 * was loaded at, while the code is linked in the upper half. C compiles
 * global accesses to PC-relative adrp/add pairs, so &symbol yields the
 * PHYSICAL address here; a virtual address is that plus kimage_offset.
 * Every static this code (and all it calls) touches is MMU_OFF_BSS
 * (mmu_off.h): .bss proper is zeroed only once the MMU is on.
 */

/* Pages for the boot tables: kernel.ld's .boot_tables, as many pages as
 * it reserves, neither zeroed nor maintained by the entry (the hal's
 * boot tables invalidate each page before use). */
#define BOOT_TABLE_PAGES 64
extern char __boot_tables_start[], __boot_tables_end[];
static paddr_t boot_table_frames[BOOT_TABLE_PAGES] MMU_OFF_BSS;

struct fdt_platform boot_platform MMU_OFF_BSS;
uint64_t boot_dtb_phys MMU_OFF_BSS;
uint64_t boot_kimage_offset MMU_OFF_BSS;

extern char __image_start[], __image_end[];

_Noreturn void boot_fail(const char *what, const char *why)
{
    kprintf("basalt: boot failed: %s: %s\n", what, why);
    kprintf("%s\n", BOOT_MARKER_HALTED);
    hal_cpu_halt();
}

static uint64_t boot_pa(const char *symbol)
{
    return (uint64_t)(uintptr_t)symbol;
}

static uint64_t boot_page_up(uint64_t value)
{
    return (value + 4095) & ~4095ull;
}

/* The blob QEMU puts at the start of RAM lies below the image; read no
 * further. */
static uint64_t boot_dtb_readable(uint64_t dtb)
{
    uint64_t image = boot_pa(__image_start);
    uint64_t max = board_config.dtb_max_size;
    if (dtb < image && image - dtb < max) {
        return image - dtb;
    }
    return max;
}

static void boot_read_device_tree(uint64_t dtb)
{
    boot_dtb_phys = dtb != 0 ? dtb : board_config.dtb_default;
    uint64_t size = boot_dtb_readable(boot_dtb_phys);
    const void *blob = board_dtb_view(boot_dtb_phys, &size);
    fdt_error err = fdt_parse_platform(blob, size, &boot_platform);
    if (err != FDT_OK) {
        kprintf("basalt: no usable device tree at 0x%016llx\n", (unsigned long long)boot_dtb_phys);
        boot_fail("device tree", fdt_error_string(err));
    }
}

_Noreturn void aarch64_boot_map_failed(const char *what, uint64_t va, uint64_t size, pt_result r)
{
    kprintf("basalt: cannot map %s at 0x%016llx (0x%llx bytes)\n", what, (unsigned long long)va,
            (unsigned long long)size);
    boot_fail("boot page tables", pt_result_string(r));
}

/* Maps [base, end) of RAM into the direct map, minus the kernel image. */
static void boot_map_ram(struct aarch64_boot_tables *t, uint64_t base, uint64_t end)
{
    uint64_t image = boot_pa(__image_start) & ~4095ull;
    uint64_t image_end = boot_page_up(boot_pa(__image_end));
    uint32_t rw = PT_PERM_READ | PT_PERM_WRITE;
    paddr_t root = t->root1;
    if (end <= image || base >= image_end) {
        aarch64_boot_map(t, root, PHYS_MAP_BASE + base, base, end - base, rw, PT_MEM_NORMAL, "RAM");
        return;
    }
    if (base < image) {
        aarch64_boot_map(t, root, PHYS_MAP_BASE + base, base, image - base, rw, PT_MEM_NORMAL,
                         "RAM");
    }
    if (end > image_end) {
        aarch64_boot_map(t, root, PHYS_MAP_BASE + image_end, image_end, end - image_end, rw,
                         PT_MEM_NORMAL, "RAM");
    }
}

void boot_mmu_map_device(struct aarch64_boot_tables *t, struct fdt_range r, const char *what)
{
    uint64_t base = r.base & ~4095ull;
    uint64_t size = boot_page_up(r.base + r.size) - base;
    aarch64_boot_map(t, t->root1, PHYS_MAP_BASE + base, base, size, PT_PERM_READ | PT_PERM_WRITE,
                     PT_MEM_DEVICE, what);
}

static void boot_map_kernel_space(struct aarch64_boot_tables *t, uint64_t offset)
{
    const struct fdt_platform *p = &boot_platform;
    aarch64_boot_map_image(t, offset, p->cpu_count);
    for (uint32_t i = 0; i < p->ram_count; i++) {
        boot_map_ram(t, p->ram[i].base, p->ram[i].base + p->ram[i].size);
    }
    boot_mmu_map_device(t, p->uart, "UART");
    board_map_devices(t, p);
}

void boot_mmu_setup(uint64_t dtb, uint64_t kimage_offset)
{
    pl011_init((uintptr_t)board_config.early_uart);
    boot_kimage_offset = kimage_offset;
    boot_read_device_tree(dtb);

    uint64_t first = boot_pa(__boot_tables_start);
    if (first + BOOT_TABLE_PAGES * 4096ull != boot_pa(__boot_tables_end)) {
        boot_fail("boot page tables", "kernel.ld reserves other than BOOT_TABLE_PAGES pages");
    }
    struct aarch64_boot_tables tables;
    if (aarch64_boot_tables_init(&tables, boot_table_frames, first, BOOT_TABLE_PAGES) != PT_OK) {
        boot_fail("boot page tables", "no table pages");
    }
    boot_map_kernel_space(&tables, kimage_offset);
    aarch64_boot_map_identity(&tables);
    aarch64_boot_mmu_load(&tables);
}
