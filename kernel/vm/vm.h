#pragma once

/**
 * Address spaces and frames: the memory objects behind OBJECT_ADDRESS_SPACE
 * and OBJECT_FRAME capabilities, and the mappings between them.
 *
 * A frame is one page of RAM (HAL_MMU_PAGE_SIZE) taken from the frame
 * allocator and zeroed when it is created, so no task ever sees what an
 * earlier user left there. An address space is a root translation table
 * (hal/mmu.h) and an ASID. Both are indexed by their object arena slot
 * (kernel/obj), so vm.frames[i] belongs to the frame object in slot i.
 *
 * ASIDs: space i has ASID i + 1 while it exists (ASID 0 is no space: the
 * idle loop and the kernel's own accesses). There are far fewer spaces than
 * ASIDs, so assignment never has to steal one; an ASID is reused when its
 * slot is, and destroying a space invalidates every TLB entry of its ASID
 * before the slot (and so the ASID) can be given out again.
 *
 * A mapping puts one frame at one page-aligned user address of one space,
 * with permissions (HAL_MMU_READ/WRITE/EXEC; W^X) no wider than a ceiling
 * fixed when it was made (the rights of the frame capability used).
 *
 * Authority: a frame mapping records its owner, an opaque int32_t the
 * caller gives (kernel/syscall gives the position of the frame capability
 * it was made through, kernel/cap/cap.h), or VM_NIL for none. It lives
 * exactly as long as that capability: when the capability goes the caller
 * calls vm_unmap_owner, which unmaps every mapping of the frame made
 * through it (each invalidated in the TLB by ASID and address) before the
 * deleting call returns; when the capability moves, vm_rehome gives its
 * mappings the new position. Both walk the frame's list, so their cost is
 * bounded by the frame's mappings.
 * W^X holds per frame, not only per mapping: no frame is ever writable
 * through one mapping and executable through another. Each frame counts
 * its writable and its executable mappings, and a map or protect that
 * would make both non-zero fails with STATUS_WX_CONFLICT. Code is loaded
 * the honest way: map writable, write, unmap (or protect to read-only),
 * then map executable.
 *
 * Each mapping has a record, linked in two lists: its space's and its
 * frame's. A frame may be mapped many times
 * (in one space or several). Destroying a frame unmaps it everywhere before
 * its page goes back to the allocator; destroying a space drops its
 * mappings and gives every table back.
 *
 * A space may also own anonymous pages (vm_map_anon: the loader's program
 * and stack pages), which are no frame object: such a mapping's page is
 * taken from the allocator when it is mapped and given back when it is
 * unmapped or its space is destroyed. Their records are in no frame list.
 *
 * Kernel memory: the translation tables of a space are charged to it. Each
 * space has a table quota, fixed by its creator when it is made (0 means
 * VM_QUOTA_DEFAULT; at most VM_QUOTA_MAX), counting its root; `tables` is
 * what it holds now, never above the quota. The quota is a reservation,
 * not only a limit: vm_space_create reserves all of it in the frame
 * allocator (frame_alloc_reserve: counted, not taken, see
 * kernel/mm/frame_alloc.h) or fails with STATUS_NO_MEMORY, changing
 * nothing. A space's tables are then taken only out of its own
 * reservation (frame_alloc_one_reserved) and go back into it when an
 * unmap empties them, so at every moment the allocator's reserved count
 * is the sum over spaces of quota - tables (vm_reserved_count), and a map
 * within the quota never fails for lack of memory: a map that would take a
 * table past the quota fails with STATUS_QUOTA and changes nothing, and
 * one space filling its quota takes nothing any other space, frame or
 * spawn could have had. Destroying a space returns its tables and ends
 * its reservation. A table an unmap leaves empty is unlinked (its cached
 * walks invalidated by ASID and address) and given back at once, the root
 * excepted, so unmapping everything brings the space back to its root
 * alone. Frames and anonymous pages are not tables: they come from the
 * unreserved pool (frame_alloc_one), so they can never eat a space's
 * reservation.
 *
 * Mapping records are kernel memory charged the same way: they live in
 * record pages (VM_RECORDS_PER_PAGE records each) taken from the space's
 * own reservation when its free records run out, counted with its tables
 * against its quota (tables + record_pages <= quota), at most
 * VM_RECORD_PAGES_MAX per space. So a space that maps as much as its quota
 * allows takes no record any other space could have used. A record page
 * stays with its space (its records reused by later maps) until the space
 * is destroyed. A record's index names its space, page and slot
 * (VM_RECORD_INDEX), so any record is reached in constant time through the
 * direct map.
 *
 * Every call checks everything, takes what it needs (records, frames) and
 * only then changes state; on error nothing changed: no record, frame or
 * table leaked. No global state besides what hal/mmu.h keeps; the caller
 * serialises calls.
 */

