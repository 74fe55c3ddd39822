#!/bin/bash
# An air-gapped build: the toolchain comes from a mirror directory written by
# tools/vendor_toolchain.sh and served over HTTP on 127.0.0.1 by nginx, with
# apt unable to find any version (no package sources) and an empty archive
# cache. The build must succeed, a mirror that is down must be reported and
# skipped, a mirror serving the wrong bytes must fail with the hash message
# and leave nothing in the cache, a cache entry with the right name and the
# wrong content must be replaced, and an unwritable cache must not stop the
# build.
#
# Runs nested Bazels (own output bases) on a minimal copy of the workspace
# with a two-file C program built for the host (and run) and compiled for
# aarch64-none. Needs Debian's package sources once, to vendor the archives.
set -uo pipefail
# nginx lives in /usr/sbin, outside the test environment's PATH.
export PATH="$PATH:/usr/sbin:/sbin"
src="${TEST_SRCDIR:?}/${TEST_WORKSPACE:?}"
tmp="${TEST_TMPDIR:?}"
ws="$tmp/ws"
status=0
fail() {
    echo "FAIL $*"
    status=1
}

mkdir -p "$ws"
for f in .bazelrc WORKSPACE toolchains/BUILD toolchains/debian_toolchain.bzl toolchains/cc_toolchain_config.bzl \
    toolchains/llvm_toolchain.BUILD.tpl toolchains/debian_packages.lock third_party/BUILD \
    third_party/debian_repos.bzl third_party/googletest.BUILD platforms/BUILD; do
    mkdir -p "$ws/$(dirname "$f")"
    cp -L "$src/$f" "$ws/$f"
done
: >"$ws/BUILD"
mkdir -p "$ws/third_party/remote_coverage_tools" "$ws/hello"
echo 'workspace(name = "remote_coverage_tools")' >"$ws/third_party/remote_coverage_tools/WORKSPACE"
: >"$ws/third_party/remote_coverage_tools/BUILD"
cat >"$ws/hello/BUILD" <<'EOF'
cc_library(name = "greet", srcs = ["greet.c"])
cc_binary(name = "hello", srcs = ["hello.c"], deps = [":greet"])
EOF
echo 'const char *greet(void) { return "hello from the mirror"; }' >"$ws/hello/greet.c"
printf '#include <stdio.h>\nconst char *greet(void);\nint main(void) { puts(greet()); return 0; }\n' >"$ws/hello/hello.c"

# The mirror, in Debian's pool layout, from Debian's archive.
www="$tmp/www"
if ! BASALT_DEB_CACHE="$tmp/vendor-cache" "$src/tools/vendor_toolchain.sh" "$www/good" "$ws/toolchains/debian_packages.lock"; then
    echo "FAIL tools/vendor_toolchain.sh could not write the mirror"
    exit 1
fi
# The same layout with every archive replaced by another archive's bytes.
mkdir -p "$www/bad"
(cd "$www/good" && find pool -name '*.deb' | LC_ALL=C sort) >"$tmp/debs"
first=$(head -1 "$tmp/debs")
last=$(tail -1 "$tmp/debs")
while read -r f; do
    mkdir -p "$www/bad/$(dirname "$f")"
    if [[ $f == "$first" ]]; then cp "$www/good/$last" "$www/bad/$f"; else cp "$www/good/$first" "$www/bad/$f"; fi
done <"$tmp/debs"

# nginx on a free port of 127.0.0.1, GET only, everything under $tmp.
mkdir -p "$tmp/nginx/logs"
port=""
for try in $(seq 20); do
    p=$((20000 + (RANDOM % 20000)))
    cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
# Run as root (as CI does), workers must be root to read the test directory.
user root;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 64; }
http {
    access_log $tmp/nginx/logs/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$p;
        root $www;
    }
}
EOF
    nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx/logs/stdout" 2>&1 &
    pid=$!
    for _ in $(seq 50); do
        if grep -q "\\b$p\\b" <(ss -ltnH 2>/dev/null) || (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            port=$p
            break
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $port ]] && break
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done
if [[ -z $port ]]; then
    echo "FAIL nginx did not start:"
    cat "$tmp/nginx/logs/"*
    exit 1
fi
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
echo "mirror served at http://127.0.0.1:$port/"
# A port nothing listens on: a mirror that is down.
down=$((port == 65000 ? 65001 : 65000))

# apt with no package sources: it cannot find any version.
mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/cache/archives/partial"
cat >"$tmp/apt/apt.conf" <<EOF
Dir::Etc::sourcelist "/dev/null";
Dir::Etc::sourceparts "$tmp/apt/none";
Dir::State::lists "$tmp/apt/lists";
Dir::Cache "$tmp/apt/cache";
EOF

