#pragma once

/**
 * Status codes: the one error convention of Basalt.
 *
 * Every kernel function that can fail returns a status_t by value: 0
 * (STATUS_OK) is success, every failure has its own named code below. The
 * same codes reach user space in x0 of a system call. The set is closed:
 * a new failure gets a new code here, never a reused one, and the numbers
 * never change once assigned.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A status code; int32_t so its size is fixed in the ABI. */
typedef int32_t status_t;

/** Success. */
#define STATUS_OK 0
/** An argument is outside what the call accepts (a null pointer, a zero size, ...). */
#define STATUS_INVALID_ARGUMENT 1
/** No memory (or no free frame, or no free slot) to complete the call. */
#define STATUS_NO_MEMORY 2
/** An address or index lies outside the range the object manages. */
#define STATUS_OUT_OF_RANGE 3
/** An address or size is not aligned as the call requires. */
#define STATUS_MISALIGNED 4
/** A frame being freed is not allocated (a double free). */
#define STATUS_NOT_ALLOCATED 5
/** A frame being freed is reserved (image, device tree, reserved memory) and was never allocatable.
 */
#define STATUS_RESERVED 6
/** A mapping exists already where a new one was asked for. */
#define STATUS_ALREADY_MAPPED 7
/** No mapping exists where one was expected. */
#define STATUS_NOT_MAPPED 8
/** The requested permissions are refused (for example writable and executable). */
#define STATUS_PERMISSION 9
/** Input data is malformed (a bad header, a bad structure). */
#define STATUS_BAD_FORMAT 10
/** A required item was not found. */
#define STATUS_NOT_FOUND 11
/** The request is well formed but not supported here. */
#define STATUS_UNSUPPORTED 12

/** A handle names an empty slot or a slot outside the caller's table. */
#define STATUS_BAD_HANDLE 13
/** A handle's generation is older than its slot's: the object it named is gone. */
#define STATUS_STALE_HANDLE 14
/** A handle names an object of another kind than the call needs. */
#define STATUS_WRONG_KIND 15
/** The capability lacks a right the call needs. */
#define STATUS_MISSING_RIGHT 16
/** A user buffer is not mapped, not accessible as needed, or not in user space. */
#define STATUS_BAD_BUFFER 17
/** The system call number is not one the kernel knows. */
#define STATUS_UNKNOWN_SYSCALL 18
/** The call needs a current task and there is none. */
#define STATUS_NO_CURRENT_TASK 19
/** A capability table has no free slot. */
#define STATUS_TABLE_FULL 20
/** The object a caller was waiting on was destroyed while it waited. */
#define STATUS_OBJECT_DESTROYED 21
/** A non-blocking call found nothing to do (nothing to receive, no bit set). */
#define STATUS_WOULD_BLOCK 22
/** The object is not in a state that allows the call (a task started already, ...). */
#define STATUS_BAD_STATE 23
/**
 * The map or protect would make a frame writable through one mapping and
 * executable through another (W^X holds across all of a frame's mappings).
 */
#define STATUS_WX_CONFLICT 24
/**
 * The map would take more translation tables than the address space's
 * quota (fixed, and reserved, when the space was created) allows: only
 * this space is short; unmapping gives its emptied tables back.
 */
#define STATUS_QUOTA 25
/**
 * The deadline of a blocking call (x9, kernel/abi/syscall.h) passed before
 * the call could complete: at once, with no effect, when it was at or
 * before the counter's value when the call was made and the call would have
 * had to wait; or later, when the waiting task was taken out of every
 * queue it was in.
 */
#define STATUS_TIMED_OUT 26
/**
 * An affinity mask (SYS_TASK_CREATE, SYS_TASK_SPAWN) that names no CPU,
 * or a CPU that is not running the kernel, or sets a bit past the CPUs a
 * mask can name; nothing was created.
 */
#define STATUS_BAD_AFFINITY 27

/** Number of status codes defined above; every code is below it. */
#define STATUS_COUNT 28

#ifdef __cplusplus
}
#endif
