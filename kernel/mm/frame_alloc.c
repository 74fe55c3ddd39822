#include "kernel/mm/frame_alloc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "kernel/abi/status.h"

/*
 * Frame numbers (address >> FRAME_SHIFT) are below 2^52, and an exclusive
 * end is at most 2^52, so sums of a frame number and a frame count below
 * 2^52 never overflow 64 bits. Byte addresses are only formed from frame
 * numbers below 2^52.
 */
#define FRAME_OFFSET_MASK ((uint64_t)FRAME_SIZE - 1)
#define BITS_PER_WORD 64u

_Static_assert(FRAME_SIZE == 1u << FRAME_SHIFT, "FRAME_SHIFT does not match FRAME_SIZE");

/* A frame number no frame has: above every frame below 2^52. */
#define NO_FRAME UINT64_MAX

/**
 * Stores the last byte address of a non-empty range in *last.
 * Returns false when base + size - 1 does not fit in 64 bits; a range that
 * ends exactly at 2^64 fits, since its last byte is 2^64 - 1.
 */
static bool range_last(const struct frame_range *r, uint64_t *last)
{
    if (r->size - 1 > UINT64_MAX - r->base.value) {
        return false;
    }
    *last = r->base.value + (r->size - 1);
    return true;
}

/** Whether two non-empty, non-overflowing ranges share a byte. */
static bool ranges_overlap(const struct frame_range *a, const struct frame_range *b)
{
    uint64_t a_last = 0;
    uint64_t b_last = 0;
    (void)range_last(a, &a_last);
    (void)range_last(b, &b_last);
    return a->base.value <= b_last && b->base.value <= a_last;
}

/**
 * Decode step of init: checks every input range, changes nothing.
 * Returns STATUS_OK or STATUS_INVALID_ARGUMENT (see frame_alloc_init).
 */
static status_t ranges_check(const struct frame_range *ram, size_t ram_count,
                             const struct frame_range *reserved, size_t reserved_count)
{
    uint64_t last = 0;
    if (ram == NULL || ram_count == 0 || ram_count > FRAME_MAX_RANGES ||
        (reserved == NULL && reserved_count > 0)) {
        return STATUS_INVALID_ARGUMENT;
    }
    for (size_t i = 0; i < ram_count; i++) {
        if (ram[i].size != 0 && !range_last(&ram[i], &last)) {
            return STATUS_INVALID_ARGUMENT;
        }
    }
    for (size_t i = 0; i < reserved_count; i++) {
        if (reserved[i].size != 0 && !range_last(&reserved[i], &last)) {
            return STATUS_INVALID_ARGUMENT;
        }
    }
    /* Overlapping RAM would be counted twice; the device tree is wrong. */
    for (size_t i = 0; i < ram_count; i++) {
        for (size_t j = i + 1; j < ram_count; j++) {
            if (ram[i].size != 0 && ram[j].size != 0 && ranges_overlap(&ram[i], &ram[j])) {
                return STATUS_INVALID_ARGUMENT;
            }
        }
    }
    return STATUS_OK;
}

/**
 * The whole frames inside a checked, non-empty RAM range (trimmed inward).
 * The result is empty (first >= end) when the range holds no whole frame.
 */
static struct frame_span span_trim(const struct frame_range *r)
{
    uint64_t last = 0;
    (void)range_last(r, &last);
    struct frame_span s;
    s.first = (r->base.value >> FRAME_SHIFT) + ((r->base.value & FRAME_OFFSET_MASK) != 0);
    /* last + 1 may be 2^64: compute the end from last instead. */
    s.end = (last >> FRAME_SHIFT) + ((last & FRAME_OFFSET_MASK) == FRAME_OFFSET_MASK);
    return s;
}

/** The frames a checked, non-empty reserved range touches (widened outward). */
static struct frame_span span_widen(const struct frame_range *r)
{
    uint64_t last = 0;
    (void)range_last(r, &last);
    struct frame_span s;
    s.first = r->base.value >> FRAME_SHIFT;
    s.end = (last >> FRAME_SHIFT) + 1;
    return s;
}

/** Whether frames [first, end) touch no non-empty reserved range. */
static bool run_is_free(const struct frame_range *reserved, size_t reserved_count, uint64_t first,
                        uint64_t end)
{
    for (size_t i = 0; i < reserved_count; i++) {
        if (reserved[i].size == 0) {
            continue;
        }
        struct frame_span r = span_widen(&reserved[i]);
        if (r.first < end && first < r.end) {
            return false;
        }
    }
    return true;
}

