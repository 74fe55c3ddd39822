#include "kernel/main/kernel_main.h"

#include <stdint.h>

#include "hal/cpu.h"
#include "hal/irq.h"
#include "hal/power.h"
#include "hal/sha256.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/elf/elf.h"
#include "kernel/images/images.h"
#include "kernel/loader/loader.h"
#include "kernel/main/boot_flags.h"
#include "kernel/main/boot_markers.h"
#include "kernel/main/boot_test.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/syscall/syscall.h"
#include "kernel/time/tick.h"
#include "kernel/vm/vm.h"

#include "kernel/abi/init.h"

/** Prints the boot markers and powers off; see kernel_main.h. */
/* init's scheduler priority: in the middle, so it can create tasks above and below it. */
#define KERNEL_INIT_PRIORITY 16

/*
 * Shows that interrupts are delivered, the timer's through the interrupt
 * controller to the kernel's handler, without waiting for a tick: an alarm
 * due now raises the timer's interrupt at once. The tick itself starts
 * again with the first task (trap_run).
 */
static void kernel_check_interrupts(void)
{
    if (hal_timer_start(KERNEL_TICK_HZ) != 0) {
        kprintf("basalt: timer: cannot tick at %d Hz (counter at %llu Hz)\n", KERNEL_TICK_HZ,
                (unsigned long long)hal_timer_frequency());
        return;
    }
    uint64_t before = kernel_timer_interrupts();
    uint64_t now = hal_timer_count();
    hal_timer_set_alarm(now != 0 ? now : 1); // 0 would mean no alarm
    while (kernel_timer_interrupts() == before) {
        hal_cpu_idle();
    }
    hal_timer_stop();
    kprintf(BOOT_MARKER_INTERRUPTS_ON_FORMAT "\n", KERNEL_TICK_HZ);
}

/* The physical frame allocator; set up once by kernel_init_memory. */
static struct frame_alloc kernel_frames;

static _Noreturn void kernel_fail_halt(void)
{
    kprintf("%s\n", BOOT_MARKER_HALTED);
    hal_cpu_halt();
}

static _Noreturn void kernel_fail(const char *what, status_t status)
{
    kprintf("basalt: boot failed: %s (status %d)\n", what, (int)status);
    kernel_fail_halt();
}

/* Takes one frame, writes it through the direct map, gives it back: the
 * allocator and the direct map agree. */
static void kernel_check_frame(uint64_t phys_to_virt)
{
    paddr_t frame;
    status_t status = frame_alloc_one(&kernel_frames, &frame);
    if (status != STATUS_OK) {
        kernel_fail("memory: no free frame", status);
    }
    volatile uint64_t *words = (volatile uint64_t *)(uintptr_t)(frame.value + phys_to_virt);
    for (uint32_t i = 0; i < FRAME_SIZE / sizeof(uint64_t); i++) {
        words[i] = 0;
    }
    status = frame_alloc_free(&kernel_frames, frame);
    if (status != STATUS_OK) {
        kernel_fail("memory: cannot free a frame", status);
    }
}

_Static_assert(BOOT_INFO_MAX_RAM <= FRAME_MAX_RANGES, "the allocator must take every RAM range");

static void kernel_init_memory(const struct boot_info *info)
{
    /* Static: 3 KiB is too much for the boot stack; this runs once. */
    static struct frame_range ram[BOOT_INFO_MAX_RAM];
    static struct frame_range reserved[BOOT_INFO_MAX_RESERVED];
    uint64_t ram_bytes = 0;
    for (uint32_t i = 0; i < info->ram_count; i++) {
        ram[i].base = info->ram[i].base;
        ram[i].size = info->ram[i].size;
        ram_bytes += info->ram[i].size;
    }
    for (uint32_t i = 0; i < info->reserved_count; i++) {
        reserved[i].base = info->reserved[i].base;
        reserved[i].size = info->reserved[i].size;
    }
    status_t status = frame_alloc_init(&kernel_frames, ram, info->ram_count, reserved,
                                       info->reserved_count, info->phys_to_virt);
    if (status != STATUS_OK) {
        kernel_fail("memory: cannot set up the frame allocator", status);
    }
    kernel_check_frame(info->phys_to_virt);
    kprintf(BOOT_MARKER_MEMORY_FORMAT "\n", (unsigned long long)(ram_bytes >> 20),
            (unsigned long long)frame_alloc_free_count(&kernel_frames),
            (unsigned long long)frame_alloc_total_count(&kernel_frames));
}

/* Everything the kernel has (kernel/syscall/syscall.h). */
static struct kernel_state kernel;

/* Instructions retired at the boot's milestones (SYS_BOOT_*), kept in
 * kernel.boot_instructions once it exists, for SYS_KERNEL_STATS. */
