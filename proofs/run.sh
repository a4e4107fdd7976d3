#!/bin/sh
# SPDX-License-Identifier: MIT
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

# The proof set: every C file of parser/ and the verified clients in proofs/,
# unless WARD_PROOF_FILES says.
files=${WARD_PROOF_FILES:-$(cd "$root" && ls parser/*.c proofs/*.c)}
log="$out/wp.log"

# Two Frama-C processes, one per core: WP's Qed simplifier runs in one
# thread a process, and from an empty cache it is half the run. Each
# process proves its own files (a file is a translation unit, so its goals
# are the same alone or linked with the rest; the one lemma of
# ward_parse.h is proved in both). Group 1 is the files below, group 2
# the rest, so a new file is always proved. WARD_PROOF_JOBS=1,
# WARD_PROOF_FILES or extra arguments (-wp-fct ...) run one process.
group1="parser/ward_parse.c parser/ward_scan.c parser/ward_status.c"
jobs=${WARD_PROOF_JOBS:-2}
if [ -n "${WARD_PROOF_FILES:-}" ] || [ "$jobs" = 1 ] || [ $# -gt 0 ]; then
    set -- "$files" "" "$@"
else
    g1= g2=
    for f in $files; do
        case " $group1 " in *" $f "*) g1="$g1 $f" ;; *) g2="$g2 $f" ;; esac
    done
    set -- "${g1# }" "${g2# }" "$@"
fi
g1=$1 g2=$2
shift 2

# The versions the proofs were tuned for (timeouts, goal shapes): another
# version may prove more or fewer goals in the time; say so up front.
tuned="frama-c 25.0 why3 1.5.1 z3 4.8.12 cvc4 1.8"
have="frama-c $(frama-c -version 2>/dev/null | sed -E 's/^([0-9.]+).*/\1/') \
why3 $(why3 --version 2>/dev/null | sed -E 's/.*version ([0-9.]+).*/\1/') \
z3 $(z3 --version 2>/dev/null | sed -E 's/.*version ([0-9.]+).*/\1/') \
cvc4 $(cvc4 --version 2>/dev/null | head -1 | sed -E 's/.*version ([0-9.]+).*/\1/')"
if [ "$have" != "$tuned" ]; then
    echo "proofs: note: tuned for $tuned; this machine has $have (goal times and timeouts may differ)"
fi

cd "$root"
echo "proofs: frama-c WP on $(echo $files | wc -w) files ($files), provers z3 cvc4"
# -wp-cache update: results are reused for unchanged goals (build/proofs/cache).
prove() { # prove LOG [EXTRA OPTIONS] FILES...: one frama-c process, its whole log in LOG
    plog=$1
    shift
    t0=$(date +%s)
    # the files this process proves, for proofs/report.sh (the last arguments)
    echo "[ward] files:$(for a in "$@"; do case "$a" in *.c) printf ' %s' "$a" ;; esac; done)" >"$plog"
    frama-c -machdep x86_64 -cpp-extra-args="-Iparser -D__FRAMAC__" \
        -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast \
        -wp -wp-rte -wp-prover z3,cvc4 -wp-timeout "${WARD_WP_TIMEOUT:-120}" -wp-par 2 \
        -wp-cache update -wp-cache-dir "$out/cache" \
        -wp-smoke-tests \
        "$@" >>"$plog" 2>&1
    echo "[wp] process done in $(($(date +%s) - t0)) s" >>"$plog"
}
progress='^\[wp\] (\[(Failed|Unknown|Timeout)|[0-9]+ goals scheduled|process done)|Proved goals|[Ss]moke|rror'
rm -f "$log" "$log.1" "$log.2"
touch "$log.1" "$log.2"
if [ -n "$g2" ]; then
    echo "proofs: two processes, one on $g1, one on $g2"
fi
( prove "$log.1" "$@" $g1 &
  [ -z "$g2" ] || prove "$log.2" "$@" $g2 &
  wait ) &
group=$!
# progress as it comes: the scheduled counts, every failure, the summaries
# (tail --pid reads what is left and ends when both processes have ended)
set +e
tail -q -n +1 -f --pid "$group" "$log.1" "$log.2" \
    | grep --line-buffered -E "$progress" \
    | grep --line-buffered -v -E '^\[wp\] \[Passed\] Smoke-test'
wait $group
set -e
cat "$log.1" "$log.2" >"$log"

proved=0 total=0
parts="$log.1"
[ -z "$g2" ] || parts="$parts $log.2"
for part in $parts; do
    summary=$(grep -E '^\[wp\] Proved goals:' "$part" | tail -1)
    if [ -z "$summary" ]; then
        echo "proofs: frama-c did not finish (see $part)"
        exit 1
    fi
    proved=$((proved + $(echo "$summary" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\1/')))
    total=$((total + $(echo "$summary" | sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\2/')))
done
smoke_passed=$(grep -c -E '^\[wp\] \[Passed\] Smoke-test' "$log" || true)
smoke_bad=$(grep -E '^\[wp\].*[Ss]moke' "$log" | grep -v -E '^\[wp\] \[Passed\] Smoke-test' || true)
# Smoke tests are not goals: WP counts them in its total, a passed one (its
# "false" NOT proved) as a success, so take them out of both.
smoke_all=$(grep -c -E '^\[wp\] \[[A-Za-z]+\] Smoke-test' "$log" || true)
total=$((total - smoke_all))
proved=$((proved - smoke_passed))
echo "$proved/$total goals proved, $smoke_passed smoke tests passed (no vacuous contract or dead code found)"
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

# A full run also tests the contracts (every mutant must fail to prove)
# and writes the report of what is proved.
if [ $# -eq 0 ] && [ -z "${WARD_PROOF_FILES:-}" ]; then
    { st=0; WARD_PROOF_OUT="$out" "$here/mutants.sh" || st=$?; echo "$st" >"$out/mutants.rc"; } 2>&1 |
        tee "$out/mutants.log"
    mst=$(cat "$out/mutants.rc")
    "$here/report.sh" "$out/mutants.log" $parts >"$out/report.md"
    echo "proofs: report written to ${out#"$root"/}/report.md"
    [ "$mst" -eq 0 ] || exit 1
fi