#include <stdbool.h>
#include <stdint.h>

#include "hal/addr.h"
#include "hal/mmu.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/obj/obj.h"

#include "kernel/abi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Records in a record page: a record is 64 bytes. */
#define VM_RECORDS_PER_PAGE 64u
/** Record pages a space may hold, so at most 4096 mappings per space. */
#ifndef VM_RECORD_PAGES_MAX
#define VM_RECORD_PAGES_MAX 64u
#endif
/** A record's index: its space, its page within the space, its slot. */
#define VM_RECORD_INDEX(space, page, slot) ((int32_t)(((space) << 16) | ((page) << 6) | (slot)))
#define VM_RECORD_SPACE(m) ((uint32_t)(m) >> 16)
#define VM_RECORD_PAGE(m) (((uint32_t)(m) >> 6) & 0x3ffu)
#define VM_RECORD_SLOT(m) ((uint32_t)(m) & 0x3fu)

/**
 * Table quotas of a space (its root included): VM_QUOTA_DEFAULT when the
 * creator asks for 0 (room for a loaded program and some dozens of
 * mappings spread over the address space: a fresh 1 GiB region costs up to
 * 3 tables, a fresh 2 MiB region 1), VM_QUOTA_MAX at most (4 MiB of
 * tables). The whole quota is reserved while the space exists.
 */
#ifndef VM_QUOTA_DEFAULT
#define VM_QUOTA_DEFAULT 64u
#endif
#define VM_QUOTA_MAX 1024u

/** No record (list ends). */
#define VM_NIL (-1)
/** vm_mapping.frame of an anonymous page (owned by its space, no frame object). */
#define VM_ANON UINT32_MAX

_Static_assert(OBJ_MAX_ADDRESS_SPACES + 1 <= HAL_MMU_ASID_LIMIT, "each space has its own ASID");
_Static_assert(OBJ_MAX_ADDRESS_SPACES <= 0x7fff, "a record index's space fits 15 bits");
_Static_assert(VM_RECORD_PAGES_MAX <= 0x400, "a record index's page fits 10 bits");
_Static_assert(VM_RECORDS_PER_PAGE == 64, "a record index's slot is 6 bits");
_Static_assert(FRAME_SIZE == HAL_MMU_PAGE_SIZE, "a frame is one page");

/** One frame object. */
struct vm_frame {
    /** Physical address of the page; meaningful while used. */
    paddr_t pa;
    /** First mapping of this frame, or VM_NIL. */
    int32_t first;
    /** Mappings of this frame. */
    uint32_t mappings;
    /** 1 while the frame object exists. */
    uint32_t used;
    /** Mappings of this frame with HAL_MMU_WRITE, and with HAL_MMU_EXEC: never both non-zero. */
    uint32_t writable;
    uint32_t executable;
    /**
     * 1 for a device frame (vm_frame_create_device): pa is a page of MMIO,
     * mapped Device-nGnRE and never executable, not the allocator's.
     */
    uint32_t device;
};

/** One address-space object. */
struct vm_space {
    /** Physical address of the root table; meaningful while used. */
    paddr_t root;
    /** First mapping in this space, or VM_NIL. */
    int32_t first;
    /** Mappings in this space. */
    uint32_t mappings;
    /** Translation tables the space holds, its root included. */
    uint32_t tables;
    /** The most kernel pages it may hold (tables + record_pages <= quota), fixed at creation. */
    uint32_t quota;
    /** 1 while the space object exists. */
    uint32_t used;
    /** Record pages it holds, and their physical addresses. */
    uint32_t record_pages;
    paddr_t pages[VM_RECORD_PAGES_MAX];
    /** First free record in its record pages (linked by next_in_space), or VM_NIL. */
    int32_t free;
};

