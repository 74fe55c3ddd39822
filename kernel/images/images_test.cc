// Tests for kernel/images: image_find over tables built here, through every
// path of images.h: found, not found, hash mismatch, bad bounds, overflow,
// bad names, bad order, an empty table and null arguments.

#include "kernel/images/images.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "kernel/abi/status.h"
#include "kernel/crypto/sha256.h"

#include "gtest/gtest.h"

namespace {

/** A blob with "hello" at 0, "" at 4096 and 5000 bytes of a pattern at 8192. */
class ImagesTest : public ::testing::Test {
  protected:
    void SetUp() override
    {
        blob_.assign(8192 + 5000, 0);
        std::memcpy(blob_.data(), "hello", 5);
        for (size_t i = 0; i < 5000; i++) {
            blob_[8192 + i] = static_cast<uint8_t>(i * 7);
        }
        entries_.push_back(Entry("big", 8192, 5000));
        entries_.push_back(Entry("empty", 4096, 0));
        entries_.push_back(Entry("hello", 0, 5));
    }

    /** An entry with its correct digest (of what the blob holds there). */
    image_entry Entry(const std::string &name, uint64_t offset, uint64_t size)
    {
        image_entry e{};
        std::memcpy(e.name, name.data(), std::min(name.size(), sizeof e.name));
        e.offset = offset;
        e.size = size;
        if (offset <= blob_.size() && size <= blob_.size() - offset) {
            sha256(blob_.data() + offset, size, e.sha256);
        }
        return e;
    }

    image_table Table()
    {
        return image_table{IMAGE_TABLE_MAGIC, static_cast<uint32_t>(entries_.size()),
                           entries_.data(), blob_.data(), blob_.size()};
    }

    /** image_find on Table(); data and size must stay untouched on failure. */
    status_t Find(const char *name)
    {
        image_table t = Table();
        data_ = nullptr;
        size_ = 12345;
        status_t status = image_find(&t, name, &data_, &size_);
        if (status != STATUS_OK) {
            EXPECT_EQ(data_, nullptr);
            EXPECT_EQ(size_, 12345u);
        }
        return status;
    }

