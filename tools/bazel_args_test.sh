#!/bin/bash
# tools/bazel hands Bazel its arguments with two additions and nothing
# else: --remote_cache=$BASALT_REMOTE_CACHE right after --config=remote_cache,
# and --sandbox_base=DIR right after a command that runs actions; a
# BASALT_SANDBOX_BASE that is not a writable directory is refused. A
# stand-in Bazel (BASALT_BAZEL) prints what it was given, one per line.
set -uo pipefail
wrapper="$1"
tmp=$(mktemp -d "${TEST_TMPDIR:-/tmp}/bazel_args.XXXXXX")
cat >"$tmp/bazel" <<'FAKE'
#!/bin/bash
printf '%s\n' "$@"
FAKE
chmod +x "$tmp/bazel"
export BASALT_SKIP_DEPS=1 BASALT_BAZEL="$tmp/bazel"
unset BASALT_REMOTE_CACHE
status=0

# check DESCRIPTION "EXPECTED ARGS" ARGS...: EXPECTED as space-separated words.
check() {
    local what="$1" want="$2" got
    shift 2
    got=$("$wrapper" "$@" 2>&1 | tr '\n' ' ')
    if [[ "$got" != "$want " ]]; then
        echo "FAIL: $what: got '$got', expected '$want '"
        status=1
    fi
}

export BASALT_SANDBOX_BASE="$tmp/sandboxes"
mkdir -p "$BASALT_SANDBOX_BASE"
check "test" "test --sandbox_base=$tmp/sandboxes //..." test //...
check "startup options first" "--output_base=/o build --sandbox_base=$tmp/sandboxes //bsp:image" \
    --output_base=/o build //bsp:image
check "run, with arguments after --" "run --sandbox_base=$tmp/sandboxes //bsp:qemu -- build --x" \
    run //bsp:qemu -- build --x
check "a command that runs no action" "info output_base" info output_base
check "version" "version" version
check "shutdown" "shutdown" shutdown
export BASALT_REMOTE_CACHE=http://127.0.0.1:1/c
check "the remote cache too" \
    "build --sandbox_base=$tmp/sandboxes --config=remote_cache --remote_cache=http://127.0.0.1:1/c //..." \
    build --config=remote_cache //...
unset BASALT_REMOTE_CACHE
export BASALT_SANDBOX_BASE=none
check "BASALT_SANDBOX_BASE=none" "test //..." test //...
# A directory that is not there, or not one, is refused before Bazel runs.
for bad in "$tmp/missing" "$tmp/bazel"; do
    export BASALT_SANDBOX_BASE="$bad"
    got=$("$wrapper" test //... 2>&1)
    rc=$?
    if [[ $rc != 2 || "$got" != "tools/bazel: BASALT_SANDBOX_BASE=$bad is not a writable directory"* ]]; then
        echo "FAIL: BASALT_SANDBOX_BASE=$bad: exit $rc, said '$got'"
        status=1
    fi
done

# By default: /dev/shm where it is a tmpfs with 4 GiB free, else nothing.
unset BASALT_SANDBOX_BASE
want="test //..."
if [[ -d /dev/shm && -w /dev/shm && $(stat -f -c %T /dev/shm) == tmpfs ]] &&
    (($(df -Pk /dev/shm | awk 'NR == 2 { print $4 }') >= 4 * 1024 * 1024)); then
    want="test --sandbox_base=/dev/shm //..."
fi
check "the default here" "$want" test //...

[[ "$status" == 0 ]] && echo "tools/bazel passes its arguments with the sandbox base and remote cache added where they belong"
exit "$status"
