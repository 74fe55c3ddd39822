#pragma once

/**
 * Host fake of hal/sha256.h: a CPU without SHA-256 instructions unless a
 * test installs a stand-in for them; either way it counts what it was
 * asked, so a test can see that the hashing code used the HAL.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Stands in for the CPU's instructions: must return count or 0, as the HAL's contract says. */
typedef size_t (*sha256_fake_blocks_fn)(uint32_t state[8], const uint8_t *data, size_t count);

/** Installs the stand-in hal_sha256_blocks calls (NULL, the default: no instructions, return 0). */
void sha256_fake_set_blocks(sha256_fake_blocks_fn blocks);

/** Calls of hal_sha256_blocks since the last reset, and the blocks they asked for in all. */
size_t sha256_fake_calls(void);
size_t sha256_fake_blocks_asked(void);

/** Zeroes both counts. */
void sha256_fake_reset(void);

#ifdef __cplusplus
}
#endif
