#!/bin/sh
# SPDX-License-Identifier: MIT
# proofs/mutants.sh - test the contracts: every wrong implementation in
# proofs/mutants/ must FAIL to prove.
#
# Usage: proofs/mutants.sh [MUTANT.patch ...]   (default: all of them)
#
# A mutant is a unified diff against the tree (a/parser/... b/parser/...),
# preceded by header lines:
#   Functions: f,g        what to prove (-wp-fct): the mutated function and
#                         the public one whose contract should catch it
#   Wrong: ...            what is wrong, in words
#   File: parser/x.c      the file to prove (default: the one .c the diff
#                         touches; needed when it touches a header only)
# Each is applied to a copy of parser/, and WP runs on the listed functions
# without -wp-rte (the contracts are under test, not the code's safety) and
# with a short timeout (WARD_MUTANT_TIMEOUT, 10 s). A mutant is killed when
# at least one goal is not proved; the run fails if any survives, or if a
# patch no longer applies (the code moved: update the mutant). Results are
# cached (build/proofs/mutants-cache), so a re-run costs little.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${WARD_PROOF_OUT:-$root/build/proofs}
mkdir -p "$out"
if [ ! -s "$here/why3.conf" ]; then
    why3 config detect -C "$here/why3.conf" >/dev/null
fi
export WHY3CONFIG="$here/why3.conf"

if [ $# -gt 0 ]; then
    mutants="$*"
else
    mutants=$(ls "$here"/mutants/*.patch)
fi
total=$(echo $mutants | wc -w)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# wp DIR FILE FCTS LOG: WP as for every mutant, on DIR's copy of parser/;
# prints "proved total" (empty when Frama-C did not run)
wp() {
    (cd "$1" && frama-c -machdep x86_64 -cpp-extra-args="-Iparser -D__FRAMAC__" \
        -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast \
        -wp -wp-prover z3,cvc4 -wp-timeout "${WARD_MUTANT_TIMEOUT:-10}" -wp-par 2 \
        -wp-cache update -wp-cache-dir "$out/mutants-cache" -wp-no-smoke-tests \
        -wp-fct "$3" "$2") >"$4" 2>&1 || true
    grep -E '^\[wp\] Proved goals:' "$4" | tail -1 |
        sed -E 's/.*: *([0-9]+) *\/ *([0-9]+).*/\1 \2/'
}

killed=0 survived="" broken="" n=0 t0=$(date +%s) controls=" "
echo "mutants: $total wrong implementations, each must fail to prove"
for m in $mutants; do
    n=$((n + 1))
    name=$(basename "$m" .patch)
    fcts=$(sed -n 's/^Functions: *//p' "$m" | head -1)
    wrong=$(sed -n 's/^Wrong: *//p' "$m" | head -1)
    file=$(sed -n 's/^File: *//p' "$m" | head -1)
    if [ -z "$file" ]; then
        file=$(sed -n 's|^+++ b/\(parser/[^ 	]*\.c\).*|\1|p' "$m" | head -1)
    fi
    rm -rf "$tmp/parser"
    cp -R "$root/parser" "$tmp/parser"
    if [ -z "$fcts" ] || [ -z "$file" ] || ! (cd "$tmp" && patch -p1 -s --no-backup-if-mismatch <"$m" >/dev/null 2>&1); then
        echo "mutants: [$n/$total] $name: BROKEN (no Functions:/File:, or the patch does not apply)"
        broken="$broken $name"
        continue
    fi
    # The control: the same functions of the unchanged tree, with the same
    # settings, must prove, or a "kill" could be a slow goal, not a wrong one.
    key="$file:$fcts"
    case "$controls" in
    *" $key "*) ;;
    *)
        c=$(wp "$root" "$file" "$fcts" "$out/mutant-control.log")
        if [ -z "$c" ] || [ "${c% *}" != "${c#* }" ]; then
            echo "mutants: control $key does not prove with these settings ($c): see $out/mutant-control.log"
            broken="$broken control:$key"
            continue
        fi
        controls="$controls$key "
        ;;
    esac
    log="$out/mutant-$name.log"
    s0=$(date +%s)
    summary=$(wp "$tmp" "$file" "$fcts" "$log")
    if [ -z "$summary" ]; then
        # Frama-C refused the file: a mutant must be valid C and ACSL
        echo "mutants: [$n/$total] $name: BROKEN (frama-c did not run: $log)"
        broken="$broken $name"
        continue
    fi
    p=${summary% *}
    g=${summary#* }
    first=$(grep -E '^\[wp\] \[(Failed|Unknown|Timeout)' "$log" | head -1 | sed -E 's/^\[wp\] \[[^]]*\] *//; s/^Goal //; s/ : .*//')
    if [ "$p" -lt "$g" ]; then
        killed=$((killed + 1))
        echo "mutants: [$n/$total] $name: killed ($p/$g goals, e.g. $first; $(($(date +%s) - s0)) s): $wrong"
    else
        survived="$survived $name"
        echo "mutants: [$n/$total] $name: SURVIVED ($p/$g goals proved): $wrong"
    fi
done
echo "mutants: $killed/$total killed in $(($(date +%s) - t0)) s"
if [ -n "$survived" ] || [ -n "$broken" ]; then
    [ -z "$survived" ] || echo "mutants: these wrong implementations prove against the contracts:$survived"
    [ -z "$broken" ] || echo "mutants: these could not be checked:$broken"
    exit 1
fi
