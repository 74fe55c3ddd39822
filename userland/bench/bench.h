/*
 * The benchmark's raw system calls: inline svc with exactly the registers
 * each call uses, so what is measured is the kernel's path, not libsys's.
 */
#pragma once

#include <stdint.h>

/** Instructions retired so far (PMU event counter 0; the kernel counts event 0x08 there). */
static inline uint64_t bench_instret(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, pmevcntr0_el0" : "=r"(v)::"memory");
    return v;
}

/*
 * x9 is a blocking call's deadline (kernel/abi/syscall.h): 0, none, in
 * every call here, so that a notification wait or an IPC call never times
 * out (and the IPC fast path, which leaves calls with a deadline to the
 * general path, is what is measured). One instruction per call.
 */

/** A call with x0 and x1 in, x0 (status) out, no deadline; every other register kept. */
static inline uint64_t bench_call2(uint64_t number, uint64_t a0, uint64_t a1)
{
    register uint64_t x0 __asm__("x0") = a0;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x8 __asm__("x8") = number;
    register uint64_t x9 __asm__("x9") = 0;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1) : "r"(x8), "r"(x9) : "memory");
    return x0;
}

/**
 * An IPC call: x0 endpoint, x1 info, x2 one word, no deadline (x9 0); x1-x7 come back
 * with the reply, x8 with a received message's badge (so x8 is an output too: the
 * compiler must not assume it still holds the number).
 */
static inline uint64_t bench_ipc(uint64_t number, uint64_t ep, uint64_t info, uint64_t word)
{
    register uint64_t x0 __asm__("x0") = ep;
    register uint64_t x1 __asm__("x1") = info;
    register uint64_t x2 __asm__("x2") = word;
    register uint64_t x3 __asm__("x3");
    register uint64_t x4 __asm__("x4");
    register uint64_t x5 __asm__("x5");
    register uint64_t x6 __asm__("x6");
    register uint64_t x7 __asm__("x7");
    register uint64_t x8 __asm__("x8") = number;
    register uint64_t x9 __asm__("x9") = 0;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "=r"(x3), "=r"(x4), "=r"(x5), "=r"(x6),
                       "=r"(x7), "+r"(x8)
                     : "r"(x9)
                     : "memory");
    return x0;
}
