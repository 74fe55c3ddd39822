#!/usr/bin/env bash
# tools/format_check.sh: checks the formatting of the repository's files.
#
#   tools/format_check.sh         report misformatted files, exit 1 if any
#   tools/format_check.sh --fix   rewrite them in place instead
#
# - BUILD, BUILD.bazel, *.BUILD, WORKSPACE, WORKSPACE.bazel and *.bzl files:
#   buildifier (tools/buildifier, pinned), formatting only (--lint=off).
# - *.c, *.h, *.cc files: clang-format 19 with the repository's .clang-format.
#   The binary is $CLANG_FORMAT when set, else the one in the hermetic LLVM
#   toolchain: <output_base>/external/llvm_toolchain/usr/lib/llvm-19/bin/clang-format
#   (fetched with `tools/bazel fetch @llvm_toolchain//...` first).
# Files considered: those git tracks plus new files not ignored by .gitignore.
set -euo pipefail

usage() { sed -n '2,5s/^# \{0,1\}//p' "$0"; }
fix=0
case "${1:-}" in
    "") ;;
    --fix) fix=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

root=$(git -C "$(dirname "$(readlink -f -- "$0")")" rev-parse --show-toplevel)
cd "$root"

bazel_files=()
c_files=()
while IFS= read -r -d '' f; do
    [[ -f $f ]] || continue # deleted in the work tree but still in the index
    case "${f##*/}" in
        BUILD | BUILD.bazel | *.BUILD | WORKSPACE | WORKSPACE.bazel | *.bzl) bazel_files+=("$f") ;;
        *.c | *.h | *.cc) c_files+=("$f") ;;
    esac
done < <(git ls-files -z --cached --others --exclude-standard --deduplicate)

bad=0

# Buildifier.
if [[ ${#bazel_files[@]} -eq 0 ]]; then
    echo "format_check: no Bazel files"
elif [[ $fix -eq 1 ]]; then
    tools/buildifier --mode=fix --lint=off "${bazel_files[@]}"
else
    tools/buildifier --version >/dev/null # installs it first, outside the capture below
    rc=0
    out=$(tools/buildifier --mode=check --lint=off "${bazel_files[@]}" 2>&1) || rc=$?
    if [[ $rc -ne 0 ]]; then
        # "<file> # reformat" per misformatted file, or syntax errors.
        sed 's/^/format_check: buildifier: /' <<<"$out"
        bad=$((bad + $(grep -c ' # reformat$' <<<"$out" || true)))
        [[ $rc -eq 4 ]] || bad=$((bad + 1))
    fi
fi

# clang-format.
if [[ ${#c_files[@]} -eq 0 ]]; then
    echo "format_check: no C/C++ files"
else
    cf=${CLANG_FORMAT:-}
    if [[ -z $cf ]]; then
        log=$(mktemp "${TMPDIR:-/tmp}/basalt-format.XXXXXX")
        if ! tools/bazel fetch @llvm_toolchain//... >"$log" 2>&1; then
            echo "format_check: could not fetch the LLVM toolchain for clang-format; last lines of $log:" >&2
            tail -n 25 "$log" >&2
            exit 1
        fi
        rm -f "$log"
        cf=$(tools/bazel info output_base 2>/dev/null)/external/llvm_toolchain/usr/lib/llvm-19/bin/clang-format
    fi
    if ! version=$("$cf" --version 2>&1) || [[ $version != *"clang-format version 19."* ]]; then
        echo "format_check: $cf is not a working clang-format 19 (${version:-not found}); set CLANG_FORMAT to one" >&2
        exit 1
    fi
    if [[ $fix -eq 1 ]]; then
        "$cf" -i --style=file "${c_files[@]}"
    else
        for f in "${c_files[@]}"; do
            if ! "$cf" --dry-run --Werror --style=file "$f" >/dev/null 2>&1; then
                echo "format_check: clang-format: $f"
                diff -u --label "$f" --label "$f (formatted)" "$f" <("$cf" --style=file "$f") |
                    head -n 30 | sed 's/^/    /' || true
                bad=$((bad + 1))
            fi
        done
    fi
fi

if [[ $fix -eq 1 ]]; then
    echo "format_check: formatted ${#bazel_files[@]} Bazel and ${#c_files[@]} C/C++ files"
elif [[ $bad -ne 0 ]]; then
    echo "format_check: $bad problem(s); run tools/format_check.sh --fix" >&2
    exit 1
else
    echo "format_check: OK (${#bazel_files[@]} Bazel files, ${#c_files[@]} C/C++ files)"
fi