/**
 * Lowers *best to candidate when frames [candidate, candidate + n) lie in
 * RAM span s and touch no reserved range.
 */
static void run_consider(const struct frame_span *s, uint64_t candidate, uint64_t n,
                         const struct frame_range *reserved, size_t reserved_count, uint64_t *best)
{
    if (candidate < s->first || candidate >= s->end || n > s->end - candidate ||
        candidate >= *best) {
        return;
    }
    if (run_is_free(reserved, reserved_count, candidate, candidate + n)) {
        *best = candidate;
    }
}

/**
 * The lowest frame that starts n free frames inside one RAM span, or
 * NO_FRAME. The lowest such run starts either where a span starts or where
 * a reserved range ends (the frame before it is outside the span or
 * reserved), so only those candidates are tried: O(ranges * reserved^2).
 */
static uint64_t run_find(const struct frame_alloc *fa, const struct frame_range *reserved,
                         size_t reserved_count, uint64_t n)
{
    uint64_t best = NO_FRAME;
    for (size_t i = 0; i < fa->ram_count; i++) {
        const struct frame_span *s = &fa->ram[i];
        run_consider(s, s->first, n, reserved, reserved_count, &best);
        for (size_t j = 0; j < reserved_count; j++) {
            if (reserved[j].size != 0) {
                struct frame_span r = span_widen(&reserved[j]);
                run_consider(s, r.end, n, reserved, reserved_count, &best);
            }
        }
    }
    return best;
}

/**
 * Sets (value true) or clears bits [from, to) of map, a word at a time:
 * setting a 4 GiB range is 16 Ki word stores, not 1 Mi bit stores.
 */
static void bits_assign(uint64_t *map, uint64_t from, uint64_t to, bool value)
{
    while (from < to) {
        uint64_t bit = from % BITS_PER_WORD;
        uint64_t n = to - from;
        if (n > BITS_PER_WORD - bit) {
            n = BITS_PER_WORD - bit;
        }
        uint64_t mask = n == BITS_PER_WORD ? ~(uint64_t)0 : (((uint64_t)1 << n) - 1) << bit;
        if (value) {
            map[from / BITS_PER_WORD] |= mask;
        } else {
            map[from / BITS_PER_WORD] &= ~mask;
        }
        from += n;
    }
}

/** Leaves fa empty: nothing to allocate, every frame out of range. */
static void fa_empty(struct frame_alloc *fa)
{
    fa->ram_count = 0;
    fa->span_first = 0;
    fa->words = 0;
    fa->usable = NULL;
    fa->allocated = NULL;
    fa->cursor = 0;
    fa->free_frames = 0;
    fa->total_frames = 0;
    fa->reserved_frames = 0;
    fa->bookkeeping.base = paddr_make(0);
    fa->bookkeeping.size = 0;
}

/**
 * Fills fa->ram with the non-empty trimmed RAM spans and sets span_first and
 * words for the span from the lowest RAM frame to the highest.
 * Returns false when no RAM range holds a whole frame.
 */
static bool fa_set_spans(struct frame_alloc *fa, const struct frame_range *ram, size_t ram_count)
{
    uint64_t lowest = NO_FRAME;
    uint64_t highest_end = 0;
    for (size_t i = 0; i < ram_count; i++) {
        if (ram[i].size == 0) {
            continue;
        }
        struct frame_span s = span_trim(&ram[i]);
        if (s.first >= s.end) {
            continue; /* smaller than a frame once trimmed */
        }
        fa->ram[fa->ram_count++] = s;
        lowest = s.first < lowest ? s.first : lowest;
        highest_end = s.end > highest_end ? s.end : highest_end;
    }
    if (fa->ram_count == 0) {
        return false;
    }
    fa->span_first = lowest;
    fa->words = (highest_end - lowest + BITS_PER_WORD - 1) / BITS_PER_WORD;
    return true;
}

/**
 * Clears the usable bits of the reserved frames, clipped to the span (a
 * reserved range may lie partly or wholly outside RAM).
 */
static void fa_clear_reserved(struct frame_alloc *fa, const struct frame_range *reserved,
                              size_t reserved_count)
{
    uint64_t span_end = fa->span_first + fa->words * BITS_PER_WORD;
    for (size_t i = 0; i < reserved_count; i++) {
        if (reserved[i].size == 0) {
            continue;
        }
        struct frame_span r = span_widen(&reserved[i]);
        if (r.end <= fa->span_first || r.first >= span_end) {
            continue; /* wholly outside the span */
        }
        uint64_t first = r.first > fa->span_first ? r.first : fa->span_first;
        uint64_t end = r.end < span_end ? r.end : span_end;
        bits_assign(fa->usable, first - fa->span_first, end - fa->span_first, false);
    }
}

