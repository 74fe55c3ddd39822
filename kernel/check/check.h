#pragma once

/**
 * CHECK: a broken internal invariant halts the kernel, in every build.
 *
 * Only for conditions the kernel itself guarantees. Input from outside the
 * kernel (system call arguments, user memory, ELF images, the device tree)
 * is validated and answered with a status code, never a CHECK.
 *
 * On failure it prints "basalt: CHECK failed: FILE:LINE: CONDITION", then
 * the halt marker, and halts the CPU.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** Reports a failed CHECK and halts. Called only through CHECK(). */
#ifdef __cplusplus
[[noreturn]]
#else
_Noreturn
#endif
void check_failed(const char *file, int line, const char *condition);

#define CHECK(condition)                                                                           \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            check_failed(__FILE__, __LINE__, #condition);                                          \
        }                                                                                          \
    } while (0)

#ifdef __cplusplus
}
#endif
