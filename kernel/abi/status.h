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

/** Number of status codes defined above; every code is below it. */
#define STATUS_COUNT 13

#ifdef __cplusplus
}
#endif
