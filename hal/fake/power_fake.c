#include "hal/fake/power_fake.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hal/power.h"

/* Calls to hal_power_off() since the last power_fake_reset(). */
static uint32_t off_count;

/* The test's handler, or NULL for the default exit(0). */
static power_fake_handler off_handler;

/** Counts the call, then ends the "machine" through the handler. */
_Noreturn void hal_power_off(void)
{
    off_count++;
    if (off_handler != NULL) {
        off_handler();
        /* A handler that returns broke its contract (see power_fake.h). */
        abort();
    }
    /* Powered off cleanly: QEMU exits with status 0 on SYSTEM_OFF too. */
    exit(0);
}

/** Returns the number of calls since the last reset. */
uint32_t power_fake_off_count(void)
{
    return off_count;
}

/** Installs handler (NULL: default exit(0)). */
void power_fake_set_handler(power_fake_handler handler)
{
    off_handler = handler;
}

/** Zeroes the count and restores exit(0). */
void power_fake_reset(void)
{
    off_count = 0;
    off_handler = NULL;
}

/** The fake reset ends the host process like a power-off, with status 0. */
_Noreturn void hal_power_reset(void)
{
    hal_power_off();
}
