/*
 * _start: the first instructions of the image, on QEMU's virt board.
 *
 * Entry state (QEMU -kernel with an ELF image; the Linux arm64 boot protocol
 * for other loaders): MMU and data cache off, x0 the device tree blob's
 * physical address or 0, the CPU at EL1 or EL2 (EL3 with secure=on).
 * QEMU 7.2 enters an ELF image with x0 = 0 even though it has put a blob at
 * the start of RAM; x0 is passed on as is and interpreted later.
 *
 * What it does, running at the physical load address while linked in the
 * upper half (kernel.ld): keeps x0, masks DAIF, drops from EL2 to EL1 if
 * needed, sets up the boot stack, zeroes .bss.mmu-off (the statics the
 * MMU-off code uses), installs the vectors at their physical address,
 * calls boot_mmu_setup() (boot_mmu.c) to read the device tree and build
 * the kernel's tables, turns the MMU on, jumps to the upper half, moves
 * the stack and the vectors there, zeroes .bss and calls
 *     void bsp_main(uint64_t boot_el, uint64_t dtb);
 * with boot_el the entry exception level (1 or 2). If bsp_main returns, or
 * the entry level is not one this image runs from, the CPU halts.
 *
 * Until the MMU is on, only PC-relative addressing (adr, adrp) gives
 * usable addresses; a literal "ldr xN, =symbol" gives the link-time
 * (upper-half) address. DAIF stays masked throughout.
 *
 * Cache maintenance, as the Linux arm64 boot path does it (head.S): with
 * the MMU off, data accesses are Device-nGnRnE, so stores go straight to
 * memory, past caches that may still hold lines of that memory from
 * before (firmware, an earlier kernel). So what this path writes with the
 * MMU off, and only that -- the boot stack, .bss.mmu-off and the table
 * pages boot_mmu_setup() uses (it maintains those itself) -- has its lines
 * invalidated before it is written (no dirty line written back over it)
 * and again before the MMU is on (no stale line hiding it from cacheable
 * reads). .bss is zeroed only once the MMU and caches are on and is never
 * accessed otherwise than cacheably: it needs no maintenance at all. The
 * image itself (.text, .rodata, .data) is the loader's to clean to the
 * point of coherency, as the Linux arm64 boot protocol requires.
 *
 * Register bit facts are from the Arm Architecture Reference Manual for
 * A-profile (Arm ARM, DDI 0487), in the named register's description.
 */

/* CurrentEL.EL, bits [3:2]: the current exception level. */
#define CURRENTEL_EL_SHIFT 2

/* HCR_EL2.RW, bit 31: EL1 executes in AArch64. All other bits 0: no traps
 * to EL2, stage 2 translation off (VM = 0), E2H = 0 and TGE = 0 so EL1&0
 * is an ordinary non-hosted regime, physical IRQ/FIQ/SError go to EL1
 * (IMO = FMO = AMO = 0). */
#define HCR_EL2_RW (1 << 31)

/* CNTHCTL_EL2 with HCR_EL2.E2H == 0: EL1PCTEN (bit 0) lets EL1/EL0 read
 * the physical counter CNTPCT_EL0 and EL1PCEN (bit 1) lets them use the
 * physical timer CNTP_* without trapping to EL2. */
#define CNTHCTL_EL2_EL1PCTEN (1 << 0)
#define CNTHCTL_EL2_EL1PCEN (1 << 1)

/* SCTLR_EL1: only the bits that are RES1 in Armv8.0 set -- 29 LSMAOE,
 * 28 nTLSMD, 23 SPAN, 22 EIS, 20 TSCXT, 11 EOS; where a later feature gives
 * them a meaning, 1 is the conservative value. Hence M = 0 (stage 1 MMU
 * off), C = 0 and I = 0 (caches off), A = 0 (no alignment check beyond
 * the one Device memory imposes), EE = E0E = 0 (little-endian),
 * WXN = 0; and for EL0: nTWI = nTWE = 0 (WFI and WFE trap to EL1, where
 * they stop the task like any fault: a task waits through a notification),
 * UCT = DZE = UCI = UMA = 0 (CTR_EL0, DC ZVA, cache maintenance and DAIF
 * access trap). Written in full on every entry path, whatever firmware
 * left. SPAN is cleared where the CPU has PAN (below). */
