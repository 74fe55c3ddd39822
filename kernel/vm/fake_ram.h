// Fake RAM for host tests: a frame allocator over an aligned buffer that
// hal/fake's MMU treats as physical memory at kBase.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "hal/addr.h"
#include "hal/fake/mmu_fake.h"
#include "kernel/abi/status.h"
#include "kernel/mm/frame_alloc.h"

namespace fake_ram {

constexpr uint64_t kPage = FRAME_SIZE;
// QEMU virt's RAM base, where the fake RAM pretends to sit.
constexpr uint64_t kBase = 0x40000000;

class Ram {
  public:
    // frames pages of RAM, filled with 0x5a so that zeroing is visible.
    explicit Ram(size_t frames) : frames_(frames)
    {
        ram_.reset(static_cast<uint8_t *>(std::aligned_alloc(kPage, frames * kPage)));
        Reset();
    }

    // Starts over: every frame free, nothing reserved, the RAM filled again.
    void Reset()
    {
        std::memset(ram_.get(), 0x5a, frames_ * kPage);
        mmu_fake_init(ram_.get(), paddr_make(kBase), frames_ * kPage);
        frame_range ram = {paddr_make(kBase), frames_ * kPage};
        uint64_t offset = reinterpret_cast<uintptr_t>(ram_.get()) - kBase;
        status = frame_alloc_init(&fa, &ram, 1, nullptr, 0, offset);
    }

    // The host byte behind physical address pa.
    uint8_t *At(paddr_t pa)
    {
        return ram_.get() + (pa.value - kBase);
    }

    frame_alloc fa{};
    status_t status = STATUS_INVALID_ARGUMENT;

  private:
    struct Free {
        void operator()(uint8_t *p) const
        {
            std::free(p);
        }
    };
    size_t frames_;
    std::unique_ptr<uint8_t, Free> ram_;
};

} // namespace fake_ram
