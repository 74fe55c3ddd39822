// Tests for kernel/cap: every error of lookup, insert, derive, transfer,
// delete and revoke; rights attenuation; derivation chains; revoke across
// tables; stale handles; that every failed call leaves the whole space byte
// for byte unchanged; objects destroyed with their last capability; and a
// seeded random sequence of operations with the invariants checked after
// every step.

#include "kernel/cap/cap.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "kernel/obj/obj.h"

#include "gtest/gtest.h"

namespace {

constexpr uint32_t kA = 0;
constexpr uint32_t kB = 1;
constexpr uint32_t kC = 2;

class CapTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        space_ = std::make_unique<cap_space>();
        before_ = std::make_unique<cap_space>();
        cap_space_init(space_.get());
    }

    void TearDown() override
    {
        EXPECT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    }

    obj_ref NewObject(uint32_t kind)
    {
        obj_ref ref{};
        EXPECT_EQ(STATUS_OK, obj_alloc(&space_->objects, kind, &ref));
        return ref;
    }

    /** A new endpoint with one root capability in table. */
    handle_t NewCap(uint32_t table, rights_t rights = RIGHTS_ALL, uint32_t kind = OBJECT_ENDPOINT)
    {
        handle_t h = HANDLE_NONE;
        EXPECT_EQ(STATUS_OK, cap_insert_new(space_.get(), table, NewObject(kind), rights, &h));
        return h;
    }

    cap *Get(uint32_t table, handle_t h)
    {
        cap *c = nullptr;
        EXPECT_EQ(STATUS_OK, cap_lookup(space_.get(), table, h, OBJECT_NONE, 0, &c));
        return c;
    }

    void Snapshot()
    {
        std::memcpy(before_.get(), space_.get(), sizeof(cap_space));
    }

    bool Unchanged()
    {
        return std::memcmp(before_.get(), space_.get(), sizeof(cap_space)) == 0;
    }

    /** Fills the rest of a table with root capabilities. */
    void Fill(uint32_t table)
    {
        while (cap_table_count(space_.get(), table) < CAP_TABLE_SLOTS) {
            NewCap(table);
        }
    }

    std::unique_ptr<cap_space> space_;
    std::unique_ptr<cap_space> before_;
};

TEST_F(CapTest, LookupFindsCapability)
{
    handle_t h = NewCap(kA, RIGHT_SEND | RIGHT_RECV);
    EXPECT_EQ(0u, handle_slot(h));
    EXPECT_EQ(1u, handle_generation(h));
    cap *c = nullptr;
    ASSERT_EQ(STATUS_OK,
              cap_lookup(space_.get(), kA, h, OBJECT_ENDPOINT, RIGHT_SEND | RIGHT_RECV, &c));
    EXPECT_EQ(uint32_t{OBJECT_ENDPOINT}, c->object.kind);
    EXPECT_EQ(RIGHT_SEND | RIGHT_RECV, c->rights);
    EXPECT_EQ(1u, cap_table_count(space_.get(), kA));
    EXPECT_EQ(1u, obj_slot_of(&space_->objects, c->object)->refs);
}

TEST_F(CapTest, LookupErrors)
{
    handle_t h = NewCap(kA, RIGHT_SEND);
    cap *c = nullptr;
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_lookup(nullptr, kA, h, OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_lookup(space_.get(), kA, h, OBJECT_NONE, 0, nullptr));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              cap_lookup(space_.get(), CAP_MAX_TABLES, h, OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_lookup(space_.get(), kA, HANDLE_NONE, OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_BAD_HANDLE,
              cap_lookup(space_.get(), kA, h | (1ull << 60), OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_BAD_HANDLE,
              cap_lookup(space_.get(), kA, handle_make(CAP_TABLE_SLOTS, 1), OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_BAD_HANDLE,
              cap_lookup(space_.get(), kA, handle_make(1, 1), OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_lookup(space_.get(), kB, h, OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_STALE_HANDLE,
              cap_lookup(space_.get(), kA, handle_make(0, 2), OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_WRONG_KIND, cap_lookup(space_.get(), kA, h, OBJECT_TASK, 0, &c));
    EXPECT_EQ(STATUS_MISSING_RIGHT,
              cap_lookup(space_.get(), kA, h, OBJECT_ENDPOINT, RIGHT_SEND | RIGHT_RECV, &c));
    EXPECT_EQ(nullptr, c);
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, StaleAfterDelete)
{
    handle_t h = NewCap(kA);
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, h));
    cap *c = nullptr;
    Snapshot();
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kA, h, OBJECT_NONE, 0, &c));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_delete(space_.get(), kA, h));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_revoke(space_.get(), kA, h));
    handle_t out = HANDLE_NONE;
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_derive(space_.get(), kA, h, 0, &out));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_transfer(space_.get(), kA, h, kB, false, &out));
    EXPECT_TRUE(Unchanged());
    // The slot is reused with the next generation; the old handle stays stale.
    handle_t again = NewCap(kA);
    EXPECT_EQ(handle_slot(h), handle_slot(again));
    EXPECT_EQ(2u, handle_generation(again));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kA, h, OBJECT_NONE, 0, &c));
}