#define SCTLR_EL1_MMU_OFF 0x30d00800
#define SCTLR_EL1_SPAN_BIT 23

/* ID_AA64MMFR1_EL1.PAN, bits [23:20]: non-zero when the CPU has PAN. */
#define ID_AA64MMFR1_PAN_SHIFT 20

/* MSR PAN, #1 (Armv8.1), as an instruction word so that the assembler need
 * not target Armv8.1: PSTATE.PAN = 1, EL1 may not touch EL0-accessible
 * memory. The kernel never does: it reaches user memory only through the
 * direct map (kernel/uaccess), so PAN is never opened. */
#define INSN_MSR_PAN_1 0xd500419f

/* CNTKCTL_EL1: EL0VCTEN (bit 1) = 1, EL0 may read the virtual counter
 * CNTVCT_EL0 (and CNTFRQ_EL0); EL0PCTEN, EL0VTEN, EL0PTEN (bits 0, 8, 9)
 * and EVNTEN = 0: EL0 may neither read the physical counter nor touch
 * either timer (CNTV_*, CNTP_*: such an access traps and stops the task),
 * so no task can stop the tick. Its reset value is UNKNOWN. */
#define CNTKCTL_EL1_EL0VCTEN (1 << 1)

/* CPTR_EL2 with HCR_EL2.E2H == 0: only its RES1 bits (13, 9, 7:0) set,
 * so TFP (bit 10), TZ (bit 8), TSM (bit 12, RES1 without SME), TTA, TAM
 * and TCPAC are 0: nothing traps to EL2, where this image has no vectors.
 * FP/SIMD, SVE and SME are trapped at EL1 instead, by CPACR_EL1. */
#define CPTR_EL2_NO_TRAPS 0x22ff

/* CPACR_EL1 = 0: FPEN (bits 21:20), ZEN (17:16) and SMEN (25:24) all 0b00,
 * so any FP/SIMD, SVE or SME instruction at EL0 or EL1 traps to EL1 (the
 * kernel is built with -mgeneral-regs-only and keeps no FP state per task:
 * a task that uses FP is stopped with a fault); TTA (bit 28) = 0. Its
 * reset value is UNKNOWN, and firmware may have left FP enabled. */
#define CPACR_EL1_TRAP_ALL 0

/* SPSR_EL2 for the eret to EL1: M[3:0] = 0b0101, EL1h (EL1 using SP_EL1);
 * M[4] = 0, AArch64; D, A, I, F (bits 9:6) = 1, all exceptions masked. */
#define SPSR_EL2_EL1H_DAIF_MASKED 0x3c5

/*
 * Invalidates the data cache lines of [\start, \end) to the point of
 * coherency (DC IVAC per line, line size from CTR_EL0.DminLine, the
 * smallest of any data cache), touching no memory; clobbers x0-x3. For
 * memory this path writes with the MMU off, where stores are Non-cacheable
 * and go to memory: a line some cache held from before (firmware, an
 * earlier kernel) must not be written back over those stores, nor hide
 * them from the cacheable reads that follow once the MMU is on.
 * Invalidating, not cleaning, is right here: the memory holds the data.
 * The range must not share a line with anything else (kernel.ld gives it
 * pages of its own). DSB SY: the invalidations complete before any access
 * after it (Arm ARM, "Ordering and completion of data and instruction
 * cache instructions").
 */
.macro DCACHE_INVAL_POC start, end
    adrp    x0, \start
    add     x0, x0, :lo12:\start
    adrp    x1, \end
    add     x1, x1, :lo12:\end
    mrs     x3, ctr_el0
    ubfx    x3, x3, #16, #4         /* DminLine: log2 of the line in words */
    mov     x2, #4
    lsl     x2, x2, x3              /* the line in bytes */
    sub     x3, x2, #1
    bic     x0, x0, x3
