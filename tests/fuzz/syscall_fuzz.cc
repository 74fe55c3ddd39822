// libFuzzer target: random system calls against the dispatcher.
//
// Each input starts from the same small system on fake RAM: the root task
// (task 0, with the kernel capability) and two tasks it created (1 and 2,
// each in its own address space), all started, task 1 running; a
// notification, an endpoint and a frame, and capabilities to them with
// various rights in the three tables. The input then drives a sequence of
// calls, every number including the privileged and memory calls: number,
// current task, argument registers (handles chosen mostly among those the
// system handed out, page addresses, small numbers, message info words
// with counts mostly in range, or any 64-bit value). After every call the
// capability, scheduler, IPC and memory invariants must hold (every
// mapping and watch naming the capability it was made through), every page
// of RAM must be either free or accounted for by a frame, a translation
// table or a page of mapping records, a call that failed must have changed
// nothing (neither the kernel state, the caller's result registers nor the
// free page count), and a
// message received at once must be well formed in x1-x7
// (kernel/abi/syscall.h).
//
// Input format, repeated until the input ends (missing bytes read as 0):
//   number byte (below 240: taken modulo SYS_COUNT), then 8 registers x0-x7,
//   each a tag byte and its operand:
//     tag   0-159  handle: 1 byte, index into the handles handed out so far
//     tag 160-175  page address: 1 byte, times the page size
//     tag 176-207  small number: 1 byte
//     tag 208-223  message info: label byte, counts byte (bits 0-2 word
//                  count, bits 4-5 capability count)
//     tag 224-255  any value: 8 bytes, big-endian
//   then a task byte (below 240: task (byte % 4) - 1, where -1 is no task;
//   240 and up: that number, no task either) and a byte, below 32 to let the
//   scheduler pick the next task before the call, 64-95 to fire interrupt
//   line 16 + (byte - 64) before it (kernel_irq_fired, as the board does),
//   192-223 a deadline in x9
//   that has passed (now minus 0-31), 224-253 one 1-30 ticks ahead, 254
//   UINT64_MAX, 255 a timer interrupt first (kernel_run_timeouts: the
//   waits whose deadline passed end). The counter (the fake timer's)
//   advances by one each call.
//
// Handles 0-8 are those of the three tables to the notification, endpoint
// and frame (3 per task, in that order); then root's kernel, space and
// self handles, the two tasks and their spaces, and root's console.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "hal/addr.h"
#include "hal/fake/irq_fake.h"
#include "hal/fake/mmu_fake.h"
#include "hal/fake/timer_fake.h"
#include "hal/mmu.h"
#include "kernel/abi/handle.h"
#include "kernel/abi/object.h"
#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"
#include "kernel/cap/cap.h"
#include "kernel/ipc/ipc.h"
#include "kernel/mm/frame_alloc.h"
#include "kernel/obj/obj.h"
#include "kernel/sched/sched.h"
#include "kernel/syscall/run.h"
#include "kernel/syscall/syscall.h"
#include "kernel/vm/vm.h"