    std::vector<uint8_t> blob_;
    std::vector<image_entry> entries_;
    const uint8_t *data_ = nullptr;
    size_t size_ = 0;
};

TEST_F(ImagesTest, FindsEveryImage)
{
    ASSERT_EQ(Find("hello"), STATUS_OK);
    EXPECT_EQ(data_, blob_.data());
    EXPECT_EQ(size_, 5u);
    ASSERT_EQ(Find("big"), STATUS_OK);
    EXPECT_EQ(data_, blob_.data() + 8192);
    EXPECT_EQ(size_, 5000u);
    ASSERT_EQ(Find("empty"), STATUS_OK);
    EXPECT_EQ(data_, blob_.data() + 4096);
    EXPECT_EQ(size_, 0u);
}

TEST_F(ImagesTest, NotFound)
{
    EXPECT_EQ(Find("hell"), STATUS_NOT_FOUND);
    EXPECT_EQ(Find("hello2"), STATUS_NOT_FOUND);
    EXPECT_EQ(Find(""), STATUS_NOT_FOUND);
    EXPECT_EQ(Find("HELLO"), STATUS_NOT_FOUND);
    // Longer than any name can be: not found, and never read past 32 bytes of the entry.
    EXPECT_EQ(Find(std::string(100, 'h').c_str()), STATUS_NOT_FOUND);
}

TEST_F(ImagesTest, HashMismatchIsRefused)
{
    blob_[8192 + 4999] ^= 1;
    EXPECT_EQ(Find("big"), STATUS_PERMISSION);
    EXPECT_EQ(Find("hello"), STATUS_OK); // Others are unaffected.
    blob_[0] ^= 0x80;
    EXPECT_EQ(Find("hello"), STATUS_PERMISSION);
    entries_[1].sha256[31] ^= 1;
    EXPECT_EQ(Find("empty"), STATUS_PERMISSION);
}

TEST_F(ImagesTest, OutOfBounds)
{
    entries_[2].offset = blob_.size() + 1; // "hello" starts past the end.
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
    entries_[2].offset = blob_.size() - 4; // Starts inside, ends one byte past.
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
    // Ends exactly at the end: in bounds, but the bytes there are not "hello".
    entries_[2].offset = blob_.size() - 5;
    EXPECT_EQ(Find("hello"), STATUS_PERMISSION);
    entries_[2] = Entry("hello", blob_.size(), 0); // Empty, at the very end.
    EXPECT_EQ(Find("hello"), STATUS_OK);
    EXPECT_EQ(size_, 0u);
}

TEST_F(ImagesTest, OverflowingOffsetPlusSize)
{
    entries_[2].offset = 16;
    entries_[2].size = UINT64_MAX - 8; // offset + size wraps to 7.
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
    entries_[2].offset = UINT64_MAX;
    entries_[2].size = 1;
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
}

TEST_F(ImagesTest, BadEntryAnywhereRefusesTheTable)
{
    entries_[0].size = blob_.size(); // "big" is broken; "hello" is fine.
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
    EXPECT_EQ(Find("absent"), STATUS_BAD_FORMAT);
}

TEST_F(ImagesTest, UnterminatedName)
{
    std::memset(entries_[2].name, 'z', IMAGE_NAME_MAX); // Sorts last still.
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
    EXPECT_EQ(Find(std::string(IMAGE_NAME_MAX, 'z').c_str()), STATUS_BAD_FORMAT);
}

TEST_F(ImagesTest, LongestNameIsFound)
{
    const std::string longest(IMAGE_NAME_MAX - 1, 'z');
    entries_.push_back(Entry(longest, 0, 5));
    ASSERT_EQ(Find(longest.c_str()), STATUS_OK);
    EXPECT_EQ(size_, 5u);
}

TEST_F(ImagesTest, EmptyName)
{
    entries_.insert(entries_.begin(), Entry("", 0, 5));
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
}

TEST_F(ImagesTest, DuplicateAndUnsortedNames)
{
    entries_[1] = Entry("big", 4096, 0);
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
    entries_[1] = Entry("empty", 4096, 0);
    std::swap(entries_[0], entries_[2]);
    EXPECT_EQ(Find("hello"), STATUS_BAD_FORMAT);
}

TEST_F(ImagesTest, BadMagicAndPointers)
{
    image_table t = Table();
    const uint8_t *data = nullptr;
    size_t size = 0;
    t.magic ^= 1;
    EXPECT_EQ(image_find(&t, "hello", &data, &size), STATUS_BAD_FORMAT);
    t = Table();
    t.entries = nullptr;
    EXPECT_EQ(image_find(&t, "hello", &data, &size), STATUS_BAD_FORMAT);
    t = Table();
    t.blob = nullptr;
    EXPECT_EQ(image_find(&t, "hello", &data, &size), STATUS_BAD_FORMAT);
    t = Table();
    t.blob_size = 8192; // "big" no longer fits.
    EXPECT_EQ(image_find(&t, "hello", &data, &size), STATUS_BAD_FORMAT);
    EXPECT_EQ(data, nullptr);
}

TEST_F(ImagesTest, EmptyTable)
{
    image_table t = {IMAGE_TABLE_MAGIC, 0, nullptr, nullptr, 0};
    const uint8_t *data = nullptr;
    size_t size = 0;
    EXPECT_EQ(image_find(&t, "hello", &data, &size), STATUS_NOT_FOUND);
    entries_.clear();
    EXPECT_EQ(Find("hello"), STATUS_NOT_FOUND);
}

TEST_F(ImagesTest, EmptyImageInEmptyBlob)
{
    image_entry e{};
    std::memcpy(e.name, "nothing", 7);
    sha256(nullptr, 0, e.sha256);
    image_table t = {IMAGE_TABLE_MAGIC, 1, &e, nullptr, 0};
    const uint8_t *data = blob_.data();
    size_t size = 1;
    ASSERT_EQ(image_find(&t, "nothing", &data, &size), STATUS_OK);
    EXPECT_EQ(data, nullptr);
    EXPECT_EQ(size, 0u);
}

TEST_F(ImagesTest, NullArguments)
{
    image_table t = Table();
    const uint8_t *data = nullptr;
    size_t size = 0;
    EXPECT_EQ(image_find(nullptr, "hello", &data, &size), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(image_find(&t, nullptr, &data, &size), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(image_find(&t, "hello", nullptr, &size), STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(image_find(&t, "hello", &data, nullptr), STATUS_INVALID_ARGUMENT);
}

size_t offered_blocks; // Blocks offered to the accelerators below.

size_t DecliningAccel(uint32_t *, const uint8_t *, size_t count)
{
    offered_blocks += count;
    return 0;
}

size_t IdleAccel(uint32_t *, const uint8_t *, size_t count) // Claims work it never did.
{
    offered_blocks += count;
    return count;
}

// The kernel hashes with the CPU's instructions (image_find_with): the
// image's blocks go to them, and what they compute is what is checked.
TEST_F(ImagesTest, AcceleratorHashesTheImage)
{
    image_table t = Table();
    const uint8_t *data = nullptr;
    size_t size = 0;
    offered_blocks = 0;
    ASSERT_EQ(image_find_with(&t, "big", DecliningAccel, &data, &size), STATUS_OK);
    EXPECT_EQ(data, blob_.data() + 8192);
    EXPECT_EQ(size, 5000u);
    EXPECT_EQ(offered_blocks, (5000u + 9 + 63) / 64);

    data = nullptr;
    size = 12345;
    offered_blocks = 0;
    EXPECT_EQ(image_find_with(&t, "big", IdleAccel, &data, &size), STATUS_PERMISSION);
    EXPECT_GT(offered_blocks, 0u);
    EXPECT_EQ(data, nullptr);
    EXPECT_EQ(size, 12345u);
    EXPECT_EQ(image_find_with(&t, "big", nullptr, &data, &size), STATUS_OK);
}

} // namespace