/** One mapping: frame `frame` (or an anonymous page) at user address va of space `space`. */
struct vm_mapping {
    uint64_t va;
    /** The page mapped. */
    paddr_t pa;
    uint32_t space;
    /** The frame object's index, or VM_ANON. */
    uint32_t frame;
    /** Current permissions and the most they may become (HAL_MMU_*). */
    uint32_t perms;
    uint32_t max_perms;
    /** 1 while the record is in use; else it is on the free list. */
    uint32_t used;
    /** Links in the space's list and the frame's list (free list: next_in_space). */
    int32_t next_in_space;
    int32_t prev_in_space;
    int32_t next_in_frame;
    int32_t prev_in_frame;
    /** What the mapping was made through (vm_map's owner), or VM_NIL (anonymous pages too). */
    int32_t owner;
    uint32_t pad[2];
};

_Static_assert(sizeof(struct vm_mapping) * VM_RECORDS_PER_PAGE == HAL_MMU_PAGE_SIZE,
               "a record page holds VM_RECORDS_PER_PAGE records");

/** All memory objects of one kernel. Fields private to kernel/vm (declared for placement). */
struct vm {
    struct vm_space spaces[OBJ_MAX_ADDRESS_SPACES];
    struct vm_frame frames[OBJ_MAX_FRAMES];
    /** Records in use. */
    uint32_t used;
    /** Records of anonymous pages (each holds one page from the allocator). */
    uint32_t anon;
};

/** Every space and frame unused. */
void vm_init(struct vm *vm);

/** The ASID of space index i (i + 1). */
uint32_t vm_space_asid(uint32_t space);

/**
 * Makes frame object `frame`: takes a page from fa and zeroes it. Returns
 * STATUS_INVALID_ARGUMENT (null pointer, index out of range, in use) or
 * STATUS_NO_MEMORY (fa empty); on error nothing changed.
 */
status_t vm_frame_create(struct vm *vm, struct frame_alloc *fa, uint32_t frame);

/**
 * Makes frame object `frame` a device frame over the MMIO page at pa
 * (page aligned; the caller checked that it is a device's, not RAM): no
 * page is taken, nothing is written to it. Its mappings are Device-nGnRE
 * and never executable (vm_map refuses HAL_MMU_EXEC and drops it from the
 * ceiling). Returns STATUS_INVALID_ARGUMENT (null vm, index out of range,
 * in use) or STATUS_MISALIGNED; on error nothing changed.
 */
status_t vm_frame_create_device(struct vm *vm, uint32_t frame, paddr_t pa);

/**
 * Destroys frame object `frame`: unmaps it from every space (invalidating
 * each page in the TLB), then gives its page back to fa. Returns
 * STATUS_INVALID_ARGUMENT (null pointer, out of range, not in use). A
 * device frame's page is no RAM: it is only unmapped.
 */
status_t vm_frame_destroy(struct vm *vm, struct frame_alloc *fa, uint32_t frame);

/**
 * Makes space object `space`: reserves its table quota (quota, 0 meaning
 * VM_QUOTA_DEFAULT, the root counted) in fa and takes an empty root table
 * out of that reservation. Returns STATUS_INVALID_ARGUMENT (null pointer,
 * index out of range, in use, quota above VM_QUOTA_MAX) or
 * STATUS_NO_MEMORY (fewer frames available than the quota); on error
 * nothing changed, in fa either.
 */
status_t vm_space_create(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint32_t quota);

/**
 * Destroys space object `space`: forgets its mappings (the frames stay,
 * its anonymous pages go back to fa), invalidates its ASID, gives every
 * table back to fa and ends its reservation. Returns
 * STATUS_INVALID_ARGUMENT (null pointer, out of range, not in use).
 */
status_t vm_space_destroy(struct vm *vm, struct frame_alloc *fa, uint32_t space);

/**
 * Maps frame at user address va of space with perms (HAL_MMU_*), which must
 * lie within max_perms; protect may later change perms within max_perms.
 * owner is what the mapping was made through (see Authority above), or
 * VM_NIL; it is not checked.
 * New tables come from the space's reservation in fa; the ones not used go
 * back into it. Returns, with nothing
 * changed: STATUS_INVALID_ARGUMENT (null pointer, index out of range or
 * not in use, unknown bits in perms or max_perms), STATUS_PERMISSION
 * (perms not within max_perms, no READ, WRITE with EXEC),
 * STATUS_WX_CONFLICT (WRITE while the frame is mapped executable
 * elsewhere, or EXEC while it is mapped writable), STATUS_MISALIGNED
 * (va), STATUS_OUT_OF_RANGE (va not below HAL_MMU_USER_TOP),
 * STATUS_ALREADY_MAPPED, STATUS_QUOTA (the tables the walk adds, and a
 * record page if the space has no free record, would pass the space's
 * quota, or it holds VM_RECORD_PAGES_MAX record pages already). Never
 * STATUS_NO_MEMORY: tables and records come from the space's reservation.
 */
