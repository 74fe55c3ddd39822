/*
 * Descriptor encoding and decoding: the permission rules and the leaf
 * attribute bits (layout drawn in pt_desc.h).
 */

#include "hal/aarch64/pt_desc.h"

#include <stdbool.h>
#include <stdint.h>

#include "hal/aarch64/pt.h"
#include "hal/addr.h"

_Static_assert(PT_MAIR_VALUE == 0xff04ull, "MAIR_EL1: Attr0 Device-nGnRE, Attr1 Normal WB");
_Static_assert(PT_ENTRIES * sizeof(uint64_t) == PT_TABLE_SIZE, "a table fills one granule");

#define PT_PERM_ALL (PT_PERM_READ | PT_PERM_WRITE | PT_PERM_EXEC | PT_PERM_USER | PT_PERM_USER_EXEC)

const char *pt_result_string(pt_result r)
{
    if (r == PT_OK) {
        return "ok";
    } else if (r == PT_ERR_MISALIGNED) {
        return "misaligned";
    } else if (r == PT_ERR_NON_CANONICAL) {
        return "non-canonical address";
    } else if (r == PT_ERR_RANGE) {
        return "bad range";
    } else if (r == PT_ERR_PERMISSION) {
        return "permission refused";
    } else if (r == PT_ERR_ALREADY_MAPPED) {
        return "already mapped";
    } else if (r == PT_ERR_NOT_MAPPED) {
        return "not mapped";
    } else if (r == PT_ERR_NO_TABLES) {
        return "no free table frames";
    } else if (r == PT_ERR_BLOCK_SPLIT) {
        return "range splits a block";
    }
    return "unknown result";
}

pt_result pt_perm_check(uint32_t perm, uint32_t mem)
{
    bool write = (perm & PT_PERM_WRITE) != 0;
    bool exec = (perm & PT_PERM_EXEC) != 0;
    bool user = (perm & PT_PERM_USER) != 0;
    bool user_exec = (perm & PT_PERM_USER_EXEC) != 0;

    if ((perm & ~PT_PERM_ALL) != 0 || (mem != PT_MEM_NORMAL && mem != PT_MEM_DEVICE)) {
        return PT_ERR_PERMISSION;
    }
    /* AP[2:1] has no encoding that denies reading (pt_desc.h). */
    if ((perm & PT_PERM_READ) == 0) {
        return PT_ERR_PERMISSION;
    }
    if (write && (exec || user_exec)) {
        return PT_ERR_PERMISSION; /* W^X */
    }
    if ((user_exec && !user) || (user && exec)) {
        return PT_ERR_PERMISSION;
    }
    if (mem == PT_MEM_DEVICE && (exec || user_exec)) {
        return PT_ERR_PERMISSION; /* speculative fetches must never reach MMIO */
    }
    return PT_OK;
}

uint64_t pt_desc_attrs(uint32_t perm, uint32_t mem)
{
    bool user = (perm & PT_PERM_USER) != 0;
    uint64_t attrs = PT_DESC_AF;

    if (mem == PT_MEM_NORMAL) {
        attrs |= ((uint64_t)PT_MAIR_NORMAL_WB << PT_DESC_ATTRINDX_SHIFT) | PT_DESC_SH_INNER;
    } else {
        /* SH = 0: Device memory is Outer Shareable whatever SH says. */
        attrs |= (uint64_t)PT_MAIR_DEVICE_nGnRE << PT_DESC_ATTRINDX_SHIFT;
    }
    if ((perm & PT_PERM_WRITE) == 0) {
        attrs |= PT_DESC_AP_RO;
    }
    if (user) {
        attrs |= PT_DESC_AP_EL0 | PT_DESC_NG | PT_DESC_PXN;
    } else if ((perm & PT_PERM_EXEC) == 0) {
        attrs |= PT_DESC_PXN;
    }
    if ((perm & PT_PERM_USER_EXEC) == 0) {
        attrs |= PT_DESC_UXN;
    }
    return attrs;
}

uint32_t pt_desc_perm(uint64_t desc)
{
    uint32_t perm = PT_PERM_READ;
    bool user = (desc & PT_DESC_AP_EL0) != 0;

    if ((desc & PT_DESC_AP_RO) == 0) {
        perm |= PT_PERM_WRITE;
    }
    if (user) {
        perm |= PT_PERM_USER;
        if ((desc & PT_DESC_UXN) == 0) {
            perm |= PT_PERM_USER_EXEC;
        }
    } else if ((desc & PT_DESC_PXN) == 0) {
        perm |= PT_PERM_EXEC;
    }
    return perm;
}

uint32_t pt_desc_mem(uint64_t desc)
{
    uint64_t index = (desc & PT_DESC_ATTRINDX_MASK) >> PT_DESC_ATTRINDX_SHIFT;

    if (index == PT_MAIR_NORMAL_WB) {
        return PT_MEM_NORMAL;
    } else if (index == PT_MAIR_DEVICE_nGnRE) {
        return PT_MEM_DEVICE;
    }
    return 0;
}

pt_result pt_desc_leaf(paddr_t pa, uint32_t level, uint32_t perm, uint32_t mem, uint64_t *desc)
{
    pt_result r = pt_perm_check(perm, mem);

    if (r != PT_OK) {
        return r;
    }
    if (level < 1 || level > 3 || pa.value >= PT_ADDR_LIMIT) {
        return PT_ERR_RANGE;
    }
    if ((pa.value & (pt_level_size(level) - 1)) != 0) {
        return PT_ERR_MISALIGNED;
    }
    *desc = pt_desc_make_leaf(level, pa, pt_desc_attrs(perm, mem));
    return PT_OK;
}
