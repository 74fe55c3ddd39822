/*
 * embed_images: writes the assembly that embeds user images in the kernel.
 *
 *   embed_images -o OUT.S [NAME=PATH]...
 *
 * Reads each file, hashes it with kernel/crypto's SHA-256, and writes OUT.S:
 * one read-only section, .rodata.basalt_images, that holds the blob (each
 * image IMAGE_ALIGN-aligned, pulled in with .incbin "PATH" exactly as PATH
 * was given) followed by the table that kernel/images/images_linked.h
 * declares, entries sorted by name. Only directives that clang's integrated
 * assembler takes for both aarch64 and x86-64 are used, so host tests can
 * link the same output.
 *
 * Reproducible: no timestamps, no absolute paths (refused), the order of the
 * arguments does not matter. Every problem (a bad, long or duplicate name, an
 * absolute or unquotable path, an unreadable file) is one line on stderr and
 * exit status 1; a bad command line exits 2.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/crypto/sha256.h"
#include "kernel/images/images.h"

/** One NAME=PATH argument and what reading the file found. */
struct image {
    const char *name;
    const char *path;
    uint64_t offset;
    uint64_t size;
    uint8_t sha256[SHA256_DIGEST_SIZE];
};

static const char *const section = ".rodata.basalt_images";

/** Prints "embed_images: MESSAGE" and exits 1. */
__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fputs("embed_images: ", stderr);
    vfprintf(stderr, format, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static bool name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/** Splits arg at its first '=' into img and checks the name and the path. */
static void parse_image(char *arg, struct image *img)
{
    char *eq = strchr(arg, '=');
    if (eq == NULL) {
        die("argument '%s' is not NAME=PATH", arg);
    }
    *eq = '\0';
    img->name = arg;
    img->path = eq + 1;
    size_t len = strlen(img->name);
    if (len == 0) {
        die("empty name for path '%s'", img->path);
    }
    if (len >= IMAGE_NAME_MAX) {
        die("name '%s' is too long (%zu characters, at most %d)", img->name, len,
            IMAGE_NAME_MAX - 1);
    }
    for (size_t i = 0; i < len; i++) {
        if (!name_char_ok(img->name[i])) {
            die("name '%s' has a bad character (allowed: A-Z a-z 0-9 . _ -)", img->name);
        }
    }
    if (img->path[0] == '\0') {
        die("empty path for name '%s'", img->name);
    }
    if (img->path[0] == '/') {
        die("path '%s' of '%s' is absolute (the output must not hold absolute paths)", img->path,
            img->name);
    }
    for (const char *p = img->path; *p != '\0'; p++) {
        // What .incbin "..." cannot hold without escapes: quotes, backslashes, controls.
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
            die("path of '%s' has a character .incbin cannot take", img->name);
        }
    }
}

/** Reads img->path to its end, setting img->size and img->sha256. */
static void hash_file(struct image *img)
{
    FILE *f = fopen(img->path, "rb");
    if (f == NULL) {
        die("cannot read '%s' (for '%s'): %s", img->path, img->name, strerror(errno));
    }
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    uint8_t buf[65536];
    size_t n;
    img->size = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sha256_update(&ctx, buf, n);
        img->size += n;
    }
    if (ferror(f)) {
        die("cannot read '%s' (for '%s'): %s", img->path, img->name, strerror(errno));
    }
    fclose(f);
    sha256_final(&ctx, img->sha256);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct image *)a)->name, ((const struct image *)b)->name);
}

/** Writes "\t.globl SYM\n\t.type SYM, %object\nSYM:\n". */
static void emit_symbol(FILE *out, const char *sym)
{
    fprintf(out, "\t.globl %s\n\t.type %s, %%object\n%s:\n", sym, sym, sym);
}

static void emit_bytes(FILE *out, const uint8_t *bytes, size_t n)
{
    fputs("\t.byte ", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s0x%02x", i == 0 ? "" : ",", bytes[i]);
    }
    fputc('\n', out);
}