TEST_F(CapTest, SlotGenerationWrapsSkippingZero)
{
    handle_t h = NewCap(kA);
    space_->tables[kA].slots[handle_slot(h)].generation = UINT32_MAX;
    h = handle_make(handle_slot(h), UINT32_MAX);
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, h));
    EXPECT_EQ(1u, space_->tables[kA].slots[handle_slot(h)].generation);
}

TEST_F(CapTest, InsertNewErrors)
{
    obj_ref obj = NewObject(OBJECT_FRAME);
    handle_t out = HANDLE_NONE;
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_insert_new(nullptr, kA, obj, 0, &out));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_insert_new(space_.get(), kA, obj, 0, nullptr));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_insert_new(space_.get(), CAP_MAX_TABLES, obj, 0, &out));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_insert_new(space_.get(), kA, obj, RIGHTS_ALL + 1, &out));
    obj_ref bad = obj;
    bad.index = OBJ_MAX_FRAMES;
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_insert_new(space_.get(), kA, bad, 0, &out));
    EXPECT_TRUE(Unchanged());

    ASSERT_EQ(STATUS_OK, obj_destroy(&space_->objects, obj));
    Snapshot();
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_insert_new(space_.get(), kA, obj, 0, &out));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, InsertNewTableFull)
{
    Fill(kA);
    obj_ref obj = NewObject(OBJECT_TASK);
    handle_t out = HANDLE_NONE;
    Snapshot();
    EXPECT_EQ(STATUS_TABLE_FULL, cap_insert_new(space_.get(), kA, obj, RIGHTS_ALL, &out));
    EXPECT_TRUE(Unchanged());
    EXPECT_EQ(0u, obj_slot_of(&space_->objects, obj)->refs);
    EXPECT_EQ(STATUS_OK, cap_insert_new(space_.get(), kB, obj, RIGHTS_ALL, &out));
}

TEST_F(CapTest, DeriveAttenuatesRights)
{
    handle_t root = NewCap(kA, RIGHT_DERIVE | RIGHT_SEND | RIGHT_RECV);
    handle_t child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHT_DERIVE | RIGHT_SEND, &child));
    cap *c = Get(kA, child);
    EXPECT_EQ(RIGHT_DERIVE | RIGHT_SEND, c->rights);
    EXPECT_EQ(Get(kA, root)->object.index, c->object.index);
    EXPECT_EQ(2u, obj_slot_of(&space_->objects, c->object)->refs);

    handle_t out = HANDLE_NONE;
    Snapshot();
    // Rights only narrow: RECV is gone from the child, GRANT was never there.
    EXPECT_EQ(STATUS_MISSING_RIGHT,
              cap_derive(space_.get(), kA, child, RIGHT_DERIVE | RIGHT_RECV, &out));
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_derive(space_.get(), kA, root, RIGHT_GRANT, &out));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_derive(space_.get(), kA, root, 0, nullptr));
    EXPECT_TRUE(Unchanged());

    handle_t leaf = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, child, RIGHT_SEND, &leaf));
    Snapshot();
    // Without RIGHT_DERIVE nothing can be derived, not even a capability with no rights.
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_derive(space_.get(), kA, leaf, 0, &out));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, DeriveChainLinks)
{
    handle_t h[5];
    h[0] = NewCap(kA);
    rights_t rights = RIGHTS_ALL;
    for (int i = 1; i < 5; i++) {
        rights &= ~(RIGHT_SEND << (i - 1));
        ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, h[i - 1], rights, &h[i]));
        ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    }
    for (int i = 1; i < 5; i++) {
        EXPECT_EQ(Get(kA, h[i])->parent, int32_t(handle_slot(h[i - 1])));
        EXPECT_EQ(Get(kA, h[i - 1])->first_child, int32_t(handle_slot(h[i])));
    }
    EXPECT_EQ(CAP_NIL, Get(kA, h[4])->first_child);
}

