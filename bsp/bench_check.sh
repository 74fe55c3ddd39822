#!/usr/bin/env bash
# Runs the benchmark kernel and compares every figure it prints with the
# committed baseline (bsp/bench_baseline.txt; bsp/bench_baseline_raspi3b.txt
# for the Raspberry Pi 3): a figure above its baseline, a row missing from
# the output or a row the baseline does not know fails.
# Under -icount the counts are deterministic, so the baseline is exact; a
# different QEMU may count differently, and then this says so.
#
#   bench_check.sh RUN_QEMU IMAGE BASELINE [--size=SIZE_SH,LLVM_NM,KERNEL]
#                  [--run-arg=ARG]... [--smp=N] [--update]
#
# --run-arg passes ARG to RUN_QEMU (bsp/run_qemu.sh), e.g. the board and
# its device tree: each board has its own baseline.
#
# --smp=N runs the benchmark a second time on N CPUs (the first run has
# one) and checks that run's rows too, each named "N CPUs: ROW": the cost
# of the kernel lock and the per-CPU switch, and the rows that need a
# second CPU (the IPC round trip between two CPUs).
#
# --size adds the row "kernel code, text bytes": the kernel's own code in
# KERNEL (the product image) as SIZE_SH (bsp/size.sh) reports it.
#
# --update (from `tools/bazel run //bsp:bench_check -- --update`) rewrites
# the baseline in the workspace with today's figures instead of checking:
# commit it with the change that earned them, and say why in the message.
set -euo pipefail

run_qemu="$1" image="$2" baseline="$3"
shift 3
update=0
size=""
smp=""
run_args=()
for arg in "$@"; do
    case "$arg" in
    --update) update=1 ;;
    --size=*) size="${arg#--size=}" ;;
    --run-arg=*) run_args+=("${arg#--run-arg=}") ;;
    --smp=*) smp="${arg#--smp=}" ;;
    *)
        echo "bench_check: unknown argument '$arg' (--size=SIZE_SH,LLVM_NM,KERNEL, --run-arg=ARG, --smp=N, --update)" >&2
        exit 2
        ;;
    esac
done
[[ -z "$smp" || "$smp" =~ ^[2-9]$ ]] || { echo "bench_check: --smp must be 2 to 9, not '$smp'" >&2; exit 2; }
[[ -r "$baseline" ]] || { echo "bench_check: no baseline at $baseline" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench_check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

qemu=$(command -v qemu-system-aarch64) || { echo "bench_check: qemu-system-aarch64 not found" >&2; exit 2; }
qemu_now=$("$qemu" --version | head -n 1 | sed 's/^QEMU emulator version //')

# run_bench PREFIX [ARG]...: runs the benchmark kernel with ARGs and appends
# its rows, "bench: NAME   COUNT" -> PREFIXNAME<TAB>COUNT in the order
# printed, to $tmp/now.
run_bench() {
    local prefix="$1" status=0
    shift
    "$run_qemu" --image="$image" ${run_args[@]+"${run_args[@]}"} "$@" --icount --no-shell --timeout=600 >"$tmp/out" 2>&1 || status=$?
    tr -d '\r' <"$tmp/out" >"$tmp/serial"
    if [[ $status -ne 0 ]] || ! grep -qx 'bench: done' "$tmp/serial"; then
        echo "bench_check: the benchmark kernel did not finish (run_qemu status $status${*:+, $*}); its output:" >&2
        cat "$tmp/serial" >&2
        exit 1
    fi
    sed -n 's/^bench: \(.*[^ ]\)  *\([0-9][0-9]*\)$/\1\t\2/p' "$tmp/serial" >"$tmp/rows"
    [[ -s "$tmp/rows" ]] || { echo "bench_check: the benchmark printed no figure${*:+ ($*)}" >&2; exit 1; }
    sed "s/^/$prefix/" "$tmp/rows" >>"$tmp/now"
}

: >"$tmp/now"
run_bench ""

if [[ -n "$size" ]]; then
    IFS=, read -r size_sh size_nm size_kernel <<<"$size"
    code=$("$size_sh" "$size_nm" "$size_kernel" | sed -n 's/^size: kernel code ([^)]*): \([0-9][0-9]*\) bytes.*/\1/p')
    [[ -n "$code" ]] || { echo "bench_check: $size_sh printed no kernel code figure" >&2; exit 1; }
    printf 'kernel code, text bytes\t%s\n' "$code" >>"$tmp/now"
fi
[[ -z "$smp" ]] || run_bench "$smp CPUs: " --smp="$smp"

if [[ $update -eq 1 ]]; then
    [[ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]] ||
        { echo "bench_check: --update runs through tools/bazel run //bsp:bench_check -- --update" >&2; exit 2; }
    out="$BUILD_WORKSPACE_DIRECTORY/$baseline"
    {
        grep '^#' "$baseline"
        printf 'qemu\t%s\n' "$qemu_now"
        cat "$tmp/now"
    } >"$out.new"
    mv "$out.new" "$out"
    echo "bench_check: wrote $(wc -l <"$tmp/now") figures to $baseline (QEMU $qemu_now)"
    exit 0
fi

qemu_base=$(awk -F'\t' '$1 == "qemu" { print $2 }' "$baseline")
grep -v '^#' "$baseline" | awk -F'\t' '$1 != "qemu"' >"$tmp/base"

awk -F'\t' -v qemu_base="$qemu_base" -v qemu_now="$qemu_now" -v baseline="$baseline" '
    FNR == NR { base[$1] = $2; order[++n] = $1; next }
    { now[$1] = $2; if (!($1 in base)) { extra[++m] = $1 } }
    END {
        printf "%-52s %10s %10s %8s\n", "bench_check: row", "baseline", "now", "change"
        fail = 0
        for (i = 1; i <= n; i++) {
            r = order[i]
            if (!(r in now)) {
                printf "%-52s %10d %10s   MISSING from the output\n", r, base[r], "-"
                fail = 1
                continue
            }
            d = now[r] - base[r]
            note = d > 0 ? "   ROSE" : (d < 0 ? "   fell: --update keeps the gain" : "")
            printf "%-52s %10d %10d %+8d%s\n", r, base[r], now[r], d, note
            if (d > 0) { fail = 1 }
        }
        for (j = 1; j <= m; j++) {
            printf "%-52s %10s %10d   NEW: not in the baseline (--update)\n", extra[j], "-", now[extra[j]]
            fail = 1
        }
        if (qemu_base != qemu_now) {
            printf "bench_check: the baseline holds for QEMU %s; this is QEMU %s. Instruction counts can differ between QEMU versions:%s\n", \
                qemu_base, qemu_now, fail ? " a difference above may be QEMU'"'"'s, not the kernel'"'"'s." : " none rose."
        }
        if (fail) {
            print "bench_check: FAIL: a figure rose above " baseline ", or a row is missing or new"
            exit 1
        }
        print "bench_check: every figure at or below its baseline"
    }
' "$tmp/base" "$tmp/now"
