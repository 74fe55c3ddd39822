#!/bin/bash
# tools/vendor_toolchain.sh: writes every archive the lock pins into a
# directory, in Debian's pool layout, so that a machine without Debian's
# archive (offline, air-gapped, or long after a pin left the archive) builds
# the same toolchain with
#
#   BASALT_DEB_MIRRORS=DIR tools/bazel build //...
#
# or with DIR served over HTTP (BASALT_DEB_MIRRORS=http://host:port/).
#
#   tools/vendor_toolchain.sh DIR [LOCK]
#
# Each archive is taken from the archive cache ($BASALT_DEB_CACHE, or
# ~/.cache/basalt/debs) when it holds it, else with `apt-get download`, and
# is checked against the lock's sha256 before it is written (by rename, so
# DIR never holds a partial file). Archives already in DIR with the right
# hash are kept; one with the wrong hash is replaced. Exits non-zero, naming
# each package, if any archive could not be had.
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 || $1 == -h || $1 == --help ]]; then
    sed -n '2,18s/^# \{0,1\}//p' "$0"
    [[ $# -ge 1 && ($1 == -h || $1 == --help) ]] && exit 0
    exit 2
fi
dir=$1
root=$(cd "$(dirname "$(readlink -f -- "$0")")/.." && pwd)
lock=${2:-$root/toolchains/debian_packages.lock}
if [[ -n ${BASALT_DEB_CACHE:-} ]]; then
    cache=$BASALT_DEB_CACHE
else
    cache=${HOME:-/nonexistent}/.cache/basalt/debs
fi
[[ -r $lock ]] || { echo "vendor_toolchain: cannot read the lock $lock" >&2; exit 2; }
mkdir -p "$dir" || { echo "vendor_toolchain: cannot create $dir" >&2; exit 1; }
work=$(mktemp -d "$dir/.tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT

failed=0
count=0
while read -r name version arch suite sha dest pool extra; do
    [[ -z $name || $name == \#* ]] && continue
    if [[ -z ${pool:-} || -n ${extra:-} ]]; then
        echo "vendor_toolchain: $lock: malformed line for $name" >&2
        exit 1
    fi
    out="$dir/$pool"
    if [[ -f $out && $(sha256sum "$out" | cut -d' ' -f1) == "$sha" ]]; then
        count=$((count + 1))
        continue
    fi
    rm -rf "${work:?}"/*
    from=""
    if [[ -f $cache/$sha.deb ]]; then
        cp "$cache/$sha.deb" "$work/candidate.deb" && from="the archive cache"
    fi
    if [[ -z $from ]]; then
        if (cd "$work" && apt-get download -qq "$name:$arch=$version") 2>"$work/apt.err"; then
            mv "$work"/*.deb "$work/candidate.deb"
            from="apt-get download"
        else
            echo "vendor_toolchain: $name=$version: not in the archive cache, and apt-get download failed: $(tail -1 "$work/apt.err")" >&2
            failed=1
            continue
        fi
    fi
    actual=$(sha256sum "$work/candidate.deb" | cut -d' ' -f1)
    if [[ $actual != "$sha" ]]; then
        echo "vendor_toolchain: $name=$version: sha256 mismatch from $from: expected $sha (lock), actual $actual" >&2
        failed=1
        continue
    fi
    mkdir -p "$(dirname "$out")"
    mv -f "$work/candidate.deb" "$out"
    count=$((count + 1))
done <"$lock"
if [[ $failed != 0 ]]; then
    echo "vendor_toolchain: some archives are missing from $dir (above)" >&2
    exit 1
fi
echo "vendor_toolchain: $count archives in $dir; build with BASALT_DEB_MIRRORS=$(cd "$dir" && pwd)"
