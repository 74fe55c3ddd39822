#!/bin/bash
# Usage: layering_test.sh N REAL_1..REAL_N FIXTURE_1..FIXTURE_N
# Each REAL file (a layering genquery on the real graph) must be empty; each
# FIXTURE file (the same query on a tree built to break it) must not be.
set -uo pipefail
n="$1"
shift
status=0
for ((i = 1; i <= n; i++)); do
    real="${!i}"
    j=$((i + n))
    fixture="${!j}"
    rule=$(basename "$real")
    if [[ -s "$real" ]]; then
        echo "FAIL $rule: layering violated by:"
        sed 's/^/    /' "$real"
        status=1
    elif [[ ! -s "$fixture" ]]; then
        echo "FAIL $rule: the check finds nothing even in the broken fixture"
        status=1
    else
        echo "ok   $rule (fixture: $(wc -l <"$fixture") violation(s) found)"
    fi
done
exit "$status"
