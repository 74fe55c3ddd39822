#pragma once

/**
 * HAL sha256: SHA-256's compression function in the CPU's own instructions,
 * where it has them (Armv8's SHA2 extension: SHA256H, SHA256H2, SHA256SU0,
 * SHA256SU1). The kernel hashes every user image it loads (kernel/images);
 * in portable C a 64-byte block costs about a thousand instructions, with
 * these about a hundred.
 *
 * Implemented by hal/aarch64 (the architecture) and by hal/fake (host).
 * The portable code in kernel/crypto stays the reference and the fallback:
 * this interface only ever does whole blocks, or nothing.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Compresses the count 64-byte blocks at data into the intermediate hash
 * value state (FIPS 180-4, 6.2.2, steps 1 to 4 for each block in turn) and
 * returns count. Where the CPU has no SHA-256 instructions it does nothing
 * and returns 0: the caller then compresses the blocks itself. No other
 * return value is possible. data needs no alignment; count may be 0.
 */
size_t hal_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t count);

#ifdef __cplusplus
}
#endif
