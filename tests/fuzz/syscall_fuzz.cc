// libFuzzer target: random system calls against the dispatcher.
//
// Each input starts from the same small system: three tasks (task 0
// running), a notification, an endpoint and a frame, and capabilities to
// them with various rights in three tables. The input then drives a
// sequence of calls: number, current task, argument registers (handles
// chosen mostly among those the system handed out). After every call the
// capability, scheduler and IPC invariants must hold, and a call that
// failed must have changed nothing, neither the kernel state nor the
// caller's result registers.

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
    if (how < 224) {
        return in.Byte(); // small numbers: counts, rights, bits
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
    } else if (in_regs.number == SYS_RECV || in_regs.number == SYS_REPLY_RECV) {
        Remember(regs.x[7]);
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