TEST_F(CapTest, DeriveTableFullChangesNothing)
{
    handle_t root = NewCap(kA);
    Fill(kA);
    handle_t out = HANDLE_NONE;
    Snapshot();
    EXPECT_EQ(STATUS_TABLE_FULL, cap_derive(space_.get(), kA, root, RIGHT_SEND, &out));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, TransferCopyIsChildWithSameRights)
{
    handle_t src = NewCap(kA, RIGHT_GRANT | RIGHT_SEND);
    handle_t copy = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, src, kB, false, &copy));
    cap *c = Get(kB, copy);
    EXPECT_EQ(RIGHT_GRANT | RIGHT_SEND, c->rights);
    EXPECT_EQ(int32_t(kA * CAP_TABLE_SLOTS + handle_slot(src)), c->parent);
    Get(kA, src); // the source stays
    EXPECT_EQ(2u, obj_slot_of(&space_->objects, c->object)->refs);
}

TEST_F(CapTest, TransferErrors)
{
    handle_t no_grant = NewCap(kA, RIGHT_SEND);
    handle_t src = NewCap(kA, RIGHT_GRANT);
    handle_t out = HANDLE_NONE;
    Snapshot();
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_transfer(space_.get(), kA, no_grant, kB, false, &out));
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_transfer(space_.get(), kA, no_grant, kB, true, &out));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              cap_transfer(space_.get(), kA, src, CAP_MAX_TABLES, false, &out));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT,
              cap_transfer(space_.get(), CAP_MAX_TABLES, src, kB, false, &out));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_transfer(space_.get(), kA, src, kB, false, nullptr));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_transfer(space_.get(), kB, src, kA, false, &out));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, TransferToFullTableChangesNothing)
{
    handle_t src = NewCap(kA, RIGHT_GRANT | RIGHT_DERIVE);
    handle_t child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, src, RIGHT_GRANT, &child));
    Fill(kB);
    handle_t out = HANDLE_NONE;
    Snapshot();
    EXPECT_EQ(STATUS_TABLE_FULL, cap_transfer(space_.get(), kA, src, kB, false, &out));
    EXPECT_EQ(STATUS_TABLE_FULL, cap_transfer(space_.get(), kA, src, kB, true, &out));
    EXPECT_EQ(STATUS_TABLE_FULL, cap_transfer(space_.get(), kA, child, kB, true, &out));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, TransferMoveKeepsPlaceInTree)
{
    handle_t root = NewCap(kA);
    handle_t mid = HANDLE_NONE;
    handle_t sibling = HANDLE_NONE;
    handle_t leaf = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &sibling));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &mid));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, mid, RIGHT_SEND, &leaf));
    uint32_t refs = obj_slot_of(&space_->objects, Get(kA, root)->object)->refs;

    handle_t moved = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, mid, kB, true, &moved));
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    cap *c = nullptr;
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kA, mid, OBJECT_NONE, 0, &c));
    int32_t moved_pos = int32_t(kB * CAP_TABLE_SLOTS + handle_slot(moved));
    EXPECT_EQ(int32_t(handle_slot(root)), Get(kB, moved)->parent);
    EXPECT_EQ(moved_pos, Get(kA, leaf)->parent);
    EXPECT_EQ(moved_pos, Get(kA, root)->first_child);
    EXPECT_EQ(refs, obj_slot_of(&space_->objects, Get(kA, root)->object)->refs);
    EXPECT_EQ(3u, cap_table_count(space_.get(), kA));
    EXPECT_EQ(1u, cap_table_count(space_.get(), kB));

    // Revoking the root still reaches the moved capability and its child.
    ASSERT_EQ(STATUS_OK, cap_revoke(space_.get(), kA, root));
    EXPECT_EQ(1u, cap_table_count(space_.get(), kA));
    EXPECT_EQ(0u, cap_table_count(space_.get(), kB));
}

TEST_F(CapTest, DeleteReparentsChildren)
{
    handle_t root = NewCap(kA);
    handle_t first = HANDLE_NONE;
    handle_t mid = HANDLE_NONE;
    handle_t last = HANDLE_NONE;
    handle_t k1 = HANDLE_NONE;
    handle_t k2 = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &last));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &mid));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &first));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, mid, RIGHT_SEND, &k2));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, mid, RIGHT_RECV, &k1));

    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, mid));
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    // The children take mid's place: root -> first, k1, k2, last.
    int32_t expect[] = {int32_t(handle_slot(first)), int32_t(handle_slot(k1)),
                        int32_t(handle_slot(k2)), int32_t(handle_slot(last))};
    int32_t pos = Get(kA, root)->first_child;
    for (int32_t want : expect) {
        ASSERT_EQ(want, pos);
        EXPECT_EQ(int32_t(handle_slot(root)), space_->tables[kA].slots[pos].parent);
        pos = space_->tables[kA].slots[pos].next_sibling;
    }
    EXPECT_EQ(CAP_NIL, pos);
}

