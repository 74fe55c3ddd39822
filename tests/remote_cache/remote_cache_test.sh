#!/usr/bin/env bash
# The remote cache (--config=remote_cache) against a real HTTP cache server:
# nginx with WebDAV PUT on 127.0.0.1, serving a directory under TEST_TMPDIR.
#
#  1. Copy A of the workspace, its own empty output base: build //bsp:image
#     into the empty cache (every action runs here and is uploaded).
#  2. Copy B at another path, another empty output base: build it again.
#     Every action that runs a process must be a remote cache hit: Bazel's
#     process summary may count only "remote cache hit" and "internal"
#     processes, as many hits as build 1 ran processes, and the execution log
#     must mark every spawn a hit. The image's sha256 must be build 1's.
#  3. Corruptions, each undone afterwards, each followed by `clean` and a
#     build in B: a corrupted CAS blob (the image's bytes), an AC entry
#     overwritten with garbage, an AC entry naming a blob that is not there.
#     Each build must give the same image or fail; a different image is a
#     failure of the test.
#
# Runs outside the sandbox (tag "local"): it starts its own Bazel servers on
# copies of the workspace this test's script lies in, sharing only the
# archive cache (~/.cache/basalt/debs or $BASALT_DEB_CACHE). Prints the time
# of the cold and of the warm build. Set BASALT_REMOTE_CACHE_TEST_KEEP=1 to
# keep TEST_TMPDIR's copies and logs for a look afterwards.
set -uo pipefail

tmp=${TEST_TMPDIR:?run by bazel test, or set TEST_TMPDIR}
self=$(readlink -f -- "${BASH_SOURCE[0]}")
root=${self%/tests/remote_cache/remote_cache_test.sh}
if [[ ! -f $root/WORKSPACE || ! -x $root/tools/bazel ]]; then
    echo "FAIL cannot find the workspace from $self (run with the tag local, outside the sandbox)"
    exit 1
fi
home=$(getent passwd "$(id -u)" | cut -d: -f6)
export BASALT_DEB_CACHE=${BASALT_DEB_CACHE:-$home/.cache/basalt/debs}
target=//bsp:image
# Debian installs nginx in /usr/sbin, which a test's PATH lacks.
if ! nginx=$(PATH=$PATH:/usr/sbin:/sbin command -v nginx); then
    echo "FAIL nginx is not installed (tools/bazel installs Debian's nginx package)"
    exit 1
fi

status=0
fail() {
    echo "FAIL $*"
    status=1
}
say() { echo "remote_cache_test: $*"; }

# --- The cache server ------------------------------------------------------
www=$tmp/www
ngx=$tmp/nginx
saved=$tmp/saved # originals of the cache entries that step 3 damages
mkdir -p "$www/basalt" "$ngx/body" "$ngx/proxy" "$ngx/fastcgi" "$ngx/uwsgi" "$ngx/scgi"
nginx_pid=
port=

