#!/bin/bash
# toolchains/update_lock.sh against a fake apt (apt-cache and apt-get on
# PATH, answering from a table of suites and versions): it pins the release
# suite's version even when a moving suite has a newer one, refuses a
# package only a moving suite has unless --allow-moving (then warns that
# the pin will rot), and --verify names each pin that is no longer served
# or whose archive changed.
set -uo pipefail
script="${TEST_SRCDIR:?}/${TEST_WORKSPACE:?}/toolchains/update_lock.sh"
tmp="${TEST_TMPDIR:?}"
bin="$tmp/bin"
mkdir -p "$bin"
status=0
fail() {
    echo "FAIL $*"
    status=1
}

# The fake archive: "name suite version" per line; each archive's content
# is "name version", so its sha256 is known.
sha_of() { printf '%s %s\n' "$1" "$2" | sha256sum | cut -d' ' -f1; }
table="$tmp/archive"
cat >"$table" <<'T'
gcc-x bookworm-security 2.0+deb12u1
gcc-x bookworm 1.0
libfoo bookworm 3.1
newpkg bookworm-security 5.0
T
export FAKE_APT_TABLE="$table"
cat >"$bin/apt-cache" <<'F'
#!/bin/bash
# fake apt-cache: madison NAME:ARCH, show NAME:ARCH=VERSION
sha_of() { printf '%s %s\n' "$1" "$2" | sha256sum | cut -d' ' -f1; }
cmd=$1 spec=$2
name=${spec%%:*}
case $cmd in
    madison)
        while read -r n s v; do
            [[ $n == "$name" ]] && echo " $n | $v | http://archive.invalid/debian $s/main amd64 Packages"
        done <"$FAKE_APT_TABLE" ;;
    show)
        version=${spec#*=}
        while read -r n s v; do
            if [[ $n == "$name" && $v == "$version" ]]; then
                printf 'Package: %s\nVersion: %s\nFilename: pool/main/x/%s/%s_%s_amd64.deb\nSHA256: %s\n\n' \
                    "$n" "$v" "$n" "$n" "${v#*:}" "$(sha_of "$n" "$v")"
                exit 0
            fi
        done <"$FAKE_APT_TABLE"
        exit 100 ;;
esac
F
cat >"$bin/apt-get" <<'F'
#!/bin/bash
# fake apt-get: update, download [--print-uris] [-qq] NAME:ARCH=VERSION
sha_of() { printf '%s %s\n' "$1" "$2" | sha256sum | cut -d' ' -f1; }
[[ $1 == update ]] && exit 0
uris=0
for a in "$@"; do
    case $a in download | -qq) ;; --print-uris) uris=1 ;; *) spec=$a ;; esac
done
name=${spec%%:*} version=${spec#*=}
while read -r n s v; do
    if [[ $n == "$name" && $v == "$version" ]]; then
        if [[ $uris == 1 ]]; then
            echo "'http://archive.invalid/$n.deb' ${n}_${v}_amd64.deb 10 SHA256:$(sha_of "$n" "$v")"
        else
            printf '%s %s\n' "$n" "$v" >"${n}_${v}_amd64.deb"
        fi
        exit 0
    fi
done <"$FAKE_APT_TABLE"
echo "E: Version '$version' for '$name' was not found" >&2
exit 100
F
chmod +x "$bin/apt-cache" "$bin/apt-get"
export PATH="$bin:$PATH"

line() { # line NAME VERSION SUITE DEST
    echo "$1 $2 amd64 $3 $(sha_of "$1" "$2") $4 pool/main/x/$1/$1_${2#*:}_amd64.deb"
}
lock="$tmp/lock"
run() { # run NAME EXPECTED-STATUS ARGS...: update_lock.sh on $lock, output in $tmp/NAME.log
    local name=$1 want=$2
    shift 2
    "$script" --lock "$lock" "$@" >"$tmp/$name.log" 2>&1
    local rc=$?
    if [[ $rc != "$want" ]]; then
        fail "$name: exit $rc, expected $want"
        sed 's/^/    /' "$tmp/$name.log"
        return 1
    fi
}
says() { # says NAME TEXT
    grep -qF -- "$2" "$tmp/$1.log" || { fail "$1: the output does not say: $2"; sed 's/^/    /' "$tmp/$1.log"; }
}

# A current lock: --check passes, --verify finds every pin.
{ echo "# header kept"; line gcc-x 1.0 bookworm llvm; line libfoo 3.1 bookworm sysroot; } >"$lock"
cp "$lock" "$tmp/current"
run check_current 0 --check && says check_current "the lock is current"
run verify_current 0 --verify && says verify_current "every pin is served today"

# A stale pin moves to the release suite's version, never to the newer
# version of the security suite.
{ echo "# header kept"; line gcc-x 0.9 bookworm llvm; line libfoo 3.1 bookworm sysroot; } >"$lock"
run check_stale 1 --check && says check_stale "gcc-x 0.9 (bookworm) -> 1.0 (bookworm)"
run update_stale 0
cmp -s "$lock" "$tmp/current" || { fail "update_stale: the lock is not the release suite's"; cat "$lock"; }

# A package only a moving suite has: refused, the lock unchanged; taken
# with --allow-moving, with a warning and its suite on the line.
cp "$tmp/current" "$lock"
run add_moving 1 --add newpkg:amd64:llvm && says add_moving "the release suite bookworm does not have it (only: bookworm-security 5.0)"
cmp -s "$lock" "$tmp/current" || fail "add_moving: the refused update changed the lock"
run add_moving_allowed 0 --add newpkg:amd64:llvm --allow-moving &&
    says add_moving_allowed "WARNING: newpkg 5.0 is pinned from bookworm-security"
grep -qxF "$(line newpkg 5.0 bookworm-security llvm)" "$lock" || { fail "add_moving_allowed: no newpkg line"; cat "$lock"; }

# --verify names a pin that left the archive and one whose archive changed.
{ line gcc-x 2.0+deb12u0 bookworm-security llvm; echo "libfoo 3.1 amd64 bookworm $(sha_of x y) sysroot pool/main/x/libfoo/libfoo_3.1_amd64.deb"; } >"$lock"
run verify_gone 1 --verify && says verify_gone "NOT AVAILABLE: gcc-x 2.0+deb12u0 (amd64, bookworm-security)" &&
    says verify_gone "CHANGED: libfoo 3.1 (amd64)"

# Bad input: a malformed line, a bad --add.
echo "gcc-x 1.0 amd64 $(sha_of gcc-x 1.0) llvm" >"$lock"
run malformed 1 --check && says malformed "malformed line (expected package version arch suite sha256 destination pool-path)"
cp "$tmp/current" "$lock"
run bad_add 2 --add gcc-y:amd64:usr && says bad_add "expected NAME:ARCH:DEST with DEST llvm or sysroot"
run dup_add 2 --add gcc-x:amd64:llvm && says dup_add "gcc-x is already in the lock"
[[ $status == 0 ]] && echo "all update_lock cases pass"
exit "$status"
