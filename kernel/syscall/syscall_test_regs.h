#pragma once

/*
 * Registers for the dispatcher's object and IRQ call tests: a call's x0-x7
 * start recognisable (0x1111 * (i + 1)) so that a test sees which of them
 * a call changed, then take the number and x0-x3 (0 when not given).
 */

#include <cstdint>

#include "kernel/syscall/syscall.h"

namespace syscall_test {

inline syscall_regs Regs(uint64_t number, uint64_t x0 = 0, uint64_t x1 = 0, uint64_t x2 = 0,
                         uint64_t x3 = 0)
{
    syscall_regs r{};
    for (uint64_t i = 0; i < 8; i++) {
        r.x[i] = 0x1111 * (i + 1);
    }
    r.number = number;
    r.x[0] = x0;
    r.x[1] = x1;
    r.x[2] = x2;
    r.x[3] = x3;
    return r;
}

/** Dispatches r as task (made current first); returns its status, x0. */
inline status_t Call(kernel_state *k, syscall_regs &r, int32_t task)
{
    k->current = task;
    syscall_dispatch(k, &r);
    return (status_t)(uint32_t)r.x[0];
}

} // namespace syscall_test
