/*
 * quota: run as init (at 128 MiB). A space's translation tables are
 * charged to it, and its table quota is reserved when it is made
 * (kernel/vm/vm.h):
 *  - a quota above SYS_SPACE_QUOTA_MAX is refused (STATUS_INVALID_ARGUMENT);
 *  - init fills memory with reservations (spaces with big quotas, then
 *    halving), until even a one-table quota and a frame are refused with
 *    STATUS_NO_MEMORY and nothing is created; then it lets one
 *    SYS_SPACE_QUOTA_MAX space go, so the pool holds exactly its 1024
 *    frames;
 *  - init, with one frame and MAP on its own space, maps that frame
 *    across its address space 1 GiB apart (two new tables each) until its
 *    quota refuses with STATUS_QUOTA: about 1000 tables, which the pool
 *    could not have given had they not been reserved. Then the pool is
 *    still whole: another space still maps, a spawn (a new space, loaded)
 *    works, and a SYS_SPACE_QUOTA_MAX space is refused cleanly;
 *  - init unmaps everything and maps the same pages again: as many as
 *    before, then refused again (the emptied tables came back);
 *  - a space maps one frame at 4,096 consecutive pages (its mapping
 *    records come from its own quota), is refused by its quota, and
 *    another space still maps.
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

/* The most mappings a space holds: 64 record pages of 64 (kernel/abi/syscall.h). */
#define MOST_MAPS 4096u

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

/** Handles of the spaces that hold memory's reservations. */
#define MAX_FILLERS 48
static handle_t fillers[MAX_FILLERS];
static uint32_t filler_count;
static uint32_t filler_max; /* fillers[0..filler_max) have SYS_SPACE_QUOTA_MAX */

/**
 * Reserves all of memory: spaces of SYS_SPACE_QUOTA_MAX tables until
 * refused, then of half as many each time down to one. Returns whether
 * every refusal was STATUS_NO_MEMORY with no handle given.
 */
static int fill_with_reservations(void)
{
    for (uint64_t quota = SYS_SPACE_QUOTA_MAX; quota >= 1; quota /= 2) {
        while (filler_count < MAX_FILLERS) {
            handle_t h = HANDLE_NONE;
            status_t st = sys_space_create_quota(INIT_HANDLE_KERNEL, quota, &h);
            if (st != STATUS_OK) {
                if (!expect("filler refused for memory", st, STATUS_NO_MEMORY) ||
                    !expect("no handle", h, HANDLE_NONE)) {
                    return 0;
                }
                break;
            }
            fillers[filler_count++] = h;
            filler_max += quota == SYS_SPACE_QUOTA_MAX;
        }
    }
    return expect("memory filled before the fillers ran out", filler_count < MAX_FILLERS, 1) &&
           expect("some quotas of the most", filler_max > 0, 1);
}

/*
 * Mapping records are charged to the mapping space too: a space maps one
 * frame at consecutive pages until its quota refuses it, after exactly
 * MOST_MAPS (more than the 2,048 records the kernel once shared between
 * all spaces); then another space still maps 100 pages.
 */