1:  dc      ivac, x0
    add     x0, x0, x2
    cmp     x0, x1
    b.lo    1b
    dsb     sy
.endm

    .section .text.boot, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    /* The DTB pointer in x0 must survive until bsp_main: x19 is
     * callee-saved (AAPCS64), so nothing below disturbs it. */
    mov     x19, x0

    /* Mask debug, SError, IRQ and FIQ: there are no vectors to take them. */
    msr     daifset, #0xf

    /* x20 = entry exception level (CurrentEL.EL). */
    mrs     x20, CurrentEL
    ubfx    x20, x20, #CURRENTEL_EL_SHIFT, #2
    cmp     x20, #2
    b.eq    .Lfrom_el2
    cmp     x20, #1
    b.eq    .Lat_el1
    /* EL3 (QEMU secure=on): this image has no secure-world setup to drop
     * from EL3, so it stops here rather than run in the wrong state. */
    b       .Lhalt

.Lfrom_el2:
    /* EL1 will run AArch64 with no EL2 traps or stage 2 (see HCR_EL2_RW). */
    mov     x0, #HCR_EL2_RW
    msr     hcr_el2, x0

    /* EL1 may use the physical counter and timer directly. */
    mov     x0, #(CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN)
    msr     cnthctl_el2, x0

    /* No coprocessor or FP/SIMD trap to EL2 (see CPTR_EL2_NO_TRAPS). */
    mov     x0, #CPTR_EL2_NO_TRAPS
    msr     cptr_el2, x0

    /* CNTVOFF_EL2 = 0: the virtual counter reads the same as the physical
     * one. Its reset value is UNKNOWN. */
    msr     cntvoff_el2, xzr

    /* With a GICv3 CPU interface (ID_AA64PFR0_EL1.GIC, bits [27:24],
     * non-zero), EL1 may only use its ICC_* system registers once
     * ICC_SRE_EL2 (S3_4_C12_C9_5) has SRE (bit 0) and Enable (bit 3) set
     * (IHI 0069, 12.1.9). Without one the register does not exist. */
    mrs     x0, id_aa64pfr0_el1
    ubfx    x0, x0, #24, #4
    cbz     x0, .Lno_gicv3_sysregs
    mrs     x0, s3_4_c12_c9_5
    orr     x0, x0, #(1 << 0)
    orr     x0, x0, #(1 << 3)
    msr     s3_4_c12_c9_5, x0
    isb
.Lno_gicv3_sysregs:

    /* SCTLR_EL1 is UNKNOWN after reset when EL2 exists, so set it before
     * any EL1 instruction runs: MMU and caches off, little-endian. */
    mov     x0, #(SCTLR_EL1_MMU_OFF & 0xffff)
    movk    x0, #(SCTLR_EL1_MMU_OFF >> 16), lsl #16
    msr     sctlr_el1, x0

    /* Return to .Lat_el1 at EL1h with DAIF masked. ERET is context
     * synchronizing, so the writes above take effect before EL1 runs. */
    mov     x0, #SPSR_EL2_EL1H_DAIF_MASKED
    msr     spsr_el2, x0
    adr     x0, .Lat_el1
    msr     elr_el2, x0
    eret

.Lat_el1:
    /* SCTLR_EL1 in full, the same whichever level the image was entered
     * at; SPAN = 0 where the CPU has PAN, so that every exception taken
     * to EL1 sets PSTATE.PAN, and PAN on from here. x1 = the PAN field. */
    mov     x0, #(SCTLR_EL1_MMU_OFF & 0xffff)
    movk    x0, #(SCTLR_EL1_MMU_OFF >> 16), lsl #16
    mrs     x1, id_aa64mmfr1_el1
    ubfx    x1, x1, #ID_AA64MMFR1_PAN_SHIFT, #4
    cbz     x1, .Lsctlr_set
    bic     x0, x0, #(1 << SCTLR_EL1_SPAN_BIT)
