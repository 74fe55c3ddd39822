#!/bin/bash
# Refreshes toolchains/debian_packages.lock to the versions Debian's archive
# serves now: for each package in the lock, take apt's candidate version,
# fetch it with `apt-get download`, record its sha256. Review the diff, run
# `tools/bazel test //...` and `tools/check_repro.sh`, then commit the lock.
#
# Usage: toolchains/update_lock.sh            (all packages)
#        toolchains/update_lock.sh --check    (exit 1 if the lock is stale)
set -euo pipefail
cd "$(dirname "$0")/.."
lock=toolchains/debian_packages.lock
check=0
[[ "${1:-}" == "--check" ]] && check=1

apt-get update -qq >/dev/null 2>&1 || echo "update_lock: apt-get update failed; using the current package lists" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$work/lock"
stale=0
while IFS= read -r line; do
    if [[ -z "$line" || "$line" == \#* ]]; then
        echo "$line" >>"$out"
        continue
    fi
    read -r name version arch sha dest <<<"$line"
    candidate=$(apt-cache policy "$name:$arch" | awk '/Candidate:/ {print $2}')
    if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
        echo "update_lock: apt has no candidate for $name:$arch" >&2
        exit 1
    fi
    if [[ "$candidate" == "$version" ]]; then
        echo "$line" >>"$out"
        continue
    fi
    stale=1
    echo "update_lock: $name $version -> $candidate"
    if [[ "$check" == 1 ]]; then
        continue
    fi
    (cd "$work" && apt-get download -qq "$name:$arch=$candidate" 2>/dev/null)
    deb=$(ls "$work"/*.deb)
    echo "$name $candidate $arch $(sha256sum "$deb" | cut -d' ' -f1) $dest" >>"$out"
    rm -f "$deb"
done <"$lock"
if [[ "$check" == 1 ]]; then
    exit "$stale"
fi
cp "$out" "$lock"
[[ "$stale" == 0 ]] && echo "update_lock: every package is current"
exit 0