TEST_F(CapTest, DeleteRootMakesChildrenRoots)
{
    handle_t root = NewCap(kA);
    handle_t a = HANDLE_NONE;
    handle_t b = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &a));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHT_SEND, &b));
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, root));
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    EXPECT_EQ(CAP_NIL, Get(kA, a)->parent);
    EXPECT_EQ(CAP_NIL, Get(kA, b)->parent);
    EXPECT_EQ(CAP_NIL, Get(kA, a)->next_sibling);
    EXPECT_EQ(CAP_NIL, Get(kA, b)->prev_sibling);
}

TEST_F(CapTest, DeleteErrors)
{
    NewCap(kA);
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_delete(nullptr, kA, handle_make(0, 1)));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_delete(space_.get(), CAP_MAX_TABLES, 1));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_delete(space_.get(), kA, handle_make(5, 1)));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_delete(space_.get(), kA, HANDLE_NONE));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_delete(space_.get(), kA, handle_make(0, 7)));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, LastCapabilityDestroysObject)
{
    handle_t root = NewCap(kA, RIGHTS_ALL, OBJECT_NOTIFICATION);
    obj_ref obj = Get(kA, root)->object;
    handle_t copy = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, root, kB, false, &copy));
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, root));
    EXPECT_EQ(STATUS_OK, obj_check(&space_->objects, obj, OBJECT_NOTIFICATION));
    EXPECT_EQ(1u, obj_count(&space_->objects, OBJECT_NOTIFICATION));
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kB, copy));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(&space_->objects, obj, OBJECT_NOTIFICATION));
    EXPECT_EQ(0u, obj_count(&space_->objects, OBJECT_NOTIFICATION));
}

TEST_F(CapTest, DestroyedObjectMakesCapabilitiesStale)
{
    handle_t root = NewCap(kA, RIGHTS_ALL, OBJECT_TASK);
    handle_t child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &child));
    obj_ref obj = Get(kA, root)->object;
    ASSERT_EQ(STATUS_OK, obj_destroy(&space_->objects, obj));
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));

    cap *c = nullptr;
    handle_t out = HANDLE_NONE;
    Snapshot();
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kA, root, OBJECT_TASK, 0, &c));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_derive(space_.get(), kA, root, 0, &out));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_transfer(space_.get(), kA, root, kB, true, &out));
    EXPECT_TRUE(Unchanged());

    // Cleanup still works; the slot is freed with the last capability.
    ASSERT_EQ(STATUS_OK, cap_revoke(space_.get(), kA, root));
    EXPECT_EQ(OBJ_SLOT_ZOMBIE, obj_slot_of(&space_->objects, obj)->state);
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, root));
    EXPECT_EQ(OBJ_SLOT_FREE, obj_slot_of(&space_->objects, obj)->state);
}

TEST_F(CapTest, RevokeAcrossThreeTables)
{
    handle_t a = NewCap(kA);
    handle_t a2 = HANDLE_NONE;
    handle_t b = HANDLE_NONE;
    handle_t b2 = HANDLE_NONE;
    handle_t c = HANDLE_NONE;
    handle_t c_moved = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, a, RIGHTS_ALL & ~RIGHT_WATCH, &a2));
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, a2, kB, false, &b));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kB, b, RIGHT_GRANT | RIGHT_SEND, &b2));
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kB, b2, kC, false, &c));
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kC, c, kC, true, &c_moved));
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    obj_ref obj = Get(kA, a)->object;
    EXPECT_EQ(5u, obj_slot_of(&space_->objects, obj)->refs);

    ASSERT_EQ(STATUS_OK, cap_revoke(space_.get(), kA, a));
    EXPECT_EQ(1u, cap_table_count(space_.get(), kA));
    EXPECT_EQ(0u, cap_table_count(space_.get(), kB));
    EXPECT_EQ(0u, cap_table_count(space_.get(), kC));
    EXPECT_EQ(1u, obj_slot_of(&space_->objects, obj)->refs);
    cap *x = nullptr;
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kA, a2, OBJECT_NONE, 0, &x));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kB, b, OBJECT_NONE, 0, &x));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kB, b2, OBJECT_NONE, 0, &x));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_lookup(space_.get(), kC, c_moved, OBJECT_NONE, 0, &x));
    EXPECT_EQ(CAP_NIL, Get(kA, a)->first_child);
}

