#pragma once

/**
 * The machine protocol (userland/machine calls, userland/machine/probe.c
 * serves): a probe is spawned with an endpoint and waits on it; a call's
 * label names what it tries at EL0 (MACHINE_PROBE_*). The probe replies,
 * prints "probe: <what>", then tries it; if it is still running after,
 * it prints "probe: <what> was not stopped" and waits again.
 */

/* WFE traps too (SCTLR_EL1.nTWE = 0), but only where it would wait, and
 * QEMU never makes it wait: it is not probed. */
#define MACHINE_PROBE_WFI 1
#define MACHINE_PROBE_CNTV_CTL 2
#define MACHINE_PROBE_CNTP_CTL 3
#define MACHINE_PROBE_CNTPCT 4
#define MACHINE_PROBE_KERNEL_READ 5
#define MACHINE_PROBE_FP 6
#define MACHINE_PROBE_COUNT 7
