/*
 * A boot test of what the CPUs share, under real parallelism (run with
 * `-accel tcg,thread=multi`, every CPU on its own host thread): the
 * ticket lock (hal/aarch64/spinlock.h) and inter-processor interrupts
 * (gic_send_sgi). It starts the CPUs itself, each with the work below,
 * before the boot does (which then finds them on: PSCI ALREADY_ON).
 *
 * The lock: ROUNDS rounds; in each, every CPU adds 1 to a plain counter
 * ADDS_PER_ROUND / CPUs times, each add a load and a store under the
 * lock, so any two CPUs inside at once lose an add. The boot CPU checks
 * the sum each round.
 *
 * The IPIs: to each started CPU in turn, PINGS times, the boot CPU sends
 * SGI 1 and waits until that CPU has taken it (its GIC acknowledge reads
 * SGI 1, it ends it and counts it): every SGI arrives once, at the CPU it
 * was sent to. The CPUs wait in WFI with interrupts masked, which a
 * pending interrupt still wakes.
 */

#include <stdint.h>

#include "bsp/common/board.h"
#include "bsp/common/boot_mmu.h"
#include "bsp/qemu_virt/gic.h"
#include "hal/aarch64/smp.h"
#include "hal/aarch64/spinlock.h"
#include "hal/timer.h"
#include "kernel/console/kprintf.h"
#include "kernel/main/boot_test.h"

#define ROUNDS 20u
/* Adds per round, shared among the CPUs: every add is a lock handoff, and
 * under MTTCG with more CPUs than host cores a handoff to a CPU whose host
 * thread is not running waits for the host's scheduler (about 2 ms each
 * with 8 CPUs on 2 host cores). */
#define ADDS_PER_ROUND 400u
#define PINGS 100u
#define SGI_PING 1u

static struct aarch64_ticket_lock smp_lock;
static uint64_t smp_counter;                 /* only under smp_lock */
static uint32_t smp_round;                   /* the round the boot CPU opened (release/acquire) */
static uint32_t smp_finished;                /* CPU-rounds done, under smp_lock */
static uint32_t smp_pings[AARCH64_MAX_CPUS]; /* SGIs each slot took (release/acquire) */
static uint32_t smp_stray[AARCH64_MAX_CPUS]; /* other interrupts a slot acknowledged */
static uint32_t smp_adds;                    /* each CPU's adds per round, set before they start */
static uint32_t smp_ready[AARCH64_MAX_CPUS]; /* 1 once a slot takes SGI_PING (release/acquire) */

static uint32_t load_acquire(const uint32_t *p)
{
    uint32_t v;
    __asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static void store_release(uint32_t *p, uint32_t v)
{
    __asm__ volatile("stlr %w0, [%1]" ::"r"(v), "r"(p) : "memory");
}

static void adds(void)
{
    for (uint32_t i = 0; i < smp_adds; i++) {
        aarch64_ticket_lock(&smp_lock);
        smp_counter = *(volatile uint64_t *)&smp_counter + 1;
        aarch64_ticket_unlock(&smp_lock);
    }
    aarch64_ticket_lock(&smp_lock);
    smp_finished++;
    aarch64_ticket_unlock(&smp_lock);
}

static void smp_work(uint32_t slot)
{
    /* SGI_PING on (its group and enable are this CPU's own, banked) before
     * the boot CPU may send one: a GICv3 drops an SGI whose group is not
     * yet the one it was sent for. */
    gic_enable(SGI_PING, 0x80);
    store_release(&smp_ready[slot], 1);
    for (uint32_t r = 1; r <= ROUNDS; r++) {
        while (load_acquire(&smp_round) < r) {
        }
        adds();
    }
    for (;;) {
        __asm__ volatile("wfi" ::: "memory");
        uint32_t intid = gic_acknowledge();
        if (intid >= GIC_INTID_SPECIAL_FIRST) {
            continue; /* spurious: nothing pending after all */
        }
        gic_end(intid);
        if (intid == SGI_PING) {
            store_release(&smp_pings[slot], smp_pings[slot] + 1);
        } else {
            store_release(&smp_stray[slot], smp_stray[slot] + 1);
        }
    }
}

/* Waits until *p reaches want or a second of the system counter passes. */
static int wait_for(const uint32_t *p, uint32_t want)
{
    uint64_t limit = hal_timer_frequency();
    uint64_t start = hal_timer_count();
    while (load_acquire(p) < want) {
        if (hal_timer_count() - start > limit) {
            return -1;
        }
    }
    return 0;
}

static void boot_test_smp(void)
{
    uint32_t listed =
        boot_platform.cpu_count < AARCH64_MAX_CPUS ? boot_platform.cpu_count : AARCH64_MAX_CPUS;
    smp_adds = ADDS_PER_ROUND / (listed != 0 ? listed : 1);
    bsp_secondary_work = smp_work;
    uint32_t cpus = bsp_start_cpus(&boot_platform);
    kprintf("boot test: %u CPUs share a ticket lock, %u rounds of %u adds each\n", cpus, ROUNDS,
            smp_adds);
    uint32_t bad = 0;
    for (uint32_t r = 1; r <= ROUNDS; r++) {
        aarch64_ticket_lock(&smp_lock);
        smp_counter = 0;
        smp_finished = 0;
        aarch64_ticket_unlock(&smp_lock);
        store_release(&smp_round, r);
        adds();
        uint64_t start = hal_timer_count();
        for (;;) {
            aarch64_ticket_lock(&smp_lock);
            uint32_t finished = smp_finished;
            uint64_t counter = smp_counter;
            aarch64_ticket_unlock(&smp_lock);
            if (finished == cpus) {
                if (counter != (uint64_t)cpus * smp_adds) {
                    kprintf("boot test: round %u: the counter is %llu, not %llu\n", r,
                            (unsigned long long)counter, (unsigned long long)cpus * smp_adds);
                    bad++;
                }
                break;
            }
            if (hal_timer_count() - start > 10 * hal_timer_frequency()) {
                kprintf("boot test: round %u: %u of %u CPUs finished in 10 s\n", r, finished, cpus);
                bad++;
                break;
            }
        }
    }
    kprintf("boot test: lock: %u of %u rounds exact\n", ROUNDS - bad, ROUNDS);

    uint32_t lost = 0;
    for (uint32_t slot = 1; slot < cpus; slot++) {
        if (wait_for(&smp_ready[slot], 1) != 0) {
            kprintf("boot test: CPU slot %u never turned its SGIs on\n", slot);
            lost++;
            continue;
        }
        for (uint32_t i = 1; i <= PINGS; i++) {
            gic_send_sgi(SGI_PING, slot);
            if (wait_for(&smp_pings[slot], i) != 0) {
                kprintf("boot test: CPU slot %u did not take SGI %u of %u\n", slot, i, PINGS);
                lost++;
                break;
            }
        }
    }
    uint32_t stray = 0;
    for (uint32_t slot = 1; slot < cpus; slot++) {
        stray += load_acquire(&smp_stray[slot]);
    }
    kprintf("boot test: IPIs: %u CPUs took %u SGIs each, %u lost, %u stray\n", cpus - 1, PINGS,
            lost, stray);
}

BOOT_TEST(smp, boot_test_smp);
