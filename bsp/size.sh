#!/usr/bin/env bash
# Prints the kernel's size per library: the bytes of text, rodata, data and
# bss its symbols take in the linked image, grouped by the directory of the
# source that defines them (llvm-nm -l, from the image's debug lines), so
# code inlined by the link-time optimiser counts where it ended up. The
# embedded user images are rodata of their own, shown apart and left out of
# the kernel's figures.
#
#   size.sh LLVM_NM IMAGE
set -euo pipefail

nm="$1" image="$2"
[[ -r "$image" ]] || { echo "size: no image at $image" >&2; exit 2; }

"$nm" -S -l -t d --defined-only "$image" | awk '
    NF >= 4 && $2 + 0 > 0 {
        size = $2 + 0
        kind = tolower($3)
        class = (kind == "t" || kind == "w") ? "text" : kind == "r" ? "rodata" : kind == "d" ? "data" : kind == "b" ? "bss" : ""
        if (class == "") { next }
        lib = ""
        if (NF >= 5) {
            file = $5
            sub(/^\.\//, "", file)
            sub(/:[0-9]+$/, "", file)
            n = split(file, part, "/")
            for (i = 1; i < n; i++) { lib = lib (i > 1 ? "/" : "") part[i] }
        }
        if ($4 ~ /^basalt_images_/) { lib = "(embedded user images)" }
        else if (lib == "") { lib = "(no source line)" }
        bytes[lib, class] += size
        libs[lib] = 1
        if (lib != "(embedded user images)") { total[class] += size }
    }
    END {
        printf "%-26s %8s %8s %8s %8s\n", "size: library", "text", "rodata", "data", "bss"
        for (lib in libs) { line[lib] = sprintf("%-26s %8d %8d %8d %8d", lib, bytes[lib, "text"], bytes[lib, "rodata"], bytes[lib, "data"], bytes[lib, "bss"]) }
        # Sorted by name, embedded images last (a plain insertion sort: awk has none).
        n = 0
        for (lib in libs) { if (lib != "(embedded user images)") { names[++n] = lib } }
        for (i = 2; i <= n; i++) { v = names[i]; for (j = i - 1; j >= 1 && names[j] > v; j--) { names[j + 1] = names[j] } names[j + 1] = v }
        for (i = 1; i <= n; i++) { print line[names[i]] }
        printf "%-26s %8d %8d %8d %8d\n", "size: kernel total", total["text"], total["rodata"], total["data"], total["bss"]
        if ("(embedded user images)" in libs) { print line["(embedded user images)"] }
        printf "size: kernel code (text of its own functions, user images excluded): %d bytes, %.1f KiB\n", total["text"], total["text"] / 1024
    }
'
