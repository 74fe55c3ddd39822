/* Compiled only by the toolchain probe: pulls in a libc-free header. */
#include <stdint.h>

uint32_t probe_value(void)
{
    return UINT32_C(42);
}