run=0
# build NAME CACHE MIRRORS TARGET...: a nested Bazel in a fresh output base.
build() {
    local name=$1 cache=$2 mirrors=$3
    shift 3
    [[ $run -gt 0 ]] && rm -rf "$tmp/ob$run" 2>/dev/null
    run=$((run + 1))
    log="$tmp/$name.log"
    (cd "$ws" && APT_CONFIG="$tmp/apt/apt.conf" BASALT_DEB_CACHE="$cache" BASALT_DEB_MIRRORS="$mirrors" \
        bazel --output_base="$tmp/ob$run" --max_idle_secs=20 --nohome_rc build "$@") >"$log" 2>&1
    local rc=$?
    (cd "$ws" && bazel --output_base="$tmp/ob$run" --nohome_rc shutdown) >/dev/null 2>&1
    return $rc
}
expect() { # expect NAME TEXT...: every TEXT is in NAME's log
    local name=$1 want
    shift
    for want in "$@"; do
        if ! grep -qF -- "$want" "$tmp/$name.log"; then
            fail "$name: the output does not say: $want"
            tail -30 "$tmp/$name.log" | sed 's/^/    /'
            return 1
        fi
    done
}
ndebs=$(wc -l <"$tmp/debs")
cached() { find "$1" -maxdepth 1 -name '*.deb' | wc -l; }

# 1. Air-gapped: apt finds nothing, the first mirror is down, the second
# serves the pool layout. Every archive comes from the mirror.
c1="$tmp/cache1"
if build offline "$c1" "http://127.0.0.1:$down/ http://127.0.0.1:$port/good" //hello:hello; then
    expect offline "apt-get download: failed" "mirror http://127.0.0.1:$down/: serves neither" && echo "ok   offline build from the HTTP mirror"
    [[ $(cached "$c1") == "$ndebs" ]] || fail "offline: the cache holds $(cached "$c1") archives, expected $ndebs"
    [[ $("$ws/bazel-bin/hello/hello") == "hello from the mirror" ]] || fail "offline: the host program does not run"
else
    fail "offline: the build failed"
    tail -30 "$tmp/offline.log" | sed 's/^/    /'
fi

# 2. The same cache with one entry corrupted in place, no apt, no mirror
# but the good one: the entry is reported, replaced, and the build passes;
# this time the aarch64-none toolchain compiles.
victim=$(find "$c1" -maxdepth 1 -name '*.deb' | LC_ALL=C sort | head -1)
if [[ -n $victim ]]; then
    echo "not an archive" >"$victim"
    if build corrupt_cache "$c1" "http://127.0.0.1:$port/good" //hello:greet --platforms=//platforms:aarch64_none; then
        expect corrupt_cache "$(basename "$victim") has the wrong content" && echo "ok   a corrupted cache entry is replaced"
        [[ $(sha256sum "$victim" | cut -d' ' -f1).deb == "$(basename "$victim")" ]] || fail "corrupt_cache: the entry was not replaced by the right archive"
    else
        fail "corrupt_cache: the build failed"
        tail -30 "$tmp/corrupt_cache.log" | sed 's/^/    /'
    fi
fi

# 3. A mirror serving the wrong bytes: the build fails with the hash
# message and the cache keeps nothing from it.
c3="$tmp/cache3"
if build wrong_bytes "$c3" "http://127.0.0.1:$port/bad" //hello:hello; then
    fail "wrong_bytes: the build succeeded"
else
    expect wrong_bytes "sha256 mismatch for Debian package" "could not fetch Debian package" \
        "mirror http://127.0.0.1:$port/bad: sha256 mismatch" && echo "ok   a mirror serving the wrong bytes fails with the hash message"
fi
if [[ -d $c3 ]] && [[ -n $(ls -A "$c3") ]]; then
    fail "wrong_bytes: the cache holds: $(ls -A "$c3")"
fi

# 4. An archive cache that cannot be written: reported, and the build goes
# on from the mirror without keeping the archives.
if build unwritable_cache "/proc/basalt-no-such-dir" "$www/good" //hello:hello; then
    expect unwritable_cache "the archive cache /proc/basalt-no-such-dir is not writable" &&
        echo "ok   an unwritable cache is reported and the build goes on (local directory mirror)"
else
    fail "unwritable_cache: the build failed"
    tail -30 "$tmp/unwritable_cache.log" | sed 's/^/    /'
fi
exit "$status"
