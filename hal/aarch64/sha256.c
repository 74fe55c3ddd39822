#include "hal/sha256.h"

#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/idreg.h"

/** sha256_ce.S: count > 0 blocks with the SHA2 instructions. */
void aarch64_sha256_ce_blocks(uint32_t state[8], const uint8_t *data, size_t count);

size_t hal_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t count)
{
    uint64_t isar0;
    __asm__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
    if (count == 0 || !aarch64_has_sha256(isar0)) {
        return 0;
    }
    aarch64_sha256_ce_blocks(state, data, count);
    return count;
}
