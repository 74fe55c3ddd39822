#include "hal/mmu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/aarch64/mmu_tlb.h"
#include "hal/aarch64/mmu_ttbr.h"
#include "hal/aarch64/pt.h"
#include "hal/addr.h"

/* A broken requirement of the caller halts here (as in pt.c: the HAL
 * cannot use the kernel's CHECK). */
#define MMU_ASSERT(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

/* The direct-map offset, set once by hal_mmu_init before any other call. */
static uint64_t mmu_phys_to_virt;

void hal_mmu_init(uint64_t phys_to_virt)
{
    mmu_phys_to_virt = phys_to_virt;
}

void *hal_mmu_phys_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(pa.value + mmu_phys_to_virt);
}

/** The hal_mmu_result for a pt_result. BLOCK_SPLIT and NON_CANONICAL cannot
 * arise from page-only user mappings checked against USER_TOP; they map to
 * RANGE, the nearest meaning. */
static hal_mmu_result mmu_result(pt_result r)
{
    switch (r) {
    case PT_OK:
        return HAL_MMU_OK;
    case PT_ERR_MISALIGNED:
        return HAL_MMU_ERR_MISALIGNED;
    case PT_ERR_PERMISSION:
        return HAL_MMU_ERR_PERMISSION;
    case PT_ERR_ALREADY_MAPPED:
        return HAL_MMU_ERR_ALREADY_MAPPED;
    case PT_ERR_NOT_MAPPED:
        return HAL_MMU_ERR_NOT_MAPPED;
    case PT_ERR_NO_TABLES:
        return HAL_MMU_ERR_NO_TABLES;
    default:
        return HAL_MMU_ERR_RANGE;
    }
}

/** Converts user perms (HAL_MMU_*) into PT_PERM_* in *out. Returns false
 * for unknown bits (HAL_MMU_DEVICE included: callers take it out first),
 * no READ, or WRITE with EXEC. */
static bool mmu_perm(uint32_t perms, uint32_t *out)
{
    const uint32_t known = HAL_MMU_READ | HAL_MMU_WRITE | HAL_MMU_EXEC;
    if ((perms & ~known) != 0 || (perms & HAL_MMU_READ) == 0 ||
        ((perms & HAL_MMU_WRITE) != 0 && (perms & HAL_MMU_EXEC) != 0)) {
        return false;
    }
    *out = PT_PERM_USER | PT_PERM_READ;
    *out |= (perms & HAL_MMU_WRITE) != 0 ? PT_PERM_WRITE : 0;
    *out |= (perms & HAL_MMU_EXEC) != 0 ? PT_PERM_USER_EXEC : 0;
    return true;
}

/** Checks a user page range and asid: MISALIGNED, RANGE or OK. */
static hal_mmu_result mmu_range(uint64_t va, uint64_t size, uint32_t asid)
{
    if ((va | size) % HAL_MMU_PAGE_SIZE != 0) {
        return HAL_MMU_ERR_MISALIGNED;
    }
    if (size == 0 || va >= HAL_MMU_USER_TOP || size > HAL_MMU_USER_TOP - va ||
        asid >= HAL_MMU_ASID_LIMIT) {
        return HAL_MMU_ERR_RANGE;
    }
    return HAL_MMU_OK;
}

size_t hal_mmu_tables_needed(uint64_t va, uint64_t size)
{
    if (mmu_range(va, size, 0) != HAL_MMU_OK) {
        return 0;
    }
    return pt_tables_needed(vaddr_make(va), paddr_make(0), size, false);
}

hal_mmu_result hal_mmu_space_create(struct hal_mmu_frames *f, paddr_t *root)
{
    struct pt_pool pool = {f->frames, f->count, f->used, mmu_phys_to_virt};
    pt_result r = pt_new_root(&pool, root);
    f->used = pool.used;
    return mmu_result(r);
}

hal_mmu_result hal_mmu_map(paddr_t root, uint32_t asid, uint64_t va, paddr_t pa, uint64_t size,
                           uint32_t perms, struct hal_mmu_frames *f)
{
    uint32_t perm = 0;
    hal_mmu_result r = mmu_range(va, size, asid);
    if (r != HAL_MMU_OK) {
        return r;
    }
    uint32_t mem = (perms & HAL_MMU_DEVICE) != 0 ? PT_MEM_DEVICE : PT_MEM_NORMAL;
    if (!mmu_perm(perms & ~HAL_MMU_DEVICE, &perm)) {
        return HAL_MMU_ERR_PERMISSION;
    }
    struct pt_pool pool = {f->frames, f->count, f->used, mmu_phys_to_virt};
    // pt_map refuses executable device memory (pt_perm_check).
    r = mmu_result(pt_map(&pool, root, vaddr_make(va), pa, size, perm, mem, false));
    f->used = pool.used;
    mmu_tlb_after_map();
    return r;
}