TEST_F(CapTest, RevokeMiddleKeepsAncestors)
{
    handle_t a = NewCap(kA);
    handle_t b = HANDLE_NONE;
    handle_t c = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, a, RIGHTS_ALL, &b));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, b, RIGHTS_ALL, &c));
    ASSERT_EQ(STATUS_OK, cap_revoke(space_.get(), kA, b));
    EXPECT_EQ(2u, cap_table_count(space_.get(), kA));
    Get(kA, a);
    Get(kA, b);
}

TEST_F(CapTest, RevokeErrors)
{
    handle_t h = NewCap(kA, RIGHTS_ALL & ~RIGHT_REVOKE);
    handle_t child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, h, 0, &child));
    Snapshot();
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_revoke(space_.get(), kA, h));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_revoke(space_.get(), CAP_MAX_TABLES, h));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_revoke(space_.get(), kA, handle_make(9, 1)));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, DeleteTable)
{
    handle_t a = NewCap(kA);
    handle_t b = HANDLE_NONE;
    handle_t b_child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, a, kB, false, &b));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kB, b, RIGHTS_ALL, &b_child));
    handle_t a_child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kB, b_child, kA, false, &a_child));
    NewCap(kB);
    obj_ref obj = Get(kA, a)->object;

    ASSERT_EQ(STATUS_OK, cap_delete_table(space_.get(), kB));
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    EXPECT_EQ(0u, cap_table_count(space_.get(), kB));
    EXPECT_EQ(int32_t(handle_slot(a)), Get(kA, a_child)->parent);
    EXPECT_EQ(2u, obj_slot_of(&space_->objects, obj)->refs);
    EXPECT_EQ(1u, obj_count(&space_->objects, OBJECT_ENDPOINT));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_delete_table(space_.get(), CAP_MAX_TABLES));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_delete_table(nullptr, kA));
}

TEST_F(CapTest, InvariantCheckerCatchesCorruption)
{
    handle_t a = NewCap(kA);
    handle_t b = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, a, RIGHT_SEND, &b));
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
    cap *ca = Get(kA, a);
    cap *cb = Get(kA, b);
    obj_slot *obj = &space_->objects.slots[obj_position(ca->object)];

    cb->rights = RIGHTS_ALL; // a child with more rights than its parent
    ca->rights = RIGHT_SEND;
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    ca->rights = RIGHTS_ALL;
    cb->rights = RIGHT_SEND;

    obj->refs++; // a reference with no capability
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    obj->refs--;

    int32_t saved = cb->parent; // a one-way link
    cb->parent = CAP_NIL;
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    cb->parent = saved;

    // A cycle: a becomes b's child as well as its parent.
    ca->parent = int32_t(handle_slot(b));
    cb->first_child = int32_t(handle_slot(a));
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    ca->parent = CAP_NIL;
    cb->first_child = CAP_NIL;

    space_->tables[kA].used++; // a count that does not match the slots
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    space_->tables[kA].used--;
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_check_invariants(nullptr));
}

TEST_F(CapTest, BadgeMakesABadgedChildKeptByDeriveCopyAndMove)
{
    handle_t a = NewCap(kA);
    handle_t b = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_badge(space_.get(), kA, a, RIGHT_SEND | RIGHT_DERIVE | RIGHT_GRANT,
                                   UINT64_MAX, &b));
    EXPECT_EQ(UINT64_MAX, Get(kA, b)->badge);
    EXPECT_EQ(0u, Get(kA, a)->badge);
    EXPECT_EQ(cap_position(space_.get(), Get(kA, a)), Get(kA, b)->parent);
    EXPECT_EQ(RIGHT_SEND | RIGHT_DERIVE | RIGHT_GRANT, Get(kA, b)->rights);
    handle_t c = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, b, RIGHT_SEND | RIGHT_GRANT, &c));
    EXPECT_EQ(UINT64_MAX, Get(kA, c)->badge);
    handle_t copy = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, c, kB, false, &copy));
    EXPECT_EQ(UINT64_MAX, Get(kB, copy)->badge);
    handle_t moved = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, c, kC, true, &moved));
    EXPECT_EQ(UINT64_MAX, Get(kC, moved)->badge);
    // Revoking the unbadged source deletes every badged descendant.
    ASSERT_EQ(STATUS_OK, cap_revoke(space_.get(), kA, a));
    EXPECT_EQ(1u, cap_table_count(space_.get(), kA));
    EXPECT_EQ(0u, cap_table_count(space_.get(), kB));
    EXPECT_EQ(0u, cap_table_count(space_.get(), kC));
}

