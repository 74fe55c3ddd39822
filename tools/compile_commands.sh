#!/usr/bin/env bash
# tools/compile_commands.sh: writes compile_commands.json for clangd and
# clang-tidy from `bazel aquery`, for the host and aarch64-none builds.
#
#   tools/compile_commands.sh                  write <workspace>/compile_commands.json
#   tools/compile_commands.sh -o FILE          write FILE instead
#   tools/compile_commands.sh -- BAZEL_FLAGS   e.g. -- --config=asan
#
# Every C, C++ and assembly compile action of the workspace's own sources in
# `deps(//...)` becomes one entry. One `aquery` sees both configurations:
# host targets, and the kernel and user programs that host tests and
# //bsp:image reach through the aarch64-none transition (//platforms:
# transition.bzl). A file compiled in both (most of kernel/) gets two
# entries, the aarch64-none one first: clangd uses the first entry of a
# file, so editors see the kernel as the image builds it. A file built only
# in another configuration (the fuzzers' ASan+libFuzzer one) keeps the
# first entry of that one.
#
# Paths: "directory" is the workspace root and sources are relative to it,
# so an editor's paths match. Bazel's execroot-relative paths are rewritten:
# external/... to <output_base>/external/... (the pinned clang and sysroot;
# the compiler entry is the real clang, which clangd queries without
# --query-driver) and bazel-out/... to <execution_root>/bazel-out/...
# Dependency-file flags (-MD, -MF FILE) are dropped: clangd must not write
# into bazel-out. The file is specific to this checkout and output base:
# regenerate it after changing BUILD files or compiler flags.
# Needs jq.
set -euo pipefail

usage() { sed -n '2,6s/^# \{0,1\}//p' "$0"; }
root=$(cd "$(dirname "$(readlink -f -- "$0")")/.." && pwd)
out="$root/compile_commands.json"
while [[ $# -gt 0 ]]; do
    case "$1" in
        -o) out=$2; shift 2 ;;
        -o*) out=${1#-o}; shift ;;
        -h | --help) usage; exit 0 ;;
        --) shift; break ;;
        *) usage >&2; exit 2 ;;
    esac
done
flags=("$@")

if ! command -v jq >/dev/null; then
    echo "compile_commands: needs jq (Debian package jq)" >&2
    exit 1
fi
cd "$root"
bazel=("$root/tools/bazel")

# Actions first: the aquery fetches @llvm_toolchain, whose path `info` names.
aq=$(mktemp)
trap 'rm -f "$aq" "$out.tmp"' EXIT
if ! "${bazel[@]}" aquery "${flags[@]}" --output=jsonproto \
    'mnemonic("CppCompile", deps(//...))' >"$aq" 2>"$aq.log"; then
    cat "$aq.log" >&2
    rm -f "$aq.log"
    exit 1
fi
rm -f "$aq.log"
info=$("${bazel[@]}" info "${flags[@]}" output_base execution_root bazel-bin 2>/dev/null)
output_base=$(sed -n 's/^output_base: //p' <<<"$info")
execroot=$(sed -n 's/^execution_root: //p' <<<"$info")
bin=$(sed -n 's/^bazel-bin: //p' <<<"$info")
# The top-level (host) configuration, e.g. k8-fastbuild or k8-fastbuild-asan.
host_cfg=$(basename "$(dirname "$bin")")

jq --arg ob "$output_base/" --arg er "$execroot/" --arg root "$root" --arg host "$host_cfg" '
  def abs: if startswith("external/") then $ob + .
           elif startswith("bazel-out/") then $er + .
           else . end;
  # A path, or a flag with a path attached (-Iexternal/x, --sysroot=external/x).
  def absarg: (capture("^(?<f>-[A-Za-z_-]*=?)(?<p>(external|bazel-out)/.*)$")
               | .f + (.p | abs)) // abs;
  # Drops -MD/-MMD and -MF FILE.
  def nodeps: reduce .[] as $a ({out: [], skip: false};
      if .skip then .skip = false
      elif $a == "-MF" then .skip = true
      elif $a == "-MD" or $a == "-MMD" then .
      else .out += [$a] end) | .out;
  (.configuration | map({key: (.id | tostring), value: .mnemonic}) | from_entries) as $cfg
  | [.actions[]
     | select(.mnemonic == "CppCompile")
     | .arguments as $args
     | ($args | index("-c")) as $c
     | select($c != null)
     | $args[$c + 1] as $src
     | select($src | startswith("external/") | not)
     | $cfg[.configurationId | tostring] as $conf
     | {
         rank: (if ($args | index("--target=aarch64-none-elf")) != null then 0
                elif $conf == $host then 1 else 2 end),
         conf: $conf,
         src: $src,
         entry: {
           directory: $root,
           file: ($src | abs),
           arguments: ($args | nodeps | map(absarg)),
         },
       }]
  # Per file: the aarch64-none entry, then the host one; others only when a
  # file has neither. Equal candidates: the first configuration by name.
  | group_by(.src)
  | map(sort_by(.rank, .conf)
        | . as $all
        | (map(select(.rank < 2)) | if length > 0 then . else [$all[0]] end)
        | unique_by(.rank) | .[].entry)
' "$aq" >"$out.tmp"
mv "$out.tmp" "$out"
n=$(jq length "$out")
files=$(jq '[.[].file] | unique | length' "$out")
echo "compile_commands: $n entries for $files files in ${out#"$root"/}"
