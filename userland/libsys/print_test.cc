// Tests for userland/libsys/print.h on the host: print.c linked with a fake
// sys_console_write that records each write (the svc wrappers of sys.c
// exist only for the target).

#include "userland/libsys/print.h"

#include <cstddef>
#include <string>
#include <vector>

#include "userland/libsys/sys.h"
#include "gtest/gtest.h"

#include "kernel/abi/handle.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

namespace {

struct Write {
    handle_t console;
    std::string bytes;
};

std::vector<Write> writes;
// What the fake sys_call was sent (stream writes), and the call that fails.
std::vector<std::string> calls;
size_t call_fail_at = SIZE_MAX;
// The status the fake returns from its n-th call (0-based); OK otherwise.
size_t fail_at = SIZE_MAX;
status_t fail_with = STATUS_OK;

class Print : public ::testing::Test {
  protected:
    void SetUp() override
    {
        writes.clear();
        calls.clear();
        call_fail_at = SIZE_MAX;
        fail_at = SIZE_MAX;
        fail_with = STATUS_OK;
    }
};

TEST_F(Print, ShortOutputIsOneWrite)
{
    EXPECT_EQ(sys_printf(0x10003, "init: hello from EL%d\n", 0), STATUS_OK);
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].console, 0x10003u);
    EXPECT_EQ(writes[0].bytes, "init: hello from EL0\n");
}

TEST_F(Print, EmptyOutputWritesNothing)
{
    EXPECT_EQ(sys_printf(1, "%s", ""), STATUS_OK);
    EXPECT_TRUE(writes.empty());
}

TEST_F(Print, LongOutputInChunksOfTheMaximum)
{
    std::string text(SYS_CONSOLE_WRITE_MAX * 2 + 10, 'q');
    EXPECT_EQ(sys_printf(2, "[%s]", text.c_str()), STATUS_OK);
    ASSERT_EQ(writes.size(), 3u);
    std::string all;
    for (const Write &w : writes) {
        EXPECT_LE(w.bytes.size(), size_t{SYS_CONSOLE_WRITE_MAX});
        all += w.bytes;
    }
    EXPECT_EQ(writes[0].bytes.size(), size_t{SYS_CONSOLE_WRITE_MAX});
    EXPECT_EQ(writes[1].bytes.size(), size_t{SYS_CONSOLE_WRITE_MAX});
    EXPECT_EQ(all, "[" + text + "]");
}

TEST_F(Print, ExactlyTheMaximumIsOneWrite)
{
    std::string text(SYS_CONSOLE_WRITE_MAX, 'z');
    EXPECT_EQ(sys_printf(2, "%s", text.c_str()), STATUS_OK);
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].bytes, text);
}

TEST_F(Print, FirstErrorIsReturnedAndStopsWriting)
{
    fail_at = 1;
    fail_with = STATUS_MISSING_RIGHT;
    std::string text(SYS_CONSOLE_WRITE_MAX * 3, 'e');
    EXPECT_EQ(sys_printf(3, "%s", text.c_str()), STATUS_MISSING_RIGHT);
    // The first write went through, the second failed, no third was tried.
    EXPECT_EQ(writes.size(), 2u);

    SetUp();
    fail_at = 0;
    fail_with = STATUS_BAD_HANDLE;
    EXPECT_EQ(sys_printf(HANDLE_NONE, "x"), STATUS_BAD_HANDLE);
    EXPECT_EQ(writes.size(), 1u);
}

TEST_F(Print, AnEndpointGetsStreamWriteCalls)
{
    // Handle 7 is no console: the fake answers WRONG_KIND, as the kernel
    // does for an endpoint; print.c then calls it with stream writes.
    std::string text(30, 'x');
    text += "!\n";
    EXPECT_EQ(sys_printf(7, "%s", text.c_str()), STATUS_OK);
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0], text.substr(0, SYS_PRINT_STREAM_INLINE));
    EXPECT_EQ(calls[1], text.substr(SYS_PRINT_STREAM_INLINE));
    // A failing server stops the output at its first error.
    SetUp();
    fail_with = STATUS_NO_MEMORY; // the reply's label
    call_fail_at = 0;
    EXPECT_EQ(sys_printf(7, "%s", text.c_str()), STATUS_NO_MEMORY);
    EXPECT_EQ(calls.size(), 1u);
}

} // namespace

// The fake system calls.
extern "C" status_t sys_call(handle_t endpoint, const struct sys_msg *msg, struct sys_msg *reply)
{
    EXPECT_EQ(endpoint, 7u);
    EXPECT_EQ(msg->label, uint64_t{SYS_PRINT_STREAM_WRITE});
    std::string bytes;
    for (uint64_t i = 0; i < msg->words[0]; i++) {
        bytes += (char)(msg->words[1 + i / 8] >> (8 * (i % 8)));
    }
    size_t index = calls.size();
    calls.push_back(bytes);
    *reply = {};
    reply->label = index == call_fail_at ? (uint64_t)(uint32_t)fail_with : STATUS_OK;
    return STATUS_OK;
}

extern "C" status_t sys_console_write(handle_t console, const void *buf, size_t len)
{
    if (console == 7) {
        return STATUS_WRONG_KIND;
    }
    size_t index = writes.size();
    writes.push_back({console, std::string(static_cast<const char *>(buf), len)});
    return index == fail_at ? fail_with : STATUS_OK;
}
