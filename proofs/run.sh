#!/bin/sh
# proofs/run.sh - prove the parser with Frama-C WP (Z3 and CVC4 via Why3).
#
# Usage: proofs/run.sh [extra frama-c options, e.g. -wp-fct NAME]
# Prints progress, then "N/N goals proved"; fails if any goal is not
# proved or if the goal count differs from proofs/expected_goals (only
# when no extra options narrow the run).
#
# WARD_PROOF_FILES (default: every parser/*.c) names other C files to
# prove, e.g. the amalgamation (`ninja proofs-amalgamation`); the count is
# then compared with WARD_PROOF_EXPECTED if set, not proofs/expected_goals.
# WARD_PROOF_OUT (default: build/proofs) holds the log and the cache.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${WARD_PROOF_OUT:-$root/build/proofs}
mkdir -p "$out"
if [ ! -s "$here/why3.conf" ]; then
    why3 config detect -C "$here/why3.conf" >/dev/null
fi
export WHY3CONFIG="$here/why3.conf"

# The proof set: every C file of parser/, unless WARD_PROOF_FILES says.
files=${WARD_PROOF_FILES:-$(cd "$root" && ls parser/*.c)}
log="$out/wp.log"

cd "$root"
echo "proofs: frama-c WP on $(echo $files | wc -w) files ($files), provers z3 cvc4"
# -wp-cache update: results are reused for unchanged goals (build/proofs/cache).
set +e
frama-c -machdep x86_64 -cpp-extra-args="-Iparser -D__FRAMAC__" \
    -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast \
    -wp -wp-rte -wp-prover z3,cvc4 -wp-timeout "${WARD_WP_TIMEOUT:-120}" -wp-par 2 \
    -wp-cache update -wp-cache-dir "$out/cache" \
    -wp-smoke-tests \
    "$@" $files 2>&1 | tee "$log" \
    | grep --line-buffered -E '^\[wp\] (\[(Failed|Unknown|Timeout)|[0-9]+ goals scheduled)|Proved goals|[Ss]moke|rror' \
    | grep --line-buffered -v -E '^\[wp\] \[Passed\] Smoke-test'
status=$?
set -e

summary=$(grep -E '^\[wp\] Proved goals:' "$log" | tail -1)
if [ -z "$summary" ]; then
    echo "proofs: frama-c did not finish (see $log)"
    exit 1
fi
proved=$(echo "$summary" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\1/')
total=$(echo "$summary" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\2/')
echo "$proved/$total goals proved"
smoke_passed=$(grep -c -E '^\[wp\] \[Passed\] Smoke-test' "$log" || true)
smoke_bad=$(grep -E '^\[wp\].*[Ss]moke' "$log" | grep -v -E '^\[wp\] \[Passed\] Smoke-test' || true)
echo "smoke tests: $smoke_passed passed (no vacuous contract or dead code found by them)"
if [ -n "$smoke_bad" ]; then
    echo "proofs: a smoke test failed: a contract or some code is vacuous:"
    echo "$smoke_bad"
    exit 1
fi
if [ "$proved" != "$total" ]; then
    echo "proofs: FAILED, unproved goals:"
    grep -E '^\[wp\] \[(Failed|Unknown|Timeout)\]|Goal .*: (Unknown|Timeout|Failed)' "$log" | head -50
    exit 1
fi
if [ $# -eq 0 ] && [ -n "${WARD_PROOF_FILES:-}" ]; then
    if [ -n "${WARD_PROOF_EXPECTED:-}" ] && [ "$total" != "$WARD_PROOF_EXPECTED" ]; then
        echo "proofs: goal count $total differs from WARD_PROOF_EXPECTED ($WARD_PROOF_EXPECTED)"
        exit 1
    fi
elif [ $# -eq 0 ]; then
    expected=$(cat "$here/expected_goals" 2>/dev/null || echo "")
    if [ "$total" != "$expected" ]; then
        echo "proofs: goal count $total differs from proofs/expected_goals ($expected):"
        echo "an annotation was added or removed; update proofs/expected_goals in the same commit"
        exit 1
    fi
fi
echo "proofs: all goals proved"
