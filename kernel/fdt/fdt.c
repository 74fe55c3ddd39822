/*
 * The checking entry points of kernel/fdt: fdt_check and the error names.
 * fdt_parse_platform is in fdt_platform.c.
 */

#include "kernel/fdt/fdt.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/fdt/fdt_priv.h"

_Static_assert(FDT_ERR_BAD_IRQ_PARENT + 1 == FDT_ERROR_COUNT, "FDT_ERROR_COUNT is stale");
_Static_assert(FDT_MAX_DEPTH <= 32, "fdt_walk.had_child holds one bit per depth");

const char *fdt_error_string(fdt_error e)
{
    /* A switch, not an array of pointers: the answer must not depend on
     * absolute addresses stored in data (see fdt.h). */
    switch (e) {
    case FDT_OK:
        return "ok";
    case FDT_ERR_NULL:
        return "null pointer";
    case FDT_ERR_TRUNCATED:
        return "blob truncated";
    case FDT_ERR_BAD_MAGIC:
        return "bad magic";
    case FDT_ERR_BAD_VERSION:
        return "unsupported version";
    case FDT_ERR_BAD_LAYOUT:
        return "bad block layout";
    case FDT_ERR_BAD_STRUCTURE:
        return "bad structure block";
    case FDT_ERR_BAD_STRING:
        return "bad property name";
    case FDT_ERR_BAD_PROPERTY:
        return "bad property value";
    case FDT_ERR_NO_MEMORY_NODE:
        return "no memory node";
    case FDT_ERR_NO_UART:
        return "no pl011 uart";
    case FDT_ERR_NO_IRQ_CONTROLLER:
        return "no supported interrupt controller";
    case FDT_ERR_NO_TIMER:
        return "no arch timer";
    case FDT_ERR_TOO_MANY:
        return "too many reserved ranges";
    case FDT_ERR_NO_RANGES:
        return "address behind a bus without ranges";
    case FDT_ERR_NOT_IN_RANGES:
        return "address outside its bus's ranges";
    case FDT_ERR_BAD_IRQ_PARENT:
        return "timer's interrupt parent not the platform's controller";
    }
    return "unknown error";
}

fdt_error fdt_check(const void *blob, size_t size, uint32_t *totalsize_out)
{
    struct fdt_blob b;
    fdt_error e = fdt_blob_open(blob, size, &b);
    if (e != FDT_OK) {
        return e;
    }
    struct fdt_walk w;
    struct fdt_token t;
    fdt_walk_init(&w, &b);
    do {
        e = fdt_walk_next(&w, &t);
        if (e != FDT_OK) {
            return e;
        }
    } while (t.kind != FDT_END);
    if (totalsize_out != NULL) {
        *totalsize_out = b.totalsize;
    }
    return FDT_OK;
}
