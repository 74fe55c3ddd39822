// libFuzzer target: random system calls against the dispatcher.
//
// Each input starts from the same small system: three tasks (task 0
// running), a notification, an endpoint and a frame, and capabilities to
// them with various rights in three tables. The input then drives a
// sequence of calls: number, current task, argument registers (handles
// chosen mostly among those the system handed out, small numbers, message
// info words with counts mostly in range, or any 64-bit value). After every
// call the capability, scheduler and IPC invariants must hold, a call that
// failed must have changed nothing, neither the kernel state nor the
// caller's result registers, and a message received at once must be well
// formed in x1-x7 (kernel/abi/syscall.h).
//
// Input format, repeated until the input ends (missing bytes read as 0):
//   number byte (below 240: taken modulo SYS_COUNT), then 8 registers x0-x7,
//   each a tag byte and its operand:
//     tag   0-159  handle: 1 byte, index into the handles handed out so far
//     tag 160-207  small number: 1 byte
//     tag 208-223  message info: label byte, counts byte (bits 0-2 word
//                  count, bits 4-5 capability count)
//     tag 224-255  any value: 8 bytes, big-endian
//   then a task byte (below 240: task (byte % 4) - 1, where -1 is no task;
//   240 and up: that number, no task either) and a byte, below 32 to let the
//   scheduler pick the next task before the call.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"
#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/syscall.h"

namespace {

constexpr int kTasks = 3;
constexpr size_t kMaxHandles = 64;

kernel_state g_kernel;
kernel_state g_before;
handle_t g_handles[kMaxHandles];
size_t g_handle_count;

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

    uint64_t Word()
    {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | Byte();
        }
        return v;
    }
};

void Check(bool condition)
{
    if (!condition) {
        abort();
    }
}

void Remember(handle_t handle)
{
    if (g_handle_count < kMaxHandles) {
        g_handles[g_handle_count++] = handle;
    }
}

obj_ref NewObject(uint32_t kind)
{
    obj_ref ref{};
    Check(obj_alloc(&g_kernel.caps.objects, kind, &ref) == STATUS_OK);
    return ref;
}

void Give(uint32_t table, obj_ref ref, rights_t rights)
{
    handle_t handle = HANDLE_NONE;
    Check(cap_insert_new(&g_kernel.caps, table, ref, rights, &handle) == STATUS_OK);
    Remember(handle);
}

void Boot()
{
    memset(&g_kernel, 0, sizeof g_kernel);
    kernel_state_init(&g_kernel);
    g_handle_count = 0;
    for (uint32_t t = 0; t < kTasks; t++) {
        Check(sched_add(&g_kernel.sched, t, 10 + t % 2) == STATUS_OK);
    }
    Check(sched_pick_next(&g_kernel.sched) >= 0);
    const obj_ref objects[] = {NewObject(OBJECT_NOTIFICATION), NewObject(OBJECT_ENDPOINT),
                               NewObject(OBJECT_FRAME)};
    const rights_t rights[] = {RIGHTS_ALL, RIGHT_SEND, RIGHT_RECV, RIGHT_SEND | RIGHT_GRANT};
    for (uint32_t t = 0; t < kTasks; t++) {
        for (const obj_ref &object : objects) {
            Give(t, object, rights[(t + object.kind) % 4]);
        }
    }
}

uint64_t PickRegister(Input &in)
{
    uint8_t how = in.Byte();
    if (how < 160 && g_handle_count > 0) {
        return g_handles[in.Byte() % g_handle_count];
    }
    if (how < 208) {
        return in.Byte(); // small numbers: rights, bits
    }
    if (how < 224) {
        // A message info word: words 0-7 and capabilities 0-3, a few out of range.
        uint8_t label = in.Byte();
        uint8_t counts = in.Byte();
        return sys_msg_info(label, counts & 7u, (counts >> 4) & 3u);
    }
    return in.Word();
}

void OneCall(Input &in)
{
    syscall_regs regs{};
    uint8_t number = in.Byte();
    regs.number = number < 240 ? number % SYS_COUNT : number;
    for (uint64_t &x : regs.x) {
        x = PickRegister(in);
    }
    uint8_t who = in.Byte();
    g_kernel.current = who < 240 ? (int32_t)(who % (kTasks + 1)) - 1 : (int32_t)who;
    if (in.Byte() < 32) {
        sched_pick_next(&g_kernel.sched); // as the board would, now and then
    }

    memcpy(&g_before, &g_kernel, sizeof g_kernel);
    const syscall_regs in_regs = regs;
    syscall_dispatch(&g_kernel, &regs);

    status_t status = (status_t)(uint32_t)regs.x[0];
    Check(status >= 0 && status < STATUS_COUNT);
    if (status != STATUS_OK) {
        Check(memcmp(&g_before, &g_kernel, sizeof g_kernel) == 0);
        Check(memcmp(&in_regs.x[1], &regs.x[1], 7 * sizeof(uint64_t)) == 0);
    } else if (in_regs.number == SYS_CAP_DERIVE) {
        Remember(regs.x[1]);
    } else if ((in_regs.number == SYS_RECV || in_regs.number == SYS_REPLY_RECV) &&
               g_kernel.ipc.tasks[g_kernel.current].wait == IPC_WAIT_NONE) {
        // Received at once: counts in range, unused words 0, unused handles none.
        uint64_t info = regs.x[SYS_MSG_REG_INFO];
        Check(sys_msg_words(info) <= SYS_MSG_MAX_WORDS && sys_msg_caps(info) <= SYS_MSG_MAX_CAPS);
        for (uint32_t w = sys_msg_words(info); w < SYS_MSG_MAX_WORDS; w++) {
            Check(regs.x[SYS_MSG_REG_WORD0 + w] == 0);
        }
        for (uint32_t c = 0; c < SYS_MSG_MAX_CAPS; c++) {
            uint64_t handle = regs.x[SYS_MSG_REG_CAP0 + c];
            if (c < sys_msg_caps(info)) {
                Remember(handle);
            } else {
                Check(handle == HANDLE_NONE);
            }
        }
    }
    Check(cap_check_invariants(&g_kernel.caps) == STATUS_OK);
    Check(sched_check_invariants(&g_kernel.sched) == STATUS_OK);
    Check(ipc_check_invariants(&g_kernel.ipc, &g_kernel.sched) == STATUS_OK);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Boot();
    Input in{data, size};
    while (in.size > 0) {
        OneCall(in);
    }
    return 0;
}
