#!/usr/bin/env bash
# tools/coverage.sh: line and branch coverage of kernel/ and hal/ by the host
# unit tests, with clang's source-based coverage from the pinned LLVM.
#
#   tools/coverage.sh                 all host cc_test targets
#   tools/coverage.sh -o DIR          write the reports under DIR
#   tools/coverage.sh --fail-under=90 exit 1 if kernel/ has less of its lines covered
#   tools/coverage.sh //kernel/ipc:endpoint_test ...   only these tests
#
# 1. `tools/bazel test --config=coverage` (.bazelrc): the host toolchain's
#    `coverage` feature compiles and links with -fprofile-instr-generate
#    -fcoverage-mapping into their own output directory (platform suffix
#    "coverage"), and //tools:coverage_profile_env, the --run_under, has
#    every test process write a .profraw into the test's undeclared outputs.
# 2. llvm-profdata (from @llvm_toolchain) merges the profiles of all tests.
# 3. llvm-cov reports on the sources of kernel/ and hal/ only: test sources
#    (the srcs of cc_test and testonly targets), hal/fake/, third-party and
#    generated code are left out of the figures. It prints a table per
#    directory (lines, branches), the totals of kernel/ and hal/ and the
#    files of kernel/ under 90% of lines, and writes an HTML report.
# What counts: the host unit tests (cc_test) only. The fuzzers and the QEMU
# system tests do not count (the kernel runs on aarch64 there, without
# instrumentation), nor do tests/sanitizers. The default target list is
# `kind(cc_test, //...) except //tests/sanitizers/...`.
# `bazel coverage` itself is not supported (see
# third_party/remote_coverage_tools). Needs jq and unzip.
set -euo pipefail

usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }
root=$(cd "$(dirname "$(readlink -f -- "$0")")/.." && pwd)
out=""
fail_under=""
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -o) out=$2; shift 2 ;;
        --fail-under=*) fail_under=${1#*=}; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
for tool in jq unzip; do
    command -v "$tool" >/dev/null || { echo "coverage: needs $tool (Debian package $tool)" >&2; exit 1; }
done
cd "$root"
bazel=("$root/tools/bazel")
say() { echo "coverage: $*" >&2; }

if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <("${bazel[@]}" query --noshow_progress \
        'kind(cc_test, //...) except //tests/sanitizers/...' 2>/dev/null)
fi
[[ ${#targets[@]} -gt 0 ]] || { say "no test targets"; exit 1; }

say "running ${#targets[@]} host tests with coverage (tools/bazel test --config=coverage)"
if ! "${bazel[@]}" test --config=coverage --build_tests_only "${targets[@]}"; then
    say "tests failed: no report (coverage of a failing run would mislead)"
    exit 1
fi

info=$("${bazel[@]}" info --config=coverage output_base output_path bazel-bin bazel-testlogs 2>/dev/null)
field() { sed -n "s/^$1: //p" <<<"$info"; }
llvm="$(field output_base)/external/llvm_toolchain/usr/lib/llvm-19/bin"
bin=$(field bazel-bin)
testlogs=$(field bazel-testlogs)
out=${out:-$(field output_path)/coverage}
# Only what this script writes is removed: -o may name an existing directory.
rm -rf "$out/profiles" "$out/html" "$out/merged.profdata" "$out/summary.json" "$out/report.txt" "$out/table.txt"
mkdir -p "$out/profiles"

# The profiles and binaries of each test. Undeclared outputs arrive zipped
# (outputs.zip) when zip is installed, as a directory otherwise.
objects=()
n=0
for t in "${targets[@]}"; do
    t=${t#//}
    pkg=${t%%:*} name=${t#*:}
    [[ $t == *:* ]] || name=${pkg##*/}
    dir="$testlogs/$pkg/$name/test.outputs"
    dest="$out/profiles/${pkg//\//_}_$name"
    mkdir -p "$dest"
    if [[ -f $dir/outputs.zip ]]; then
        unzip -q -o -d "$dest" "$dir/outputs.zip" '*.profraw' 2>/dev/null || true
    elif [[ -d $dir ]]; then
        find "$dir" -maxdepth 1 -name '*.profraw' -exec cp {} "$dest/" \;
    fi
    if ! compgen -G "$dest/*.profraw" >/dev/null; then
        say "no profile from //$pkg:$name (skipped or not a host test?)"
        continue
    fi
    objects+=("-object=$bin/$pkg/$name")
    n=$((n + 1))
done
[[ $n -gt 0 ]] || { say "no profiles"; exit 1; }
"$llvm/llvm-profdata" merge -sparse -o "$out/merged.profdata" "$out"/profiles/*/*.profraw

# Sources in the figures: kernel/ and hal/, without hal/fake/ and the test
# sources (every file in srcs of a cc_test, in srcs or hdrs of a testonly
# target: fixtures, fakes, checkers).
test_srcs=$("${bazel[@]}" query --noshow_progress --output=label \
    'labels(srcs, kind(cc_test, //...) + attr(testonly, 1, //...)) + labels(hdrs, attr(testonly, 1, //...))' 2>/dev/null |
    sed -n 's|^//\([^:]*\):\(.*\)$|\1/\2|p' | sed 's|^/||')
# llvm-cov warns "N functions have mismatched data" for inline C++ helpers
# of test headers (fake_ram.h, fake_space.h, ipc_test_fixture.h,
# elf_builder.h) that differ between test binaries and that a binary did
# not run itself: test code, outside the figures. The warning is dropped.
llvm_cov() {
    "$llvm/llvm-cov" "$@" 2> >(sed -e $'s/\e\\[[0-9;]*m//g' -e '/functions have mismatched data/d' -e '/^$/d' >&2)
}
cov=(llvm_cov)
prof=(-instr-profile="$out/merged.profdata" "${objects[@]}")
all=$("${cov[@]}" export -summary-only "${prof[@]}" | jq -r '.data[0].files[].filename' | LC_ALL=C sort)
keep=$(grep -E '^(kernel|hal)/' <<<"$all" | grep -v '^hal/fake/' | grep -vxF -f <(printf '%s\n' "$test_srcs") || true)
[[ -n $keep ]] || { say "no kernel/ or hal/ sources in the coverage data"; exit 1; }
# llvm-cov matches -sources against absolute paths, and these are relative:
# leave the other files out by name instead.
# shellcheck disable=SC2016 # a sed script
ignore="^($(grep -vxF -f <(printf '%s\n' "$keep") <<<"$all" | sed 's/[].[+*?^$(){}|\\]/\\&/g' | paste -sd '|'))\$"
filter=(-ignore-filename-regex="$ignore")

"${cov[@]}" export -summary-only "${prof[@]}" "${filter[@]}" >"$out/summary.json"
"${cov[@]}" report "${prof[@]}" "${filter[@]}" >"$out/report.txt"
"${cov[@]}" show -format=html -show-branches=count -show-line-counts-or-regions \
    -output-dir="$out/html" "${prof[@]}" "${filter[@]}"

# Per directory, then per top-level directory.
jq -r '
  def row(name): "\(name)\t\(map(.l) | add)\t\(map(.lc) | add)\t\(map(.b) | add)\t\(map(.bc) | add)";
  [.data[0].files[] | select(.summary.lines.count > 0) | {
     f: .filename, d: (.filename | sub("/[^/]*$"; "")), top: (.filename | split("/")[0]),
     l: .summary.lines.count, lc: .summary.lines.covered,
     b: .summary.branches.count, bc: .summary.branches.covered}] as $files
  | ($files | group_by(.top)[] | (group_by(.d)[] | row(.[0].d)), row(.[0].top + "/ (total)")),
    ($files | row("kernel/ + hal/"))
' "$out/summary.json" | awk -F'\t' '
    function pct(c, n) { return n == 0 ? "-" : sprintf("%.1f%%", 100 * c / n) }
    BEGIN { printf "%-22s %7s %7s %7s %9s %9s %8s\n", "directory", "lines", "covered", "line %", "branches", "covered", "branch %" }
    { if ($1 ~ /total/) print ""
      printf "%-22s %7d %7d %7s %9d %9d %8s\n", $1, $2, $3, pct($3, $2), $4, $5, pct($5, $4)
      if ($1 ~ /total/) print "" }' | tee "$out/table.txt"

echo
echo "Files of kernel/ under 90% of lines:" | tee -a "$out/table.txt"
jq -r '.data[0].files[] | select(.filename | startswith("kernel/"))
       | select(.summary.lines.count > 0 and .summary.lines.percent < 90)
       | "\(.filename)\t\(.summary.lines.covered)\t\(.summary.lines.count)"' "$out/summary.json" |
    awk -F'\t' '{ printf "  %-34s %5d/%-5d %5.1f%%\n", $1, $2, $3, 100 * $2 / $3 }' | tee -a "$out/table.txt"
echo
echo "coverage: $n tests; HTML report: $out/html/index.html"
echo "coverage: per-file report: $out/report.txt"
if [[ -n $fail_under ]]; then
    kernel=$(jq -r '[.data[0].files[] | select(.filename | startswith("kernel/")) | .summary.lines]
        | "\(map(.covered) | add) \(map(.count) | add)"' "$out/summary.json")
    read -r covered count <<<"$kernel"
    if ((covered * 100 < fail_under * count)); then
        echo "coverage: kernel/ has $covered of $count lines covered, under $fail_under%" >&2
        exit 1
    fi
    echo "coverage: kernel/ has $covered of $count lines covered, at least $fail_under%"
fi
