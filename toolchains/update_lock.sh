#!/bin/bash
# toolchains/update_lock.sh: keeps toolchains/debian_packages.lock pinned to
# Debian's frozen release suite, and checks that every pin can still be had.
#
#   toolchains/update_lock.sh                 rewrite the lock: each package at
#                                             the release suite's version
#   toolchains/update_lock.sh --check         only say what would change (exit 1
#                                             if anything would)
#   toolchains/update_lock.sh --verify        check that every pin, as committed,
#                                             is served today by its exact version
#                                             and sha256 (exit 1 naming each one
#                                             that is not); CI runs this
#   toolchains/update_lock.sh --verify --download
#                                             the same, downloading each archive
#                                             into an empty directory and hashing it
#   toolchains/update_lock.sh --add NAME:ARCH:DEST
#                                             add a package (DEST llvm or sysroot)
#   --allow-moving                            accept a version that only a moving
#                                             suite (-security, -updates, ...) has
#   --lock FILE                               work on FILE instead of the lock
#
# Why the release suite: bookworm's release suite no longer changes, so a
# version pinned from it can be fetched on any later day. The security and
# updates suites keep only their newest version of a package; a pin taken
# from them disappears with the next upload there, and every commit that
# carries it stops building (unless a mirror keeps it: BASALT_DEB_MIRRORS).
# apt's "Candidate" prefers those suites, so this script never uses it.
#
# Environment: BASALT_RELEASE_SUITE (default bookworm).
# Runs `apt-get update` first when it is root (apt-cache needs fresh lists).
set -euo pipefail
orig=$PWD
cd "$(dirname "$0")/.."
lock=toolchains/debian_packages.lock
release=${BASALT_RELEASE_SUITE:-bookworm}