status_t vm_map(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint32_t frame, uint64_t va,
                uint32_t perms, uint32_t max_perms, int32_t owner);

/**
 * Unmaps every mapping of frame whose owner is owner (not VM_NIL), in
 * every space, invalidating each page in the TLB by ASID and address; the
 * tables this empties go back to fa (with fa null they stay, charged to
 * their space, for later maps). Returns how many; 0 for a null vm, a frame
 * out of range or not in use. Cannot fail.
 */
uint32_t vm_unmap_owner(struct vm *vm, struct frame_alloc *fa, uint32_t frame, int32_t owner);

/**
 * Gives every mapping of frame whose owner is from (not VM_NIL) the owner
 * to instead (the capability moved). Returns how many. Cannot fail.
 */
uint32_t vm_rehome(struct vm *vm, uint32_t frame, int32_t from, int32_t to);

/** The record at index m if it names a record page of a space in use and is in use, else NULL. */
const struct vm_mapping *vm_mapping_at(const struct vm *vm, int32_t m);

/** The first mapping of space (follow next_in_space), or VM_NIL (none, or no such space). */
int32_t vm_space_first_mapping(const struct vm *vm, uint32_t space);

/**
 * Maps a new zeroed anonymous page, owned by the space, at user address va
 * with perms, which are also its ceiling for protect (a loaded segment
 * keeps its ELF permissions: text never writable, data and stack never
 * executable); its physical address goes to *pa (non-NULL) so the caller may
 * fill it through the direct map. The page comes from fa's unreserved
 * frames, its tables from the space's reservation. Errors as vm_map
 * (STATUS_NO_MEMORY also when fa has no unreserved page), with nothing
 * changed.
 */
status_t vm_map_anon(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint64_t va,
                     uint32_t perms, paddr_t *pa);

/**
 * Unmaps the page at va of space and invalidates it in the TLB; an
 * anonymous page, and every table the unmap leaves empty (the root
 * excepted), go back to fa. Returns, with nothing changed:
 * STATUS_INVALID_ARGUMENT (null vm or fa, space out of range or not in
 * use), STATUS_MISALIGNED, STATUS_OUT_OF_RANGE, STATUS_NOT_MAPPED.
 */
status_t vm_unmap(struct vm *vm, struct frame_alloc *fa, uint32_t space, uint64_t va);

/**
 * Changes the permissions of the page at va of space to perms (within the
 * mapping's max_perms). Errors as vm_unmap, and STATUS_INVALID_ARGUMENT
 * (unknown bits), STATUS_PERMISSION (beyond max_perms, no READ, W+X) or
 * STATUS_WX_CONFLICT (as vm_map, counting the frame's other mappings).
 */
status_t vm_protect(struct vm *vm, uint32_t space, uint64_t va, uint32_t perms);

/** The root table of a space in use (for copy_from_user and TTBR0), or 0. */
paddr_t vm_space_root(const struct vm *vm, uint32_t space);

/**
 * Frames the spaces have reserved and not yet spent on tables or record
 * pages: the sum of quota - tables - record_pages over every space in use. Equals
 * frame_alloc_reserved_count of the allocator the spaces use when it has
 * no other reservation (for tests and invariant checks).
 */
uint64_t vm_reserved_count(const struct vm *vm);

/** Records in use (for tests and invariant checks). */
uint32_t vm_mapping_count(const struct vm *vm);

/** Anonymous pages mapped, in all spaces (each holds one page of the allocator). */
uint32_t vm_anon_count(const struct vm *vm);

/**
 * Checks the bookkeeping: list links consistent and acyclic, per-space and
 * per-frame counts equal to their lists, records used only by spaces and
 * frames in use, each space's free list plus its used records cover its
 * record pages, and each record's page translates (hal_mmu_user_translate)
 * to its frame, and each space's table count equals the tables its tree
 * really holds (hal_mmu_table_count) and with its record pages is within
 * its quota. Returns
 * STATUS_OK or STATUS_BAD_FORMAT. For tests and fuzzers.
 */
status_t vm_check_invariants(const struct vm *vm);

#ifdef __cplusplus
}
#endif
