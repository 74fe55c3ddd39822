/*
 * quota: run as init. A space's translation tables are charged to it
 * (kernel/vm/vm.h): init, with one frame and MAP on its own space, maps
 * that frame across its address space 1 GiB apart (two new tables each)
 * until the space's table quota refuses with STATUS_QUOTA. Then:
 *  - another space still maps, and a spawn (a new space, loaded) works:
 *    the exhaustion hurt only init's space;
 *  - init unmaps everything and maps the same pages again: as many as
 *    before, then refused again (the emptied tables came back).
 * Prints the outcome and powers off.
 */

#include <stdint.h>

#include "userland/libsys/print.h"
#include "userland/libsys/sys.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/init.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

/* The first page mapped (1 TiB: clear of init's text and stack) and the stride. */
#define VA_FIRST 0x10000000000ull
#define STRIDE 0x40000000ull
/* More maps than any quota allows (SYS_SPACE_QUOTA_MAX tables, two per map). */
#define MAX_MAPS (SYS_SPACE_QUOTA_MAX / 2 + 8)

/** Failed checks so far; each is printed when found. */
static uint32_t failures;

/** Counts a check; prints it when got is not want. Returns whether it held. */
static int expect(const char *what, int64_t got, int64_t want)
{
    if (got == want) {
        return 1;
    }
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "quota: FAIL %s: got %lld, want %lld\n", what, (long long)got,
               (long long)want);
    return 0;
}

/** Maps frame 1 GiB apart from VA_FIRST until refused; the count, the refusal in *st. */
static uint32_t map_until_refused(handle_t frame, status_t *st)
{
    uint32_t n = 0;
    *st = STATUS_OK;
    while (n < MAX_MAPS) {
        *st = sys_map(INIT_HANDLE_SPACE, frame, VA_FIRST + n * STRIDE, SYS_MAP_READ);
        if (*st != STATUS_OK) {
            break;
        }
        n++;
    }
    return n;
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    handle_t frame = HANDLE_NONE;
    if (!expect("frame create", sys_frame_create(INIT_HANDLE_KERNEL, &frame), STATUS_OK)) {
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    }
    status_t st = STATUS_OK;
    uint32_t first = map_until_refused(frame, &st);
    if (expect("refused by the quota", st, STATUS_QUOTA) && expect("maps", first > 100, 1)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: own space refused at its quota\n");
    }

    // Another space maps, and a spawn (its own space and tables) works.
    handle_t other = HANDLE_NONE;
    if (expect("space create", sys_space_create(INIT_HANDLE_KERNEL, &other), STATUS_OK) &&
        expect("map in another space", sys_map(other, frame, VA_FIRST, SYS_MAP_READ), STATUS_OK)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: another space still maps\n");
    }
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    if (expect("spawn", sys_task_spawn(INIT_HANDLE_KERNEL, "hello", 1, HANDLE_NONE, &task, &space),
               STATUS_OK)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: spawn still works\n");
    }

    // Unmap everything: the tables come back, and the same maps fit again.
    uint32_t unmapped = 0;
    for (uint32_t i = 0; i < first; i++) {
        unmapped += sys_unmap(INIT_HANDLE_SPACE, VA_FIRST + i * STRIDE) == STATUS_OK;
    }
    expect("unmapped", unmapped, first);
    uint32_t again = map_until_refused(frame, &st);
    if (expect("maps again", again, first) && expect("refused again", st, STATUS_QUOTA)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: after unmapping all, as many maps fit again: %u\n",
                   again);
    }
    sys_printf(INIT_HANDLE_CONSOLE, "quota: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