hal_mmu_result hal_mmu_unmap(paddr_t root, uint32_t asid, uint64_t va, uint64_t size)
{
    hal_mmu_result r = mmu_range(va, size, asid);
    if (r != HAL_MMU_OK) {
        return r;
    }
    struct pt_pool pool = {NULL, 0, 0, mmu_phys_to_virt};
    r = mmu_result(pt_unmap(&pool, root, vaddr_make(va), size));
    if (r == HAL_MMU_OK) {
        mmu_tlb_invalidate(asid, va, size);
    }
    return r;
}

size_t hal_mmu_reclaim(paddr_t root, uint32_t asid, uint64_t va, paddr_t *out)
{
    MMU_ASSERT(out != NULL && va < HAL_MMU_USER_TOP && asid < HAL_MMU_ASID_LIMIT);
    size_t n = pt_reclaim(root, vaddr_make(va), mmu_phys_to_virt, out);
    if (n > 0) {
        /* TLBI VAE1IS (not the last-level form) also drops cached table
         * entries on va's walk, so no walk reaches the unlinked tables. */
        mmu_tlb_invalidate(asid, va & ~(uint64_t)(HAL_MMU_PAGE_SIZE - 1), HAL_MMU_PAGE_SIZE);
    }
    return n;
}

size_t hal_mmu_table_count(paddr_t root)
{
    return pt_count_tables(root, 0, mmu_phys_to_virt);
}

hal_mmu_result hal_mmu_protect(paddr_t root, uint32_t asid, uint64_t va, uint64_t size,
                               uint32_t perms)
{
    uint32_t perm = 0;
    hal_mmu_result r = mmu_range(va, size, asid);
    if (r != HAL_MMU_OK) {
        return r;
    }
    if (!mmu_perm(perms, &perm)) {
        return HAL_MMU_ERR_PERMISSION;
    }
    r = mmu_result(pt_protect(root, vaddr_make(va), size, perm, mmu_phys_to_virt));
    if (r == HAL_MMU_OK) {
        mmu_tlb_invalidate(asid, va, size);
    }
    return r;
}

/* Out of line (noinline): copy_from_user and the statistics call share one copy. */
__attribute__((noinline)) hal_mmu_result hal_mmu_user_translate(paddr_t root, uint64_t va,
                                                                bool write, paddr_t *pa)
{
    struct pt_mapping m;
    if (va >= HAL_MMU_USER_TOP) {
        return HAL_MMU_ERR_RANGE;
    }
    hal_mmu_result r = mmu_result(pt_translate(root, vaddr_make(va), mmu_phys_to_virt, &m));
    if (r != HAL_MMU_OK) {
        return r;
    }
    if (!pt_user_access_ok(root, vaddr_make(va), mmu_phys_to_virt, write)) {
        return HAL_MMU_ERR_PERMISSION;
    }
    *pa = m.pa;
    return HAL_MMU_OK;
}

size_t hal_mmu_space_destroy(paddr_t root, uint32_t asid, paddr_t *out, size_t max, bool *done)
{
    MMU_ASSERT(asid < HAL_MMU_ASID_LIMIT);
    size_t n = pt_take_tables(root, mmu_phys_to_virt, out, max, done);
    /* Walk caches may still hold descriptors that pointed to the tables
     * just unlinked: drop everything for asid before the frames go back. */
    mmu_tlb_invalidate_asid(asid);
    return n;
}

void hal_mmu_asid_invalidate(uint32_t asid)
{
    MMU_ASSERT(asid < HAL_MMU_ASID_LIMIT);
    mmu_tlb_invalidate_asid(asid);
}

/* The root the CPU in the kernel translates its lower half through; each
 * CPU's own while another is in the kernel (aarch64_mmu_cpu_swap). */
static paddr_t mmu_active_root;
static paddr_t mmu_cpu_root[8];

void aarch64_mmu_cpu_swap(uint32_t cpu, int entering)
{
    if (cpu >= 8) {
        return;
    }
    if (entering) {
        mmu_active_root = mmu_cpu_root[cpu];
    } else {
        mmu_cpu_root[cpu] = mmu_active_root;
    }
}

uint64_t aarch64_mmu_ttbr(paddr_t root, uint32_t asid)
{
    MMU_ASSERT(asid < HAL_MMU_ASID_LIMIT);
    return root.value | ((uint64_t)asid << 48);
}

void aarch64_mmu_activate_ttbr(paddr_t root, uint64_t ttbr0)
{
    mmu_active_root = root;
    mmu_tlb_activate(ttbr0, root.value != 0);
}

void hal_mmu_activate(paddr_t root, uint32_t asid)
{
    aarch64_mmu_activate_ttbr(root, aarch64_mmu_ttbr(root, asid));
}

paddr_t hal_mmu_active(void)
{
    return mmu_active_root;
}
