#pragma once

/**
 * The physical frame allocator: hands out 4 KiB frames of RAM, one at a time.
 *
 * It manages the RAM ranges the device tree reports (up to FRAME_MAX_RANGES,
 * in any order, possibly with holes between them) minus reserved ranges (the
 * kernel image, the device tree blob, the device tree's reserved memory).
 * RAM ranges are trimmed inward to frame boundaries (a partial frame is not
 * RAM the allocator can hand out); reserved ranges are widened outward (a
 * frame that holds one reserved byte is reserved).
 *
 * Bookkeeping: two bitmaps with one bit per frame of the span from the lowest
 * RAM frame to the highest (holes included, so a frame's bit is found by
 * subtraction): "usable" (RAM, not reserved, not bookkeeping) and
 * "allocated". Both sit in RAM, in the lowest run of free frames big enough
 * for them, which the allocator then treats as reserved. They take
 * 2 * ceil(span / 64) * 8 bytes, rounded up to frames: 8 KiB for 128 MiB,
 * 64 KiB for 1 GiB, 256 KiB for 4 GiB of contiguous RAM.
 *
 * Reservations: frame_alloc_reserve sets free frames aside for one owner
 * (kernel/vm reserves each address space's table quota when the space is
 * made). They are counted, not taken: a reserved frame stays free in the
 * bitmaps, but frame_alloc_one never hands out the last `reserved` free
 * frames, so free = reserved + available always, and only
 * frame_alloc_one_reserved (which spends one frame of a reservation) may
 * take them. frame_alloc_free_reserved gives a frame back into a
 * reservation, frame_alloc_unreserve returns reserved frames to everyone.
 * The allocator does not know whose reservation a frame belongs to; its
 * callers keep that count (vm: quota - tables per space).
 *
 * The allocator keeps no global state and allocates nothing else: everything
 * is in struct frame_alloc and its bitmaps. It does no locking; the caller
 * serialises calls on one allocator.
 */

#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes in a frame (the 4 KiB translation granule). */
#define FRAME_SIZE 4096u
/** log2(FRAME_SIZE). */
#define FRAME_SHIFT 12u
/** Most RAM ranges one allocator manages (as many as struct boot_info carries). */
#define FRAME_MAX_RANGES 64

/** A physical memory range [base, base + size), in bytes. */
struct frame_range {
    paddr_t base;
    uint64_t size;
};

/** RAM after trimming, as frame numbers (address >> FRAME_SHIFT): [first, end). */
struct frame_span {
    uint64_t first;
    uint64_t end;
};

/**
 * One allocator. Declared here so that the kernel can place it statically;
 * the fields are private to frame_alloc.c. Frame numbers are physical
 * addresses >> FRAME_SHIFT, so that an end of 2^64 (frame 2^52) fits.
 */
struct frame_alloc {
    /** Non-empty RAM ranges after trimming; ram[0..ram_count) are valid. */
    struct frame_span ram[FRAME_MAX_RANGES];
    size_t ram_count;
    /** Frame number of bit 0 of each bitmap: the lowest RAM frame. */
    uint64_t span_first;
    /** 64-bit words in each bitmap; bits past the span are 0 in both. */
    uint64_t words;
    /** Bit set: the frame is RAM and neither reserved nor bookkeeping. */
    uint64_t *usable;
    /** Bit set: the frame is handed out. Invariant: allocated is a subset of usable. */
    uint64_t *allocated;
    /** Word where the next search starts (next fit). */
    uint64_t cursor;
    /** Usable frames not allocated / usable frames in all. */
    uint64_t free_frames;
    uint64_t total_frames;
    /** Free frames set aside by reservations (reserved <= free_frames). */
    uint64_t reserved_frames;
    /** Physical range that holds the bitmaps (frame-aligned). */
    struct frame_range bookkeeping;
};

