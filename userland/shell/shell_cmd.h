/*
 * The shell's command parser: a line in, a command out. Pure (no system
 * call), so host tests check it. Words are separated by spaces; leading
 * and trailing spaces do not count.
 *
 *   help | ps | mem | bench | poweroff     no argument
 *   spawn NAME [PRIORITY]                  one word, 1..SHELL_NAME_MAX-1 bytes;
 *                                          a priority 1..255 (the kernel
 *                                          takes 0..31; 0 or none: the
 *                                          process manager's default)
 *   kill ID                                a decimal number, 1..2^32-1
 *   echo TEXT                              the rest of the line, as typed
 *
 * A line of spaces only is SHELL_CMD_EMPTY (the shell prompts again); a
 * first word that names no command is SHELL_CMD_UNKNOWN; a known command
 * with wrong arguments is SHELL_CMD_USAGE, with the usage line to print.
 */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of an image name, its NUL included (as the process manager's). */
#define SHELL_NAME_MAX 24

#define SHELL_CMD_EMPTY 0
#define SHELL_CMD_HELP 1
#define SHELL_CMD_PS 2
#define SHELL_CMD_SPAWN 3
#define SHELL_CMD_KILL 4
#define SHELL_CMD_MEM 5
#define SHELL_CMD_ECHO 6
#define SHELL_CMD_BENCH 7
#define SHELL_CMD_POWEROFF 8
#define SHELL_CMD_UNKNOWN 9
#define SHELL_CMD_USAGE 10

struct shell_cmd {
    /** SHELL_CMD_*. */
    uint32_t kind;
    /** SPAWN: the image name, NUL-terminated. UNKNOWN: the word, cut to fit. */
    char name[SHELL_NAME_MAX];
    /** SPAWN: the priority asked (0: none). */
    uint32_t priority;
    /** KILL: the task id. */
    uint32_t id;
    /** ECHO: the text (into the line given to shell_parse) and its length. */
    const char *text;
    uint32_t text_len;
    /** USAGE: how to call the command. */
    const char *usage;
};

/** Parses the NUL-terminated line into *out. Cannot fail: every line is some kind. */
void shell_parse(const char *line, struct shell_cmd *out);

/** The help text: one line per command, each ending in a newline. */
extern const char shell_help_text[];

#ifdef __cplusplus
}
#endif
