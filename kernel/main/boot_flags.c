/** The kernel command line's tokens (boot_flags.h). */

#include "kernel/main/boot_flags.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/init.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/**
 * The next trusted token from *p on: its start in *tok, its length
 * returned (0: none left), *p moved past it.
 */
__attribute__((noinline)) static size_t next_token(const char **p, uint32_t truncated,
                                                   const char **tok)
{
    const char *s = *p;
    while (is_space(*s)) {
        s++;
    }
    const char *start = s;
    while (*s != 0 && !is_space(*s)) {
        s++;
    }
    *p = s;
    // The last token of a cut line may be a prefix of a longer one.
    if (s == start || (*s == 0 && truncated)) {
        return 0;
    }
    *tok = start;
    return (size_t)(s - start);
}

/** How many bytes of lit (NUL-terminated) the len bytes at tok begin with, or 0 if not all. */
static size_t token_starts(const char *tok, size_t len, const char *lit)
{
    size_t i = 0;
    for (; lit[i] != 0; i++) {
        if (i == len || lit[i] != tok[i]) {
            return 0;
        }
    }
    return i;
}

uint64_t kernel_boot_flags(const char *bootargs, uint32_t truncated)
{
    uint64_t flags = 0;
    if (bootargs == NULL) {
        return 0;
    }
    const char *p = bootargs;
    const char *tok = NULL;
    size_t len;
    while ((len = next_token(&p, truncated, &tok)) != 0) {
        if (token_starts(tok, len, INIT_BOOTARG_SHELL) == len) {
            flags |= INIT_FLAG_SHELL;
        }
    }
    return flags;
}

boot_value kernel_boot_value(const char *bootargs, uint32_t truncated, const char *key, char *out,
                             size_t cap)
{
    boot_value found = BOOT_VALUE_ABSENT;
    out[0] = 0;
    if (bootargs == NULL) {
        return found;
    }
    const char *p = bootargs;
    const char *tok = NULL;
    size_t len;
    while ((len = next_token(&p, truncated, &tok)) != 0) {
        size_t skip = token_starts(tok, len, key);
        if (skip == 0) {
            continue;
        }
        size_t n = len - skip;
        out[0] = 0;
        if (n >= cap) {
            found = BOOT_VALUE_TOO_LONG;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            out[i] = tok[skip + i];
        }
        out[n] = 0;
        found = BOOT_VALUE_FOUND;
    }
    return found;
}
