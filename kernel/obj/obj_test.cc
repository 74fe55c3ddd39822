// Tests for kernel/obj: allocation until full for every kind, stale refs
// after destroy and reuse, generation wrap, wrong kind, zombies (destroyed
// objects still named by capabilities), reference counting, and that every
// failed call leaves the arena byte for byte unchanged.

#include "kernel/obj/obj.h"

#include <cstdint>
#include <cstring>
#include <memory>

#include "gtest/gtest.h"

namespace {

class ObjTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        arena_ = std::make_unique<obj_arena>();
        obj_arena_init(arena_.get());
    }

    /** Expects a failed call to have changed nothing. */
    void ExpectUnchanged(const obj_arena &before)
    {
        EXPECT_EQ(0, std::memcmp(&before, arena_.get(), sizeof(before)));
    }

    std::unique_ptr<obj_arena> arena_;
};

TEST_F(ObjTest, CapacitiesMatchDefines)
{
    EXPECT_EQ(0u, obj_capacity(OBJECT_NONE));
    EXPECT_EQ(uint32_t{OBJ_MAX_TASKS}, obj_capacity(OBJECT_TASK));
    EXPECT_EQ(uint32_t{OBJ_MAX_ENDPOINTS}, obj_capacity(OBJECT_ENDPOINT));
    EXPECT_EQ(uint32_t{OBJ_MAX_NOTIFICATIONS}, obj_capacity(OBJECT_NOTIFICATION));
    EXPECT_EQ(uint32_t{OBJ_MAX_ADDRESS_SPACES}, obj_capacity(OBJECT_ADDRESS_SPACE));
    EXPECT_EQ(uint32_t{OBJ_MAX_FRAMES}, obj_capacity(OBJECT_FRAME));
    EXPECT_EQ(uint32_t{OBJ_MAX_IRQ_HANDLERS}, obj_capacity(OBJECT_IRQ_HANDLER));
    EXPECT_EQ(uint32_t{OBJ_MAX_REPLIES}, obj_capacity(OBJECT_REPLY));
    EXPECT_EQ(1u, obj_capacity(OBJECT_KERNEL));
    EXPECT_EQ(1u, obj_capacity(OBJECT_CONSOLE));
    EXPECT_EQ(0u, obj_capacity(OBJECT_KIND_COUNT));
}

TEST_F(ObjTest, AllocUntilFullEveryKind)
{
    for (uint32_t kind = 1; kind < OBJECT_KIND_COUNT; kind++) {
        for (uint32_t i = 0; i < obj_capacity(kind); i++) {
            obj_ref ref{};
            EXPECT_TRUE(obj_can_alloc(arena_.get(), kind));
            ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), kind, &ref));
            EXPECT_EQ(kind, ref.kind);
            EXPECT_EQ(i, ref.index);
            EXPECT_EQ(1u, ref.generation);
            EXPECT_EQ(STATUS_OK, obj_check(arena_.get(), ref, kind));
        }
        EXPECT_EQ(obj_capacity(kind), obj_count(arena_.get(), kind));
        obj_arena before = *arena_;
        obj_ref ref{};
        EXPECT_FALSE(obj_can_alloc(arena_.get(), kind));
        EXPECT_EQ(STATUS_NO_MEMORY, obj_alloc(arena_.get(), kind, &ref));
        ExpectUnchanged(before);
    }
    // The kinds do not share slots: every kind is full at once.
    for (uint32_t kind = 1; kind < OBJECT_KIND_COUNT; kind++) {
        EXPECT_EQ(obj_capacity(kind), obj_count(arena_.get(), kind));
    }
}