# start_nginx PORT: starts nginx in the foreground (in the background of this
# shell) and waits until it accepts connections; returns 1 if it exits first.
start_nginx() {
    local p=$1
    cat >"$ngx/nginx.conf" <<EOF
# Bazel's HTTP cache protocol: GET and PUT of /PREFIX/ac/HASH and
# /PREFIX/cas/HASH. Every path of nginx's own is under TEST_TMPDIR.
daemon off;
master_process on;
worker_processes 1;
user $(id -un) $(id -gn);
pid $ngx/nginx.pid;
error_log $ngx/error.log info;
events { worker_connections 256; }
http {
    access_log $ngx/access.log;
    client_body_temp_path $ngx/body;
    proxy_temp_path $ngx/proxy;
    fastcgi_temp_path $ngx/fastcgi;
    uwsgi_temp_path $ngx/uwsgi;
    scgi_temp_path $ngx/scgi;
    # Blobs of any size (nginx refuses bodies over 1 MiB by default).
    client_max_body_size 0;
    server {
        listen 127.0.0.1:$p;
        root $www;
        location /basalt/ {
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw;
        }
    }
}
EOF
    "$nginx" -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" >>"$ngx/stdout.log" 2>&1 &
    nginx_pid=$!
    local _
    for _ in $(seq 1 100); do
        if ! kill -0 "$nginx_pid" 2>/dev/null; then
            wait "$nginx_pid" 2>/dev/null
            nginx_pid=
            return 1
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            port=$p
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# shellcheck disable=SC2317 # called through the trap
stop_nginx() {
    if [[ -n $nginx_pid ]]; then
        kill -TERM "$nginx_pid" 2>/dev/null
        wait "$nginx_pid" 2>/dev/null
        nginx_pid=
    fi
}

# --- Two copies of the workspace -------------------------------------------
src=("$tmp/clone-a/basalt" "$tmp/clone-bb/elsewhere/basalt")
ob=("$tmp/output-base-a" "$tmp/output-base-bb")

bazel_in() { # bazel_in I ARGS...: Bazel in copy I with its output base
    local i=$1
    shift
    (cd "${src[$i]}" && tools/bazel --output_base="${ob[$i]}" --max_idle_secs=120 --nohome_rc "$@")
}

# shellcheck disable=SC2317 # called through the trap
cleanup() {
    local i
    for i in 0 1; do
        if [[ -d ${ob[$i]} ]]; then bazel_in "$i" shutdown >/dev/null 2>&1; fi
    done
    stop_nginx
    if [[ ${BASALT_REMOTE_CACHE_TEST_KEEP:-} != 1 ]]; then
        chmod -R u+w "$tmp" 2>/dev/null
        rm -rf "$tmp/clone-a" "$tmp/clone-bb" "${ob[@]}" "$www" "$saved" "$tmp/forged"
    else
        say "kept $tmp"
    fi
}
trap cleanup EXIT

copy_tree() { # copy_tree DEST: the workspace's files, as check_repro copies them
    mkdir -p "$1"
    if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$root" && git ls-files -z --cached --others --exclude-standard --deduplicate |
            while IFS= read -r -d '' f; do
                if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
            done | tar --null --files-from=- -cf -) | tar -x -f - -C "$1"
    else
        (cd "$root" && tar --exclude='./bazel-*' --exclude='./tools/npm/node_modules' -cf - .) |
            tar -x -f - -C "$1"
    fi
    # The user's local settings stay out: this test chooses its own cache.
    rm -f "$1/.bazelrc.user"
}
for i in 0 1; do copy_tree "${src[$i]}"; done

for p in $(shuf -i 20000-60000 -n 20); do
    if start_nginx "$p"; then break; fi
done
if [[ -z $port ]]; then
    echo "FAIL nginx did not start; its log:"
    tail -n 20 "$ngx/error.log" "$ngx/stdout.log" 2>/dev/null
    exit 1
fi
export BASALT_REMOTE_CACHE=http://127.0.0.1:$port/basalt
say "cache server: nginx at $BASALT_REMOTE_CACHE, storing under $www/basalt"

# image_sha I: sha256 of the image in copy I's output base.
image_sha() {
    local i=$1 exec_root path
    exec_root=$(bazel_in "$i" info --config=remote_cache execution_root 2>/dev/null) || return 1
    path=$(bazel_in "$i" cquery --config=remote_cache "$target" --output=starlark \
        --starlark:expr='target.files.to_list()[0].path' 2>/dev/null) || return 1
    sha256sum "$exec_root/$path" | cut -d' ' -f1
}

# build I NAME: builds the image in copy I with the cache; log in NAME.log.
build() {
    local i=$1 name=$2
    bazel_in "$i" build --config=remote_cache --disk_cache= \
        --execution_log_json_file="$tmp/$name.exec.json" "$target" >"$tmp/$name.log" 2>&1
}

