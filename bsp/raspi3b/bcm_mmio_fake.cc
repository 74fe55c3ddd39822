#include "bsp/raspi3b/bcm_mmio_fake.h"

#include <cstdint>
#include <cstring>
#include <ostream>
#include <vector>

#include "bsp/raspi3b/bcm_mmio.h"

namespace bcm_fake {
namespace {

std::vector<Access> &Mutable()
{
    static std::vector<Access> log;
    return log;
}

} // namespace

const std::vector<Access> &Log()
{
    return Mutable();
}

void Clear()
{
    Mutable().clear();
}

std::vector<Access> Only(Op op)
{
    std::vector<Access> out;
    for (const Access &a : Log()) {
        if (a.op == op) {
            out.push_back(a);
        }
    }
    return out;
}

void PrintTo(const Access &a, std::ostream *os)
{
    static const char *const kNames[] = {"read", "write", "barrier"};
    *os << kNames[static_cast<int>(a.op)] << " 0x" << std::hex << a.addr << "=0x" << a.value
        << std::dec;
}

Access Read(uintptr_t addr, uint32_t value)
{
    return {Op::kRead, addr, value};
}

Access Write(uintptr_t addr, uint32_t value)
{
    return {Op::kWrite, addr, value};
}

Access Barrier()
{
    return {Op::kBarrier, 0, 0};
}

} // namespace bcm_fake

extern "C" uint32_t bcm_mmio_host_read32(uintptr_t addr)
{
    uint32_t v;
    std::memcpy(&v, reinterpret_cast<const void *>(addr), sizeof v);
    bcm_fake::Mutable().push_back(bcm_fake::Read(addr, v));
    return v;
}

extern "C" void bcm_mmio_host_write32(uintptr_t addr, uint32_t value)
{
    std::memcpy(reinterpret_cast<void *>(addr), &value, sizeof value);
    bcm_fake::Mutable().push_back(bcm_fake::Write(addr, value));
}

extern "C" void bcm_mmio_host_barrier(void)
{
    bcm_fake::Mutable().push_back(bcm_fake::Barrier());
}
