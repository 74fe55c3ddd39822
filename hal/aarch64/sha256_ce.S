/*
 * SHA-256's compression function with the Armv8 SHA2 instructions (Arm ARM
 * DDI 0487, C7.2: SHA256H, SHA256H2, SHA256SU0, SHA256SU1), for
 * hal_sha256_blocks (sha256.c), which calls it only on a CPU that has them.
 *
 *   void aarch64_sha256_ce_blocks(uint32_t state[8], const uint8_t *data,
 *                                 size_t count);   count > 0
 *
 * The kernel is built with -mgeneral-regs-only and keeps no FP/SIMD state
 * for anyone: CPACR_EL1.FPEN traps every FP/SIMD instruction, at EL1 as at
 * EL0 (hal/aarch64/boot_entry.inc). This function alone lifts the trap for EL1 (FPEN = 0b01:
 * EL0 still traps), zeroes every vector register it used before it leaves,
 * and puts CPACR_EL1 back as it found it. Each CPACR_EL1 write is followed
 * by an ISB, which makes it take effect for the instructions after it (Arm
 * ARM D19.2.30: a write to a System register is seen by later instructions
 * only after a context synchronization event).
 *
 * Registers: v0 = ABCD, v1 = EFGH (the state; lane 0 = A, as SHA256H
 * reads X<31:0>), v2, v3 = their values at the block's start, v4 = ABCD
 * before a SHA256H, v5 = W + K for four rounds, v6..v9 = the message
 * schedule W[4i..4i+3] (i mod 4), v16..v31 = the 64 round constants.
 */

    .arch   armv8-a+sha2

/* CPACR_EL1.FPEN, bits [21:20] = 0b01: FP/SIMD trapped at EL0 only. */
#define CPACR_EL1_FPEN_EL1 (1 << 20)

/*
 * Four rounds: v5 = W(wi) + K(ki); when sched, W(wi) becomes the schedule's
 * next four words (FIPS 180-4, 6.2.2 step 1) from W(wi), W(wi+1), W(wi+2),
 * W(wi+3); then SHA256H and SHA256H2 (step 3, four times).
 */
.macro ROUNDS4 w0, w1, w2, w3, k, sched
    add     v5.4s, \w0\().4s, \k\().4s
    .if \sched
    sha256su0 \w0\().4s, \w1\().4s
    .endif
    mov     v4.16b, v0.16b
    sha256h  q0, q1, v5.4s
    sha256h2 q1, q4, v5.4s
    .if \sched
    sha256su1 \w0\().4s, \w2\().4s, \w3\().4s
    .endif
.endm

    .section .text.aarch64_sha256_ce_blocks, "ax", %progbits
    .global aarch64_sha256_ce_blocks
    .type aarch64_sha256_ce_blocks, %function
    .balign 16
aarch64_sha256_ce_blocks:
    mrs     x3, cpacr_el1
    orr     x4, x3, #CPACR_EL1_FPEN_EL1
    msr     cpacr_el1, x4
    isb

    adrp    x4, sha256_ce_k
    add     x4, x4, :lo12:sha256_ce_k
    ld1     {v16.4s-v19.4s}, [x4], #64
    ld1     {v20.4s-v23.4s}, [x4], #64
    ld1     {v24.4s-v27.4s}, [x4], #64
    ld1     {v28.4s-v31.4s}, [x4]
    ld1     {v0.4s, v1.4s}, [x0]

1:  /* One block: its 16 words, big-endian in memory (FIPS 180-4, 3.1). */
    ld1     {v6.16b-v9.16b}, [x1], #64
    rev32   v6.16b, v6.16b
    rev32   v7.16b, v7.16b
    rev32   v8.16b, v8.16b
    rev32   v9.16b, v9.16b
    mov     v2.16b, v0.16b
    mov     v3.16b, v1.16b

    ROUNDS4 v6, v7, v8, v9, v16, 1
    ROUNDS4 v7, v8, v9, v6, v17, 1
    ROUNDS4 v8, v9, v6, v7, v18, 1
    ROUNDS4 v9, v6, v7, v8, v19, 1
    ROUNDS4 v6, v7, v8, v9, v20, 1
    ROUNDS4 v7, v8, v9, v6, v21, 1
    ROUNDS4 v8, v9, v6, v7, v22, 1
    ROUNDS4 v9, v6, v7, v8, v23, 1
    ROUNDS4 v6, v7, v8, v9, v24, 1
    ROUNDS4 v7, v8, v9, v6, v25, 1
    ROUNDS4 v8, v9, v6, v7, v26, 1
    ROUNDS4 v9, v6, v7, v8, v27, 1
    ROUNDS4 v6, v7, v8, v9, v28, 0
    ROUNDS4 v7, v8, v9, v6, v29, 0
    ROUNDS4 v8, v9, v6, v7, v30, 0
    ROUNDS4 v9, v6, v7, v8, v31, 0

    /* Step 4: the intermediate hash value H(i) = H(i-1) + a..h. */
    add     v0.4s, v0.4s, v2.4s
    add     v1.4s, v1.4s, v3.4s
    subs    x2, x2, #1
    b.ne    1b

    st1     {v0.4s, v1.4s}, [x0]

    /* Nothing of the message or the state stays in a vector register. */
    movi    v0.16b, #0
    movi    v1.16b, #0
    movi    v2.16b, #0
    movi    v3.16b, #0
    movi    v4.16b, #0
    movi    v5.16b, #0
    movi    v6.16b, #0
    movi    v7.16b, #0
    movi    v8.16b, #0
    movi    v9.16b, #0
    /* v16..v31 hold the public constants only: left as they are. */

    msr     cpacr_el1, x3
    isb
    ret
    .size aarch64_sha256_ce_blocks, . - aarch64_sha256_ce_blocks

    /* The round constants K0..K63 (FIPS 180-4, 4.2.2). */
    .section .rodata.sha256_ce_k, "a", %progbits
    .balign 16
sha256_ce_k:
    .word 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
    .word 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
    .word 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
    .word 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
    .word 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
    .word 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
    .word 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
    .word 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
    .word 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    .size sha256_ce_k, . - sha256_ce_k