TEST_F(ObjTest, BadArguments)
{
    EXPECT_FALSE(obj_can_alloc(nullptr, OBJECT_TASK));
    EXPECT_FALSE(obj_can_alloc(arena_.get(), OBJECT_NONE));
    EXPECT_FALSE(obj_can_alloc(arena_.get(), OBJECT_KIND_COUNT));
    obj_ref ref{};
    obj_arena before = *arena_;
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_alloc(arena_.get(), OBJECT_NONE, &ref));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_alloc(arena_.get(), OBJECT_KIND_COUNT, &ref));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_alloc(arena_.get(), OBJECT_TASK, nullptr));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_alloc(nullptr, OBJECT_TASK, &ref));
    obj_ref bad_kind{OBJECT_KIND_COUNT, 0, 1};
    obj_ref bad_index{OBJECT_TASK, OBJ_MAX_TASKS, 1};
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_check(arena_.get(), bad_kind, OBJECT_NONE));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_check(arena_.get(), bad_index, OBJECT_NONE));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_destroy(arena_.get(), bad_index));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_ref_get(arena_.get(), bad_kind));
    EXPECT_EQ(STATUS_INVALID_ARGUMENT, obj_ref_put(arena_.get(), bad_index));
    EXPECT_FALSE(obj_ref_held(arena_.get(), bad_kind));
    EXPECT_EQ(nullptr, obj_slot_of(arena_.get(), bad_index));
    EXPECT_EQ(0u, obj_count(arena_.get(), OBJECT_KIND_COUNT));
    ExpectUnchanged(before);
}

TEST_F(ObjTest, WrongKindAndAnyKind)
{
    obj_ref ep{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_ENDPOINT, &ep));
    EXPECT_EQ(STATUS_WRONG_KIND, obj_check(arena_.get(), ep, OBJECT_TASK));
    EXPECT_EQ(STATUS_OK, obj_check(arena_.get(), ep, OBJECT_NONE));
    EXPECT_EQ(STATUS_OK, obj_check(arena_.get(), ep, OBJECT_ENDPOINT));
}

TEST_F(ObjTest, StaleAfterDestroyAndReuse)
{
    obj_ref first{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_TASK, &first));
    ASSERT_EQ(STATUS_OK, obj_destroy(arena_.get(), first));
    EXPECT_EQ(0u, obj_count(arena_.get(), OBJECT_TASK));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(arena_.get(), first, OBJECT_TASK));
    obj_arena before = *arena_;
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_destroy(arena_.get(), first));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_ref_get(arena_.get(), first));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_ref_put(arena_.get(), first));
    ExpectUnchanged(before);

    obj_ref second{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_TASK, &second));
    EXPECT_EQ(first.index, second.index);
    EXPECT_EQ(2u, second.generation);
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(arena_.get(), first, OBJECT_TASK));
    EXPECT_EQ(STATUS_OK, obj_check(arena_.get(), second, OBJECT_TASK));
}

TEST_F(ObjTest, GenerationWrapsSkippingZero)
{
    obj_ref ref{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_FRAME, &ref));
    ASSERT_EQ(STATUS_OK, obj_destroy(arena_.get(), ref));
    // Reach the last generation without 2^32 rounds: set the free slot's generation.
    arena_->slots[obj_position(ref)].generation = UINT32_MAX;
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_FRAME, &ref));
    EXPECT_EQ(UINT32_MAX, ref.generation);
    ASSERT_EQ(STATUS_OK, obj_destroy(arena_.get(), ref));
    obj_ref next{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_FRAME, &next));
    EXPECT_EQ(1u, next.generation);
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(arena_.get(), ref, OBJECT_FRAME));
    obj_ref zero = next;
    zero.generation = 0;
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(arena_.get(), zero, OBJECT_FRAME));
}

TEST_F(ObjTest, ZombieWrapsToo)
{
    obj_ref ref{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_REPLY, &ref));
    ASSERT_EQ(STATUS_OK, obj_destroy(arena_.get(), ref));
    arena_->slots[obj_position(ref)].generation = UINT32_MAX;
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_REPLY, &ref));
    ASSERT_EQ(STATUS_OK, obj_ref_get(arena_.get(), ref));
    ASSERT_EQ(STATUS_OK, obj_destroy(arena_.get(), ref));
    EXPECT_EQ(1u, arena_->slots[obj_position(ref)].generation);
    EXPECT_TRUE(obj_ref_held(arena_.get(), ref));
    EXPECT_EQ(STATUS_OK, obj_ref_put(arena_.get(), ref));
    EXPECT_EQ(OBJ_SLOT_FREE, arena_->slots[obj_position(ref)].state);
}

