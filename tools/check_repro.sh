#!/usr/bin/env bash
# tools/check_repro.sh: checks that the images are reproducible bit for bit.
#
#   tools/check_repro.sh [--keep]
#
# Copies the working tree (git-tracked files plus uncommitted and new,
# non-ignored files) to two checkout paths of different lengths, builds the
# targets in each with its own Bazel output base, a different TZ, LANG and
# umask and a different sandbox (the first as .bazelrc says, linux-sandbox
# where namespaces are allowed; the second with processwrapper-sandbox,
# which is what runs where they are not), and compares the sha256 of every
# output file of the targets: by default both boards' images and the
# raspi3b device tree (//bsp:image, //bsp:image_raspi3b,
# //bsp:image_raspi3b_dtb).
# Prints "reproducible: <sha256>" for each file and exits 0, or "NOT
# reproducible", the ELF sections that differ, and exits 1.
#
#   --keep                 keep the copies and output bases (path printed)
#   BASALT_REPRO_TARGET    targets to check, separated by spaces (default
#                          the three above)
#
# Each build starts from an empty output base (the toolchain is extracted
# again; the downloaded archives are shared), so expect a few minutes each.
set -euo pipefail

keep=0
for arg in "$@"; do
    case "$arg" in
        --keep) keep=1 ;;
        -h | --help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "check_repro: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done