# processes LOG: Bazel's summary "N processes: A remote cache hit, B internal,
# C linux-sandbox." as lines "KIND COUNT".
processes() {
    grep -E '^INFO: [0-9]+ processes?' "$1" | tail -n 1 |
        sed -E 's/^INFO: [0-9]+ processes?[:.] *//; s/\.$//' | tr ',' '\n' |
        sed -E 's/^ *([0-9]+) (.*)$/\2 \1/'
}

# --- 1. Cold build into the empty cache ------------------------------------
say "build 1 (copy A, empty output base, empty cache): $target"
start=$SECONDS
if ! build 0 cold; then
    echo "FAIL build 1 failed; last lines of its log:"
    tail -n 30 "$tmp/cold.log"
    exit 1
fi
cold_s=$((SECONDS - start))
sha_a=$(image_sha 0)
say "build 1: ${cold_s}s, image $sha_a"
say "build 1 processes: $(processes "$tmp/cold.log" | paste -sd, - | sed "s/,/, /g")"
ran=$(processes "$tmp/cold.log" | awk '$0 !~ /^internal / { n += $NF } END { print n + 0 }')
if grep -E 'WARNING:.*([Rr]emote [Cc]ache|[Uu]pload)' "$tmp/cold.log"; then
    fail "build 1 warned about the remote cache"
fi
n_ac=$(find "$www/basalt/ac" -type f 2>/dev/null | wc -l)
n_cas=$(find "$www/basalt/cas" -type f 2>/dev/null | wc -l)
say "cache after build 1: $n_ac AC entries, $n_cas CAS blobs"
if [[ $n_ac -eq 0 || $n_cas -eq 0 ]]; then
    fail "build 1 uploaded nothing to the cache"
fi

# --- 2. Warm build from another path and output base -----------------------
say "build 2 (copy B at another path, empty output base, warm cache): $target"
start=$SECONDS
if ! build 1 warm; then
    echo "FAIL build 2 failed; last lines of its log:"
    tail -n 30 "$tmp/warm.log"
    exit 1
fi
warm_s=$((SECONDS - start))
sha_b=$(image_sha 1)
say "build 2: ${warm_s}s, image $sha_b"
say "build 2 processes: $(processes "$tmp/warm.log" | paste -sd, - | sed "s/,/, /g")"
if [[ $sha_a != "$sha_b" ]]; then
    fail "build 2's image differs from build 1's: $sha_b vs $sha_a"
fi
hits=$(processes "$tmp/warm.log" | awk '/^remote cache hit / { print $NF }')
local_kinds=$(processes "$tmp/warm.log" | grep -v -E '^(remote cache hit|internal) ')
if [[ -n $local_kinds ]]; then
    fail "build 2 ran processes that were not remote cache hits: $(paste -sd, - <<<"$local_kinds")"
fi
if [[ ${hits:-0} -eq 0 || ${hits:-0} -ne $ran ]]; then
    fail "build 2 had ${hits:-0} remote cache hits; build 1 ran $ran processes"