TEST_F(CapTest, BadgeErrorsChangeNothing)
{
    handle_t ep = NewCap(kA);
    handle_t frame = NewCap(kA, RIGHTS_ALL, OBJECT_FRAME);
    handle_t no_derive = NewCap(kA, RIGHT_SEND);
    handle_t badged = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_badge(space_.get(), kA, ep, RIGHTS_ALL, 3, &badged));
    handle_t out = HANDLE_NONE;
    Snapshot();
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_badge(space_.get(), kA, ep, RIGHT_SEND, 0, &out));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_badge(space_.get(), kA, ep, RIGHT_SEND, 1, nullptr));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, cap_badge(nullptr, kA, ep, RIGHT_SEND, 1, &out));
    EXPECT_EQ(STATUS_WRONG_KIND, cap_badge(space_.get(), kA, frame, RIGHT_SEND, 1, &out));
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_badge(space_.get(), kA, no_derive, RIGHT_SEND, 1, &out));
    EXPECT_EQ(STATUS_BAD_STATE, cap_badge(space_.get(), kA, badged, RIGHT_SEND, 4, &out));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_badge(space_.get(), kA, HANDLE_NONE, RIGHT_SEND, 1, &out));
    EXPECT_EQ(STATUS_BAD_HANDLE, cap_badge(space_.get(), kB, ep, RIGHT_SEND, 1, &out));
    EXPECT_EQ(HANDLE_NONE, out);
    EXPECT_TRUE(Unchanged());
    handle_t narrow = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, ep, RIGHT_SEND | RIGHT_DERIVE, &narrow));
    Snapshot();
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_badge(space_.get(), kA, narrow, RIGHT_RECV, 1, &out));
    EXPECT_TRUE(Unchanged());
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, narrow));
    Snapshot();
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_badge(space_.get(), kA, narrow, RIGHT_SEND, 1, &out));
    EXPECT_TRUE(Unchanged());
    Fill(kA);
    Snapshot();
    EXPECT_EQ(STATUS_TABLE_FULL, cap_badge(space_.get(), kA, ep, RIGHT_SEND, 1, &out));
    EXPECT_TRUE(Unchanged());
}

TEST_F(CapTest, InvariantCheckerCatchesBadBadges)
{
    handle_t a = NewCap(kA);
    handle_t b = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_badge(space_.get(), kA, a, RIGHTS_ALL, 5, &b));
    handle_t c = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, b, RIGHTS_ALL, &c));
    handle_t f = NewCap(kA, RIGHTS_ALL, OBJECT_FRAME);
    ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get()));

    Get(kA, c)->badge = 6; // a child of a badged capability with another badge
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    Get(kA, c)->badge = 5;
    Get(kA, f)->badge = 1; // a badge on a frame
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    Get(kA, f)->badge = 0;
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, f));
    space_->tables[kA].slots[handle_slot(f)].badge = 1; // an empty slot with a badge
    EXPECT_EQ(STATUS_BAD_FORMAT, cap_check_invariants(space_.get()));
    space_->tables[kA].slots[handle_slot(f)].badge = 0;
    EXPECT_EQ(STATUS_OK, cap_check_invariants(space_.get()));
}

/** Random operations over a few small tables, invariants checked after each. */
class CapRandomTest : public CapTest {
  protected:
    static constexpr uint32_t kTables = 4;

    /** Every used slot of the tables in play, as (table, handle). */
    std::vector<std::pair<uint32_t, handle_t>> Live()
    {
        std::vector<std::pair<uint32_t, handle_t>> live;
        for (uint32_t t = 0; t < kTables; t++) {
            for (uint32_t s = 0; s < CAP_TABLE_SLOTS; s++) {
                const cap &c = space_->tables[t].slots[s];
                if (c.used) {
                    live.emplace_back(t, handle_make(s, c.generation));
                }
            }
        }
        return live;
    }

    /** A live handle most of the time, a stale or garbage one sometimes. */
    std::pair<uint32_t, handle_t> Pick()
    {
        auto live = Live();
        if (!live.empty() && rng_() % 8 != 0) {
            return live[rng_() % live.size()];
        }
        if (!stale_.empty() && rng_() % 2 == 0) {
            return stale_[rng_() % stale_.size()];
        }
        return {uint32_t(rng_() % kTables), handle_make(rng_() % 70, rng_() % 4)};
    }

