#include "kernel/crypto/sha256.h"

#include <stddef.h>
#include <stdint.h>

/** Round constants K (FIPS 180-4, 4.2.2). */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/** Initial hash value H(0) (FIPS 180-4, 5.3.3). */
static const uint32_t sha256_h0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void store_be32(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)(x >> 24);
    p[1] = (uint8_t)(x >> 16);
    p[2] = (uint8_t)(x >> 8);
    p[3] = (uint8_t)x;
}

/*
 * One round (FIPS 180-4, 6.2.2 step 3) on working variables a..h, with
 * round constant k and schedule word w. Instead of moving eight variables
 * down each round, the caller names them rotated by one each round (eight
 * rounds bring them back), so only d and h change: d + T1 is the next e,
 * T1 + T2 the next a.
 */
#define SHA256_ROUND(a, b, c, d, e, f, g, h, k, w)                                                 \
    do {                                                                                           \
        uint32_t t1 = (h) + (rotr((e), 6) ^ rotr((e), 11) ^ rotr((e), 25)) +                       \
                      (((e) & (f)) ^ (~(e) & (g))) + (k) + (w);                                    \
        uint32_t t2 = (rotr((a), 2) ^ rotr((a), 13) ^ rotr((a), 22)) +                             \
                      (((a) & (b)) ^ ((a) & (c)) ^ ((b) & (c)));                                   \
        (d) += t1;                                                                                 \
        (h) = t1 + t2;                                                                             \
    } while (0)

/** Processes one 64-byte block into ctx->h (FIPS 180-4, 6.2.2 steps 1-4). */
static void sha256_block(struct sha256_ctx *ctx, const uint8_t *block)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++) {
        w[t] = load_be32(block + 4 * t);
    }
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = ctx->h[0];
    uint32_t b = ctx->h[1];
    uint32_t c = ctx->h[2];
    uint32_t d = ctx->h[3];
    uint32_t e = ctx->h[4];
    uint32_t f = ctx->h[5];
    uint32_t g = ctx->h[6];
    uint32_t h = ctx->h[7];
    for (int t = 0; t < 64; t += 8) {
        SHA256_ROUND(a, b, c, d, e, f, g, h, sha256_k[t], w[t]);
        SHA256_ROUND(h, a, b, c, d, e, f, g, sha256_k[t + 1], w[t + 1]);
        SHA256_ROUND(g, h, a, b, c, d, e, f, sha256_k[t + 2], w[t + 2]);
        SHA256_ROUND(f, g, h, a, b, c, d, e, sha256_k[t + 3], w[t + 3]);
        SHA256_ROUND(e, f, g, h, a, b, c, d, sha256_k[t + 4], w[t + 4]);
        SHA256_ROUND(d, e, f, g, h, a, b, c, sha256_k[t + 5], w[t + 5]);
        SHA256_ROUND(c, d, e, f, g, h, a, b, sha256_k[t + 6], w[t + 6]);
        SHA256_ROUND(b, c, d, e, f, g, h, a, sha256_k[t + 7], w[t + 7]);
    }
    ctx->h[0] += a;
    ctx->h[1] += b;
    ctx->h[2] += c;
    ctx->h[3] += d;
    ctx->h[4] += e;
    ctx->h[5] += f;
    ctx->h[6] += g;
    ctx->h[7] += h;
}

/**
 * Compresses count whole blocks at data: the accelerator first, if any; the
 * portable code for whatever it did not do.
 */
static void sha256_blocks(struct sha256_ctx *ctx, const uint8_t *data, size_t count)
{
    size_t done = 0;
    if (ctx->blocks != NULL && count > 0) {
        done = ctx->blocks(ctx->h, data, count);
        if (done > count) {
            done = 0; // Outside the contract: trust none of it.
        }
    }
    for (size_t i = done; i < count; i++) {
        sha256_block(ctx, data + i * SHA256_BLOCK_SIZE);
    }
}

void sha256_init_with(struct sha256_ctx *ctx, sha256_blocks_fn *blocks)
{
    ctx->blocks = blocks;
    for (int i = 0; i < 8; i++) {
        ctx->h[i] = sha256_h0[i];
    }
    ctx->length = 0;
    for (int i = 0; i < SHA256_BLOCK_SIZE; i++) {
        ctx->block[i] = 0;
    }
}

void sha256_init(struct sha256_ctx *ctx)
{
    sha256_init_with(ctx, NULL);
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t size)
{
    const uint8_t *p = data;
    size_t used = (size_t)(ctx->length % SHA256_BLOCK_SIZE);
    ctx->length += size;
    // Top up a pending partial block first.
    if (used != 0) {
        while (size > 0 && used < SHA256_BLOCK_SIZE) {
            ctx->block[used++] = *p++;
            size--;
        }
        if (used < SHA256_BLOCK_SIZE) {
            return;
        }
        sha256_blocks(ctx, ctx->block, 1);
    }
    // Whole blocks straight from the caller's buffer (p may be NULL when
    // size is 0: not even a zero offset is applied to it then).
    size_t whole = size / SHA256_BLOCK_SIZE;
    if (whole > 0) {
        sha256_blocks(ctx, p, whole);
        p += whole * SHA256_BLOCK_SIZE;
        size -= whole * SHA256_BLOCK_SIZE;
    }
    for (size_t i = 0; i < size; i++) {
        ctx->block[i] = p[i];
    }
}

void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE])
{
    // Padding (FIPS 180-4, 5.1.1): a 1 bit, zeros up to 56 mod 64 bytes,
    // then the message length in bits as a 64-bit big-endian number.
    uint64_t bits = ctx->length * 8;
    size_t used = (size_t)(ctx->length % SHA256_BLOCK_SIZE);
    ctx->block[used++] = 0x80;
    if (used > SHA256_BLOCK_SIZE - 8) {
        while (used < SHA256_BLOCK_SIZE) {
            ctx->block[used++] = 0;
        }
        sha256_blocks(ctx, ctx->block, 1);
        used = 0;
    }
    while (used < SHA256_BLOCK_SIZE - 8) {
        ctx->block[used++] = 0;
    }
    store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
    store_be32(ctx->block + 60, (uint32_t)bits);
    sha256_blocks(ctx, ctx->block, 1);
    for (int i = 0; i < 8; i++) {
        store_be32(out + 4 * i, ctx->h[i]);
    }
    sha256_init(ctx); // Leaves nothing of the message behind.
}

void sha256_with(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE],
                 sha256_blocks_fn *blocks)
{
    struct sha256_ctx ctx;
    sha256_init_with(&ctx, blocks);
    sha256_update(&ctx, data, size);
    sha256_final(&ctx, out);
}

void sha256(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE])
{
    sha256_with(data, size, out, NULL);
}
