#include "hal/fake/sha256_fake.h"

#include <stddef.h>
#include <stdint.h>

#include "hal/sha256.h"

static sha256_fake_blocks_fn sha256_fake_stand_in;
static size_t sha256_fake_call_count;
static size_t sha256_fake_block_count;

void sha256_fake_set_blocks(sha256_fake_blocks_fn blocks)
{
    sha256_fake_stand_in = blocks;
}

size_t sha256_fake_calls(void)
{
    return sha256_fake_call_count;
}

size_t sha256_fake_blocks_asked(void)
{
    return sha256_fake_block_count;
}

void sha256_fake_reset(void)
{
    sha256_fake_call_count = 0;
    sha256_fake_block_count = 0;
}

size_t hal_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t count)
{
    sha256_fake_call_count++;
    sha256_fake_block_count += count;
    return sha256_fake_stand_in != NULL ? sha256_fake_stand_in(state, data, count) : 0;
}
