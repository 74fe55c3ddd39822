#pragma once

/**
 * SHA-256 (FIPS 180-4, section 6.2) in portable C11.
 *
 * No allocation, no global state, no C library: the state lives in the
 * caller's struct sha256_ctx, so any number of hashes may run at once.
 * Messages of any length up to 2^61 - 1 bytes are accepted, fed in pieces
 * of any size (zero included).
 *
 * Used by the kernel to check embedded user images (kernel/images) and by
 * the host tool that embeds them (bsp/embed), so both agree by construction.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of a digest in bytes. */
#define SHA256_DIGEST_SIZE 32
/** Size of a message block in bytes. */
#define SHA256_BLOCK_SIZE 64

/**
 * Compresses count 64-byte blocks at data into the intermediate hash value
 * h faster than this file's portable code can (the CPU's own instructions,
 * hal/sha256.h), returning count, or doing nothing and returning 0 where it
 * cannot. Any other return is a broken accelerator: its blocks are then
 * done again by the portable code, from the state it left (so a wrong
 * digest results, which a checked image's mismatch reports).
 */
typedef size_t sha256_blocks_fn(uint32_t h[8], const uint8_t *data, size_t count);

/** A hash in progress; opaque to callers, who only pass it around. */
struct sha256_ctx {
    /** The accelerator for whole blocks, or NULL: portable C only. */
    sha256_blocks_fn *blocks;
    /** Intermediate hash value H(i) (FIPS 180-4, 6.2.2). */
    uint32_t h[8];
    /** Message bytes hashed so far, all blocks and the pending ones. */
    uint64_t length;
    /** A partial block waiting for more bytes; length % 64 of them are used. */
    uint8_t block[SHA256_BLOCK_SIZE];
};

/** Starts a hash: sets ctx to the initial hash value H(0), with no accelerator. */
void sha256_init(struct sha256_ctx *ctx);

/** Starts a hash whose whole blocks go to blocks first (NULL: as sha256_init). */
void sha256_init_with(struct sha256_ctx *ctx, sha256_blocks_fn *blocks);

/**
 * Appends size bytes at data to the message. data may be NULL when size is 0.
 * Requires an initialised ctx that has not been finalised.
 */
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t size);

/**
 * Pads the message, writes its digest to out and wipes ctx (it must be
 * initialised again before reuse).
 */
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);

/** One-shot: the digest of the size bytes at data (NULL allowed when size is 0). */
void sha256(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE]);

/** One-shot with an accelerator for whole blocks (NULL: as sha256). */
void sha256_with(const void *data, size_t size, uint8_t out[SHA256_DIGEST_SIZE],
                 sha256_blocks_fn *blocks);

#ifdef __cplusplus
}
#endif