static void dense_records(handle_t frame, handle_t other)
{
    handle_t dense = HANDLE_NONE;
    status_t st = sys_space_create_quota(INIT_HANDLE_KERNEL, 128, &dense);
    expect("dense space", st, STATUS_OK);
    uint32_t maps = 0;
    while (st == STATUS_OK && maps <= MOST_MAPS) {
        st = sys_map(dense, frame, maps * 0x1000ull, SYS_MAP_READ);
        maps += st == STATUS_OK;
    }
    if (!expect("dense maps", maps, MOST_MAPS) ||
        !expect("dense refused by its quota", st, STATUS_QUOTA)) {
        return;
    }
    uint32_t ok = 0;
    for (uint32_t i = 0; i < 100; i++) {
        ok += sys_map(other, frame, 3 * VA_FIRST + i * 0x1000ull, SYS_MAP_READ) == STATUS_OK;
    }
    if (expect("maps in another space after the dense one", ok, 100)) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "quota: a space mapping %u pages leaves another space its records\n", maps);
    }
    expect("dense deleted", sys_cap_delete(dense), STATUS_OK);
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    handle_t frame = HANDLE_NONE;
    if (!expect("frame create", sys_frame_create(INIT_HANDLE_KERNEL, &frame), STATUS_OK)) {
        sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    }
    handle_t h = HANDLE_NONE;
    if (expect("quota above the most",
               sys_space_create_quota(INIT_HANDLE_KERNEL, SYS_SPACE_QUOTA_MAX + 1, &h),
               STATUS_INVALID_ARGUMENT) &&
        expect("huge quota", sys_space_create_quota(INIT_HANDLE_KERNEL, ~0ull, &h),
               STATUS_INVALID_ARGUMENT)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: a quota above the most refused\n");
    }
    // The other space, made while there is room; it is hurt by nobody later.
    handle_t other = HANDLE_NONE;
    expect("space create", sys_space_create(INIT_HANDLE_KERNEL, &other), STATUS_OK);

    // Every frame reserved: nothing more, not even one table or a frame.
    if (fill_with_reservations() &&
        expect("one-table quota", sys_space_create_quota(INIT_HANDLE_KERNEL, 1, &h),
               STATUS_NO_MEMORY) &&
        expect("frame", sys_frame_create(INIT_HANDLE_KERNEL, &h), STATUS_NO_MEMORY)) {
        sys_printf(INIT_HANDLE_CONSOLE,
                   "quota: memory all reserved, more refused cleanly; spaces: %u\n", filler_count);
    }
    // One SYS_SPACE_QUOTA_MAX reservation ends: the pool holds just that much.
    expect("filler deleted", sys_cap_delete(fillers[0]), STATUS_OK);

    status_t st = STATUS_OK;
    uint32_t first = map_until_refused(frame, &st);
    if (expect("refused by the quota", st, STATUS_QUOTA) && expect("maps", first > 400, 1)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: own space refused at its quota; maps: %u\n", first);
    }

    // The tables init took were its own reservation: the pool is whole.
    // Another space maps (fresh tables), and a spawn (its own space,
    // reservation and pages) works.
    if (expect("map in another space", sys_map(other, frame, VA_FIRST, SYS_MAP_READ), STATUS_OK) &&
        expect("map in another space, far", sys_map(other, frame, 2 * VA_FIRST, SYS_MAP_READ),
               STATUS_OK)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: another space still maps\n");
    }
    handle_t task = HANDLE_NONE;
    handle_t space = HANDLE_NONE;
    if (expect("spawn", sys_task_spawn(INIT_HANDLE_KERNEL, "hello", 1, HANDLE_NONE, &task, &space),
               STATUS_OK)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: spawn still works\n");
    }
    // The pool cannot cover the largest quota now: refused, nothing made.
    h = HANDLE_NONE;
    if (expect("largest quota", sys_space_create_quota(INIT_HANDLE_KERNEL, SYS_SPACE_QUOTA_MAX, &h),
               STATUS_NO_MEMORY) &&
        expect("no handle", h, HANDLE_NONE)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: a quota the pool cannot cover refused\n");
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
    // Letting the reservations go makes the memory available again.
    for (uint32_t i = 1; i < filler_count; i++) {
        expect("filler deleted", sys_cap_delete(fillers[i]), STATUS_OK);
    }
    dense_records(frame, other);
    if (expect("largest quota after",
               sys_space_create_quota(INIT_HANDLE_KERNEL, SYS_SPACE_QUOTA_MAX, &h), STATUS_OK)) {
        sys_printf(INIT_HANDLE_CONSOLE, "quota: reservations given back\n");
    }
    sys_printf(INIT_HANDLE_CONSOLE, "quota: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
