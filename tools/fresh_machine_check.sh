#!/usr/bin/env bash
# tools/fresh_machine_check.sh: runs the README's two commands on a fresh
# Debian bookworm, in a chroot, and reports each one's status and time.
#
#   tools/fresh_machine_check.sh [options] [REF]
#
# Makes a minimal bookworm with `debootstrap --variant=minbase` in a new
# directory, gives it the host's Debian package sources (bookworm,
# bookworm-updates, bookworm-security, as the host lists them) and apt
# proxy settings, installs git in it (ca-certificates too when a source is
# https), clones REF (default HEAD) of this checkout inside the chroot
# from a git bundle (the chroot has no path back to the checkout), and runs
# there, as root, with an empty archive cache and a new Bazel output base:
#
#   tools/bazel run //bsp:qemu     (no stdin; QEMU powers off by itself)
#   tools/bazel test //...
#
# then prints each command's exit status and wall time, and where the logs
# are. Exits 0 when both commands exited 0.
#
#   --root DIR        use the debootstrap in DIR (made there first when DIR
#                     does not exist); the check runs in a copy, so DIR stays
#                     a bare minbase for the next run
#   --keep            keep the work directory (chroot and logs) afterwards;
#                     without it only the logs are kept
#   --workdir DIR     work directory (default: a new /var/tmp/basalt-fresh.*)
#   --run-timeout S   limit for `tools/bazel run //bsp:qemu` (default 3600)
#   --test-timeout S  limit for `tools/bazel test //...` (default 7200)
#
# Needs root (debootstrap, mount, chroot). Installs the Debian package
# debootstrap on the host when it is missing, and says so. The mirror and
# keyring come from the host's apt configuration; nothing names a host here.
# /proc, /sys and /dev are bind-mounted only inside a private mount
# namespace (unshare) for each command, so no mount is left behind on any
# exit path, even a kill; the clean-up refuses to delete a directory that
# still has something mounted under it.
#
# In the chroot the kernel refuses new user namespaces, so Bazel runs its
# actions with processwrapper-sandbox there (see .bazelrc).
set -euo pipefail

say() { echo "fresh_machine_check: $*" >&2; }
die() { say "$*"; exit 2; }

keep=0 root_arg="" workdir="" ref=HEAD run_timeout=3600 test_timeout=7200
while [[ $# -gt 0 ]]; do
    case "$1" in
        --keep) keep=1 ;;
        --root) root_arg=${2:?--root needs a directory}; shift ;;
        --root=*) root_arg=${1#*=} ;;
        --workdir) workdir=${2:?--workdir needs a directory}; shift ;;
        --workdir=*) workdir=${1#*=} ;;
        --run-timeout) run_timeout=${2:?}; shift ;;
        --run-timeout=*) run_timeout=${1#*=} ;;
        --test-timeout) test_timeout=${2:?}; shift ;;
        --test-timeout=*) test_timeout=${1#*=} ;;
        -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        -*) die "unknown option: $1 (try --help)" ;;
        *) ref=$1 ;;
    esac
    shift
done

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, mount and chroot need it)"
suite=bookworm
checkout=$(git -C "$(dirname "$(readlink -f -- "$0")")" rev-parse --show-toplevel)
commit=$(git -C "$checkout" rev-parse --verify "$ref^{commit}") || die "not a commit: $ref"

if ! command -v debootstrap >/dev/null 2>&1; then
    say "installing debootstrap (Debian package): it makes the minimal bookworm to test in"
    apt-get install -y --no-install-recommends debootstrap >/dev/null ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends debootstrap >/dev/null; } ||
        die "could not install debootstrap"
fi