.Lsctlr_set:
    msr     sctlr_el1, x0
    isb
    cbz     x1, .Lpan_done
    .inst   INSN_MSR_PAN_1
.Lpan_done:

    /* EL0 may read the virtual counter, nothing else of the timer. */
    mov     x0, #CNTKCTL_EL1_EL0VCTEN
    msr     cntkctl_el1, x0

    /* FP/SIMD, SVE and SME trap to EL1 whatever firmware left. */
    mov     x0, #CPACR_EL1_TRAP_ALL
    msr     cpacr_el1, x0
    isb

    /* Start counting instructions retired (PMU event 0x08 in event
     * counter 0, at every level) from here, so a benchmark can report the
     * boot's cost: PMCR_EL0.P resets the event counters, .E enables them.
     * Only a kernel that grants EL0 access (aarch64_pmu_user_setup) lets a
     * task read it. */
    mov     x0, #0x08
    msr     pmevtyper0_el0, x0
    mov     x0, #1
    msr     pmcntenset_el0, x0
    mrs     x0, pmcr_el0
    orr     x0, x0, #3
    msr     pmcr_el0, x0
    isb

    /* EL1h from here on. The boot stack is the linker script's .stack
     * section; adrp/add gives its physical address, right while the MMU
     * is off. SP must stay 16-byte aligned (AAPCS64); the linker script
     * aligns the top. */
    adrp    x0, __stack_top
    add     x0, x0, :lo12:__stack_top
    mov     sp, x0

    /* The boot stack and .bss.mmu-off are written with the MMU off: no
     * line from before may be written back over them (see the top). */
    DCACHE_INVAL_POC __stack_bottom, __stack_top
    DCACHE_INVAL_POC __mmu_off_bss_start, __mmu_off_bss_end

    /* Zero .bss.mmu-off, 64 bytes per iteration (four pairs), then the
     * tail 8 bytes at a time. kernel.ld makes its bounds 8-byte aligned,
     * which also keeps these stores aligned (a pair is checked per
     * register): with the MMU off, data accesses are Device-nGnRnE, where
     * a misaligned access faults whatever SCTLR_EL1.A says, and DC ZVA
     * is not allowed. */
    adrp    x0, __mmu_off_bss_start
    add     x0, x0, :lo12:__mmu_off_bss_start
    adrp    x1, __mmu_off_bss_end
    add     x1, x1, :lo12:__mmu_off_bss_end
