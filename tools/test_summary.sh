#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/test_summary.sh - keep Criterion's output visible and count it.
#
#   tools/test_summary.sh run LOG CMD [ARGS...]
#       run CMD, show its output (stdout and stderr) and keep a copy in
#       LOG; exit with CMD's status.
#   tools/test_summary.sh report LOG...
#       sum the "Synthesis" lines of the LOGs and print the closing line
#       of `ninja test`:  test: N passed, F failed  (exit 1 if F > 0).
set -eu

case "${1:-}" in
run)
    log=$2
    shift 2
    mkdir -p "$(dirname "$log")"
    rm -f "$log" "$log.rc"
    { st=0; "$@" 2>&1 || st=$?; echo "$st" >"$log.rc"; } | tee "$log"
    rc=$(cat "$log.rc")
    rm -f "$log.rc"
    exit "$rc"
    ;;
report)
    shift
    passed=0
    failed=0
    for log in "$@"; do
        # [====] Synthesis: Tested: 41 | Passing: 41 | Failing: 0 | Crashing: 0
        line=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep 'Synthesis:' | tail -n 1 || true)
        if [ -z "$line" ]; then
            echo "test_summary: no Criterion Synthesis line in $log" >&2
            exit 1
        fi
        num() { printf '%s\n' "$line" | sed -n "s/.*$1: *\([0-9][0-9]*\).*/\1/p"; }
        p=$(num Passing)
        f=$(num Failing)
        c=$(num Crashing)
        passed=$((passed + ${p:-0}))
        failed=$((failed + ${f:-0} + ${c:-0}))
    done
    echo "test: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    ;;
*)
    echo "usage: tools/test_summary.sh run LOG CMD... | report LOG..." >&2
    exit 2
    ;;
esac