# --- The host's Debian package sources -------------------------------------
# Prints "URI SUITE COMPONENTS... | KEYRING" for each source of $suite,
# $suite-updates and $suite-security that apt reads (deb822 *.sources and
# one-line *.list / sources.list), in that order of files.
host_sources() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        awk -v s="$suite" '
            /^[ \t]*deb[ \t]/ {
                key = ""; i = 2
                if ($2 ~ /^\[/) {
                    for (; i <= NF; i++) {
                        if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
                        if ($i ~ /\]$/) { i++; break }
                    }
                }
                uri = $i; su = $(i + 1)
                if (su != s && su != s "-updates" && su != s "-security") next
                line = uri " " su
                for (j = i + 2; j <= NF; j++) line = line " " $j
                print line " | " key
            }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        awk -v s="$suite" '
            function flush(   n, m, u, k, uris, suites) {
                if (types ~ /(^| )deb( |$)/ && enabled != "no") {
                    n = split(uri, uris, " ")
                    m = split(suites_f, suites, " ")
                    for (k = 1; k <= m; k++) {
                        if (suites[k] != s && suites[k] != s "-updates" && suites[k] != s "-security") continue
                        for (u = 1; u <= n; u++) print uris[u] " " suites[k] " " comps " | " key
                    }
                }
                types = uri = suites_f = comps = key = enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            {
                field = tolower($1); sub(/:$/, "", field)
                value = $0; sub(/^[^:]*:[ \t]*/, "", value)
                if (field == "types") types = value
                else if (field == "uris") uri = value
                else if (field == "suites") suites_f = value
                else if (field == "components") comps = value
                else if (field == "signed-by") key = value
                else if (field == "enabled") enabled = tolower(value)
            }
            END { flush() }' "$f"
    done
}
mapfile -t sources < <(host_sources)
[[ ${#sources[@]} -gt 0 ]] ||
    die "the host's apt configuration lists no '$suite' source (looked in /etc/apt/sources.list and /etc/apt/sources.list.d/); add one"
mirror="" keyring=""
for s in "${sources[@]}"; do
    read -r uri su _ <<<"${s%% | *}"
    if [[ $su == "$suite" ]]; then
        mirror=$uri
        keyring=${s##* | }
        break
    fi
done
[[ -n $mirror ]] || die "the host's apt configuration has no source for the suite '$suite' itself"
[[ -f $keyring ]] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f $keyring ]] || die "no keyring to check $suite with (install debian-archive-keyring)"

# --- Work directory ----------------------------------------------------------
if [[ -z $workdir ]]; then
    workdir=$(mktemp -d /var/tmp/basalt-fresh.XXXXXX)
else
    mkdir -p "$workdir"
fi
workdir=$(readlink -f -- "$workdir")
root=$workdir/root
logs=$workdir/logs
mkdir -p "$logs"
[[ ! -e $root ]] || die "$root exists already; choose another --workdir"

# Processes whose root directory is the chroot (a Bazel server, a QEMU):
# started by this script, stopped by their ids.
chroot_pids() {
    local p r
    for p in /proc/[0-9]*; do
        r=$(readlink "$p/root" 2>/dev/null) || continue
        [[ $r == "$root" || $r == "$root"/* ]] && echo "${p#/proc/}"
    done
    return 0
}

# Mounts below a directory, as this (the host's) mount namespace sees them.
mounts_under() {
    awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}

# shellcheck disable=SC2317 # called through the trap
cleanup() {
    local rc=$? pids
    trap - EXIT INT TERM
    if [[ -d $root/root/basalt && -x $root/usr/bin/bazel ]]; then
        in_chroot bash -c 'cd /root/basalt && timeout 60 tools/bazel shutdown' >/dev/null 2>&1 || true
    fi
    pids=$(chroot_pids)
    if [[ -n $pids ]]; then
        # shellcheck disable=SC2086 # one id per word
        kill $pids 2>/dev/null || true
        sleep 2
        pids=$(chroot_pids)
        # shellcheck disable=SC2086
        [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
    fi
    if [[ $keep -eq 1 ]]; then
        say "kept $workdir (chroot in $root)"
    elif [[ -d $root ]]; then
        if [[ -n $(mounts_under "$root") ]]; then
            say "not deleting $root: something is still mounted under it:"
            mounts_under "$root" >&2
        else
            say "deleting the chroot $root (logs stay in $logs)"
            rm -rf --one-file-system -- "$root"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# in_chroot CMD...: runs CMD in the chroot, with /proc, /sys and /dev bound
# in a private mount namespace that ends with it, a clean environment and no
# stdin.
in_chroot() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount --propagation private -- bash -c '
        set -e
        root=$1; shift
        mount --rbind /dev "$root/dev"
        mount --bind /proc "$root/proc"
        mount --rbind /sys "$root/sys"
        exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
    ' in_chroot "$root" "$@" </dev/null
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { s = b - a; printf "%dm %04.1fs", int(s / 60), s - 60 * int(s / 60) }'; }

# --- The chroot --------------------------------------------------------------
t0=$(now)
if [[ -n $root_arg ]]; then
    root_arg=$(readlink -f -- "$root_arg")
    if [[ ! -e $root_arg ]]; then
        say "debootstrap --variant=minbase $suite into $root_arg from $mirror (log: $logs/debootstrap.log)"
        debootstrap --variant=minbase --keyring="$keyring" "$suite" "$root_arg" "$mirror" \
            >"$logs/debootstrap.log" 2>&1 || die "debootstrap failed; see $logs/debootstrap.log"
    fi
    [[ -f $root_arg/etc/debian_version && -x $root_arg/usr/bin/apt-get ]] ||
        die "$root_arg does not look like a debootstrap of Debian"
    [[ -z $(mounts_under "$root_arg") ]] || die "$root_arg has mounts under it; unmount them first"
    say "copying the debootstrap in $root_arg to $root"
    cp -a "$root_arg" "$root"
else
    say "debootstrap --variant=minbase $suite into $root from $mirror (log: $logs/debootstrap.log)"
    debootstrap --variant=minbase --keyring="$keyring" "$suite" "$root" "$mirror" \
        >"$logs/debootstrap.log" 2>&1 || die "debootstrap failed; see $logs/debootstrap.log"
fi
t_root=$(now)

# The host's sources of bookworm, -updates and -security, one-line format,
# with the keyrings they name copied in.
{
    echo "# The host's Debian sources, copied by tools/fresh_machine_check.sh."
    for s in "${sources[@]}"; do
        key=${s##* | }
        if [[ -n $key && -f $key ]]; then
            mkdir -p "$root$(dirname "$key")"
            [[ -f $root$key ]] || cp "$key" "$root$key"
            echo "deb [signed-by=$key] ${s%% | *}"
        else
            echo "deb ${s%% | *}"
        fi
    done
} >"$root/etc/apt/sources.list"
rm -f "$root"/etc/apt/sources.list.d/*.list "$root"/etc/apt/sources.list.d/*.sources
# Proxy settings, if the host needs one to reach its sources.
apt-config dump 2>/dev/null | grep -iE '^Acquire::(https?|ftp)::Proxy' >"$root/etc/apt/apt.conf.d/90host-proxy" || true
[[ -s $root/etc/apt/apt.conf.d/90host-proxy ]] || rm -f "$root/etc/apt/apt.conf.d/90host-proxy"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

# What a newcomer installs before the README: git to clone (and
# ca-certificates when a source is https, for apt itself).
extra=(git)
for s in "${sources[@]}"; do
    [[ $s == https://* ]] && { extra+=(ca-certificates); break; }
done
say "in the chroot: apt-get update; apt-get install ${extra[*]} (log: $logs/setup.log)"
in_chroot apt-get update >"$logs/setup.log" 2>&1 || die "apt-get update failed in the chroot; see $logs/setup.log"
in_chroot apt-get install -y --no-install-recommends "${extra[@]}" >>"$logs/setup.log" 2>&1 ||
    die "apt-get install ${extra[*]} failed in the chroot; see $logs/setup.log"

# The repository, cloned inside the chroot from a bundle of one commit.
bundle=$root/tmp/basalt.bundle
git init -q --bare "$workdir/bundle.git"
git -C "$checkout" push -q "$workdir/bundle.git" "$commit:refs/heads/main"
git -C "$workdir/bundle.git" symbolic-ref HEAD refs/heads/main
git -C "$workdir/bundle.git" bundle create "$bundle" main >>"$logs/setup.log" 2>&1
rm -rf "$workdir/bundle.git"
in_chroot git clone -q -b main /tmp/basalt.bundle /root/basalt >>"$logs/setup.log" 2>&1 ||
    die "git clone failed in the chroot; see $logs/setup.log"
rm -f "$bundle"
in_chroot git -C /root/basalt remote remove origin
cloned=$(in_chroot git -C /root/basalt rev-parse HEAD)
[[ $cloned == "$commit" ]] || die "the clone in the chroot is at ${cloned:-nothing}, not $commit"
[[ ! -e $root/root/.cache ]] || die "the chroot already has /root/.cache; it must start empty"
t_setup=$(now)

# --- The README's two commands ----------------------------------------------
declare -A status=() took=()
run_step() { # run_step NAME TIMEOUT LOG COMMAND...
    local name=$1 limit=$2 log=$3 a b rc=0
    shift 3
    say "in the chroot: $* (limit ${limit}s, log: $log)"
    a=$(now)
    in_chroot bash -c 'cd /root/basalt && exec timeout --kill-after=30 "$@"' run "$limit" "$@" >"$log" 2>&1 || rc=$?
    b=$(now)
    status[$name]=$rc
    took[$name]=$(elapsed "$a" "$b")
    say "$* exited $rc after ${took[$name]}"
}
run_step run "$run_timeout" "$logs/run.log" tools/bazel run //bsp:qemu
run_step test "$test_timeout" "$logs/test.log" tools/bazel test //...

# --- Summary -----------------------------------------------------------------
describe() { # describe STATUS
    case "$1" in
        0) echo "ok" ;;
        124 | 137) echo "TIMEOUT" ;;
        *) echo "FAILED" ;;
    esac
}
echo
echo "== fresh machine check: commit $commit, Debian $suite minbase (chroot), as root"
printf '  %-36s %s\n' "debootstrap$([[ -n $root_arg ]] && echo ' (copy of --root)')" "$(elapsed "$t0" "$t_root")"
printf '  %-36s %s\n' "apt-get install ${extra[*]}, git clone" "$(elapsed "$t_root" "$t_setup")"
# Each command's line, then Bazel's own share of its time (the rest is
# tools/bazel installing packages, the first time, and the server starting).
for name in run test; do
    label="tools/bazel run //bsp:qemu"
    [[ $name == run ]] || label="tools/bazel test //..."
    printf '  %-36s exit %-3s %-8s %s\n' "$label" "${status[$name]}" "$(describe "${status[$name]}")" "${took[$name]}"
    e=$(sed -n 's/^INFO: Elapsed time: \([0-9.]*\)s.*/\1/p' "$logs/$name.log" | tail -n 1)
    [[ -z $e ]] || printf '  %-36s %s\n' "  of which Bazel's elapsed time" "$(elapsed 0 "$e")"
done
if grep -q '^basalt: power off' "$logs/run.log"; then
    echo "  //bsp:qemu printed 'basalt: power off'"
else
    echo "  //bsp:qemu did NOT print 'basalt: power off'"
fi
grep -E '^(INFO: )?[0-9]+ process(es)?:|^Executed [0-9]+ out of' "$logs/test.log" | tail -n 2 | sed 's/^/  /' || true
awk '/^(@[^ ]*)?\/\/[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|INCOMPLETE|FLAKY)/ { print "  " $0 }' "$logs/test.log"
echo "  logs: $logs"
if [[ ${status[test]} -ne 0 ]]; then
    # Copy the failed targets' test.log files out before the chroot goes.
    out=$(awk '/^(@[^ ]*)?\/\/[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT)/ { print $1 }' "$logs/test.log")
    for t in $out; do
        p=${t#//}
        p=${p/://}
        f=$(find "$root"/root/.cache/bazel -path "*/testlogs/$p/test.log" 2>/dev/null | head -n 1)
        if [[ -n $f ]]; then
            mkdir -p "$logs/testlogs/$(dirname "$p")"
            cp "$f" "$logs/testlogs/$p.log"
        fi
    done
    [[ ! -d $logs/testlogs ]] || echo "  test logs of the failed targets: $logs/testlogs"
fi
[[ ${status[run]} -eq 0 && ${status[test]} -eq 0 ]]