/**
 * Sets up fa over ram[0..ram_count) minus reserved[0..reserved_count).
 *
 * Reserved ranges may overlap each other, lie partly or wholly outside RAM
 * (they are clipped) or be empty (ignored). RAM ranges may be unaligned
 * (trimmed) or smaller than a frame, or empty (ignored), but must not
 * overlap. Two RAM ranges that touch are kept apart: the bookkeeping never
 * straddles them.
 *
 * The bitmaps are written through the pointer (physical address +
 * phys_to_virt), so that region must be mapped read-write: at boot pass the
 * direct-map offset (or 0 with the MMU off); host tests pass
 * (uintptr_t)buffer - fake_base. No other RAM is touched.
 *
 * Requires: reserved_count is small (placement is O(reserved_count^2)).
 * Returns STATUS_OK; STATUS_INVALID_ARGUMENT when fa is null, ram_count is 0
 * or above FRAME_MAX_RANGES, ram (or reserved, with reserved_count > 0) is
 * null, a range's base + size overflows, or two RAM ranges overlap;
 * STATUS_NO_MEMORY when no free run can hold the bookkeeping or no free
 * frame is left after it. Checks every input before it writes any RAM; on
 * an error fa (when not null) is left empty: frame_alloc_one returns
 * STATUS_NO_MEMORY, frame_alloc_free STATUS_OUT_OF_RANGE, both counts 0.
 */
status_t frame_alloc_init(struct frame_alloc *fa, const struct frame_range *ram, size_t ram_count,
                          const struct frame_range *reserved, size_t reserved_count,
                          uint64_t phys_to_virt);

/**
 * Takes one free frame that no reservation holds and stores its physical
 * address in *out. The frame is not zeroed: it holds whatever its last user
 * left there. Returns STATUS_OK; STATUS_INVALID_ARGUMENT when fa or out is
 * null; STATUS_NO_MEMORY when every free frame is reserved or none is free
 * (then *out is unchanged). O(frames / 64) in the worst case.
 */
status_t frame_alloc_one(struct frame_alloc *fa, paddr_t *out);

/**
 * Sets n free frames aside: later frame_alloc_one calls leave them, so
 * frame_alloc_one_reserved can take up to n. Returns STATUS_OK;
 * STATUS_INVALID_ARGUMENT when fa is null; STATUS_NO_MEMORY, with nothing
 * changed, when fewer than n frames are available (free and unreserved).
 */
status_t frame_alloc_reserve(struct frame_alloc *fa, uint64_t n);

/**
 * Ends the reservation of n frames: they are available to anyone again.
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT when fa is
 * null or n is above the reserved count.
 */
status_t frame_alloc_unreserve(struct frame_alloc *fa, uint64_t n);

/**
 * Takes one frame out of the reservations (as frame_alloc_one, but the
 * frame is one that was reserved: the reserved count drops by one).
 * Returns STATUS_OK; STATUS_INVALID_ARGUMENT when fa or out is null;
 * STATUS_NO_MEMORY when nothing is reserved (*out unchanged).
 */
status_t frame_alloc_one_reserved(struct frame_alloc *fa, paddr_t *out);

/**
 * Gives back a frame and adds it to the reservations (the reserved count
 * rises by one): for a frame that frame_alloc_one_reserved took and whose
 * owner keeps its reservation. Errors as frame_alloc_free, with no effect.
 */
status_t frame_alloc_free_reserved(struct frame_alloc *fa, paddr_t frame);

/**
 * Gives back a frame that frame_alloc_one returned.
 * Returns STATUS_OK; with no effect: STATUS_INVALID_ARGUMENT when fa is
 * null; STATUS_MISALIGNED when frame is not frame-aligned;
 * STATUS_OUT_OF_RANGE when it lies in no (trimmed) RAM range, in a hole
 * for instance; STATUS_RESERVED when it is reserved (image, blob, reserved
 * memory, the allocator's bookkeeping); STATUS_NOT_ALLOCATED when it is
 * free already (a double free).
 */
status_t frame_alloc_free(struct frame_alloc *fa, paddr_t frame);

/** Frames free now, reserved ones included; 0 when fa is null. */
uint64_t frame_alloc_free_count(const struct frame_alloc *fa);

/** Free frames that reservations hold; 0 when fa is null. */
uint64_t frame_alloc_reserved_count(const struct frame_alloc *fa);

/** Free frames no reservation holds (what frame_alloc_one may take); 0 when fa is null. */
uint64_t frame_alloc_available_count(const struct frame_alloc *fa);

/** Usable frames, allocated or not (RAM minus reserved minus bookkeeping); 0 when fa is null. */
uint64_t frame_alloc_total_count(const struct frame_alloc *fa);

/** The physical range that holds the bookkeeping; size 0 when fa is null or not set up. */
struct frame_range frame_alloc_bookkeeping(const struct frame_alloc *fa);

#ifdef __cplusplus
}
#endif