.Lzero_mmu_off64:
    add     x2, x0, #64
    cmp     x2, x1
    b.hi    .Lzero_mmu_off
    stp     xzr, xzr, [x0]
    stp     xzr, xzr, [x0, #16]
    stp     xzr, xzr, [x0, #32]
    stp     xzr, xzr, [x0, #48]
    mov     x0, x2
    b       .Lzero_mmu_off64
.Lzero_mmu_off:
    cmp     x0, x1
    b.hs    .Lmmu_off_zeroed
    str     xzr, [x0], #8
    b       .Lzero_mmu_off
.Lmmu_off_zeroed:

    /* Vectors at their physical address until the MMU is on, so that a
     * fault in the boot path is reported, not lost. */
    adrp    x0, aarch64_vectors
    add     x0, x0, :lo12:aarch64_vectors
    msr     vbar_el1, x0
    isb

    /* boot_mmu_setup(dtb, KIMAGE_OFFSET): read the device tree, build the
     * tables, load MAIR, TCR and the TTBRs. The literal load gives the
     * link-time value of the absolute symbol, whatever the PC is. A zero
     * frame pointer and link register end the frame chain. */
    mov     x29, xzr
    mov     x30, xzr
    mov     x0, x19
    ldr     x1, =KIMAGE_OFFSET
    bl      boot_mmu_setup

    /* The stack and .bss.mmu-off went to memory: drop any line of them
     * loaded meanwhile, before cacheable reads (boot_mmu_setup has done
     * the same for its tables). DMB SY first: the stores were to Device
     * memory, which DC IVAC is ordered after only through a barrier (Arm
     * ARM, "Ordering and completion of data and instruction cache
     * instructions"); Linux's head.S has the same. */
    dmb     sy
    DCACHE_INVAL_POC __stack_bottom, __stack_top
    DCACHE_INVAL_POC __mmu_off_bss_start, __mmu_off_bss_end

    /* MMU on: SCTLR_EL1.M (bit 0), data cache C (bit 2), SP alignment
     * check SA (bit 3), instruction cache I (bit 12), and WXN (bit 19):
     * any writable page is also execute-never, a second line of W^X. The
     * identity map in TTBR0 keeps the next instructions fetchable. */
    /* No stale translation may survive from before (Arm ARM D8.13). */
    tlbi    vmalle1
    dsb     ish
    isb
    mrs     x0, sctlr_el1
    orr     x0, x0, #(1 << 0)
    orr     x0, x0, #(1 << 2)
    orr     x0, x0, #(1 << 3)
    orr     x0, x0, #(1 << 12)
    orr     x0, x0, #(1 << 19)
    msr     sctlr_el1, x0
    isb

    /* Jump to the link address: the upper half, through TTBR1. */
    ldr     x0, =.Lhigh
    br      x0
.Lhigh:
    ldr     x0, =__stack_top
    mov     sp, x0
    ldr     x0, =aarch64_vectors
    msr     vbar_el1, x0
    isb

    /* Zero .bss, now Normal cacheable memory: nothing has touched it yet
     * (//tests/image:mmu_off_test checks that no code run before
     * references it), and nothing ever accesses it otherwise than
     * cacheably, so it needs no cache maintenance. DC ZVA zeroes a whole
     * block, 4 << DCZID_EL0.BS (bits [3:0]) bytes, at most 2 KiB, so it
     * divides kernel.ld's 4 KiB-aligned bounds; four blocks per iteration
     * while four fit. Where DCZID_EL0.DZP (bit 4) prohibits DC ZVA, store
     * pairs do it, 64 bytes per iteration. (At EL1, DC ZVA does not
     * depend on SCTLR_EL1.DZE, which governs EL0 only: "DC ZVA, Data Cache
     * Zero by VA" and DCZID_EL0 in the Arm ARM.) */
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
    mrs     x2, dczid_el0
    tbnz    x2, #4, .Lzero_bss_stp
    and     x2, x2, #0xf
    mov     x3, #4
    lsl     x3, x3, x2              /* the block in bytes */
    lsl     x4, x3, #2              /* four blocks */
.Lzero_bss_zva4:
    add     x2, x0, x4
    cmp     x2, x1
    b.hi    .Lzero_bss_zva
    dc      zva, x0
    add     x0, x0, x3
    dc      zva, x0
    add     x0, x0, x3
    dc      zva, x0
    add     x0, x0, x3
    dc      zva, x0
    mov     x0, x2
    b       .Lzero_bss_zva4
.Lzero_bss_zva:
    cmp     x0, x1
    b.hs    .Lbss_zeroed
    dc      zva, x0
    add     x0, x0, x3
    b       .Lzero_bss_zva
.Lzero_bss_stp:
    cmp     x0, x1
    b.hs    .Lbss_zeroed
    stp     xzr, xzr, [x0]
    stp     xzr, xzr, [x0, #16]
    stp     xzr, xzr, [x0, #32]
    stp     xzr, xzr, [x0, #48]
    add     x0, x0, #64
    b       .Lzero_bss_stp
.Lbss_zeroed:
    /* No barrier: DC ZVA behaves as stores to its block, and it and the
     * pairs are cacheable stores to Normal memory, which this CPU's later
     * loads observe in program order. No other CPU runs yet. */

    /* bsp_main(boot_el, dtb), now in the upper half. */
    mov     x0, x20
    mov     x1, x19
    bl      bsp_main

.Lhalt:
    /* Nothing left to run: wait forever. WFE may wake spuriously (an event
     * or a pending interrupt, even masked), hence the loop. */
    wfe
    b       .Lhalt
    .size _start, . - _start
    .ltorg
