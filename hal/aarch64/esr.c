#include "hal/aarch64/esr.h"

#include <stdbool.h>
#include <stdint.h>

bool esr_is_abort(uint32_t ec)
{
    return ec == ESR_EC_IABT_LOWER || ec == ESR_EC_IABT_SAME || ec == ESR_EC_DABT_LOWER ||
           ec == ESR_EC_DABT_SAME;
}

/* Out of line (noinline): for fault reports, which need no copy of their own. */
__attribute__((noinline)) const char *esr_class_name(uint32_t ec)
{
    if (ec == ESR_EC_UNKNOWN) {
        return "unknown reason (undefined instruction)";
    } else if (ec == ESR_EC_WFI_WFE) {
        return "trapped WFI/WFE";
    } else if (ec == ESR_EC_FP_SIMD) {
        return "trapped FP/SIMD access";
    } else if (ec == ESR_EC_ILLEGAL_STATE) {
        return "illegal execution state";
    } else if (ec == ESR_EC_SVC64) {
        return "SVC from AArch64";
    } else if (ec == ESR_EC_HVC64) {
        return "HVC from AArch64";
    } else if (ec == ESR_EC_SMC64) {
        return "SMC from AArch64";
    } else if (ec == ESR_EC_SYSREG) {
        return "trapped system register access";
    } else if (ec == ESR_EC_IABT_LOWER) {
        return "instruction abort from a lower EL";
    } else if (ec == ESR_EC_IABT_SAME) {
        return "instruction abort from the same EL";
    } else if (ec == ESR_EC_PC_ALIGN) {
        return "PC alignment fault";
    } else if (ec == ESR_EC_DABT_LOWER) {
        return "data abort from a lower EL";
    } else if (ec == ESR_EC_DABT_SAME) {
        return "data abort from the same EL";
    } else if (ec == ESR_EC_SP_ALIGN) {
        return "SP alignment fault";
    } else if (ec == ESR_EC_SERROR) {
        return "SError interrupt";
    } else if (ec == ESR_EC_BRK64) {
        return "BRK instruction";
    }
    return "unknown class";
}

/* Fault status codes (Arm ARM D17.2.37, ISS encoding for a data abort,
 * DFSC): 0b0000LL address size, 0b0001LL translation, 0b0010LL access
 * flag, 0b0011LL permission fault, LL the lookup level. */
const char *esr_fault_status_name(uint32_t fsc)
{
    if (fsc < 0x04) {
        return "address size fault";
    } else if (fsc < 0x08) {
        return "translation fault";
    } else if (fsc < 0x0c) {
        return "access flag fault";
    } else if (fsc < 0x10) {
        return "permission fault";
    } else if (fsc == 0x10) {
        return "synchronous external abort";
    } else if (fsc == 0x21) {
        return "alignment fault";
    } else if (fsc == 0x30) {
        return "TLB conflict abort";
    }
    return "unknown fault status";
}

int esr_fault_level(uint32_t fsc)
{
    return fsc < 0x10 ? (int)(fsc & 3) : -1;
}
