// End to end: the assembly that basalt_images generates for testdata/
// (abc, empty, nist448), assembled and linked for the host, read through
// image_table_linked and image_find as the kernel will read its own.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "kernel/abi/status.h"
#include "kernel/images/images.h"
#include "kernel/images/images_linked.h"

#include "gtest/gtest.h"

namespace {

const char k448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

image_table Linked()
{
    image_table t;
    std::memset(&t, 0xa5, sizeof t);
    image_table_linked(&t);
    return t;
}

std::string Find(const char *name)
{
    image_table t = Linked();
    const uint8_t *data = nullptr;
    size_t size = 0;
    status_t status = image_find(&t, name, &data, &size);
    EXPECT_EQ(status, STATUS_OK) << name;
    if (status != STATUS_OK) {
        return "<status " + std::to_string(status) + ">";
    }
    EXPECT_EQ((data - t.blob) % IMAGE_ALIGN, 0) << name;
    return std::string(reinterpret_cast<const char *>(data), size);
}

TEST(EmbedLinked, TableShape)
{
    image_table t = Linked();
    EXPECT_EQ(t.magic, IMAGE_TABLE_MAGIC);
    ASSERT_EQ(t.count, 3u);
    EXPECT_EQ(t.entries, basalt_images_table);
    EXPECT_EQ(t.blob, basalt_images_blob_start);
    // abc at 0; empty takes no room, so nist448 shares its page-aligned offset.
    EXPECT_EQ(t.blob_size, 4096u + 56u);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.blob) % IMAGE_ALIGN, 0u);
    EXPECT_STREQ(t.entries[0].name, "abc");
    EXPECT_STREQ(t.entries[1].name, "empty");
    EXPECT_STREQ(t.entries[2].name, "nist448");
    EXPECT_EQ(t.entries[0].offset, 0u);
    EXPECT_EQ(t.entries[1].offset, 4096u);
    EXPECT_EQ(t.entries[2].offset, 4096u);
}

TEST(EmbedLinked, FindsEachFile)
{
    EXPECT_EQ(Find("abc"), "abc");
    EXPECT_EQ(Find("empty"), "");
    EXPECT_EQ(Find("nist448"), k448);
}

TEST(EmbedLinked, PaddingIsZero)
{
    image_table t = Linked();
    for (size_t i = 3; i < 4096; i++) {
        ASSERT_EQ(t.blob[i], 0) << "byte " << i;
    }
}

TEST(EmbedLinked, AbsentNameIsNotFound)
{
    image_table t = Linked();
    const uint8_t *data = nullptr;
    size_t size = 0;
    EXPECT_EQ(image_find(&t, "init", &data, &size), STATUS_NOT_FOUND);
    EXPECT_EQ(image_find(&t, "testdata/abc", &data, &size), STATUS_NOT_FOUND);
}

} // namespace
