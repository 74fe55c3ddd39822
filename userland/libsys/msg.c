#include "userland/libsys/msg.h"

#include <stdint.h>

#include "userland/libsys/sys.h"

#include "kernel/abi/status.h"
#include "kernel/abi/syscall.h"

status_t sys_msg_pack(const struct sys_msg *msg, uint64_t regs[SYS_MSG_REGS])
{
    if (msg == NULL || msg->word_count > SYS_MSG_MAX_WORDS || msg->cap_count > SYS_MSG_MAX_CAPS ||
        (msg->label & ~SYS_MSG_LABEL_MASK) != 0) {
        return STATUS_INVALID_ARGUMENT;
    }
    regs[SYS_MSG_REG_INFO] = sys_msg_info(msg->label, msg->word_count, msg->cap_count);
    for (uint32_t i = 0; i < SYS_MSG_MAX_WORDS; i++) {
        regs[SYS_MSG_REG_WORD0 + i] = i < msg->word_count ? msg->words[i] : 0;
    }
    for (uint32_t i = 0; i < SYS_MSG_MAX_CAPS; i++) {
        regs[SYS_MSG_REG_CAP0 + i] = i < msg->cap_count ? msg->caps[i] : HANDLE_NONE;
    }
    return STATUS_OK;
}

void sys_msg_unpack(const uint64_t regs[SYS_MSG_REGS], struct sys_msg *msg)
{
    uint64_t info = regs[SYS_MSG_REG_INFO];
    uint32_t words = sys_msg_words(info);
    uint32_t caps = sys_msg_caps(info);
    // The kernel never delivers more; clamp so that no caller indexes past the arrays.
    words = words > SYS_MSG_MAX_WORDS ? SYS_MSG_MAX_WORDS : words;
    caps = caps > SYS_MSG_MAX_CAPS ? SYS_MSG_MAX_CAPS : caps;
    msg->label = sys_msg_label(info);
    msg->word_count = words;
    msg->cap_count = caps;
    for (uint32_t i = 0; i < SYS_MSG_MAX_WORDS; i++) {
        msg->words[i] = i < words ? regs[SYS_MSG_REG_WORD0 + i] : 0;
    }
    for (uint32_t i = 0; i < SYS_MSG_MAX_CAPS; i++) {
        msg->caps[i] = i < caps ? regs[SYS_MSG_REG_CAP0 + i] : HANDLE_NONE;
    }
}