/**
 * Writes both bitmaps: usable = RAM minus reserved minus bookkeeping,
 * allocated = nothing. Counts the usable frames into total and free.
 * Requires: fa->usable, fa->allocated and fa->bookkeeping are set.
 */
static void fa_build_bitmaps(struct frame_alloc *fa, const struct frame_range *reserved,
                             size_t reserved_count)
{
    /* A plain loop: the target's -ffreestanding -fno-builtin keeps it from becoming memset. */
    for (uint64_t i = 0; i < fa->words; i++) {
        fa->usable[i] = 0;
        fa->allocated[i] = 0;
    }
    for (size_t i = 0; i < fa->ram_count; i++) {
        bits_assign(fa->usable, fa->ram[i].first - fa->span_first, fa->ram[i].end - fa->span_first,
                    true);
    }
    fa_clear_reserved(fa, reserved, reserved_count);
    fa_clear_reserved(fa, &fa->bookkeeping, 1);
    fa->total_frames = 0;
    for (uint64_t i = 0; i < fa->words; i++) {
        /* With -mgeneral-regs-only clang 19 expands this inline (no NEON cnt, no
         * __popcountdi2 call); llvm-nm shows the target object has no undefined symbol. */
        fa->total_frames += (uint64_t)__builtin_popcountll(fa->usable[i]);
    }
    fa->free_frames = fa->total_frames;
}

/**
 * Places the bookkeeping in the lowest free run that can hold it and points
 * the bitmaps at it. Returns false when no run is large enough.
 */
static bool fa_place_bookkeeping(struct frame_alloc *fa, const struct frame_range *reserved,
                                 size_t reserved_count, uint64_t phys_to_virt)
{
    /* words < 2^46, so the byte count cannot overflow. */
    uint64_t bytes = 2 * fa->words * sizeof(uint64_t);
    uint64_t frames = (bytes + FRAME_SIZE - 1) / FRAME_SIZE;
    uint64_t first = run_find(fa, reserved, reserved_count, frames);
    if (first == NO_FRAME) {
        return false;
    }
    fa->bookkeeping.base = paddr_make(first << FRAME_SHIFT);
    fa->bookkeeping.size = frames << FRAME_SHIFT;
    /* The offset is applied modulo 2^64: host tests pass buffer - fake base. */
    uintptr_t va = (uintptr_t)(fa->bookkeeping.base.value + phys_to_virt);
    fa->usable = (uint64_t *)va;
    fa->allocated = fa->usable + fa->words;
    return true;
}

