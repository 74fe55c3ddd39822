#!/usr/bin/env bash
# Usage: tools/check_compile_commands.sh [COMPILE_COMMANDS_JSON [ROOT]]
# Checks a compile_commands.json written by tools/compile_commands.sh
# (default: ROOT/compile_commands.json, ROOT the workspace of this script):
# - every .c and .S file under kernel/, hal/, bsp/ and userland/ (git-tracked,
#   or found by `find` outside a git checkout) has an entry, and its source
#   exists relative to the entry's "directory", which is ROOT;
# - target files (all of them except hal/fake/ and bsp/embed/, which only
#   the host builds: the HAL fakes of the unit tests and the image-embedding
#   tool) have an aarch64-none entry first, with --target=aarch64-none-elf
#   and -ffreestanding, and any further entry is the host one;
# - host-only files have a --target=x86_64-linux-gnu entry;
# - every entry's compiler is the pinned clang of @llvm_toolchain.
# Prints one line per problem and exits 1 if there is any.
set -euo pipefail
root=${2:-$(cd "$(dirname "$(readlink -f -- "$0")")/.." && pwd)}
db=${1:-$root/compile_commands.json}
root=$(cd "$root" && pwd)

if [[ ! -f $db ]]; then
    echo "check_compile_commands: no $db (run tools/compile_commands.sh)" >&2
    exit 1
fi
if [[ $(git -C "$root" rev-parse --show-toplevel 2>/dev/null) == "$root" ]]; then
    sources=$(git -C "$root" ls-files -- 'kernel/*.[cS]' 'hal/*.[cS]' 'bsp/*.[cS]' 'userland/*.[cS]')
else
    sources=$(cd "$root" && find kernel hal bsp userland -type f \( -name '*.c' -o -name '*.S' \) | LC_ALL=C sort)
fi
[[ -n $sources ]] || { echo "check_compile_commands: no sources found under $root" >&2; exit 1; }

# One line per file, its entries in order: FILE <tab> KIND,KIND,... where KIND
# is "target" (--target=aarch64-none-elf and -ffreestanding), "target-hosted"
# (aarch64 without -ffreestanding), "host" (--target=x86_64-linux-gnu) or
# "other"; then per entry the problems with directory and compiler.
summary=$(jq -r --arg root "$root" '
  def kind: .arguments as $a
    | if ($a | index("--target=aarch64-none-elf")) != null then
        (if ($a | index("-ffreestanding")) != null then "target" else "target-hosted" end)
      elif ($a | index("--target=x86_64-linux-gnu")) != null then "host"
      else "other" end;
  (reduce .[] as $e ({}; .[$e.file] += [$e | kind])
   | to_entries[] | "files\t\(.key)\t\(.value | join(","))"),
  (.[] | select(.directory != $root) | "bad\t\(.file): directory is \(.directory), not \($root)"),
  (.[] | select(.arguments[0] | test("/external/llvm_toolchain/usr/lib/llvm-19/bin/clang$") | not)
   | "bad\t\(.file): compiler is \(.arguments[0]), not the pinned clang of @llvm_toolchain")
' "$db")

bad=0
problem() {
    echo "check_compile_commands: $*"
    bad=$((bad + 1))
}
declare -A kinds=()
while IFS=$'\t' read -r tag a b; do
    case "$tag" in
        files) kinds[$a]=$b ;;
        bad) problem "$a" ;;
    esac
done <<<"$summary"

for compiler in $(jq -r '[.[].arguments[0]] | unique[]' "$db"); do
    [[ -x $compiler ]] || problem "compiler $compiler does not exist"
done

while IFS= read -r f; do
    k=${kinds[$f]:-}
    if [[ -z $k ]]; then
        problem "$f: no entry"
        continue
    fi
    [[ -f $root/$f ]] || problem "$f: not found from $root"
    case "$f" in
        hal/fake/* | bsp/embed/*)
            [[ ,$k, == *,host,* ]] || problem "$f: host-only file without a host entry (has: $k)"
            ;;
        *)
            case "$k" in
                target | target,host) ;;
                *) problem "$f: expected the aarch64-none entry (--target=aarch64-none-elf -ffreestanding) first, then at most a host one; has: $k" ;;
            esac
            ;;
    esac
done <<<"$sources"

n=$(wc -l <<<"$sources")
if [[ $bad -ne 0 ]]; then
    echo "check_compile_commands: $bad problem(s) in $db"
    exit 1
fi
echo "check_compile_commands: all $n sources of kernel/, hal/, bsp/ and userland/ have their entries"
