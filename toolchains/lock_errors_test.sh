#!/bin/bash
# The toolchain repository rule must stop with a clear message on a bad
# lock: a sha256 mismatch, a version the archive does not have, and an
# extracted clang that cannot load its LLVM libraries from the tree.
# Runs a nested Bazel (own output base, own archive cache) on a minimal copy
# of the workspace whose lock is broken in each way; needs Debian's package
# sources, like the real fetch.
set -uo pipefail
src="${TEST_SRCDIR:?}/${TEST_WORKSPACE:?}"
tmp="${TEST_TMPDIR:?}"
ws="$tmp/ws"
mkdir -p "$ws"
for f in WORKSPACE toolchains/BUILD toolchains/debian_toolchain.bzl toolchains/cc_toolchain_config.bzl \
    toolchains/llvm_toolchain.BUILD.tpl third_party/BUILD third_party/debian_repos.bzl \
    third_party/googletest.BUILD platforms/BUILD; do
    mkdir -p "$ws/$(dirname "$f")"
    cp -L "$src/$f" "$ws/$f"
done
: >"$ws/BUILD"
mkdir -p "$ws/third_party/remote_coverage_tools"
echo 'workspace(name = "remote_coverage_tools")' >"$ws/third_party/remote_coverage_tools/WORKSPACE"
: >"$ws/third_party/remote_coverage_tools/BUILD"
lock="$src/toolchains/debian_packages.lock"
clang_line=$(grep '^clang-19 ' "$lock")
read -r _ clang_version clang_arch clang_sha _ <<<"$clang_line"
zeros=0000000000000000000000000000000000000000000000000000000000000000

status=0
fetch() { # fetch CASE LOCK-CONTENT EXPECTED-TEXT...
    local name="$1" content="$2"
    shift 2
    printf '%s\n' "$content" >"$ws/toolchains/debian_packages.lock"
    local out="$tmp/$name.log"
    if (cd "$ws" && BASALT_DEB_CACHE="$tmp/cache" bazel --output_base="$tmp/ob" --max_idle_secs=30 \
        --nohome_rc fetch @llvm_toolchain//:all) >"$out" 2>&1; then
        echo "FAIL $name: the fetch succeeded"
        status=1
        return
    fi
    local want
    for want in "$@"; do
        if ! grep -qF -- "$want" "$out"; then
            echo "FAIL $name: the error does not say: $want"
            sed 's/^/    /' "$out" | tail -20
            status=1
            return
        fi
    done
    echo "ok   $name"
}

fetch sha256_mismatch "clang-19 $clang_version $clang_arch $zeros llvm" \
    "sha256 mismatch for Debian package clang-19=$clang_version" \
    "expected $zeros" "actual   $clang_sha" "toolchains/update_lock.sh"
fetch missing_version "clang-19 1:19.1.7-0~no-such-version $clang_arch $clang_sha llvm" \
    "could not fetch Debian package clang-19=1:19.1.7-0~no-such-version" "toolchains/update_lock.sh"
fetch bad_field_count "clang-19 $clang_version $clang_sha llvm" \
    "debian_packages.lock:1: expected 'package version arch sha256 destination'"
# clang alone, without libclang-cpp19 and libllvm19: the self-check must
# refuse it rather than let it load libraries from the host.
fetch libraries_outside_tree "$clang_line" "toolchain self-check: clang-19"
if ls "$tmp/cache" | grep -q '^tmp-'; then
    echo "FAIL a failed fetch left a temporary directory in the archive cache"
    status=1
fi
(cd "$ws" && bazel --output_base="$tmp/ob" --nohome_rc shutdown) >/dev/null 2>&1
exit "$status"