mode=update
download=0
allow_moving=0
adds=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --check) mode=check ;;
        --verify) mode=verify ;;
        --download) download=1 ;;
        --allow-moving) allow_moving=1 ;;
        --lock)
            [[ $# -ge 2 ]] || { echo "update_lock: --lock needs a file" >&2; exit 2; }
            lock=$2
            [[ $lock == /* ]] || lock=$orig/$lock
            shift
            ;;
        --add)
            [[ $# -ge 2 ]] || { echo "update_lock: --add needs NAME:ARCH:DEST" >&2; exit 2; }
            adds+=("$2")
            shift
            ;;
        -h | --help) sed -n '2,29s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "update_lock: unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "update_lock: $*"; }
warn() { echo "update_lock: $*" >&2; }

if [[ $(id -u) == 0 ]]; then
    apt-get update -qq >/dev/null 2>&1 || warn "apt-get update failed; using the package lists as they are"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/basalt-lock.XXXXXX")
trap 'rm -rf "$work"' EXIT

# suite_versions NAME ARCH: "suite version" per line, for every binary
# package index apt knows that has NAME for ARCH (or all).
suite_versions() {
    apt-cache madison "$1:$2" 2>/dev/null | awk -F'|' -v arch="$2" '
        {
            gsub(/ /, "", $2); n = split($3, a, " ")
            if (n < 4 || a[4] != "Packages" || (a[3] != arch && a[3] != "all")) next
            split(a[2], s, "/"); print s[1], $2
        }'
}

# index_field NAME ARCH VERSION FIELD: FIELD of the first index stanza for
# that exact version (the same version in two suites is the same archive).
index_field() {
    apt-cache show "$1:$2=$3" 2>/dev/null | awk -v f="$4:" '$1 == f { print $2; exit }'
}

# lock_line NAME ARCH DEST: the lock line for the version to pin, or fails
# saying why.
lock_line() {
    local name=$1 arch=$2 dest=$3 version suite
    version=$(suite_versions "$name" "$arch" | awk -v s="$release" '$1 == s { print $2; exit }')
    suite=$release
    if [[ -z $version ]]; then
        local others
        others=$(suite_versions "$name" "$arch" | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
        if [[ -z $others ]]; then
            warn "$name:$arch: no suite apt knows has it (run apt-get update, or check the name)"
            return 1
        fi
        if [[ $allow_moving != 1 ]]; then
            warn "$name:$arch: the release suite $release does not have it (only: $others); a pin from a moving suite rots when that suite moves on. Refusing; use --allow-moving to pin it anyway"
            return 1
        fi
        read -r suite version < <(suite_versions "$name" "$arch" | head -1)
        warn "WARNING: $name $version is pinned from $suite, which keeps only its newest version: this pin will stop building when $suite moves on, unless a mirror in BASALT_DEB_MIRRORS keeps the archive"
    fi
    local sha file
    sha=$(index_field "$name" "$arch" "$version" SHA256)
    file=$(index_field "$name" "$arch" "$version" Filename)
    if [[ -z $sha || -z $file ]]; then
        warn "$name:$arch=$version: apt's index gives no SHA256 or Filename"
        return 1
    fi
    echo "$name $version $arch $suite $sha $dest $file"
}

# fetch_check NAME ARCH VERSION SHA: downloads the archive into an empty
# directory and compares its sha256.
fetch_check() {
    local dir="$work/dl" out actual
    rm -rf "$dir" && mkdir -p "$dir"
    if ! out=$(cd "$dir" && apt-get download -qq "$1:$2=$3" 2>&1); then
        warn "$1=$3: apt-get download failed: $(echo "$out" | tail -1)"
        return 1
    fi
    actual=$(sha256sum "$dir"/*.deb | cut -d' ' -f1)
    if [[ $actual != "$4" ]]; then
        warn "$1=$3: downloaded archive has sha256 $actual, the lock says $4"
        return 1
    fi
}

# verify_line LINE: is this pin served today, by its exact version and hash?
verify_line() {
    local name version arch suite sha dest file uris
    read -r name version arch suite sha dest file <<<"$1"
    if ! uris=$(apt-get download --print-uris "$name:$arch=$version" 2>&1); then
        warn "NOT AVAILABLE: $name $version ($arch, $suite): $(echo "$uris" | tail -1)"
        return 1
    fi
    if ! grep -q "SHA256:$sha\$" <<<"$uris"; then
        warn "CHANGED: $name $version ($arch): the archive's index no longer gives sha256 $sha: $uris"
        return 1
    fi
    if [[ $download == 1 ]] && ! fetch_check "$name" "$arch" "$version" "$sha"; then
        return 1
    fi
    say "ok $name $version ($suite)"
}

out="$work/lock"
changed=0
failed=0
while IFS= read -r line; do
    if [[ -z $line || $line == \#* ]]; then
        echo "$line" >>"$out"
        continue
    fi
    read -r name version arch suite sha dest file extra <<<"$line"
    if [[ -z ${file:-} || -n ${extra:-} ]]; then
        warn "$lock: malformed line (expected package version arch suite sha256 destination pool-path): $line"
        exit 1
    fi
    if [[ $mode == verify ]]; then
        verify_line "$line" || failed=1
        continue
    fi
    if ! new=$(lock_line "$name" "$arch" "$dest"); then
        failed=1
        echo "$line" >>"$out"
        continue
    fi
    if [[ $new != "$line" ]]; then
        changed=1
        read -r _ nversion _ nsuite _ <<<"$new"
        say "$name $version ($suite) -> $nversion ($nsuite)"
    fi
    echo "$new" >>"$out"
done <"$lock"

for spec in "${adds[@]}"; do
    IFS=: read -r name arch dest <<<"$spec"
    if [[ -z $name || -z $arch || ($dest != llvm && $dest != sysroot) ]]; then
        warn "--add $spec: expected NAME:ARCH:DEST with DEST llvm or sysroot"
        exit 2
    fi
    if grep -q "^$name " "$lock"; then
        warn "--add $spec: $name is already in the lock"
        exit 2
    fi
    new=$(lock_line "$name" "$arch" "$dest") || { failed=1; continue; }
    say "adding $new"
    echo "$new" >>"$out"
    changed=1
done

case $mode in
    verify)
        if [[ $failed != 0 ]]; then
            warn "some pins cannot be fetched today (above); a fresh machine cannot build this commit without a mirror that keeps them (BASALT_DEB_MIRRORS)"
            exit 1
        fi
        say "every pin is served today"
        ;;
    check)
        [[ $failed == 0 ]] || exit 1
        [[ $changed == 0 ]] && say "the lock is current"
        exit "$changed"
        ;;
    update)
        [[ $failed == 0 ]] || { warn "lock left unchanged"; exit 1; }
        if [[ $changed == 0 ]]; then
            say "the lock is current"
            exit 0
        fi
        # Every new or changed archive is downloaded and hashed before the
        # lock is written.
        while read -r name version arch suite sha dest file; do
            [[ -z $name || $name == \#* ]] && continue
            grep -qxF "$name $version $arch $suite $sha $dest $file" "$lock" && continue
            fetch_check "$name" "$arch" "$version" "$sha" || { warn "lock left unchanged"; exit 1; }
        done <"$out"
        cp "$out" "$lock"
        say "wrote $lock; now run tools/bazel test //... and tools/check_repro.sh, and commit it"
        ;;
esac
