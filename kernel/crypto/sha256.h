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

/** A hash in progress; opaque to callers, who only pass it around. */
struct sha256_ctx {
    /** Intermediate hash value H(i) (FIPS 180-4, 6.2.2). */
    uint32_t h[8];
    /** Message bytes hashed so far, all blocks and the pending ones. */
    uint64_t length;
    /** A partial block waiting for more bytes; length % 64 of them are used. */
    uint8_t block[SHA256_BLOCK_SIZE];
};

/** Starts a hash: sets ctx to the initial hash value H(0). */
void sha256_init(struct sha256_ctx *ctx);

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

#ifdef __cplusplus
}
#endif
