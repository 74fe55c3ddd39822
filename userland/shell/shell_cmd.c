/* The shell's command parser (shell_cmd.h). */

#include "userland/shell/shell_cmd.h"

#include <stddef.h>
#include <stdint.h>

const char shell_help_text[] =
    "help                   this list\n"
    "ps                     every task: id, state, priority, CPU, image\n"
    "spawn NAME [PRIORITY]  start the embedded image NAME\n"
    "kill ID                stop task ID (an id from ps)\n"
    "mem                    free frames and kernel objects in use\n"
    "echo TEXT              print TEXT\n"
    "bench                  run the benchmark program\n"
    "poweroff               turn the machine off\n";

/* A word of the line: where it starts and how long it is. */
struct word {
    const char *at;
    uint32_t len;
};

static const char *skip_spaces(const char *p)
{
    while (*p == ' ') {
        p++;
    }
    return p;
}

/* The word at p (after spaces); its end is p + len. */
static struct word next_word(const char *p)
{
    struct word w = {skip_spaces(p), 0};
    while (w.at[w.len] != 0 && w.at[w.len] != ' ') {
        w.len++;
    }
    return w;
}

static int word_is(struct word w, const char *lit)
{
    uint32_t i = 0;
    for (; i < w.len; i++) {
        if (lit[i] != w.at[i]) {
            return 0;
        }
    }
    return lit[i] == 0;
}

/* Copies w into out (room for SHELL_NAME_MAX), cut to fit. */
static void copy_word(struct word w, char *out)
{
    uint32_t i = 0;
    for (; i < w.len && i < SHELL_NAME_MAX - 1; i++) {
        out[i] = w.at[i];
    }
    out[i] = 0;
}

/* Whether nothing but spaces follows w. */
static int nothing_after(struct word w)
{
    return *skip_spaces(w.at + w.len) == 0;
}

/* A decimal number 1..UINT32_MAX with no other character; 0 if it is not one. */
static uint32_t parse_id(struct word w)
{
    if (w.len == 0 || w.len > 10) {
        return 0;
    }
    uint64_t v = 0;
    for (uint32_t i = 0; i < w.len; i++) {
        if (w.at[i] < '0' || w.at[i] > '9') {
            return 0;
        }
        v = v * 10 + (uint64_t)(w.at[i] - '0');
    }
    return v <= UINT32_MAX ? (uint32_t)v : 0;
}

/* Commands that take no argument. */
static const struct {
    const char *name;
    uint32_t kind;
    const char *usage;
} plain[] = {
    {"help", SHELL_CMD_HELP, "usage: help"},
    {"ps", SHELL_CMD_PS, "usage: ps"},
    {"mem", SHELL_CMD_MEM, "usage: mem"},
    {"bench", SHELL_CMD_BENCH, "usage: bench"},
    {"poweroff", SHELL_CMD_POWEROFF, "usage: poweroff"},
};

static void parse_spawn(struct word cmd, struct shell_cmd *out)
{
    struct word arg = next_word(cmd.at + cmd.len);
    struct word prio = next_word(arg.at + arg.len);
    uint32_t priority = prio.len != 0 ? parse_id(prio) : 0;
    if (arg.len == 0 || arg.len >= SHELL_NAME_MAX || (prio.len != 0 && priority == 0) ||
        priority > 255 || !nothing_after(prio)) {
        out->kind = SHELL_CMD_USAGE;
        out->usage = "usage: spawn NAME [PRIORITY] (an embedded image, at most 23 characters; "
                     "priority 1-31)";
        return;
    }
    out->kind = SHELL_CMD_SPAWN;
    out->priority = priority;
    copy_word(arg, out->name);
}

static void parse_kill(struct word cmd, struct shell_cmd *out)
{
    struct word arg = next_word(cmd.at + cmd.len);
    uint32_t id = parse_id(arg);
    if (id == 0 || !nothing_after(arg)) {
        out->kind = SHELL_CMD_USAGE;
        out->usage = "usage: kill ID (a task id from ps)";
        return;
    }
    out->kind = SHELL_CMD_KILL;
    out->id = id;
}

void shell_parse(const char *line, struct shell_cmd *out)
{
    out->kind = SHELL_CMD_EMPTY;
    out->name[0] = 0;
    out->id = 0;
    out->priority = 0;
    out->text = line;
    out->text_len = 0;
    out->usage = NULL;
    struct word cmd = next_word(line);
    if (cmd.len == 0) {
        return;
    }
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        if (word_is(cmd, plain[i].name)) {
            out->kind = nothing_after(cmd) ? plain[i].kind : SHELL_CMD_USAGE;
            out->usage = out->kind == SHELL_CMD_USAGE ? plain[i].usage : NULL;
            return;
        }
    }
    if (word_is(cmd, "spawn")) {
        parse_spawn(cmd, out);
    } else if (word_is(cmd, "kill")) {
        parse_kill(cmd, out);
    } else if (word_is(cmd, "echo")) {
        // The text after "echo " as typed (inner spaces kept, trailing ones dropped).
        const char *t = cmd.at + cmd.len;
        t += *t == ' ' ? 1 : 0;
        uint32_t n = 0;
        while (t[n] != 0) {
            n++;
        }
        while (n > 0 && t[n - 1] == ' ') {
            n--;
        }
        out->kind = SHELL_CMD_ECHO;
        out->text = t;
        out->text_len = n;
    } else {
        out->kind = SHELL_CMD_UNKNOWN;
        copy_word(cmd, out->name);
    }
}