static void emit_blob(FILE *out, const struct image *imgs, size_t count, uint64_t blob_size)
{
    fprintf(out, "\t.section %s,\"a\"\n", section);
    fprintf(out, "\t.balign %d\n", IMAGE_ALIGN);
    emit_symbol(out, "basalt_images_blob_start");
    for (size_t i = 0; i < count; i++) {
        fprintf(out, "\t/* %s: offset %llu, size %llu */\n", imgs[i].name,
                (unsigned long long)imgs[i].offset, (unsigned long long)imgs[i].size);
        // .org only moves forward: it stops the assembly if the file grew.
        fprintf(out, "\t.balign %d\n\t.org %llu\n", IMAGE_ALIGN,
                (unsigned long long)imgs[i].offset);
        fprintf(out, "\t.incbin \"%s\"\n", imgs[i].path);
    }
    fprintf(out, "\t.org %llu\n", (unsigned long long)blob_size);
    emit_symbol(out, "basalt_images_blob_end");
    fputs("\t.size basalt_images_blob_start, basalt_images_blob_end - basalt_images_blob_start\n"
          "\t.size basalt_images_blob_end, 0\n",
          out);
}

static void emit_table(FILE *out, const struct image *imgs, size_t count)
{
    fputs("\n\t.balign 8\n", out);
    emit_symbol(out, "basalt_images_magic");
    fprintf(out, "\t.long 0x%08x\n\t.size basalt_images_magic, 4\n", IMAGE_TABLE_MAGIC);
    emit_symbol(out, "basalt_images_count");
    fprintf(out, "\t.long %zu\n\t.size basalt_images_count, 4\n", count);
    emit_symbol(out, "basalt_images_table");
    for (size_t i = 0; i < count; i++) {
        uint8_t name[IMAGE_NAME_MAX] = {0};
        memcpy(name, imgs[i].name, strlen(imgs[i].name));
        fprintf(out, "\t/* [%zu] %s */\n", i, imgs[i].name);
        emit_bytes(out, name, sizeof name);
        fprintf(out, "\t.quad %llu\n\t.quad %llu\n", (unsigned long long)imgs[i].offset,
                (unsigned long long)imgs[i].size);
        emit_bytes(out, imgs[i].sha256, sizeof imgs[i].sha256);
    }
    fprintf(out, "\t.size basalt_images_table, %zu\n", count * (size_t)IMAGE_ENTRY_SIZE);
}

int main(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "-o") != 0) {
        fputs("usage: embed_images -o OUT.S [NAME=PATH]...\n", stderr);
        return 2;
    }
    const char *out_path = argv[2];
    size_t count = (size_t)(argc - 3);
    struct image *imgs = calloc(count == 0 ? 1 : count, sizeof *imgs);
    if (imgs == NULL) {
        die("out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        parse_image(argv[3 + i], &imgs[i]);
    }
    qsort(imgs, count, sizeof *imgs, by_name);
    for (size_t i = 1; i < count; i++) {
        if (strcmp(imgs[i - 1].name, imgs[i].name) == 0) {
            die("duplicate name '%s'", imgs[i].name);
        }
    }
    uint64_t end = 0;
    for (size_t i = 0; i < count; i++) {
        hash_file(&imgs[i]);
        imgs[i].offset = (end + IMAGE_ALIGN - 1) / IMAGE_ALIGN * IMAGE_ALIGN;
        end = imgs[i].offset + imgs[i].size;
    }
    FILE *out = fopen(out_path, "w");
    if (out == NULL) {
        die("cannot write '%s': %s", out_path, strerror(errno));
    }
    fprintf(out, "/* Generated by //bsp/embed:embed_images from %zu image(s); do not edit. */\n\n",
            count);
    emit_blob(out, imgs, count, end);
    emit_table(out, imgs, count);
    if (fclose(out) != 0) {
        die("cannot write '%s': %s", out_path, strerror(errno));
    }
    free(imgs);
    return 0;
}
