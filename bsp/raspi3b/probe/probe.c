#include <stdint.h>

extern uint64_t probe_slots[4][8];

#define PERI 0x3F000000ul
#define UART (PERI + 0x201000ul)
#define LOCAL 0x40000000ul

static inline uint32_t rd(uintptr_t a)
{
    return *(volatile uint32_t *)a;
}
static inline void wr(uintptr_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

static void putc_(char c)
{
    while (rd(UART + 0x18) & (1u << 5)) {
    }
    wr(UART, (uint8_t)c);
}
static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}
static void hex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 15]);
}
static void kv(const char *k, uint64_t v)
{
    puts_(k);
    puts_("=");
    hex(v);
    puts_("\n");
}

static volatile uint32_t mbox_buf[64] __attribute__((aligned(16)));

static void mbox_tag(uint32_t tag, const char *name)
{
    mbox_buf[0] = 8 * 4;
    mbox_buf[1] = 0;
    mbox_buf[2] = tag;
    mbox_buf[3] = 8;
    mbox_buf[4] = 0;
    mbox_buf[5] = 0;
    mbox_buf[6] = 0;
    mbox_buf[7] = 0;
    __asm__ volatile("dsb sy" ::: "memory");
    uintptr_t mb = PERI + 0xB880;
    while (rd(mb + 0x38) & 0x80000000u) {
    }
    wr(mb + 0x20, (uint32_t)(uintptr_t)mbox_buf | 8);
    for (;;) {
        while (rd(mb + 0x18) & 0x40000000u) {
        }
        uint32_t r = rd(mb);
        if ((r & 0xf) == 8)
            break;
    }
    puts_(name);
    puts_(": code=");
    hex(mbox_buf[1]);
    puts_(" base=");
    hex(mbox_buf[5]);
    puts_(" size=");
    hex(mbox_buf[6]);
    puts_("\n");
}

void probe_main(void)
{
    puts_("probe: hello from UART0 at 0x3F201000\n");
    for (volatile int i = 0; i < 2000000; i++) {
    }
    for (int c = 0; c < 4; c++) {
        puts_("cpu ");
        hex(c);
        puts_(": arrived=");
        hex(probe_slots[c][6]);
        puts_(" EL=");
        hex(probe_slots[c][4] >> 2);
        puts_(" x0=");
        hex(probe_slots[c][0]);
        puts_(" x1=");
        hex(probe_slots[c][1]);
        puts_(" pc=");
        hex(probe_slots[c][5]);
        puts_("\n");
    }
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    kv("CNTFRQ_EL0", v);
    __asm__ volatile("mrs %0, midr_el1" : "=r"(v));
    kv("MIDR_EL1", v);
    uint64_t el = probe_slots[0][4] >> 2;
    if (el == 3) {
        __asm__ volatile("mrs %0, scr_el3" : "=r"(v));
        kv("SCR_EL3", v);
    }
    if (el >= 2) {
        __asm__ volatile("mrs %0, hcr_el2" : "=r"(v));
        kv("HCR_EL2", v);
    }
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v));
    kv("ID_AA64PFR0_EL1", v);
    /* Low memory: DTB magic at 0? spin code at 0x300, spin table at 0xd8 */
    kv("mem[0x0]", *(volatile uint32_t *)0x0);
    kv("mem[0xd8]", *(volatile uint64_t *)0xd8);
    kv("mem[0x300]", *(volatile uint32_t *)0x300);
    kv("mem[0x304]", *(volatile uint32_t *)0x304);
    /* Mailbox property channel: ARM and VC memory. */
    mbox_tag(0x00010005, "ARM memory");
    mbox_tag(0x00010006, "VC memory");
    /* Generic timer -> local controller. Enable CNTPNS and CNTV IRQs for core 0. */
    kv("local[0x40] before", rd(LOCAL + 0x40));
    kv("local[0x60] before", rd(LOCAL + 0x60));
    wr(LOCAL + 0x40, (1u << 1) | (1u << 3));
    __asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb" ::"r"(100ul), "r"(1ul));
    for (volatile int i = 0; i < 200000; i++) {
    }
    kv("after CNTV fires: local[0x60]", rd(LOCAL + 0x60));
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(2ul));
    for (volatile int i = 0; i < 1000; i++) {
    }
    kv("CNTV masked: local[0x60]", rd(LOCAL + 0x60));
    if (el <= 1 || 1) {
        __asm__ volatile("msr cntp_tval_el0, %0; msr cntp_ctl_el0, %1; isb" ::"r"(100ul), "r"(1ul));
        for (volatile int i = 0; i < 200000; i++) {
        }
        kv("after CNTP fires: local[0x60]", rd(LOCAL + 0x60));
        __asm__ volatile("msr cntp_ctl_el0, %0; isb" ::"r"(2ul));
    }
    /* GPU IRQ 57 (UART0): PL011 TX interrupt, enable GPU IRQ 57. */
    wr(UART + 0x38, 1u << 5); /* IMSC.TXIM */
    for (volatile int i = 0; i < 1000; i++) {
    }
    kv("UART RIS", rd(UART + 0x3c));
    kv("ic basic before enable", rd(PERI + 0xB200));
    wr(PERI + 0xB214, 1u << 25);
    kv("ic basic", rd(PERI + 0xB200));
    kv("ic pend1", rd(PERI + 0xB204));
    kv("ic pend2", rd(PERI + 0xB208));
    kv("ic en2", rd(PERI + 0xB214));
    kv("local[0x60] gpu", rd(LOCAL + 0x60));
    kv("local[0x0c] gpu route", rd(LOCAL + 0x0c));
    wr(PERI + 0xB220, 1u << 25);
    kv("after disable: ic en2", rd(PERI + 0xB214));
    kv("after disable: ic basic", rd(PERI + 0xB200));
    kv("after disable: local[0x60]", rd(LOCAL + 0x60));
    wr(UART + 0x38, 0);
    kv("PM RSTC", rd(PERI + 0x10001c));
    kv("PM RSTS", rd(PERI + 0x100020));
    kv("PM WDOG", rd(PERI + 0x100024));
#ifdef PROBE_POWEROFF
    puts_("probe: power off (RSTS partition 63, then RSTC full reset)\n");
    wr(PERI + 0x100020, 0x5a000000u | ((rd(PERI + 0x100020) & ~0xaaau) | 0x555u));
#else
    puts_("probe: watchdog reset\n");
#endif
    wr(PERI + 0x100024, 0x5a000000u | 10u);
    wr(PERI + 0x10001c, 0x5a000000u | (rd(PERI + 0x10001c) & ~0x30u) | 0x20u);
    for (volatile int i = 0; i < 20000000; i++) {
    }
    puts_("probe: still running after RSTC write\n");
    for (;;)
        __asm__ volatile("wfe");
}
