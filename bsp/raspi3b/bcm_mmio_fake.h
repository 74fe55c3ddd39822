#pragma once

// Host side of bcm_mmio.h for the raspi3b driver tests: every register
// access the drivers make lands in memory the test lays out like the
// registers, and is recorded in order with every barrier.

#include <cstdint>
#include <ostream>
#include <vector>

namespace bcm_fake {

enum class Op { kRead, kWrite, kBarrier };

struct Access {
    Op op;
    uintptr_t addr; // 0 for a barrier
    uint32_t value; // the value read or written
    bool operator==(const Access &o) const
    {
        return op == o.op && addr == o.addr && value == o.value;
    }
};

/** For GoogleTest's messages: "write 0x...=0x...". */
void PrintTo(const Access &a, std::ostream *os);

/** Every access since the last Clear(), in order. */
const std::vector<Access> &Log();
void Clear();

/** Accesses of one kind (reads, writes, barriers) since the last Clear(). */
std::vector<Access> Only(Op op);

Access Read(uintptr_t addr, uint32_t value);
Access Write(uintptr_t addr, uint32_t value);
Access Barrier();

} // namespace bcm_fake
