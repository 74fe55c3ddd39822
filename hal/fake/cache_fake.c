#include "hal/fake/cache_fake.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hal/aarch64/cache_ops.h"
#include "hal/addr.h"
#include "hal/mmu.h"

/*
 * The host fake of hal/cache.h is the real hal/aarch64/cache.c; only the
 * instructions below are fake: each is appended to the log.
 */

static struct cache_fake_op cache_log[CACHE_FAKE_MAX_OPS];
static size_t cache_count;
static uint64_t cache_ctr_value = CACHE_FAKE_CTR_DEFAULT;

void cache_fake_reset(void)
{
    cache_count = 0;
    cache_ctr_value = CACHE_FAKE_CTR_DEFAULT;
}

void cache_fake_set_ctr(uint64_t ctr)
{
    cache_ctr_value = ctr;
}

size_t cache_fake_count(void)
{
    return cache_count;
}

const struct cache_fake_op *cache_fake_ops(void)
{
    return cache_log;
}

static void cache_record(enum cache_fake_kind kind, uintptr_t va, uint64_t data)
{
    if (cache_count < CACHE_FAKE_MAX_OPS) {
        cache_log[cache_count].kind = kind;
        cache_log[cache_count].va = va;
        cache_log[cache_count].data = data;
    }
    cache_count++;
}

uint64_t cache_ctr(void)
{
    return cache_ctr_value;
}

void cache_dc_cvau(uintptr_t va)
{
    uint64_t data;
    memcpy(&data, (const void *)va, sizeof data);
    cache_record(CACHE_FAKE_DC_CVAU, va, data);
}

void cache_ic_ivau(uintptr_t va)
{
    cache_record(CACHE_FAKE_IC_IVAU, va, 0);
}

void cache_ic_ialluis(void)
{
    cache_record(CACHE_FAKE_IC_IALLUIS, 0, 0);
}

void cache_dsb_ish(void)
{
    cache_record(CACHE_FAKE_DSB_ISH, 0, 0);
}

void cache_isb(void)
{
    cache_record(CACHE_FAKE_ISB, 0, 0);
}

/* Lines of 64 bytes in a page (the default CTR_EL0). */
#define CACHE_FAKE_LINE 64u
#define CACHE_FAKE_LINES (HAL_MMU_PAGE_SIZE / CACHE_FAKE_LINE)

/* Whether log[at..at + lines) is kind over the lines of the page at base. */
static int cache_lines_match(size_t at, enum cache_fake_kind kind, uintptr_t base)
{
    for (size_t i = 0; i < CACHE_FAKE_LINES; i++) {
        if (cache_log[at + i].kind != kind || cache_log[at + i].va != base + i * CACHE_FAKE_LINE) {
            return 0;
        }
    }
    return 1;
}

size_t cache_fake_synced_pages(paddr_t *pages, size_t max, size_t *count)
{
    const size_t len = 2 * CACHE_FAKE_LINES + 3;
    size_t n = cache_count < CACHE_FAKE_MAX_OPS ? cache_count : CACHE_FAKE_MAX_OPS;
    *count = 0;
    size_t at = 0;
    uintptr_t direct = (uintptr_t)hal_mmu_phys_to_virt(paddr_make(0));
    while (at < n) {
        uintptr_t base = cache_log[at].va;
        if (n - at < len || base % HAL_MMU_PAGE_SIZE != 0 ||
            !cache_lines_match(at, CACHE_FAKE_DC_CVAU, base) ||
            cache_log[at + CACHE_FAKE_LINES].kind != CACHE_FAKE_DSB_ISH ||
            !cache_lines_match(at + CACHE_FAKE_LINES + 1, CACHE_FAKE_IC_IVAU, base) ||
            cache_log[at + len - 2].kind != CACHE_FAKE_DSB_ISH ||
            cache_log[at + len - 1].kind != CACHE_FAKE_ISB) {
            return at + 1;
        }
        if (*count < max) {
            pages[*count] = paddr_make((uint64_t)(base - direct));
        }
        (*count)++;
        at += len;
    }
    return 0;
}