static uint64_t kernel_boot_marks[SYS_BOOT_PHASES];

/* Creates init from its image: see kernel_main.h. */
static void kernel_start_init(const struct boot_info *info)
{
    const struct image_table *images = info->images;
    /* basalt.init=NAME picks another image (kernel/abi/init.h). */
    char given[IMAGE_NAME_MAX];
    const char *name = INIT_IMAGE_NAME;
    boot_value how = kernel_boot_value(info->bootargs, info->bootargs_truncated, INIT_BOOTARG_IMAGE,
                                       given, sizeof given);
    if (how == BOOT_VALUE_TOO_LONG) {
        kprintf("basalt: init: the image name after " INIT_BOOTARG_IMAGE
                " is longer than %d bytes\n",
                IMAGE_NAME_MAX - 1);
        kernel_fail("init: no image by that name", STATUS_INVALID_ARGUMENT);
    }
    if (how == BOOT_VALUE_FOUND) {
        name = given;
        kprintf("basalt: init is image \"%s\" (" INIT_BOOTARG_IMAGE ")\n", name);
    }
    const uint8_t *image = 0;
    size_t size = 0;
    status_t status = image_find_with(images, name, hal_sha256_blocks, &image, &size);
    if (status != STATUS_OK) {
        kprintf("basalt: boot failed: init: no valid image named \"%s\" (status %d)\n", name,
                (int)status);
        kernel_fail_halt();
    }
    kernel_boot_marks[SYS_BOOT_INIT_FOUND] = hal_cpu_instructions();
    kernel_state_init(&kernel);
    kernel_state_set_frames(&kernel, &kernel_frames);
    kernel_state_set_images(&kernel, images);
    kernel_state_set_devices(&kernel, info->devices);
    uint32_t task = 0;
    struct kernel_root_handles handles;
    status = kernel_create_root_task(&kernel, KERNEL_INIT_PRIORITY, &task, &handles);
    if (status != STATUS_OK) {
        kernel_fail("init: cannot create the task", status);
    }
    struct loader_result loaded;
    elf_result why = ELF_OK;
    uint32_t space = kernel.tasks[task].space.index;
    status = loader_load(&kernel.vm, &kernel_frames, space, image, size, KERNEL_TASK_STACK_TOP,
                         KERNEL_TASK_STACK_PAGES, &loaded, &why);
    if (status != STATUS_OK) {
        if (why != ELF_OK) {
            kprintf("basalt: init: %s\n", elf_error_name(why));
        }
        kernel_fail("init: cannot load its image", status);
    }
    kernel.tasks[task].boot_flags = kernel_boot_flags(info->bootargs, info->bootargs_truncated);
    status = kernel_task_start(&kernel, task, loaded.entry, loaded.stack, 0);
    if (status != STATUS_OK) {
        kernel_fail("init: cannot start it", status);
    }
    kprintf(BOOT_MARKER_INIT_FORMAT "\n", (unsigned long long)loaded.pages,
            (unsigned long long)loaded.entry);
    kernel_boot_marks[SYS_BOOT_INIT_LOADED] = hal_cpu_instructions();
    for (uint32_t i = 0; i < SYS_BOOT_PHASES; i++) {
        kernel.boot_instructions[i] = kernel_boot_marks[i];
    }
}

struct kernel_state *kernel_main(const struct boot_info *info)
{
    for (uint32_t i = 0; i < SYS_BOOT_PHASES; i++) {
        kernel_boot_marks[i] = 0;
    }
    kernel_boot_marks[SYS_BOOT_KERNEL_MAIN] = hal_cpu_instructions();
    kprintf("%s\n", BOOT_MARKER_BOOT);
    kprintf(BOOT_MARKER_ENTERED_FORMAT "\n", (unsigned long long)info->entry_el,
            (unsigned long long)info->dtb.value);
    kprintf(BOOT_MARKER_MMU_ON_FORMAT "\n", (unsigned long long)info->phys_to_virt);
    kprintf(BOOT_MARKER_HIGH_HALF_FORMAT "\n", (unsigned long long)info->kernel_virt.value,
            (unsigned long long)info->kernel_phys.value);
    kernel_init_memory(info);
    kernel_boot_marks[SYS_BOOT_MEMORY] = hal_cpu_instructions();
    if (kernel_boot_test(info->bootargs, info->bootargs_truncated) != 0) {
        kernel_fail("boot test: none by that name", STATUS_NOT_FOUND);
    }
    kernel_check_interrupts();
    kernel_boot_marks[SYS_BOOT_INTERRUPTS] = hal_cpu_instructions();
    if (info->images != 0) {
        kernel_start_init(info);
        return &kernel;
    }
    kprintf("%s\n", BOOT_MARKER_POWER_OFF);
    hal_power_off();
}
