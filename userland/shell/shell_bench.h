/*
 * The arithmetic of the shell's bench command (shell.c runs the loops):
 * counter ticks to nanoseconds, and the median of a run's samples. Pure,
 * host-tested.
 */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Nanoseconds per operation: `ticks` of a counter running at `hz`, over
 * `ops` operations, rounded to the nearest. 0 when hz or ops is 0;
 * UINT64_MAX when the result does not fit (never wraps).
 */
uint64_t shell_bench_ns(uint64_t ticks, uint64_t hz, uint64_t ops);

/** The median of v[0..n) (the upper one of an even n), sorting v; 0 when n is 0. */
uint64_t shell_bench_median(uint64_t *v, uint32_t n);

#ifdef __cplusplus
}
#endif
