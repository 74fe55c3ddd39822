// libFuzzer target for the device tree parser (kernel/fdt, compiled with
// coverage and ASan by fuzz_binary). The input is a blob, parsed by
// fdt_parse_platform from a buffer of exactly its size (ASan catches any
// read past it). The result must be a defined code, the same as
// fdt_check's when fdt_check rejects the blob; on success every count must
// fit its array, every enum-valued field must hold one of its values and
// every interrupt line must be one its controller can have. Seeds: the
// four QEMU virt blobs (kernel/fdt/testdata, cut at the end of their
// strings block) and bsp/raspi3b's tree (BCM2836 controllers, spin-table
// CPUs, the PM), so the BCM and GIC paths both start covered.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "kernel/fdt/fdt.h"

namespace {

void Require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fdt_fuzz: %s\n", what);
        std::abort();
    }
}

/** The largest line a controller of kind can have, plus one. */
uint32_t LineLimit(uint32_t kind)
{
    return kind == FDT_IRQC_BCM2836 ? 128u : 1020u;
}

void CheckPlatform(const fdt_platform &p, size_t size)
{
    Require(p.totalsize <= size, "totalsize beyond the buffer");
    Require(p.ram_count >= 1 && p.ram_count <= FDT_MAX_RAM_RANGES, "ram_count");
    Require(p.reserved_count <= FDT_MAX_RESERVED, "reserved_count");
    Require(p.gicr_count <= FDT_MAX_GICR_REGIONS, "gicr_count");
    Require(p.device_count <= FDT_MAX_DEVICE_RANGES, "device_count");
    Require(p.device_irq_count <= FDT_MAX_DEVICE_IRQS, "device_irq_count");
    Require(p.cpus_dropped <= p.cpu_count && p.cpu_count - p.cpus_dropped <= FDT_MAX_CPUS,
            "cpu_count / cpus_dropped");
    Require(p.irq_controller >= FDT_IRQC_GIC_V2 && p.irq_controller <= FDT_IRQC_BCM2836,
            "irq_controller");
    Require((p.irq_controller == FDT_IRQC_BCM2836) == (p.gic_version == FDT_GIC_NONE),
            "gic_version disagrees with irq_controller");
    Require(p.power_device <= FDT_POWER_BCM2835_PM, "power_device");
    Require(p.psci_conduit <= FDT_PSCI_SMC, "psci_conduit");
    uint32_t limit = LineLimit(p.irq_controller);
    Require(p.timer_irq_phys_s < limit && p.timer_irq_phys_ns < limit && p.timer_irq_virt < limit &&
                p.timer_irq_hyp < limit,
            "timer line out of range");
    Require(p.uart_irq < limit, "uart line out of range");
    for (uint32_t i = 0; i < p.device_irq_count; i++) {
        Require(p.device_irqs[i] < limit, "device line out of range");
        for (uint32_t j = 0; j < i; j++) {
            Require(p.device_irqs[i] != p.device_irqs[j], "device line listed twice");
        }
    }
    for (uint32_t i = 0; i < p.cpu_count - p.cpus_dropped; i++) {
        Require(p.cpus[i].enable_method <= FDT_CPU_ENABLE_OTHER, "enable_method");
        Require(p.cpus[i].disabled <= 1, "disabled");
    }
    Require(std::memchr(p.bootargs, 0, sizeof p.bootargs) != nullptr, "bootargs without NUL");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // libFuzzer's buffer may be larger than size; this one is exact.
    std::unique_ptr<uint8_t[]> blob(new uint8_t[size == 0 ? 1 : size]);
    if (size != 0) {
        std::memcpy(blob.get(), data, size);
    }
    auto p = std::make_unique<fdt_platform>();
    fdt_error e = fdt_parse_platform(blob.get(), size, p.get());
    fdt_error check = fdt_check(blob.get(), size, nullptr);
    Require(e >= FDT_OK && e < FDT_ERROR_COUNT, "result outside fdt_error");
    Require(check == FDT_OK || e == check, "parse and check disagree on a bad blob");
    if (e == FDT_OK) {
        CheckPlatform(*p, size);
    }
    return 0;
}