    rights_t Rights()
    {
        return rng_() % 3 == 0 ? rights_t(rng_() & RIGHTS_ALL) : RIGHTS_ALL;
    }

    status_t Step()
    {
        auto [table, h] = Pick();
        handle_t out = HANDLE_NONE;
        uint32_t to = uint32_t(rng_() % kTables);
        switch (rng_() % 16) {
        case 0:
        case 1:
        case 2: {
            obj_ref obj{};
            status_t st = obj_alloc(&space_->objects, 1 + rng_() % 7, &obj);
            if (st != STATUS_OK) {
                return st;
            }
            Snapshot(); // the failed insert alone must change nothing
            st = cap_insert_new(space_.get(), to, obj, Rights(), &out);
            if (st != STATUS_OK) {
                EXPECT_TRUE(Unchanged());
                EXPECT_EQ(STATUS_OK, obj_destroy(&space_->objects, obj)); // roll back
                Snapshot();
            }
            return st;
        }
        case 3:
        case 4:
        case 5:
            return cap_derive(space_.get(), table, h, Rights(), &out);
        case 6:
        case 7:
        case 8:
            return cap_transfer(space_.get(), table, h, to, rng_() % 2 == 0, &out);
        case 9:
        case 10:
            stale_.emplace_back(table, h);
            return cap_delete(space_.get(), table, h);
        case 11:
            return cap_revoke(space_.get(), table, h);
        case 12:
        case 13:
            return cap_badge(space_.get(), table, h, Rights(), rng_() % 4, &out);
        case 14: {
            cap *c = nullptr;
            status_t st = cap_lookup(space_.get(), table, h, OBJECT_NONE, 0, &c);
            return st == STATUS_OK ? obj_destroy(&space_->objects, c->object) : st;
        }
        default:
            return rng_() % 8 == 0 ? cap_delete_table(space_.get(), to) : STATUS_OK;
        }
    }

    std::mt19937 rng_{20240611};
    std::vector<std::pair<uint32_t, handle_t>> stale_;
};

TEST_F(CapRandomTest, InvariantsHoldAfterEveryStep)
{
    int ok = 0;
    int failed = 0;
    int seen[STATUS_COUNT] = {};
    for (int step = 0; step < 4000; step++) {
        Snapshot();
        status_t st = Step();
        ASSERT_TRUE(st >= 0 && st < STATUS_COUNT);
        seen[st]++;
        if (st == STATUS_OK) {
            ok++;
        } else {
            failed++;
            ASSERT_TRUE(Unchanged())
                << "step " << step << " failed with " << st << " but changed the space";
        }
        ASSERT_EQ(STATUS_OK, cap_check_invariants(space_.get())) << "after step " << step;
    }
    // The sequence exercises both outcomes.
    EXPECT_GT(ok, 1000);
    EXPECT_GT(failed, 100);
    for (status_t st : {STATUS_TABLE_FULL, STATUS_STALE_HANDLE, STATUS_BAD_HANDLE,
                        STATUS_MISSING_RIGHT, STATUS_BAD_STATE, STATUS_WRONG_KIND}) {
        EXPECT_GT(seen[st], 0) << "status " << st << " never seen";
    }
    for (int st = 0; st < STATUS_COUNT; st++) {
        if (seen[st] != 0) {
            std::printf("status %d: %d steps\n", st, seen[st]);
        }
    }
}

// What the hooks saw, in order: ('r', pos, object index, rights) or ('m', from, to).
struct HookEvent {
    char what;
    int32_t a;
    int32_t b;
    uint32_t index;
};
std::vector<HookEvent> g_events;

void RecordRemoved(cap_space *space, int32_t pos)
{
    const cap *c = cap_at_pos(space, pos);
    // Reported while the capability is still whole.
    g_events.push_back({'r', pos, CAP_NIL, c != nullptr ? c->object.index : UINT32_MAX});
}

void RecordMoved(cap_space *space, int32_t from, int32_t to)
{
    const cap *c = cap_at_pos(space, to);
    EXPECT_EQ(nullptr, cap_at_pos(space, from));
    g_events.push_back({'m', from, to, c != nullptr ? c->object.index : UINT32_MAX});
}

const cap_hooks kRecordHooks = {RecordRemoved, RecordMoved};