TEST_F(ObjTest, LastReferenceDestroys)
{
    obj_ref ref{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_NOTIFICATION, &ref));
    ASSERT_EQ(STATUS_OK, obj_ref_get(arena_.get(), ref));
    ASSERT_EQ(STATUS_OK, obj_ref_get(arena_.get(), ref));
    EXPECT_EQ(2u, obj_slot_of(arena_.get(), ref)->refs);
    ASSERT_EQ(STATUS_OK, obj_ref_put(arena_.get(), ref));
    EXPECT_EQ(STATUS_OK, obj_check(arena_.get(), ref, OBJECT_NOTIFICATION));
    EXPECT_EQ(0u, obj_destroyed_count(arena_.get()));
    ASSERT_EQ(STATUS_OK, obj_ref_put(arena_.get(), ref));
    EXPECT_EQ(1u, obj_destroyed_count(arena_.get()));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(arena_.get(), ref, OBJECT_NOTIFICATION));
    EXPECT_EQ(0u, obj_count(arena_.get(), OBJECT_NOTIFICATION));
    EXPECT_EQ(OBJ_SLOT_FREE, obj_slot_of(arena_.get(), ref)->state);
}

TEST_F(ObjTest, PutWithoutReferenceFails)
{
    obj_ref ref{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_ENDPOINT, &ref));
    obj_arena before = *arena_;
    EXPECT_EQ(STATUS_NOT_ALLOCATED, obj_ref_put(arena_.get(), ref));
    ExpectUnchanged(before);
}

TEST_F(ObjTest, RefCountOverflowRefused)
{
    obj_ref ref{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_ENDPOINT, &ref));
    arena_->slots[obj_position(ref)].refs = UINT32_MAX;
    obj_arena before = *arena_;
    EXPECT_EQ(STATUS_NO_MEMORY, obj_ref_get(arena_.get(), ref));
    ExpectUnchanged(before);
}

TEST_F(ObjTest, DestroyWithReferencesLeavesZombie)
{
    obj_ref ref{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_TASK, &ref));
    ASSERT_EQ(STATUS_OK, obj_ref_get(arena_.get(), ref));
    ASSERT_EQ(STATUS_OK, obj_destroy(arena_.get(), ref));
    EXPECT_EQ(1u, obj_destroyed_count(arena_.get()));
    EXPECT_EQ(0u, obj_count(arena_.get(), OBJECT_TASK));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_check(arena_.get(), ref, OBJECT_TASK));
    EXPECT_EQ(STATUS_STALE_HANDLE, obj_ref_get(arena_.get(), ref));
    EXPECT_TRUE(obj_ref_held(arena_.get(), ref));

    // The zombie's slot is not reused while the capability is there.
    obj_ref other{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_TASK, &other));
    EXPECT_NE(ref.index, other.index);

    ASSERT_EQ(STATUS_OK, obj_ref_put(arena_.get(), ref));
    EXPECT_EQ(1u, obj_destroyed_count(arena_.get())) << "freeing a zombie destroys nothing";
    EXPECT_FALSE(obj_ref_held(arena_.get(), ref));
    EXPECT_EQ(1u, obj_count(arena_.get(), OBJECT_TASK));
    obj_ref again{};
    ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_TASK, &again));
    EXPECT_EQ(ref.index, again.index);
    EXPECT_EQ(2u, again.generation);
}

TEST_F(ObjTest, FreedSlotsAreReusedUntilFullAgain)
{
    obj_ref refs[OBJ_MAX_IRQ_HANDLERS];
    for (auto &ref : refs) {
        ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_IRQ_HANDLER, &ref));
    }
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i += 2) {
        ASSERT_EQ(STATUS_OK, obj_destroy(arena_.get(), refs[i]));
    }
    EXPECT_EQ(uint32_t{OBJ_MAX_IRQ_HANDLERS / 2}, obj_count(arena_.get(), OBJECT_IRQ_HANDLER));
    for (uint32_t i = 0; i < OBJ_MAX_IRQ_HANDLERS; i += 2) {
        ASSERT_EQ(STATUS_OK, obj_alloc(arena_.get(), OBJECT_IRQ_HANDLER, &refs[i]));
        EXPECT_EQ(2u, refs[i].generation);
    }
    obj_ref extra{};
    EXPECT_EQ(STATUS_NO_MEMORY, obj_alloc(arena_.get(), OBJECT_IRQ_HANDLER, &extra));
    EXPECT_EQ(uint32_t{OBJ_MAX_IRQ_HANDLERS}, obj_count(arena_.get(), OBJECT_IRQ_HANDLER));
}

} // namespace
