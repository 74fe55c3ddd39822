#!/usr/bin/env bash
# Where each benchmark loop's instructions go: runs the benchmark kernel
# under QEMU's execution log (-singlestep -d exec,nochain: one line per
# instruction), cuts the log into the bench's measurements (each runs from
# one read of the instruction counter, PMEVCNTR0_EL0, to the next: the
# userland/bench programs read it twice per run), and for each loop prints
# the run of median length function by function, in the order the path
# takes them (consecutive instructions of one function counted together;
# EL0 code is "(user)").
#
#   profile_bench.sh KERNEL RUN_QEMU LLVM_NM LLVM_OBJDUMP USER_ELF...
#
# USER_ELF: the benchmark's programs that read the counter (bench, irqwaiter).
set -euo pipefail

kernel="$1" run_qemu="$2" nm="$3" objdump="$4"
shift 4
(($# > 0)) || { echo "profile_bench: no user program given" >&2; exit 2; }

qemu_pid=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/profile_bench.XXXXXX")
trap 'kill "$qemu_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# The counter reads: their addresses in every program given (EL0 addresses,
# 16 hex digits as QEMU logs them).
for elf in "$@"; do
    "$objdump" -d --no-show-raw-insn "$elf" | awk 'tolower($0) ~ /mrs[ \t]+x[0-9]+, pmevcntr0_el0/ { a = $1; sub(/:$/, "", a); printf "%016s\n", a }'
done | tr ' ' 0 | sort -u >"$tmp/reads"
[[ -s "$tmp/reads" ]] || { echo "profile_bench: no read of PMEVCNTR0_EL0 in $*" >&2; exit 1; }

mkfifo "$tmp/exec"
"$run_qemu" --image="$kernel" --icount --no-shell --serial="$tmp/serial" --timeout=900 \
    -- -singlestep -d exec,nochain -D "$tmp/exec" >/dev/null 2>&1 &
qemu_pid=$!

# Windows: consecutive pairs of counter reads after the first (the boot
# figure's single read). Each window's instructions are those after its
# first read up to and including its second; a window is keyed by the
# address of its first read, and windows of one key are one loop.
awk -F'[][/]' -v reads="$tmp/reads" -v gap=3000 -v dbg="${PROFILE_BENCH_DEBUG:-}" '
    BEGIN { while ((getline r < reads) > 0) { is_read[r] = 1 } }
    /^Trace/ {
        pc = $3
        t++
        if (open) { n++; pcs[n] = pc }
        if (pc in is_read) {
            seen++
            if (seen == 1) { next }          # the boot figure
            if (!open) {
                open = 1; first = n + 1
                # A new loop: the first window, or one far from the last
                # (between loops the bench sorts 101 samples and prints).
                if (k == 0 || t - last_end > gap) { keys[++k] = k }
                opened = t
            } else {
                open = 0
                w++; wkey[w] = k; wfrom[w] = first; wto[w] = n
                last_end = t
                if (dbg != "") { printf "window %d loop %d gap %d\n", w, k, opened - prev_end > 0 ? opened - prev_end : 0 > dbg }
                prev_end = t
            }
        }
    }
    END {
        # Per loop: the window of median length (the lower median), printed as PC lines.
        for (i = 1; i <= k; i++) {
            m = 0
            for (j = 1; j <= w; j++) { if (wkey[j] == keys[i]) { m++; len[m] = wto[j] - wfrom[j] + 1; idx[m] = j } }
            for (a = 2; a <= m; a++) { v = len[a]; x = idx[a]; for (b = a - 1; b >= 1 && len[b] > v; b--) { len[b + 1] = len[b]; idx[b + 1] = idx[b] } len[b + 1] = v; idx[b + 1] = x }
            med = idx[int((m + 1) / 2)]
            printf "L %d %d %d\n", i, m, wto[med] - wfrom[med] + 1
            for (p = wfrom[med]; p <= wto[med]; p++) { printf "P %d %s\n", i, pcs[p] }
        }
    }
' <"$tmp/exec" >"$tmp/windows" || true
kill "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true
[[ -s "$tmp/windows" ]] || { echo "profile_bench: no measurement found in QEMU's log" >&2; exit 1; }

# Row names, in the order the bench prints them (the loops after the first,
# which measures the counter read itself).
tr -d '\r' <"$tmp/serial" | sed -n 's/^bench: \(.*[^ ]\)  *\([0-9][0-9]*\)$/\1\t\2/p' |
    grep -v '^kernel entry to\|^boot: ' >"$tmp/rows" || true

# Kernel symbols, for naming kernel addresses (EL1 code before the MMU is
# on runs at its physical address: shown at its linked one, as profile_boot does).
"$nm" -n --defined-only "$kernel" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' >"$tmp/syms"

awk -v rows="$tmp/rows" -v syms="$tmp/syms" '
    BEGIN {
        while ((getline r < rows) > 0) { split(r, f, "\t"); row[++nrows] = f[1]; printed[nrows] = f[2] }
        while ((getline s < syms) > 0) { split(s, f, " "); sa[++ns] = f[1]; sn[ns] = f[2] }
    }
    function name(pc,    lo, hi, mid) {
        if (substr(pc, 1, 4) != "ffff") { return "(user)" }
        lo = 1; hi = ns
        if (ns == 0 || pc < sa[1]) { return "(kernel, no symbol)" }
        while (lo < hi) { mid = int((lo + hi + 1) / 2); if (sa[mid] <= pc) { lo = mid } else { hi = mid - 1 } }
        return sn[lo]
    }
    function flush() { if (cur != "") { printf "%8d  %s\n", run, cur } cur = ""; run = 0 }
    $1 == "L" {
        flush()
        if ($2 == 1) { label = "reading the counter"; said = " (the bench subtracts it from every row)" }
        else if ($2 - 1 <= nrows) { label = row[$2 - 1]; said = " (the bench prints " printed[$2 - 1] ")" }
        else { label = "measurement " $2; said = "" }
        printf "profile_bench: %s: %d runs, median run %d instructions%s\n", label, $3, $4, said
        next
    }
    $1 == "P" {
        fn = name($3)
        if (fn != cur) { flush(); cur = fn }
        run++
    }
    END { flush() }
' "$tmp/windows"
