#!/bin/bash
# The host and aarch64-none toolchains use only @llvm_toolchain: checked on
# the probe reports, and the checker itself must reject a leaky report.
set -euo pipefail
dir="tests/toolchain"
status=0
"$dir/check_probe.sh" host "$dir/probe_host.txt" || status=1
"$dir/check_probe.sh" target "$dir/probe_aarch64_none.txt" || status=1
for leaky in "$dir"/testdata/leaky_*.txt; do
    if "$dir/check_probe.sh" host "$leaky" 2>/dev/null; then
        echo "checker accepted the leaky report $leaky" >&2
        status=1
    fi
done
[[ "$status" == 0 ]] && echo "hermetic: host and aarch64-none toolchains use only @llvm_toolchain"
exit "$status"
