/*
 * How init starts the shell (userland/shell): it spawns the image "shell"
 * through the process manager, giving it (in x0) an endpoint it may
 * receive on, then sends two messages on it:
 *
 *   SHELL_SETUP_SYSTEM  caps[0] a kernel capability (CONTROL: mem,
 *                       poweroff), caps[1] the process manager's endpoint
 *                       (SEND: ps, spawn, kill).
 *   SHELL_SETUP_TERMINAL caps[0] the UART driver's endpoint (SEND:
 *                       userland/uart/uart_proto.h), caps[1] a console
 *                       capability (WRITE, GRANT, DERIVE) it gives the
 *                       tasks it spawns and reports a dead UART on.
 */
#pragma once

#define SHELL_SETUP_SYSTEM 1
#define SHELL_SETUP_TERMINAL 2

/*
 * The shell's priority (init starts it there): below what it spawns by
 * default (20), so that `spawn hello` prints before the next prompt, and
 * below init, which only waits once the shell runs.
 */
#define SHELL_PRIORITY 14

/** The prompt, exactly. */
#define SHELL_PROMPT "basalt> "
