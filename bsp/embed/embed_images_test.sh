#!/bin/bash
# Tests of the embed_images tool: the table it writes for the testdata files
# (sorted, sizes, FIPS 180-4 digests), reproducibility, and every error case
# (exit status and its one-line message).
# Usage: embed_images_test.sh TOOL
set -uo pipefail
tool="$1"
data="bsp/embed/testdata"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
status=0

fail() {
    echo "FAIL: $*"
    status=1
}

# has FILE TEXT: FILE holds the line TEXT.
has() { grep -qxF -- "$2" "$1"; }

# digest_bytes HEX: the .byte line the tool writes for a 64-digit digest.
digest_bytes() {
    local hex=$1 line=$'\t.byte ' i
    for ((i = 0; i < 64; i += 2)); do
        ((i > 0)) && line+=","
        line+="0x${hex:i:2}"
    done
    echo "$line"
}

# Two files, given out of order.
out="$tmp/two.S"
"$tool" -o "$out" "nist448=$data/nist448" "abc=$data/abc" || fail "two files: exit $?"
mapfile -t entries < <(grep -F '/* [' "$out")
[[ "${entries[*]}" == $'\t/* [0] abc */ \t/* [1] nist448 */' ]] ||
    fail "entries not sorted by name: ${entries[*]}"
mapfile -t quads < <(grep -F '.quad' "$out")
# abc: offset 0, size 3; nist448: offset 4096, size 56.
[[ "${quads[*]}" == $'\t.quad 0 \t.quad 3 \t.quad 4096 \t.quad 56' ]] ||
    fail "offsets and sizes: ${quads[*]}"
for digest in ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad \
    248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1; do
    has "$out" "$(digest_bytes "$digest")" || fail "digest $digest missing"
done
has "$out" $'\t.long 2' || fail "count is not 2"
has "$out" $'\t.incbin "bsp/embed/testdata/abc"' || fail "abc not incbin'd by its given path"
has "$out" $'\t.section .rodata.basalt_images,"a"' || fail "section"
if grep -qF -e "$PWD" -e "$tmp" -e '"/' "$out"; then fail "absolute path in the output"; fi

# Same output whatever the order, every time.
"$tool" -o "$tmp/again.S" "abc=$data/abc" "nist448=$data/nist448" || fail "again: exit $?"
[[ "$(<"$out")" == "$(<"$tmp/again.S")" ]] || fail "two runs differ"

# A larger file: the digest agrees with coreutils' sha256sum (the project's
# tests use coreutils already).
big="$tmp/big.bin"
for ((i = 0; i < 3000; i++)); do printf '%04d\n' "$i"; done >"$big"
(cd "$tmp" && "$OLDPWD/$tool" -o big.S big=big.bin) || fail "big: exit $?"
want=$(sha256sum "$big")
has "$tmp/big.S" $'\t.quad 15000' || fail "big: size"
has "$tmp/big.S" "$(digest_bytes "${want%% *}")" || fail "big: digest differs from sha256sum"

# No images at all: an empty table.
"$tool" -o "$tmp/none.S" || fail "no images: exit $?"
has "$tmp/none.S" $'\t.long 0' || fail "no images: count"

# expect_error MESSAGE ARGS...: the tool fails with status 1, one line on
# stderr that contains MESSAGE, and writes no output.
expect_error() {
    local message=$1 rc err
    shift
    rm -f "$tmp/err.S"
    err=$("$tool" -o "$tmp/err.S" "$@" 2>&1 >/dev/null)
    rc=$?
    if [[ $rc -ne 1 ]]; then
        fail "$* exited $rc, not 1"
    elif [[ $err != "embed_images: "*"$message"* || $err == *$'\n'* ]]; then
        fail "$*: message '$err' is not one line with '$message'"
    elif [[ -e "$tmp/err.S" ]]; then
        fail "$*: output written despite the error"
    else
        echo "ok   error: $err"
    fi
}
expect_error "duplicate name 'abc'" "abc=$data/abc" "abc=$data/nist448"
expect_error "is too long" "$(printf 'x%.0s' {1..32})=$data/abc"
expect_error "has a bad character" "a/b=$data/abc"
expect_error "has a bad character" "a b=$data/abc"
expect_error "empty name" "=$data/abc"
expect_error "empty path" "abc="
expect_error "is not NAME=PATH" "$data/abc"
expect_error "cannot read '$data/missing'" "abc=$data/missing"
expect_error "cannot read '$data'" "dir=$data"
expect_error "is absolute" "abc=/etc/hostname"
expect_error ".incbin cannot take" "abc=$data/a\"bc"
# The longest name is fine.
"$tool" -o "$tmp/long.S" "$(printf 'x%.0s' {1..31})=$data/abc" || fail "31-character name refused"

# A bad command line is a usage error.
"$tool" 2>/dev/null
[[ $? -eq 2 ]] || fail "no arguments: not exit 2"
"$tool" "abc=$data/abc" 2>/dev/null
[[ $? -eq 2 ]] || fail "no -o: not exit 2"

[[ $status -eq 0 ]] && echo "embed_images: all checks passed"
exit "$status"
