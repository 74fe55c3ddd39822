#pragma once

/**
 * Init's boot flags (kernel/abi/init.h) from the kernel command line
 * (/chosen bootargs): whitespace-separated tokens, each compared whole, so
 * `basalt.shell=10` or `xbasalt.shell=1` set nothing. Unknown tokens are
 * ignored, as Linux ignores parameters it does not know.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The INIT_FLAG_* bits that bootargs (NUL-terminated, may be NULL) asks
 * for. truncated says the line was cut: its last token may be the start of
 * a longer one, so it is not trusted. Pure; cannot fail.
 */
uint64_t kernel_boot_flags(const char *bootargs, uint32_t truncated);

#ifdef __cplusplus
}
#endif
