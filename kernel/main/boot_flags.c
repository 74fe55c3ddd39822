/** Boot flags from the kernel command line (boot_flags.h). */

#include "kernel/main/boot_flags.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/init.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/** Whether the len bytes at tok are exactly the NUL-terminated lit. */
static int token_is(const char *tok, size_t len, const char *lit)
{
    size_t i = 0;
    for (; i < len; i++) {
        if (lit[i] == 0 || lit[i] != tok[i]) {
            return 0;
        }
    }
    return lit[i] == 0;
}

uint64_t kernel_boot_flags(const char *bootargs, uint32_t truncated)
{
    uint64_t flags = 0;
    if (bootargs == NULL) {
        return 0;
    }
    const char *p = bootargs;
    for (;;) {
        while (is_space(*p)) {
            p++;
        }
        if (*p == 0) {
            return flags;
        }
        const char *tok = p;
        while (*p != 0 && !is_space(*p)) {
            p++;
        }
        // The last token of a cut line may be a prefix of a longer one.
        if (*p == 0 && truncated) {
            return flags;
        }
        if (token_is(tok, (size_t)(p - tok), INIT_BOOTARG_SHELL)) {
            flags |= INIT_FLAG_SHELL;
        }
    }
}
