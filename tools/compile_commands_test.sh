#!/bin/bash
# tools/compile_commands.sh, run by a nested Bazel on a copy of the workspace,
# writes a compile_commands.json in which
# - tools/check_compile_commands.sh finds every .c and .S file of kernel/,
#   hal/, bsp/ and userland/, target files with their aarch64-none flags
#   first (and the checker rejects broken copies of the file);
# - clangd-19 from the lock, run from the copy's root, checks
#   kernel/ipc/endpoint.c (every feature at every token) and every .c file of
#   those directories (diagnostics only) with no error: every header resolves
#   (and a missing header is an error it reports).
# The nested Bazel has its own output base and uses the outer build's
# @llvm_toolchain (--override_repository) so nothing is extracted again; it
# only analyses. The copy is of the files git lists in the real workspace
# (tracked and untracked, not ignored), which this test finds through its
# runfiles: it runs unsandboxed (tag local).
set -uo pipefail
src="${TEST_SRCDIR:?}/${TEST_WORKSPACE:?}"
tmp="${TEST_TMPDIR:?}"
clangd_runfile="$TEST_SRCDIR/llvm_toolchain/usr/lib/llvm-19/bin/clangd"
clangd=$(readlink -f "$clangd_runfile")
toolchain=${clangd%/usr/lib/llvm-19/bin/clangd}
real=$(dirname "$(readlink -f "$src/WORKSPACE")")

ws="$tmp/ws"
mkdir -p "$ws"
if [[ $(git -C "$real" rev-parse --show-toplevel 2>/dev/null) == "$real" ]]; then
    git -C "$real" ls-files -z --cached --others --exclude-standard |
        (cd "$real" && tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$ws"
else
    (cd "$real" && tar --exclude='./bazel-*' --exclude=./compile_commands.json -cf - .) | tar -xf - -C "$ws"
fi

cat >"$tmp/bazel" <<EOF
#!/bin/sh
exec bazel --output_base="$tmp/ob" --max_idle_secs=60 --nohome_rc "\$@"
EOF
chmod +x "$tmp/bazel"
stop_bazel() { (cd "$ws" && "$tmp/bazel" shutdown) >/dev/null 2>&1; }
trap stop_bazel EXIT

status=0
fail() {
    echo "FAIL $*"
    status=1
}

if ! (cd "$ws" && BASALT_BAZEL="$tmp/bazel" tools/compile_commands.sh -- \
    --override_repository=llvm_toolchain="$toolchain") >"$tmp/generate.log" 2>&1; then
    cat "$tmp/generate.log"
    echo "FAIL tools/compile_commands.sh"
    exit 1
fi
stop_bazel
db="$ws/compile_commands.json"
tail -1 "$tmp/generate.log"

# The checker on the real file, then on broken copies.
"$ws/tools/check_compile_commands.sh" "$db" "$ws" || fail "check_compile_commands on the generated file"
rejects() { # rejects NAME JQ-FILTER EXPECTED-TEXT
    jq "$2" "$db" >"$tmp/$1.json"
    if "$ws/tools/check_compile_commands.sh" "$tmp/$1.json" "$ws" >"$tmp/$1.log" 2>&1; then
        fail "check_compile_commands accepted $1"
    elif ! grep -qF -- "$3" "$tmp/$1.log"; then
        fail "check_compile_commands on $1 does not say: $3"
        sed 's/^/    /' "$tmp/$1.log"
    else
        echo "ok   checker rejects $1"
    fi
}
e=kernel/ipc/endpoint.c
rejects missing_file "map(select(.file != \"$e\"))" "$e: no entry"
rejects host_first "(map(select(.file == \"$e\")) | reverse) + map(select(.file != \"$e\"))" \
    "$e: expected the aarch64-none entry"
rejects not_freestanding 'map(if .file == "userland/init/init.c" then .arguments -= ["-ffreestanding"] else . end)' \
    "userland/init/init.c: expected the aarch64-none entry"
rejects other_compiler 'map(if .file == "hal/fake/cpu_fake.c" then .arguments[0] = "/usr/bin/cc" else . end)' \
    "hal/fake/cpu_fake.c: compiler is /usr/bin/cc"

# clangd from the workspace root.
cd "$ws" || exit 1
if ! "$clangd" --check="$e" >"$tmp/clangd_endpoint.log" 2>&1 ||
    ! grep -q 'All checks completed, 0 errors' "$tmp/clangd_endpoint.log"; then
    fail "clangd --check=$e"
    grep -E '^E|All checks' "$tmp/clangd_endpoint.log" | head -20
else
    echo "ok   clangd --check=$e: 0 errors"
fi
# shellcheck disable=SC2317 # run by xargs through bash -c
check_one() { # prints "FILE: errors" for a file clangd finds errors in
    local log
    log=$("$1" --check="$2" --check-locations=false 2>&1)
    grep -q 'All checks completed, 0 errors' <<<"$log" ||
        { echo "$2:"; grep -E '^E|All checks' <<<"$log" | head -5 | sed 's/^/    /'; }
}
export -f check_one
sources=$(find kernel hal bsp userland -name '*.c' | LC_ALL=C sort)
# shellcheck disable=SC2016 # expanded by the inner bash
errors=$(xargs -P 2 -n 1 bash -c 'check_one "$0" "$1"' "$clangd" <<<"$sources")
if [[ -n $errors ]]; then
    fail "clangd finds errors:"
    echo "$errors"
else
    echo "ok   clangd: $(wc -l <<<"$sources") .c files, 0 errors"
fi
# A header that does not exist must be reported.
mkdir -p "$tmp/probe"
jq --arg e "$e" --arg p kernel/ipc/zz_missing_header.c \
    '[[.[] | select(.file == $e)][0] | .file = $p | .arguments |= map(if . == $e then $p else . end)]' \
    "$db" >"$tmp/probe/compile_commands.json"
echo '#include "kernel/ipc/no_such_header.h"' >kernel/ipc/zz_missing_header.c
probe=$("$clangd" --compile-commands-dir="$tmp/probe" --check=kernel/ipc/zz_missing_header.c \
    --check-locations=false 2>&1)
if grep -q "'kernel/ipc/no_such_header.h' file not found" <<<"$probe"; then
    echo "ok   clangd reports a missing header"
else
    fail "clangd did not report a missing header"
fi
exit "$status"
