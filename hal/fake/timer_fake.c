#include "hal/fake/timer_fake.h"

#include <stdbool.h>
#include <stdint.h>

#include "hal/timer.h"

/* QEMU virt's counter frequency. */
#define TIMER_FAKE_DEFAULT_HZ 62500000u

static uint64_t timer_fake_frequency = TIMER_FAKE_DEFAULT_HZ;
static uint64_t timer_fake_counter;
static uint32_t timer_fake_hz;
static int timer_fake_start_fails;
static uint64_t timer_fake_alarm_value;
static bool timer_fake_idle_now;
static uint32_t timer_fake_idle_entries;

void hal_timer_init(uint64_t frequency_hz)
{
    if (frequency_hz != 0) {
        timer_fake_frequency = frequency_hz;
    }
}

uint64_t hal_timer_frequency(void)
{
    return timer_fake_frequency;
}

uint64_t hal_timer_count(void)
{
    return timer_fake_counter;
}

int hal_timer_start(uint32_t tick_hz)
{
    if (timer_fake_start_fails || tick_hz == 0 || tick_hz > timer_fake_frequency) {
        return -1;
    }
    timer_fake_hz = tick_hz;
    return 0;
}

uint64_t hal_timer_rearm(void)
{
    return 1;
}

void hal_timer_idle(bool idle)
{
    if (idle && !timer_fake_idle_now) {
        timer_fake_idle_entries++;
    }
    timer_fake_idle_now = idle;
}

bool timer_fake_idle(void)
{
    return timer_fake_idle_now;
}

uint32_t timer_fake_idle_count(void)
{
    return timer_fake_idle_entries;
}

void hal_timer_set_alarm(uint64_t when)
{
    timer_fake_alarm_value = when;
}

uint64_t timer_fake_alarm(void)
{
    return timer_fake_alarm_value;
}

void timer_fake_set_count(uint64_t count)
{
    timer_fake_counter = count;
}

void hal_timer_stop(void)
{
    timer_fake_hz = 0;
    timer_fake_alarm_value = 0;
}

void timer_fake_set_start_fails(int fails)
{
    timer_fake_start_fails = fails;
}

uint32_t timer_fake_tick_hz(void)
{
    return timer_fake_hz;
}

void timer_fake_reset(void)
{
    timer_fake_frequency = TIMER_FAKE_DEFAULT_HZ;
    timer_fake_counter = 0;
    timer_fake_hz = 0;
    timer_fake_start_fails = 0;
    timer_fake_alarm_value = 0;
    timer_fake_idle_now = false;
    timer_fake_idle_entries = 0;
}