namespace {

constexpr int kTasks = 3;
constexpr size_t kMaxHandles = 64;
constexpr uint64_t kPage = HAL_MMU_PAGE_SIZE;
// Init's space reserves VM_QUOTA_MAX (1024) frames, the others the default quota.
constexpr size_t kRamPages = 2048;
constexpr uint64_t kRamBase = 0x40000000;

kernel_state g_kernel;
kernel_state g_before;
handle_t g_handles[kMaxHandles];
size_t g_handle_count;
alignas(4096) uint8_t g_ram[kRamPages * kPage];
frame_alloc g_frames;
uint64_t g_total_free;
// The fake counter's value, advanced by one each call.
uint64_t g_now = 1000;
// SYSCALL_FUZZ_TRACE=1 prints each call and its status (for writing seeds).
const bool g_trace = getenv("SYSCALL_FUZZ_TRACE") != nullptr;

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

/** Runs a call as task; returns x0 and leaves the results in regs. */
status_t Dispatch(uint32_t task, syscall_regs &regs)
{
    g_kernel.current = (int32_t)task;
    syscall_dispatch(&g_kernel, &regs);
    return (status_t)(uint32_t)regs.x[0];
}

/** A call by the root task that must succeed; returns x1. */
uint64_t RootCall(uint64_t number, uint64_t x0, uint64_t x1 = 0, uint64_t x2 = 0, uint64_t x3 = 0)
{
    syscall_regs regs{};
    regs.number = number;
    regs.x[0] = x0;
    regs.x[1] = x1;
    regs.x[2] = x2;
    regs.x[3] = x3;
    Check(Dispatch(0, regs) == STATUS_OK);
    return regs.x[1];
}

obj_ref ObjectOf(uint32_t table, handle_t handle)
{
    cap *c = nullptr;
    Check(cap_lookup(&g_kernel.caps, table, handle, OBJECT_NONE, 0, &c) == STATUS_OK);
    return c->object;
}

void Give(uint32_t table, obj_ref ref, rights_t rights)
{
    handle_t handle = HANDLE_NONE;
    Check(cap_insert_new(&g_kernel.caps, table, ref, rights, &handle) == STATUS_OK);
    Remember(handle);
}

/** Pages taken from the allocator by frames, translation tables and mapping records. */
uint64_t PagesHeld()
{
    uint64_t held = 0;
    for (const vm_frame &f : g_kernel.vm.frames) {
        held += f.used && !f.device; // a device frame's page is no RAM
    }
    for (const vm_space &s : g_kernel.vm.spaces) {
        held += s.tables + s.record_pages;
    }
    return held + vm_anon_count(&g_kernel.vm);
}

// Devices for SYS_IRQ_CREATE and SYS_DEVICE_FRAME_CREATE: a page range
// page-address operands reach, one only 8-byte values do, lines that small
// numbers reach, the tick's line kept by the kernel, RAM refused; the console
// SYS_CONSOLE_DEVICE reports.
kernel_devices g_devices;

void BootDevices()
{
    memset(&g_devices, 0, sizeof g_devices);
    g_devices.mmio[0] = {0x20000, 0x4000};
    g_devices.mmio[1] = {0x09000000, 0x1000};
    g_devices.mmio_count = 2;
    g_devices.refused[0] = {kRamBase, sizeof g_ram};
    g_devices.refused[1] = {0x21000, 0x1000};
    g_devices.refused_count = 2;
    g_devices.irqs[0] = 33;
    g_devices.irqs[1] = 34;
    g_devices.irqs[2] = 27;
    g_devices.irq_count = 3;
    g_devices.own_irqs[0] = 27;
    g_devices.own_irq_count = 1;
    g_devices.console = {0x09000000, 0x1000};
    g_devices.console_irq = 33;
    irq_fake_reset(IRQ_FAKE_DEFAULT_LINES);
}

void Boot()
{
    memset(&g_kernel, 0, sizeof g_kernel);
    timer_fake_reset();
    g_now = 1000;
    kernel_state_init(&g_kernel);
    BootDevices();
    kernel_state_set_devices(&g_kernel, &g_devices);
    mmu_fake_init(g_ram, paddr_make(kRamBase), sizeof g_ram);
    frame_range ram = {paddr_make(kRamBase), sizeof g_ram};
    Check(frame_alloc_init(&g_frames, &ram, 1, nullptr, 0,
                           reinterpret_cast<uintptr_t>(g_ram) - kRamBase) == STATUS_OK);
    g_total_free = frame_alloc_free_count(&g_frames);
    kernel_state_set_frames(&g_kernel, &g_frames);
    g_handle_count = 0;

    uint32_t root = 0;
    kernel_root_handles h{};
    Check(kernel_create_root_task(&g_kernel, 10, &root, &h) == STATUS_OK && root == 0);
    Check(kernel_task_start(&g_kernel, root, 0x1000, 0x10000, 0) == STATUS_OK);
    handle_t tasks[kTasks] = {h.self};
    handle_t spaces[kTasks] = {h.space};
    for (uint32_t t = 1; t < kTasks; t++) {
        spaces[t] = RootCall(SYS_SPACE_CREATE, h.kernel);
        tasks[t] = RootCall(SYS_TASK_CREATE, h.kernel, spaces[t], 10 + t % 2, HANDLE_NONE);
        Check(ObjectOf(0, tasks[t]).index == t);
        Check(kernel_task_start(&g_kernel, t, 0x1000, 0x10000, 0) == STATUS_OK);
    }
    const handle_t created[] = {RootCall(SYS_NOTIFY_CREATE, h.kernel),
                                RootCall(SYS_ENDPOINT_CREATE, h.kernel),
                                RootCall(SYS_FRAME_CREATE, h.kernel)};
    const rights_t rights[] = {RIGHTS_ALL, RIGHT_SEND, RIGHT_RECV, RIGHT_SEND | RIGHT_GRANT};
    for (uint32_t t = 0; t < kTasks; t++) {
        for (handle_t c : created) {
            obj_ref object = ObjectOf(0, c);
            Give(t, object, rights[(t + object.kind) % 4]);
        }
    }
    // Root keeps only the copies above: deleting them can destroy the objects.
    for (handle_t c : created) {
        RootCall(SYS_CAP_DELETE, c);
    }
    for (handle_t extra :
         {h.kernel, h.space, h.self, tasks[1], spaces[1], tasks[2], spaces[2], h.console}) {
        Remember(extra);
    }
    Check(sched_pick_next(&g_kernel.sched) == 1);
}

uint64_t PickRegister(Input &in)
{
    uint8_t how = in.Byte();
    if (how < 160 && g_handle_count > 0) {
        return g_handles[in.Byte() % g_handle_count];
    }
    if (how >= 160 && how < 176) {
        return in.Byte() * kPage; // page addresses: map, unmap, protect
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
    const uint8_t when = in.Byte();
    if (when < 32) {
        sched_pick_next(&g_kernel.sched); // as the board would, now and then
    } else if (when >= 64 && when < 96) {
        // As the board's interrupt handler: line 16 + (when - 64) fires
        // (the PPIs and the first SPIs: the tick's 27, the devices' 33, 34).
        (void)kernel_irq_fired(&g_kernel, 16u + (when - 64u));
    }
    timer_fake_set_count(++g_now);
    if (when >= 192 && when < 224) {
        regs.deadline = g_now - (when - 192); // passed
    } else if (when >= 224 && when < 254) {
        regs.deadline = g_now + (when - 223); // a little ahead
    } else if (when == 254) {
        regs.deadline = UINT64_MAX;
    } else if (when == 255) {
        uint64_t next = kernel_run_timeouts(&g_kernel, g_now); // a timer interrupt
        Check(next == 0 || next > g_now);
        Check(g_kernel.alarm == next);
    }

    memcpy(&g_before, &g_kernel, sizeof g_kernel);
    const uint64_t free_before = frame_alloc_free_count(&g_frames);
    const uint64_t reserved_before = frame_alloc_reserved_count(&g_frames);
    const syscall_regs in_regs = regs;
    syscall_dispatch(&g_kernel, &regs);

    status_t status = (status_t)(uint32_t)regs.x[0];
    Check(status >= 0 && status < STATUS_COUNT);
    if (g_trace) {
        fprintf(stderr, "task %d call %llu -> status %d x1 %#llx\n", g_before.current,
                (unsigned long long)in_regs.number, status, (unsigned long long)regs.x[1]);
    }
    if (status == STATUS_TIMED_OUT && in_regs.number == SYS_REPLY_RECV) {
        // Its reply was made (the deadline bounds the receive only): it
        // holds no reply right any more and waits on nothing.
        Check(g_kernel.ipc.tasks[g_before.current].reply_to == IPC_NO_TASK);
        Check(g_kernel.ipc.tasks[g_before.current].wait == IPC_WAIT_NONE);
        Check(in_regs.deadline != 0 && in_regs.deadline <= g_now);
    } else if (status != STATUS_OK) {
        Check(status != STATUS_TIMED_OUT || (in_regs.deadline != 0 && in_regs.deadline <= g_now));
        Check(memcmp(&g_before, &g_kernel, sizeof g_kernel) == 0);
        Check(memcmp(&in_regs.x[1], &regs.x[1], 7 * sizeof(uint64_t)) == 0);
        Check(frame_alloc_free_count(&g_frames) == free_before);
        Check(frame_alloc_reserved_count(&g_frames) == reserved_before);
    } else if (in_regs.number == SYS_CAP_DERIVE || in_regs.number == SYS_ENDPOINT_CREATE ||
               in_regs.number == SYS_NOTIFY_CREATE || in_regs.number == SYS_FRAME_CREATE ||
               in_regs.number == SYS_SPACE_CREATE || in_regs.number == SYS_IRQ_CREATE ||
               in_regs.number == SYS_DEVICE_FRAME_CREATE) {
        Remember(regs.x[1]);
    } else if (in_regs.number == SYS_CONSOLE_DEVICE) {
        // A report: the console BootDevices declared, and nothing changed.
        Check(regs.x[1] == 0x09000000 && regs.x[2] == 0 && regs.x[3] == 0x1000 && regs.x[4] == 33);
        Check(memcmp(&g_before, &g_kernel, sizeof g_kernel) == 0);
    } else if (in_regs.number == SYS_TASK_INFO) {
        // A report: one CPU on the host, and nothing changed.
        Check(regs.x[1] == 0 && regs.x[2] == g_kernel.cpus);
        Check(memcmp(&g_before, &g_kernel, sizeof g_kernel) == 0);
    } else if (in_regs.number == SYS_TASK_CREATE) {
        Remember(regs.x[1]);
        Remember(regs.x[2]);
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
    Check(vm_check_invariants(&g_kernel.vm) == STATUS_OK);
    Check(kernel_check_links(&g_kernel) == STATUS_OK);
    // A line is unmasked exactly while a handler is bound to it and not
    // pending; every other line (no handler, or its handler gone) is masked.
    for (uint32_t line = 0; line < IRQ_FAKE_DEFAULT_LINES; line++) {
        bool open = false;
        for (const kernel_irq &q : g_kernel.irqs) {
            open = open || (q.used && q.intid == line && q.bound && !q.pending);
        }
        Check(irq_fake_masked(line) == !open);
    }
    Check(g_kernel.reaped == obj_destroyed_count(&g_kernel.caps.objects));
    Check(frame_alloc_free_count(&g_frames) + PagesHeld() == g_total_free);
    // Reserved frames are the spaces' unspent quotas, and free = reserved + available.
    Check(kernel_check_memory(&g_kernel) == STATUS_OK);
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
