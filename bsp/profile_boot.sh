#!/bin/bash
# Where the boot's instructions go: boots a kernel image under QEMU with
# -icount shift=0 and one instruction per translation block, logs every
# instruction executed (-d exec,nochain) from the kernel's first to the
# first instruction at EL0 (init's first line), and prints the count per
# kernel function, most first, with the total (the bench's "kernel entry to
# the first line of init" counts the same span).
#
#   tools/bazel run //bsp:profile_boot [-- --top=N]
#
# Arguments (the Bazel target gives the first two): IMAGE RUN_QEMU LLVM_NM
# [--top=N] (functions listed, default 40; 0 for all).
# Functions are named from the image's symbols (llvm-nm); code run before
# the MMU is on runs at its physical address and is counted with the
# function it belongs to.
set -euo pipefail

image="$1" run_qemu="$2" nm="$3"
shift 3
top=40
for arg in "$@"; do
    case "$arg" in
    --top=*) top="${arg#--top=}" ;;
    *)
        echo "profile_boot: unknown argument '$arg' (--top=N)" >&2
        exit 2
        ;;
    esac
done
[[ "$top" =~ ^[0-9]+$ ]] || { echo "profile_boot: --top must be a number" >&2; exit 2; }

qemu_pid=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/profile_boot.XXXXXX")
trap 'kill "$qemu_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
mkfifo "$tmp/exec"

# QEMU writes one "Trace" line per block executed; with -singlestep a block
# is one instruction. Its PC is the second field of the bracket.
"$run_qemu" --image="$image" --icount --no-shell --serial="$tmp/serial.txt" --timeout=600 \
    -- -singlestep -d exec,nochain -D "$tmp/exec" >/dev/null 2>&1 &
qemu_pid=$!

# Counts per PC until the first one below RAM (0x40000000): a user
# program's. PCs are 16 hex digits, so they compare as strings.
awk -F'[][/]' '
    /^Trace/ {
        pc = $3
        if (pc < "0000000040000000") { exit }
        count[pc]++
    }
    END { for (pc in count) print pc, count[pc] }
' <"$tmp/exec" >"$tmp/pcs" || true
kill "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true

if [[ ! -s "$tmp/pcs" ]]; then
    echo "profile_boot: QEMU logged no instruction (see its output: $run_qemu --image=$image)" >&2
    exit 1
fi

# The kernel is linked at 0xffffffffc0100000 and loaded at 0x40100000: a PC
# below 0x80000000 (before the MMU) is the same code 0xffffffff80000000
# higher. Then symbols and PCs, sorted by address, are merged in one pass.
{
    "$nm" -n --defined-only "$image" | awk '$2 ~ /^[tTwW]$/ { print $1, "S", $3 }'
    awk '{
        pc = $1
        if (substr(pc, 1, 8) == "00000000") {
            d = index("4567", substr(pc, 9, 1))
            if (d > 0) pc = "ffffffff" substr("cdef", d, 1) substr(pc, 10)
        }
        print pc, "P", $2
    }' "$tmp/pcs"
} | LC_ALL=C sort -k1,1 -k2,2r | awk '
    $2 == "S" { fn = $3; next }
    { n[fn == "" ? "(before any symbol)" : fn] += $3; total += $3 }
    END {
        for (f in n) printf "%d %s\n", n[f], f
        printf "%d TOTAL\n", total
    }
' | LC_ALL=C sort -k1,1nr >"$tmp/by_function"

total=$(awk '$2 == "TOTAL" { print $1 }' "$tmp/by_function")
echo "profile_boot: instructions from the kernel's entry to init's first line: $total"
echo "profile_boot: $(grep -vc ' TOTAL$' "$tmp/by_function") functions ran; by function, most first:"
grep -v ' TOTAL$' "$tmp/by_function" |
    awk -v total="$total" -v top="$top" '
        top == 0 || NR <= top { printf "%12d %6.2f%%  %s\n", $1, 100 * $1 / total, $2 }
    '
