/*
 * wx: run as init. No frame is ever writable and executable at once, across
 * all of its mappings, and loaded segments keep their ELF permissions:
 *  1. a frame mapped read-write cannot also be mapped read-execute
 *     (STATUS_WX_CONFLICT), even through a narrower capability;
 *  2. the honest way works: write code through a writable mapping, unmap
 *     it, map the frame executable and run the code;
 *  3. a stack page cannot be made executable, nor a text page writable
 *     (STATUS_PERMISSION: beyond the page's ceiling). Text comes last: were
 *     it made writable, it would no longer be executable and init would
 *     fault.
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

/* Where the frame is mapped writable, and executable. */
#define VA_WRITE 0x10000000ull
#define VA_EXEC 0x10001000ull
/* init's text (userland/user.ld) and the lowest page of its stack (4 pages under the top). */
#define TEXT_PAGE 0x400000ull
#define STACK_LOW_PAGE (0x0000fffffffff000ull - 4 * 0x1000ull)

/** Failed checks so far; each is printed when found. */
static uint32_t failures;

/** Counts a check; prints it when got is not want. Returns whether it held. */
static int expect(const char *what, int64_t got, int64_t want)
{
    if (got == want) {
        return 1;
    }
    failures++;
    sys_printf(INIT_HANDLE_CONSOLE, "wx: FAIL %s: got %lld, want %lld\n", what, (long long)got,
               (long long)want);
    return 0;
}

/** 1: a writable frame gets no executable alias, through any capability. */
static void alias(handle_t frame)
{
    handle_t rx = HANDLE_NONE;
    expect("derive R|X", sys_cap_derive(frame, RIGHT_READ | RIGHT_EXECUTE | RIGHT_MAP, &rx),
           STATUS_OK);
    expect("map read-write",
           sys_map(INIT_HANDLE_SPACE, frame, VA_WRITE, SYS_MAP_READ | SYS_MAP_WRITE), STATUS_OK);
    int ok = expect("map an executable alias",
                    sys_map(INIT_HANDLE_SPACE, rx, VA_EXEC, SYS_MAP_READ | SYS_MAP_EXEC),
                    STATUS_WX_CONFLICT);
    ok &= expect("map an executable alias through the frame",
                 sys_map(INIT_HANDLE_SPACE, frame, VA_EXEC, SYS_MAP_READ | SYS_MAP_EXEC),
                 STATUS_WX_CONFLICT);
    if (ok) {
        sys_printf(INIT_HANDLE_CONSOLE, "wx: W+X alias refused\n");
    }
}

/** 2: code written through a writable mapping runs once that mapping is gone. */
static void honest(handle_t frame)
{
    volatile uint32_t *code = (volatile uint32_t *)VA_WRITE;
    code[0] = 0x52800540u; // mov w0, #42
    code[1] = 0xd65f03c0u; // ret
    expect("unmap the writable mapping", sys_unmap(INIT_HANDLE_SPACE, VA_WRITE), STATUS_OK);
    if (expect("map executable",
               sys_map(INIT_HANDLE_SPACE, frame, VA_EXEC, SYS_MAP_READ | SYS_MAP_EXEC),
               STATUS_OK)) {
        uint32_t (*fn)(void) = (uint32_t (*)(void))VA_EXEC;
        uint32_t got = fn();
        if (expect("the loaded code's result", got, 42)) {
            sys_printf(INIT_HANDLE_CONSOLE, "wx: code loaded the honest way ran: %u\n", got);
        }
    }
}

/** 3: the loader's pages keep their ELF permissions as their ceiling. */
static void ceilings(void)
{
    if (expect("protect a stack page R|X",
               sys_protect(INIT_HANDLE_SPACE, STACK_LOW_PAGE, SYS_MAP_READ | SYS_MAP_EXEC),
               STATUS_PERMISSION)) {
        sys_printf(INIT_HANDLE_CONSOLE, "wx: stack made executable refused\n");
    }
    if (expect("protect the text page R|W",
               sys_protect(INIT_HANDLE_SPACE, TEXT_PAGE, SYS_MAP_READ | SYS_MAP_WRITE),
               STATUS_PERMISSION)) {
        sys_printf(INIT_HANDLE_CONSOLE, "wx: text made writable refused\n");
    }
}

int main(uint64_t arg)
{
    (void)arg; // 0 for init
    handle_t frame = HANDLE_NONE;
    if (expect("frame create", sys_frame_create(INIT_HANDLE_KERNEL, &frame), STATUS_OK)) {
        alias(frame);
        honest(frame);
        ceilings();
    }
    sys_printf(INIT_HANDLE_CONSOLE, "wx: %s\n", failures == 0 ? "done" : "FAILED");
    sys_power_off(INIT_HANDLE_KERNEL, SYS_POWER_OFF_HALT);
    return 1;
}
