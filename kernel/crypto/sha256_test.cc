// Tests for kernel/crypto/sha256: the FIPS 180-4 example vectors, every
// split of a message into two updates, and lengths 0..200 (in pieces of
// every size) against an independent reference written out below.

#include "kernel/crypto/sha256.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

std::string Hex(const uint8_t *digest)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        s += digits[digest[i] >> 4];
        s += digits[digest[i] & 15];
    }
    return s;
}

std::string OneShot(const std::string &msg)
{
    uint8_t out[SHA256_DIGEST_SIZE];
    sha256(msg.data(), msg.size(), out);
    return Hex(out);
}

/** Hashes msg in pieces of `piece` bytes (the last one shorter). */
std::string Pieces(const std::string &msg, size_t piece)
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    for (size_t at = 0; at < msg.size(); at += piece) {
        sha256_update(&ctx, msg.data() + at, std::min(piece, msg.size() - at));
    }
    uint8_t out[SHA256_DIGEST_SIZE];
    sha256_final(&ctx, out);
    return Hex(out);
}

/** The textbook compression of one block into h (FIPS 180-4, 6.2.2). */
void ReferenceCompress(uint32_t h[8], const uint8_t *block)
{
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
    uint32_t w[64];
    for (int t = 0; t < 64; t++) {
        if (t < 16) {
            const uint8_t *p = &block[4 * t];
            w[t] = uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
        } else {
            uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = s1 + w[t - 7] + s0 + w[t - 16];
        }
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 =
            hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[t] + w[t];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

/**
 * Reference: the textbook form of FIPS 180-4, written independently of
 * sha256.c (whole message padded up front, named working variables).
 */
std::string Reference(const std::string &msg)
{
    std::vector<uint8_t> m(msg.begin(), msg.end());
    uint64_t bits = uint64_t{msg.size()} * 8;
    m.push_back(0x80);
    while (m.size() % 64 != 56) {
        m.push_back(0);
    }
    for (int i = 7; i >= 0; i--) {
        m.push_back(static_cast<uint8_t>(bits >> (8 * i)));
    }
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (size_t blk = 0; blk < m.size(); blk += 64) {
        ReferenceCompress(h, &m[blk]);
    }
    uint8_t out[SHA256_DIGEST_SIZE];
    for (int i = 0; i < 32; i++) {
        out[i] = static_cast<uint8_t>(h[i / 4] >> (24 - 8 * (i % 4)));
    }
    return Hex(out);
}

// Accelerators standing in for the CPU's instructions (hal/sha256.h).
size_t accel_blocks; // Blocks offered to the accelerators since the test began.

size_t DoingAccel(uint32_t h[8], const uint8_t *data, size_t count)
{
    accel_blocks += count;
    for (size_t i = 0; i < count; i++) {
        ReferenceCompress(h, data + 64 * i);
    }
    return count;
}

size_t DecliningAccel(uint32_t *, const uint8_t *, size_t count)
{
    accel_blocks += count;
    return 0;
}

size_t IdleAccel(uint32_t *, const uint8_t *, size_t count) // Claims work it never did.
{
    return count;
}

size_t OverclaimingAccel(uint32_t *, const uint8_t *, size_t count)
{
    return count + 1;
}

/** msg hashed with accelerator accel, in pieces of `piece` bytes. */
std::string With(const std::string &msg, size_t piece, sha256_blocks_fn *accel)
{
    struct sha256_ctx ctx;
    sha256_init_with(&ctx, accel);
    for (size_t at = 0; at < msg.size(); at += piece) {
        sha256_update(&ctx, msg.data() + at, std::min(piece, msg.size() - at));
    }
    uint8_t out[SHA256_DIGEST_SIZE];
    sha256_final(&ctx, out);
    return Hex(out);
}

const std::string k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string k896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                         "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
TEST(Sha256, NistVectors)
{
    EXPECT_EQ(OneShot(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(OneShot("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(OneShot(k448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(OneShot(k896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, OneMillionA)
{
    const std::string msg(1000000, 'a');
    const std::string want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    EXPECT_EQ(OneShot(msg), want);
    EXPECT_EQ(Pieces(msg, 1000), want);
    EXPECT_EQ(Pieces(msg, 64), want);
    EXPECT_EQ(Pieces(msg, 63), want);
}

TEST(Sha256, NullWithZeroSize)
{
    uint8_t out[SHA256_DIGEST_SIZE];
    sha256(nullptr, 0, out);
    EXPECT_EQ(Hex(out), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, "ab", 2);
    sha256_update(&ctx, nullptr, 0);
    sha256_update(&ctx, "c", 1);
    sha256_final(&ctx, out);
    EXPECT_EQ(Hex(out), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, EverySplitInTwo)
{
    const std::string msg = k896 + k448; // 168 bytes: splits inside and across blocks.
    const std::string want = OneShot(msg);
    for (size_t split = 0; split <= msg.size(); split++) {
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        sha256_update(&ctx, msg.data(), split);
        sha256_update(&ctx, msg.data() + split, msg.size() - split);
        uint8_t out[SHA256_DIGEST_SIZE];
        sha256_final(&ctx, out);
        EXPECT_EQ(Hex(out), want) << "split at " << split;
    }
}

TEST(Sha256, LengthsAgainstReference)
{
    for (size_t len = 0; len <= 200; len++) {
        std::string msg;
        for (size_t i = 0; i < len; i++) {
            msg += static_cast<char>((i * 131 + len) & 0xff);
        }
        const std::string want = Reference(msg);
        EXPECT_EQ(OneShot(msg), want) << "length " << len;
        for (size_t piece = 1; piece <= 65; piece++) {
            EXPECT_EQ(Pieces(msg, piece), want) << "length " << len << " piece " << piece;
        }
    }
}

TEST(Sha256, ReferenceAgreesWithNist)
{
    // The reference itself is checked, or the test above proves nothing.
    EXPECT_EQ(Reference("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(Reference(k896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, FinalWipesTheContext)
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, "secret", 6);
    uint8_t out[SHA256_DIGEST_SIZE];
    sha256_final(&ctx, out);
    for (uint8_t byte : ctx.block) {
        EXPECT_EQ(byte, 0);
    }
    EXPECT_EQ(ctx.length, 0u);
}

// Every block, whole ones from the caller and padded ones alike, goes to
// the accelerator, whose work is the digest.
TEST(Sha256, AcceleratorDoesEveryBlock)
{
    for (size_t len = 0; len <= 200; len++) {
        std::string msg;
        for (size_t i = 0; i < len; i++) {
            msg += static_cast<char>((i * 7 + len) & 0xff);
        }
        const std::string want = Reference(msg);
        for (size_t piece : {size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{200}}) {
            accel_blocks = 0;
            EXPECT_EQ(With(msg, piece, DoingAccel), want) << "length " << len << " piece " << piece;
            EXPECT_EQ(accel_blocks, (len + 9 + 63) / 64) << "length " << len << " piece " << piece;
        }
        uint8_t out[SHA256_DIGEST_SIZE];
        accel_blocks = 0;
        sha256_with(msg.data(), msg.size(), out, DoingAccel);
        EXPECT_EQ(Hex(out), want);
        EXPECT_EQ(accel_blocks, (len + 9 + 63) / 64);
    }
}

// A CPU without the instructions: the portable code does every block.
TEST(Sha256, DecliningAcceleratorFallsBack)
{
    const std::string msg(1000, 'x');
    accel_blocks = 0;
    EXPECT_EQ(With(msg, 1000, DecliningAccel), Reference(msg));
    EXPECT_EQ(accel_blocks, 16u);
    EXPECT_EQ(With(k448, 5, nullptr), Reference(k448));
}

// What an accelerator claims is believed within the contract (so a claim
// it did not honour shows in the digest) and disbelieved outside it.
TEST(Sha256, AcceleratorClaimsWithinTheContractOnly)
{
    const std::string msg(300, 'y');
    EXPECT_NE(With(msg, 300, IdleAccel), Reference(msg));
    EXPECT_EQ(With(msg, 300, OverclaimingAccel), Reference(msg));
}

} // namespace
