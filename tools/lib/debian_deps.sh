# shellcheck shell=bash
# Debian package check and install, shared by tools/bazel and tools/buildifier.
# Source this file; it defines functions only and changes no shell options.
#
#   basalt_debs_ensure PREFIX SPEC...
#     SPEC is "package|reason". Checks all packages with a single dpkg-query
#     call. When all are installed it prints nothing and returns 0. Otherwise:
#       - as root, or with passwordless sudo: prints one line per package
#         "PREFIX: installing PKG: REASON" (stderr), runs `apt-get update` once
#         and `apt-get install -y --no-install-recommends PKGS` with their
#         output in a log that is shown (its tail) only on failure;
#         returns 0 on success, 1 on failure;
#       - otherwise: prints one sentence naming the missing packages and the
#         command to run, and returns 1.
#     Returns 2 (after one explanatory line) when dpkg-query is absent, that
#     is, on a system that is not Debian-based.
#
# All messages go to stderr, so callers' stdout (e.g. `tools/bazel info`)
# stays clean.

# Prints the packages among "$@" that dpkg does not report as installed, one
# per line. Returns 2 when dpkg-query is missing.
basalt_debs_missing() {
    command -v dpkg-query >/dev/null 2>&1 || return 2
    local -A ok=()
    local pkg status
    # One call for all packages. Unknown names make dpkg-query exit 1 and
    # complain on stderr; they are simply absent from the output.
    while read -r pkg status; do
        [[ $status == installed ]] && ok[$pkg]=1
    done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' -- "$@" 2>/dev/null || true)
    for pkg in "$@"; do
        [[ -n ${ok[$pkg]:-} ]] || printf '%s\n' "$pkg"
    done
}

basalt_debs_ensure() {
    local prefix=$1
    shift
    local -a names=() reasons=()
    local spec
    for spec in "$@"; do
        names+=("${spec%%|*}")
        reasons+=("${spec#*|}")
    done

    local missing rc=0
    missing=$(basalt_debs_missing "${names[@]}") || rc=$?
    if [[ $rc -eq 2 ]]; then
        echo "$prefix: dpkg-query not found: automatic installation of build dependencies is supported on Debian bookworm only; install the equivalents of these Debian packages yourself: ${names[*]}" >&2
        return 2
    fi
    [[ -z $missing ]] && return 0

    local -a todo
    mapfile -t todo <<<"$missing"

    local -a as_root=()
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
            as_root=(sudo -n)
        else
            echo "$prefix: missing Debian packages ${todo[*]} and cannot install them (not root, no passwordless sudo); run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${todo[*]}" >&2
            return 1
        fi
    fi

    local i pkg
    for pkg in "${todo[@]}"; do
        for i in "${!names[@]}"; do
            if [[ ${names[$i]} == "$pkg" ]]; then
                echo "$prefix: installing $pkg: ${reasons[$i]}" >&2
                break
            fi
        done
    done
    local codename=""
    if [[ -r /etc/os-release ]]; then
        codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    fi
    if [[ $codename != bookworm ]]; then
        echo "$prefix: note: this system is '${codename:-unknown}', not Debian bookworm; package names may differ" >&2
    fi

    local log
    log=$(mktemp "${TMPDIR:-/tmp}/basalt-apt.XXXXXX") || return 1
    # A failing `apt-get update` (one unreachable source, say) is not fatal by
    # itself: the install below decides, and its log shows both.
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -q -o DPkg::Lock::Timeout=300 update >>"$log" 2>&1 || true
    if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${todo[@]}" >>"$log" 2>&1; then
        echo "$prefix: apt-get install ${todo[*]} failed; last lines of $log:" >&2
        tail -n 25 "$log" >&2
        return 1
    fi
    missing=$(basalt_debs_missing "${todo[@]}")
    if [[ -n $missing ]]; then
        echo "$prefix: still not installed after apt-get install: $(echo "$missing" | tr '\n' ' ')(log: $log)" >&2
        return 1
    fi
    rm -f "$log"
    BASALT_DEBS_INSTALLED=("${todo[@]}")
    return 0
}
