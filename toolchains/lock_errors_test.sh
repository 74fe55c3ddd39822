#!/bin/bash
# The toolchain repository rule must stop with a clear message on a bad
# lock: a sha256 mismatch, a version that no source has (every source tried
# named), a bad BASALT_DEB_MIRRORS entry, each malformed field, and an
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
read -r _ v arch suite clang_sha dest pool <<<"$clang_line"
zeros=0000000000000000000000000000000000000000000000000000000000000000

status=0
fetch() { # fetch CASE LOCK-CONTENT EXPECTED-TEXT...  (MIRRORS in the environment)
    local name="$1" content="$2"
    shift 2
    printf '%s\n' "$content" >"$ws/toolchains/debian_packages.lock"
    local out="$tmp/$name.log"
    if (cd "$ws" && BASALT_DEB_CACHE="$tmp/cache" BASALT_DEB_MIRRORS="${MIRRORS:-}" bazel --output_base="$tmp/ob" \
        --max_idle_secs=30 --nohome_rc fetch @llvm_toolchain//:all) >"$out" 2>&1; then
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

# Every source is tried and named; a hash mismatch names both hashes.
fetch sha256_mismatch "clang-19 $v $arch $suite $zeros $dest $pool" \
    "sha256 mismatch for Debian package clang-19=$v: expected $zeros" "actual $clang_sha" \
    "could not fetch Debian package clang-19=$v" "toolchains/update_lock.sh"
MIRRORS="$tmp/no-such-mirror" fetch missing_version \
    "clang-19 1:19.1.7-0~no-such-version $arch $suite $clang_sha $dest $pool" \
    "could not fetch Debian package clang-19=1:19.1.7-0~no-such-version" \
    "apt-get download: failed: E: Version '1:19.1.7-0~no-such-version' for 'clang-19' was not found" \
    "mirror $tmp/no-such-mirror: has neither $clang_sha.deb nor $pool" \
    "BASALT_DEB_MIRRORS" "toolchains/update_lock.sh"
MIRRORS="relative/dir" fetch bad_mirror "$clang_line" \
    "BASALT_DEB_MIRRORS: \"relative/dir\" is neither an http:// or https:// base URL nor an absolute directory"
# Malformed lock lines, one field at a time.
fetch bad_field_count "clang-19 $v $arch $clang_sha $dest $pool" \
    "debian_packages.lock:1: expected 'package version arch suite sha256 destination pool-path' (7 fields), got 6"
fetch unknown_suite "clang-19 $v $arch sid $clang_sha $dest $pool" \
    "debian_packages.lock:1: clang-19: unknown suite \"sid\""
fetch bad_sha256 "clang-19 $v $arch $suite ${clang_sha^^} $dest $pool" \
    "debian_packages.lock:1: clang-19: sha256 \"${clang_sha^^}\" is not 64 lowercase hex digits"
fetch bad_destination "clang-19 $v $arch $suite $clang_sha usr $pool" \
    "debian_packages.lock:1: clang-19: destination must be llvm or sysroot, got \"usr\""
fetch bad_pool_path "clang-19 $v $arch $suite $clang_sha $dest ../../etc/clang-19_1_amd64.deb" \
    "debian_packages.lock:1: clang-19: pool-path \"../../etc/clang-19_1_amd64.deb\" is not pool/"
fetch bad_name "Clang;19 $v $arch $suite $clang_sha $dest $pool" \
    "debian_packages.lock:1: package name \"Clang;19\" is not a Debian package name"
# clang alone, without libclang-cpp19 and libllvm19: the self-check must
# refuse it rather than let it load libraries from the host. Its line says
# a moving suite: the rule warns that such a pin rots.
fetch libraries_outside_tree "clang-19 $v $arch bookworm-security $clang_sha $dest $pool" \
    "WARNING: clang-19 $v is pinned from bookworm-security" "toolchain self-check: clang-19"
if ls -A "$tmp/cache" | grep -q 'tmp'; then
    echo "FAIL a failed fetch left a temporary directory in the archive cache: $(ls -A "$tmp/cache")"
    status=1
fi
(cd "$ws" && bazel --output_base="$tmp/ob" --nohome_rc shutdown) >/dev/null 2>&1
exit "$status"
