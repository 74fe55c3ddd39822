// libFuzzer target: random sequences of capability operations (badging
// included) on a small capability space; after every step the invariants must hold, and a
// failed operation must leave the space byte for byte unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/cap/cap.h"

namespace {

struct Input {
    const uint8_t *data;
    size_t size;
    uint8_t Byte()
    {
        if (size == 0) {
            return 0;
        }
        size--;
        return *data++;
    }
};

cap_space g_space;
cap_space g_before;

handle_t PickHandle(Input &in)
{
    // Mostly plausible handles (slot 0..7, small generations), sometimes junk.
    uint8_t kind = in.Byte();
    if (kind < 16) {
        return (handle_t)in.Byte() << 40 | in.Byte();
    }
    return handle_make(in.Byte() % 8, 1 + in.Byte() % 4);
}

status_t Step(Input &in)
{
    uint32_t table = in.Byte() % 4;
    uint32_t other = in.Byte() % 4;
    handle_t handle = PickHandle(in);
    handle_t out = HANDLE_NONE;
    switch (in.Byte() % 7) {
    case 0: {
        obj_ref obj;
        uint32_t kind = 1 + in.Byte() % (OBJECT_KIND_COUNT - 1);
        if (obj_alloc(&g_space.objects, kind, &obj) != STATUS_OK) {
            return STATUS_NO_MEMORY;
        }
        if (cap_insert_new(&g_space, table, obj, RIGHTS_ALL, &out) != STATUS_OK) {
            // Allocating and destroying the object changes its generation:
            // report this composite step as one that may change state.
            obj_destroy(&g_space.objects, obj);
            return STATUS_NO_MEMORY;
        }
        return STATUS_OK;
    }
    case 1: {
        uint32_t rights = in.Byte() | (uint32_t)in.Byte() << 8;
        if ((rights & 0x8000u) != 0) {
            // Bit 15 is no right (a derive with it always failed): badge
            // instead, with a badge of 0 (refused) to 3.
            static_assert((RIGHTS_ALL & 0x8000u) == 0, "bit 15 is free");
            return cap_badge(&g_space, table, handle, rights & 0x7fffu, in.Byte() % 4, &out);
        }
        return cap_derive(&g_space, table, handle, rights, &out);
    }
    case 2:
        return cap_transfer(&g_space, table, handle, other, (in.Byte() & 1) != 0, &out);
    case 3:
        return cap_delete(&g_space, table, handle);
    case 4:
        return cap_revoke(&g_space, table, handle);
    case 5:
        return cap_delete_table(&g_space, table);
    default: {
        struct cap *cap = nullptr;
        return cap_lookup(&g_space, table, handle, in.Byte() % OBJECT_KIND_COUNT, in.Byte(), &cap);
    }
    }
}

// The hooks' reports kept as a shadow: each capability gets a tag when first
// seen; a removal must be reported while the capability is in place and clears
// its tag, a move carries the tag along. After every step, a used slot whose
// tag is missing (a move not reported) or an empty one with a tag (a removal
// not reported) is a bug.
uint32_t g_tag[CAP_TOTAL_SLOTS];
uint32_t g_next_tag;

const cap *Slot(int32_t pos)
{
    return &g_space.tables[pos / CAP_TABLE_SLOTS].slots[pos % CAP_TABLE_SLOTS];
}

void Removed(cap_space *space, int32_t pos)
{
    if (space != &g_space || cap_at_pos(space, pos) == nullptr || g_tag[pos] == 0) {
        abort(); // reported for no capability, or one never seen
    }
    g_tag[pos] = 0;
}

void Moved(cap_space *space, int32_t from, int32_t to)
{
    if (space != &g_space || cap_at_pos(space, to) == nullptr || cap_at_pos(space, from) ||
        g_tag[from] == 0 || g_tag[to] != 0) {
        abort();
    }
    g_tag[to] = g_tag[from];
    g_tag[from] = 0;
}

const cap_hooks kHooks = {Removed, Moved};

// Tags what is new; aborts on a report that was missed.
void CheckTags()
{
    for (int32_t pos = 0; pos < CAP_TOTAL_SLOTS; pos++) {
        bool used = Slot(pos)->used != 0;
        if (!used && g_tag[pos] != 0) {
            abort(); // removed or moved away without a report
        }
        if (used && g_tag[pos] == 0) {
            g_tag[pos] = ++g_next_tag; // new: an insert, derive or copy
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cap_space_init(&g_space);
    cap_space_set_hooks(&g_space, &kHooks);
    memset(g_tag, 0, sizeof g_tag);
    g_next_tag = 0;
    Input in{data, size};
    while (in.size > 0) {
        memcpy(&g_before, &g_space, sizeof g_space);
        status_t s = Step(in);
        if (s != STATUS_OK && s != STATUS_NO_MEMORY &&
            memcmp(&g_before, &g_space, sizeof g_space) != 0) {
            abort(); // a failed operation changed state
        }
        if (cap_check_invariants(&g_space) != STATUS_OK) {
            abort();
        }
        CheckTags();
    }
    return 0;
}
