#include "hal/aarch64/cpu_features.h"

#include <stdbool.h>
#include <stdint.h>

#include "hal/aarch64/idreg.h"

void aarch64_cpu_features_read(struct aarch64_cpu_features *f)
{
    uint64_t mmfr1;
    uint64_t tcr;
    __asm__ volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(mmfr1));
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(tcr));
    f->asid_bits = (tcr & AARCH64_TCR_AS) ? 16u : 8u;
    f->has_pan = aarch64_has_pan(mmfr1);
    f->pan_on = false;
    if (f->has_pan) {
        uint64_t pan;
        /* PAN (S3_0_C4_C2_3, Armv8.1): PSTATE.PAN in bit 22. */
        __asm__ volatile("mrs %0, s3_0_c4_c2_3" : "=r"(pan));
        f->pan_on = (pan & (1ull << 22)) != 0;
    }
}