class CapHookTest : public CapTest {
  protected:
    void SetUp() override
    {
        CapTest::SetUp();
        cap_space_set_hooks(space_.get(), &kRecordHooks);
        g_events.clear();
    }

    int32_t Pos(uint32_t table, handle_t h)
    {
        return cap_position(space_.get(), Get(table, h));
    }
};

TEST_F(CapHookTest, PositionsRoundTrip)
{
    handle_t h = NewCap(kB);
    int32_t pos = Pos(kB, h);
    EXPECT_EQ((int32_t)(kB * CAP_TABLE_SLOTS + handle_slot(h)), pos);
    EXPECT_EQ(Get(kB, h), cap_at_pos(space_.get(), pos));
    EXPECT_EQ(nullptr, cap_at_pos(space_.get(), pos + 1)) << "an empty slot";
    EXPECT_EQ(nullptr, cap_at_pos(space_.get(), CAP_NIL));
    EXPECT_EQ(nullptr, cap_at_pos(space_.get(), CAP_TOTAL_SLOTS));
    EXPECT_EQ(CAP_NIL, cap_position(space_.get(), nullptr));
    cap outside{};
    EXPECT_EQ(CAP_NIL, cap_position(space_.get(), &outside));
}

TEST_F(CapHookTest, DeleteReportsTheCapabilityWhileItIsWhole)
{
    handle_t h = NewCap(kA);
    int32_t pos = Pos(kA, h);
    uint32_t index = Get(kA, h)->object.index;
    ASSERT_EQ(STATUS_OK, cap_delete(space_.get(), kA, h));
    ASSERT_EQ(1u, g_events.size());
    EXPECT_EQ('r', g_events[0].what);
    EXPECT_EQ(pos, g_events[0].a);
    EXPECT_EQ(index, g_events[0].index);
}

TEST_F(CapHookTest, RevokeReportsEveryDescendantInEveryTable)
{
    handle_t root = NewCap(kA);
    handle_t child = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, root, RIGHTS_ALL, &child));
    handle_t in_b = HANDLE_NONE;
    handle_t in_c = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, child, kB, false, &in_b));
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kB, in_b, kC, false, &in_c));
    const int32_t leaf = Pos(kC, in_c);
    std::set<int32_t> want = {Pos(kA, child), Pos(kB, in_b), leaf};
    g_events.clear();
    ASSERT_EQ(STATUS_OK, cap_revoke(space_.get(), kA, root));
    std::set<int32_t> got;
    for (const HookEvent &e : g_events) {
        EXPECT_EQ('r', e.what);
        got.insert(e.a);
    }
    EXPECT_EQ(want, got);
    EXPECT_EQ(3u, g_events.size());
    EXPECT_EQ(leaf, g_events[0].a) << "leaves first";
}

TEST_F(CapHookTest, DeleteTableReportsEachCapability)
{
    NewCap(kB);
    NewCap(kB);
    handle_t other = NewCap(kA);
    ASSERT_EQ(STATUS_OK, cap_delete_table(space_.get(), kB));
    EXPECT_EQ(2u, g_events.size());
    Get(kA, other);
}

TEST_F(CapHookTest, MoveReportsBothPositionsCopyAndDeriveNothing)
{
    handle_t h = NewCap(kA);
    int32_t from = Pos(kA, h);
    handle_t copy = HANDLE_NONE;
    handle_t derived = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, h, kB, false, &copy));
    ASSERT_EQ(STATUS_OK, cap_derive(space_.get(), kA, h, RIGHT_SEND, &derived));
    EXPECT_TRUE(g_events.empty());
    handle_t moved = HANDLE_NONE;
    ASSERT_EQ(STATUS_OK, cap_transfer(space_.get(), kA, h, kC, true, &moved));
    ASSERT_EQ(1u, g_events.size());
    EXPECT_EQ('m', g_events[0].what);
    EXPECT_EQ(from, g_events[0].a);
    EXPECT_EQ(Pos(kC, moved), g_events[0].b);
}

TEST_F(CapHookTest, FailedCallsReportNothing)
{
    handle_t h = NewCap(kA, RIGHT_SEND);
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_revoke(space_.get(), kA, h));
    EXPECT_EQ(STATUS_MISSING_RIGHT, cap_transfer(space_.get(), kA, h, kB, true, &h));
    EXPECT_EQ(STATUS_STALE_HANDLE, cap_delete(space_.get(), kA, h + (1u << HANDLE_SLOT_BITS)));
    EXPECT_TRUE(g_events.empty());
}

} // namespace
