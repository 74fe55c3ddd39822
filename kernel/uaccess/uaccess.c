#include "kernel/uaccess/uaccess.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/mmu.h"
#include "kernel/abi/status.h"
#include "kernel/check/check.h"

/** The bytes from va to the end of its page. */
static uint64_t uaccess_page_rest(uint64_t va)
{
    return HAL_MMU_PAGE_SIZE - (va % HAL_MMU_PAGE_SIZE);
}

/**
 * Checks that EL0 may read (write false) or write (write true) every byte
 * of [va, va + len): one translation per page touched. Returns STATUS_OK or
 * STATUS_BAD_BUFFER; has no effect.
 */
static status_t uaccess_check(paddr_t root, uint64_t va, size_t len, bool write)
{
    if (va >= HAL_MMU_USER_TOP || len > HAL_MMU_USER_TOP - va) {
        return STATUS_BAD_BUFFER;
    }
    uint64_t end = va + len;
    for (uint64_t at = va; at < end; at += uaccess_page_rest(at)) {
        paddr_t pa;
        if (hal_mmu_user_translate(root, at, write, &pa) != HAL_MMU_OK) {
            return STATUS_BAD_BUFFER;
        }
    }
    return STATUS_OK;
}

/**
 * The kernel pointer to user byte va, which uaccess_check accepted. The
 * pointer is volatile: user memory may change under the kernel (another
 * CPU), and each byte is read or written exactly once.
 */
static volatile uint8_t *uaccess_byte(paddr_t root, uint64_t va, bool write)
{
    paddr_t pa = {0};
    hal_mmu_result r = hal_mmu_user_translate(root, va, write, &pa);
    /* The caller serializes with changes to the space, so this translation
     * repeats one uaccess_check made: a failure is a broken invariant. */
    CHECK(r == HAL_MMU_OK);
    return (volatile uint8_t *)hal_mmu_phys_to_virt(pa);
}

status_t copy_from_user(paddr_t root, void *dst, uaddr_t src, size_t len)
{
    if (len == 0) {
        return STATUS_OK;
    }
    status_t s = uaccess_check(root, src.value, len, false);
    if (s != STATUS_OK) {
        return s;
    }
    uint8_t *out = dst;
    for (size_t done = 0; done < len;) {
        uint64_t at = src.value + done;
        uint64_t chunk = uaccess_page_rest(at);
        chunk = chunk < len - done ? chunk : len - done;
        volatile uint8_t *in = uaccess_byte(root, at, false);
        for (uint64_t i = 0; i < chunk; i++) {
            out[done + i] = in[i];
        }
        done += chunk;
    }
    return STATUS_OK;
}

status_t copy_to_user(paddr_t root, uaddr_t dst, const void *src, size_t len)
{
    if (len == 0) {
        return STATUS_OK;
    }
    status_t s = uaccess_check(root, dst.value, len, true);
    if (s != STATUS_OK) {
        return s;
    }
    const uint8_t *in = src;
    for (size_t done = 0; done < len;) {
        uint64_t at = dst.value + done;
        uint64_t chunk = uaccess_page_rest(at);
        chunk = chunk < len - done ? chunk : len - done;
        volatile uint8_t *out = uaccess_byte(root, at, true);
        for (uint64_t i = 0; i < chunk; i++) {
            out[i] = in[done + i];
        }
        done += chunk;
    }
    return STATUS_OK;
}

/**
 * Finds the NUL of the user string at va among its first cap bytes, reading
 * with EL0 read permission page by page, and stores its index in *len.
 * Returns STATUS_OK, STATUS_BAD_BUFFER (a byte before the NUL is not
 * readable) or STATUS_OUT_OF_RANGE (no NUL in cap bytes). No effect.
 */
static status_t uaccess_strlen(paddr_t root, uint64_t va, size_t cap, size_t *len)
{
    volatile uint8_t *page = NULL;
    for (size_t i = 0; i < cap; i++) {
        uint64_t at = va + i; /* cannot wrap: every earlier at < USER_TOP */
        if (at >= HAL_MMU_USER_TOP) {
            return STATUS_BAD_BUFFER;
        }
        if (i == 0 || at % HAL_MMU_PAGE_SIZE == 0) {
            paddr_t pa;
            if (hal_mmu_user_translate(root, at, false, &pa) != HAL_MMU_OK) {
                return STATUS_BAD_BUFFER;
            }
            page = (volatile uint8_t *)hal_mmu_phys_to_virt(pa) - at % HAL_MMU_PAGE_SIZE;
        }
        if (page[at % HAL_MMU_PAGE_SIZE] == 0) {
            *len = i;
            return STATUS_OK;
        }
    }
    return STATUS_OUT_OF_RANGE;
}

status_t copy_string_from_user(paddr_t root, char *dst, size_t cap, uaddr_t src, size_t *len_out)
{
    size_t len = 0;
    if (cap == 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    status_t s = uaccess_strlen(root, src.value, cap, &len);
    if (s == STATUS_OK) {
        s = copy_from_user(root, dst, src, len + 1);
    }
    if (s != STATUS_OK) {
        return s;
    }
    /* The user may have changed the string since it was measured: the
     * terminator is forced, so dst is a string of at most len bytes. */
    dst[len] = '\0';
    *len_out = len;
    return STATUS_OK;
}