/** See frame_alloc.h. Decodes every range first; only then writes RAM. */
status_t frame_alloc_init(struct frame_alloc *fa, const struct frame_range *ram, size_t ram_count,
                          const struct frame_range *reserved, size_t reserved_count,
                          uint64_t phys_to_virt)
{
    if (fa == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    fa_empty(fa);
    status_t status = ranges_check(ram, ram_count, reserved, reserved_count);
    if (status != STATUS_OK) {
        return status;
    }
    if (!fa_set_spans(fa, ram, ram_count) ||
        !fa_place_bookkeeping(fa, reserved, reserved_count, phys_to_virt)) {
        fa_empty(fa);
        return STATUS_NO_MEMORY;
    }
    fa_build_bitmaps(fa, reserved, reserved_count);
    if (fa->total_frames == 0) {
        fa_empty(fa); /* the bookkeeping took the last free frames */
        return STATUS_NO_MEMORY;
    }
    return STATUS_OK;
}

/**
 * Takes the next free frame (next fit: starts at the word of the last
 * allocation). Requires fa->free_frames > 0 (the caller checked whose
 * frames these are).
 */
static status_t fa_take(struct frame_alloc *fa, paddr_t *out)
{
    /* One pass over every word, wrapping once; full words cost one test. */
    for (uint64_t i = 0; i < fa->words; i++) {
        uint64_t w = fa->cursor + i;
        w = w >= fa->words ? w - fa->words : w;
        uint64_t avail = fa->usable[w] & ~fa->allocated[w];
        if (avail != 0) {
            /* ctz is one rbit + clz on aarch64: no runtime call. */
            uint64_t bit = (uint64_t)__builtin_ctzll(avail);
            fa->allocated[w] |= (uint64_t)1 << bit;
            fa->cursor = w;
            fa->free_frames--;
            *out = paddr_make((fa->span_first + w * BITS_PER_WORD + bit) << FRAME_SHIFT);
            return STATUS_OK;
        }
    }
    /* Unreachable while free_frames counts the free bits; fail closed. */
    return STATUS_NO_MEMORY;
}

/** See frame_alloc.h. The last reserved_frames free frames are not for it. */
status_t frame_alloc_one(struct frame_alloc *fa, paddr_t *out)
{
    if (fa == NULL || out == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (fa->free_frames <= fa->reserved_frames) {
        return STATUS_NO_MEMORY;
    }
    return fa_take(fa, out);
}

/** See frame_alloc.h. reserved <= free holds, so a reserved frame is free. */
status_t frame_alloc_one_reserved(struct frame_alloc *fa, paddr_t *out)
{
    if (fa == NULL || out == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (fa->reserved_frames == 0) {
        return STATUS_NO_MEMORY;
    }
    status_t st = fa_take(fa, out);
    if (st == STATUS_OK) {
        fa->reserved_frames--;
    }
    return st;
}

/** See frame_alloc.h. */
status_t frame_alloc_reserve(struct frame_alloc *fa, uint64_t n)
{
    if (fa == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    if (n > fa->free_frames - fa->reserved_frames) {
        return STATUS_NO_MEMORY;
    }
    fa->reserved_frames += n;
    return STATUS_OK;
}

/** See frame_alloc.h. */
status_t frame_alloc_unreserve(struct frame_alloc *fa, uint64_t n)
{
    if (fa == NULL || n > fa->reserved_frames) {
        return STATUS_INVALID_ARGUMENT;
    }
    fa->reserved_frames -= n;
    return STATUS_OK;
}

/** Whether frame number f lies in one of fa's trimmed RAM spans. */
static bool fa_in_ram(const struct frame_alloc *fa, uint64_t f)
{
    for (size_t i = 0; i < fa->ram_count; i++) {
        if (f >= fa->ram[i].first && f < fa->ram[i].end) {
            return true;
        }
    }
    return false;
}

/** See frame_alloc.h. Every check comes before the one write. */
status_t frame_alloc_free(struct frame_alloc *fa, paddr_t frame)
{
    if (fa == NULL) {
        return STATUS_INVALID_ARGUMENT;
    }
    if ((frame.value & FRAME_OFFSET_MASK) != 0) {
        return STATUS_MISALIGNED;
    }
    uint64_t f = frame.value >> FRAME_SHIFT;
    if (!fa_in_ram(fa, f)) {
        return STATUS_OUT_OF_RANGE;
    }
    uint64_t index = f - fa->span_first;
    uint64_t *word = &fa->allocated[index / BITS_PER_WORD];
    uint64_t mask = (uint64_t)1 << (index % BITS_PER_WORD);
    if ((fa->usable[index / BITS_PER_WORD] & mask) == 0) {
        return STATUS_RESERVED;
    }
    if ((*word & mask) == 0) {
        return STATUS_NOT_ALLOCATED;
    }
    *word &= ~mask;
    fa->free_frames++;
    return STATUS_OK;
}

/** See frame_alloc.h. */
status_t frame_alloc_free_reserved(struct frame_alloc *fa, paddr_t frame)
{
    status_t st = frame_alloc_free(fa, frame);
    if (st == STATUS_OK) {
        fa->reserved_frames++; /* free_frames rose by one: reserved <= free still */
    }
    return st;
}

/** See frame_alloc.h. */
uint64_t frame_alloc_free_count(const struct frame_alloc *fa)
{
    return fa == NULL ? 0 : fa->free_frames;
}

/** See frame_alloc.h. */
uint64_t frame_alloc_reserved_count(const struct frame_alloc *fa)
{
    return fa == NULL ? 0 : fa->reserved_frames;
}

/** See frame_alloc.h. */
uint64_t frame_alloc_available_count(const struct frame_alloc *fa)
{
    return fa == NULL ? 0 : fa->free_frames - fa->reserved_frames;
}

/** See frame_alloc.h. */
uint64_t frame_alloc_total_count(const struct frame_alloc *fa)
{
    return fa == NULL ? 0 : fa->total_frames;
}

/** See frame_alloc.h. */
struct frame_range frame_alloc_bookkeeping(const struct frame_alloc *fa)
{
    struct frame_range none = {{0}, 0};
    return fa == NULL ? none : fa->bookkeeping;
}
