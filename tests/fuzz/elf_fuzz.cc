// libFuzzer target, linked against //kernel/elf:elf_fuzzing (the parser
// compiled with coverage and ASan). The input is an ELF image, parsed by
// elf_parse from a buffer of exactly its size (ASan catches any read past
// it). The result must be a defined code; on success the image must keep
// every promise of elf.h (kernel/elf/elf_check.h: segments inside the image
// and below user_top, W^X, ascending and in distinct pages, entry in
// executable file bytes, segments equal to the PT_LOAD headers); on failure
// *out must be untouched. The image is parsed under two user_tops: what fits
// below the low one must give the same answer below the high one.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "kernel/elf/elf.h"
#include "kernel/elf/elf_check.h"

#include "kernel/abi/status.h"

namespace {

// The high one is the whole 48-bit user space; the low one is just above
// the test programs' segments (0x400000 up), so its boundary gets exercised.
constexpr uint64_t kUserTopHigh = uint64_t{1} << 48;
constexpr uint64_t kUserTopLow = 0x500000;

void Require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "elf_fuzz: %s\n", what);
        std::abort();
    }
}

elf_result ParseChecked(const uint8_t *data, size_t size, uint64_t user_top, elf_image *out)
{
    elf_image before;
    std::memset(out, 0x5a, sizeof *out);
    std::memcpy(&before, out, sizeof before);
    elf_result r = elf_parse(data, size, user_top, out);
    Require(r >= ELF_OK && r < ELF_RESULT_COUNT, "result outside elf_result");
    Require(elf_status(r) != STATUS_OK || r == ELF_OK, "error mapped to STATUS_OK");
    if (r == ELF_OK) {
        Require(elf_check::Problem(data, size, user_top, *out).empty(), "promise broken");
    } else {
        Require(std::memcmp(&before, out, sizeof before) == 0, "*out changed on error");
    }
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // libFuzzer's buffer may be larger than size; this one is exact.
    std::unique_ptr<uint8_t[]> image(new uint8_t[size]);
    if (size != 0) {
        std::memcpy(image.get(), data, size);
    }
    elf_image low;
    elf_image high;
    elf_result r_low = ParseChecked(image.get(), size, kUserTopLow, &low);
    elf_result r_high = ParseChecked(image.get(), size, kUserTopHigh, &high);
    if (r_low == ELF_OK) {
        Require(r_high == ELF_OK && std::memcmp(&low, &high, sizeof low) == 0,
                "accepted below the low top but not the same below the high one");
    }
    if (r_low != r_high) {
        Require(r_low == ELF_ERR_ADDRESS_RANGE,
                "user_top changed a result other than ADDRESS_RANGE");
    }
    return 0;
}
