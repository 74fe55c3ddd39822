#pragma once

/**
 * Kernel object kinds and capability rights, as user code sees them.
 * The layouts of the objects themselves are private to the kernel.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Object kinds (uint32_t in the ABI: an enum's size is not fixed in C11). */
#define OBJECT_NONE 0
#define OBJECT_TASK 1
#define OBJECT_ENDPOINT 2
#define OBJECT_NOTIFICATION 3
#define OBJECT_ADDRESS_SPACE 4
#define OBJECT_FRAME 5
#define OBJECT_IRQ_HANDLER 6
#define OBJECT_REPLY 7
/**
 * The kernel itself: one object. A capability to it with RIGHT_CONTROL is
 * what the privileged system calls (kernel/abi/syscall.h) require.
 */
#define OBJECT_KERNEL 8
/** The kernel's console: one object; RIGHT_WRITE lets a task print (SYS_CONSOLE_WRITE). */
#define OBJECT_CONSOLE 9
#define OBJECT_KIND_COUNT 10

/** Capability rights: a bit set. Derive only ever clears bits. */
typedef uint32_t rights_t;

/* Generic rights. */
#define RIGHT_SEND (1u << 0)   /**< send or call on an endpoint, signal a notification */
#define RIGHT_RECV (1u << 1)   /**< receive on an endpoint, wait on a notification */
#define RIGHT_GRANT (1u << 2)  /**< pass this capability to another task through IPC */
#define RIGHT_DERIVE (1u << 3) /**< make a copy with fewer rights */
#define RIGHT_REVOKE (1u << 4) /**< delete every capability derived from this one */
#define RIGHT_MAP (1u << 5)    /**< map a frame, or map into an address space */
/* Kind-specific rights. */
#define RIGHT_READ (1u << 6)    /**< frame: may be mapped readable */
#define RIGHT_WRITE (1u << 7)   /**< frame: may be mapped writable */
#define RIGHT_EXECUTE (1u << 8) /**< frame: may be mapped executable */
#define RIGHT_CONTROL                                                                              \
    (1u << 9) /**< task: start, stop, set its registers; irq: acknowledge; kernel: privileged      \
                 calls */
#define RIGHT_WATCH (1u << 10) /**< task: be told when it faults or exits */

/** Every right defined above. */
#define RIGHTS_ALL ((1u << 11) - 1)

#ifdef __cplusplus
}
#endif
