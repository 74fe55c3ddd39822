#pragma once

/**
 * The kernel command line (/chosen bootargs): whitespace-separated tokens,
 * each compared whole, so `basalt.shell=10` or `xbasalt.shell=1` set
 * nothing. Unknown tokens are ignored, as Linux ignores parameters it does
 * not know. When a line was cut (truncated), its last token may be the
 * start of a longer one, so it is not trusted.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Init's boot flags (INIT_FLAG_*, kernel/abi/init.h) that bootargs
 * (NUL-terminated, may be NULL) asks for. Pure; cannot fail.
 */
uint64_t kernel_boot_flags(const char *bootargs, uint32_t truncated);

/** What kernel_boot_value found. */
typedef enum {
    BOOT_VALUE_ABSENT = 0, /* no token begins with key */
    BOOT_VALUE_FOUND,      /* out holds the value, NUL-terminated (may be empty) */
    BOOT_VALUE_TOO_LONG,   /* the value does not fit in cap bytes; out is "" */
} boot_value;

/**
 * The value of the last token `KEYVALUE` of bootargs (key, e.g.
 * "basalt.init=", ends in '='): copied into out, cap bytes with the NUL
 * (cap >= 1). The last one counts when a key is given twice, as Linux's
 * init= does. Pure.
 */
boot_value kernel_boot_value(const char *bootargs, uint32_t truncated, const char *key, char *out,
                             size_t cap);

#ifdef __cplusplus
}
#endif