read -r -a targets <<<"${BASALT_REPRO_TARGET:-//bsp:image //bsp:image_raspi3b //bsp:image_raspi3b_dtb}"
[[ ${#targets[@]} -gt 0 ]] || { echo "check_repro: BASALT_REPRO_TARGET names no target" >&2; exit 2; }
# One query for all of them: their union.
query=$(IFS=+; echo "${targets[*]}")

root=$(git -C "$(dirname "$(readlink -f -- "$0")")" rev-parse --show-toplevel)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/basalt-repro.XXXXXX")
# Two checkouts at paths of different lengths and depths.
src=("$tmp/basalt-repro-a/src" "$tmp/basalt-repro-bb/some/deeper/src")
ob=("$tmp/output-base-a" "$tmp/output-base-bb")
# Each build's environment: TZ (POSIX form, no tzdata needed), LANG, umask.
tz=("UTC0" "NPT-5:45")
lang=("C.UTF-8" "C")
mask=("022" "077")
# The spawn strategy: the image must not depend on which sandbox ran.
strategy=("sandboxed" "processwrapper-sandbox")
# The user's ~/.bazelrc is left out; the system rc stays (Debian's Bazel
# needs its install_base setting).
startup=(--max_idle_secs=60 --nohome_rc)
# No cache shared between the two builds: each really builds.
build_flags=(--disk_cache= --remote_cache=)

say() { echo "check_repro: $*"; }

bazel_in() { # bazel_in I ARGS...: Bazel for copy I, in its own environment
    local i=$1
    shift
    (
        umask "${mask[$i]}"
        cd "${src[$i]}"
        exec env -u LC_ALL TZ="${tz[$i]}" LANG="${lang[$i]}" \
            tools/bazel --output_base="${ob[$i]}" "${startup[@]}" "$@"
    )
}

# shellcheck disable=SC2317 # called through the trap
cleanup() {
    local i
    for i in 0 1; do
        if [[ -d ${ob[$i]} && -d ${src[$i]} ]]; then
            bazel_in "$i" shutdown >/dev/null 2>&1 || true
        fi
    done
    if [[ $keep -eq 1 ]]; then
        say "kept $tmp"
    else
        chmod -R u+w "$tmp" 2>/dev/null || true
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT

# Copy the tree; extraction under each build's umask, file times not kept.
for i in 0 1; do
    mkdir -p "${src[$i]}"
    (cd "$root" && git ls-files -z --cached --others --exclude-standard --deduplicate |
        while IFS= read -r -d '' f; do
            if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
        done | tar --null --files-from=- -cf -) |
        (umask "${mask[$i]}" && tar -x -m --no-same-permissions -f - -C "${src[$i]}")
done

declare -a files_a=() files_b=() rel_a=()
for i in 0 1; do
    say "build $((i + 1))/2: ${targets[*]} in ${src[$i]} (TZ=${tz[$i]} LANG=${lang[$i]} umask ${mask[$i]}, ${strategy[$i]})"
    flags=("${build_flags[@]}" --spawn_strategy="${strategy[$i]}")
    start=$SECONDS
    log=$tmp/build-$i.log
    if ! bazel_in "$i" build "${flags[@]}" "${targets[@]}" >"$log" 2>&1; then
        say "build $((i + 1)) failed; last lines of its log:"
        tail -n 40 "$log"
        exit 1
    fi
    exec_root=$(bazel_in "$i" info "${flags[@]}" execution_root 2>>"$log")
    # Sorted, so that the two builds' lists pair file by file.
    paths=$(bazel_in "$i" cquery "${flags[@]}" "$query" --output=starlark \
        --starlark:expr='"\n".join([f.path for f in target.files.to_list()])' 2>>"$log" | LC_ALL=C sort)
    if [[ -z $paths ]]; then
        say "found no output files of ${targets[*]} with cquery; last lines of the log:"
        tail -n 20 "$log"
        exit 1
    fi
    mapfile -t rel <<<"$paths"
    if [[ $i -eq 0 ]]; then rel_a=("${rel[@]}"); fi
    for p in "${rel[@]}"; do
        if [[ $i -eq 0 ]]; then files_a+=("$exec_root/$p"); else files_b+=("$exec_root/$p"); fi
    done
    say "build $((i + 1)) done in $((SECONDS - start))s"
done

if [[ ${#files_a[@]} -ne ${#files_b[@]} || "${rel_a[*]}" != "${rel[*]}" ]]; then
    say "the two builds produced different files"
    echo "NOT reproducible"
    exit 1
fi

# Explains how two differing files differ: ELF sections when the hermetic
# toolchain's llvm-readelf is there, else the first differing bytes.
explain() {
    local a=$1 b=$2
    local readelf=${ob[0]}/external/llvm_toolchain/usr/lib/llvm-19/bin/llvm-readelf
    if [[ ! -x $readelf ]]; then
        bazel_in 0 fetch @llvm_toolchain//... >/dev/null 2>&1 || true
    fi
    if [[ ! -x $readelf || $(head -c 4 "$a" | od -An -c | tr -d ' ') != '177ELF' ]]; then
        say "first differing bytes (1-based offset, octal byte in build 1, in build 2):"
        cmp -l "$a" "$b" | head -n 20 || true
        return
    fi
    local sections_a sections_b
    # "name type offset size" of each section, from the section header table.
    sections() {
        "$readelf" -S --wide "$1" | awk '/^ *\[ *[0-9]+\]/ {
            sub(/^ *\[ *[0-9]+\] */, ""); if ($1 != "NULL") print $1, $2, $4, $5 }'
    }
    sections_a=$(sections "$a")
    sections_b=$(sections "$b")
    diff <("$readelf" -h -l --wide "$a") <("$readelf" -h -l --wide "$b") | sed 's/^/    /' | head -n 20 || true
    local name type off size other
    while read -r name type off size; do
        other=$(awk -v n="$name" '$1 == n { print $3, $4; exit }' <<<"$sections_b")
        if [[ -z $other ]]; then
            say "section $name: only in the first build"
        elif [[ ${other#* } != "$size" ]]; then
            say "section $name: size 0x$size vs 0x${other#* }"
        elif [[ $type != NOBITS ]] &&
            ! cmp -s <(tail -c +$((0x$off + 1)) "$a" | head -c $((0x$size))) \
                <(tail -c +$((0x${other% *} + 1)) "$b" | head -c $((0x$size))); then
            say "section $name: contents differ"
        fi
    done <<<"$sections_a"
    while read -r name _; do
        awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' <<<"$sections_a" ||
            say "section $name: only in the second build"
    done <<<"$sections_b"
}

status=0
for k in "${!files_a[@]}"; do
    sha_a=$(sha256sum "${files_a[$k]}" | cut -d' ' -f1)
    sha_b=$(sha256sum "${files_b[$k]}" | cut -d' ' -f1)
    say "${rel[$k]}"
    echo "  build 1: $sha_a"
    echo "  build 2: $sha_b"
    if [[ $sha_a == "$sha_b" ]]; then
        echo "reproducible: $sha_a"
    else
        echo "NOT reproducible: ${rel[$k]}"
        explain "${files_a[$k]}" "${files_b[$k]}"
        status=1
    fi
done
exit $status
