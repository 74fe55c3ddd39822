/* The arithmetic of the shell's bench command: see shell_bench.h. */

#include "userland/shell/shell_bench.h"

#include <stdint.h>

/*
 * n / d by shift and subtract (a freestanding build has no 128-bit divide
 * routine). Needs d <= n < 2^127, so that twice the remainder fits.
 */
static unsigned __int128 div128(unsigned __int128 n, unsigned __int128 d)
{
    unsigned __int128 q = 0;
    unsigned __int128 r = 0;
    for (int i = 127; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1u);
        if (r >= d) {
            r -= d;
            q |= (unsigned __int128)1 << i;
        }
    }
    return q;
}

uint64_t shell_bench_ns(uint64_t ticks, uint64_t hz, uint64_t ops)
{
    if (hz == 0 || ops == 0) {
        return 0;
    }
    // ticks * 10^9 < 2^94 and den / 2 < 2^127: their sum fits. A quotient
    // of at least 1 means den <= 2 * num < 2^95, as div128 needs.
    unsigned __int128 num = (unsigned __int128)ticks * 1000000000u;
    unsigned __int128 den = (unsigned __int128)hz * ops;
    unsigned __int128 n = num + den / 2;
    if (n < den) {
        return 0;
    }
    unsigned __int128 q = div128(n, den);
    return q > UINT64_MAX ? UINT64_MAX : (uint64_t)q;
}

uint64_t shell_bench_median(uint64_t *v, uint32_t n)
{
    if (n == 0) {
        return 0;
    }
    // Insertion sort: a run has a few dozen samples.
    for (uint32_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        uint32_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    return v[n / 2];
}