fi
# The execution log: one JSON object per spawn, with its mnemonic and
# "remoteCacheHit" (absent when false).
spawns=$(grep -c '"commandArgs"' "$tmp/warm.exec.json")
log_hits=$(grep -c '"remoteCacheHit": true' "$tmp/warm.exec.json")
say "build 2 execution log: $spawns spawns, $log_hits remote cache hits ($(grep -o '"mnemonic": "[^"]*"' \
    "$tmp/warm.exec.json" | sort | uniq -c | awk '{ gsub(/"/, "", $3); printf "%s%s %s", s, $1, $3; s = ", " }'))"
if [[ $spawns -eq 0 || $spawns -ne $log_hits ]]; then
    fail "build 2's execution log has $spawns spawns but $log_hits remote cache hits"
fi

# --- 3. A corrupted cache never gives a different image silently -----------
# Bazel checks every blob it downloads against the digest that names it
# (--remote_verify_downloads), so a corrupted CAS blob is seen; an AC entry
# that does not parse, or names a blob the cache lacks, is a miss. Then the
# action runs here and its result is uploaded again. What Bazel cannot check
# is that an AC entry names the right blob: see the last case.
cas=$www/basalt/cas
ac=$www/basalt/ac
mkdir -p "$saved"
# The AC entries whose results include the image (the link and the copy):
# an ActionResult holds each output's sha256 as hex text.
mapfile -t image_acs < <(grep -l -a -F "$sha_a" "$ac"/* 2>/dev/null)
if [[ ! -f $cas/$sha_a || ${#image_acs[@]} -eq 0 ]]; then
    fail "the cache has no blob $sha_a or no AC entry naming it"
    exit "$status"
fi
say "the image's blob: cas/$sha_a; AC entries naming it: ${image_acs[*]##*/}"
cp -p "$cas/$sha_a" "${image_acs[@]}" "$saved/"

restore() {
    local f
    cp -p "$saved/$sha_a" "$cas/$sha_a"
    for f in "${image_acs[@]}"; do cp -p "$saved/${f##*/}" "$f"; done
}

# corrupted NAME DESCRIPTION: after the cache was damaged, clean copy B and
# build again; the image must be build 1's, or the build must fail.
corrupted() {
    local name=$1 what=$2 sha
    bazel_in 1 clean >/dev/null 2>&1
    if ! build 1 "$name"; then
        echo "ok   $what: the build failed (loudly, as allowed); last lines:"
        tail -n 5 "$tmp/$name.log" | sed 's/^/    /'
        return
    fi
    sha=$(image_sha 1)
    if [[ $sha != "$sha_a" ]]; then
        fail "$what: the build succeeded with a different image $sha"
        return
    fi
    echo "ok   $what: same image; processes: $(processes "$tmp/$name.log" | paste -sd, - | sed "s/,/, /g")"
    grep -A1 'WARNING: Reading from Remote Cache' "$tmp/$name.log" | sed 's/^/    /'
}

# A CAS blob whose bytes changed (same size): the image's own blob.
printf 'CORRUPTED' | dd of="$cas/$sha_a" bs=1 seek=4096 conv=notrunc status=none
corrupted cas_corrupt "corrupted CAS blob"
if ! grep -q 'does not match received digest' "$tmp/cas_corrupt.log"; then
    fail "Bazel did not report the corrupted blob's digest mismatch"
fi
restore

# AC entries that are not ActionResult protos at all.
for f in "${image_acs[@]}"; do printf 'this is not an ActionResult\n' >"$f"; done
corrupted ac_garbage "AC entries overwritten with garbage"
restore

# AC entries naming a blob the cache does not have.
missing=$(printf 'no such blob' | sha256sum | cut -d' ' -f1)
for f in "${image_acs[@]}"; do sed "s/$sha_a/$missing/" "$saved/${f##*/}" >"$f"; done
corrupted ac_missing_blob "AC entries naming a missing blob"
restore

# The limit of the protocol: AC entries rewritten to name another valid blob
# of the same size (as someone who can write to the cache could). Nothing
# ties an action's key to its result's content, so Bazel takes it; this is
# not a failure of the test, but it is reported, and it is why the cache must
# be trusted (README, "Remote cache").
cp "$saved/$sha_a" "$tmp/forged"
printf 'FORGED' | dd of="$tmp/forged" bs=1 seek=4096 conv=notrunc status=none
forged=$(sha256sum "$tmp/forged" | cut -d' ' -f1)
cp "$tmp/forged" "$cas/$forged"
for f in "${image_acs[@]}"; do sed "s/$sha_a/$forged/" "$saved/${f##*/}" >"$f"; done
bazel_in 1 clean >/dev/null 2>&1
if build 1 ac_forged && [[ $(image_sha 1) == "$forged" ]]; then
    echo "note AC entries naming a forged blob: accepted without a warning (image $forged);" \
        "Bazel cannot tell, the cache must be trusted"
else
    echo "note AC entries naming a forged blob: not accepted (a newer Bazel?); see $tmp/ac_forged.log"
fi
restore
rm -f "$cas/$forged"

say "times: cold build ${cold_s}s, warm build from a fresh output base ${warm_s}s"
exit "$status"
