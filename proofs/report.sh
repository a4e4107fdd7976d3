#!/bin/sh
# SPDX-License-Identifier: MIT
# proofs/report.sh MUTANTS_LOG LOG... > report.md - what `ninja proofs`
# proved, as a table: each proof unit (a public function and the static
# helpers that serve it) x goal kind, with the goal counts and the provers'
# time read from WP's logs (one per Frama-C process; each starts with the
# "[ward] files:" line proofs/run.sh writes), then the functional
# properties claimed for each unit (proofs/claims.tsv), with the number of
# mutants (wrong implementations) its contract kills.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mlog=$1
shift

# file -> unit
unit_of() {
    case "$1" in
    parser/ward_parse.c | parser/ward_request_line.h | parser/ward_field_line.h | parser/ward_sem.c)
        echo "ward_parse_request" ;;
    parser/ward_frame.c) echo "ward_frame_request" ;;
    parser/ward_chunked.c) echo "ward_chunked_decode" ;;
    parser/ward_status.c) echo "ward_status_http, ward_status_str" ;;
    parser/ward_scan.c | parser/ward_scan.h | parser/ward_class.h | parser/ward_ascii.h)
        echo "scanners and byte classes" ;;
    proofs/*) echo "verified clients (proofs/*.c)" ;;
    *) echo "other ($1)" ;;
    esac
}
# the functions a file defines (a header: its static inline ones), as
# "name<TAB>unit" lines
defs() {
    case "$1" in
    *.h) grep -E '^(static|WARD_HOT|WARD_COLD)[^;]*[ *][a-z_][a-z0-9_]*\(' "$1" || true ;;
    *) grep -E '^[A-Za-z_].*[ *][a-z_][a-z0-9_]*\(' "$1" | grep -v ';[[:space:]]*$' || true ;;
    esac | sed -E 's/^[^(]*[ *]([a-z_][a-z0-9_]*)\(.*/\1/' | while read -r fn; do
        printf '%s\t%s\n' "$fn" "$(unit_of "$1")"
    done
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# each log's goals, with the unit of the function they belong to
for log in "$@"; do
    : >"$tmp/map"
    for f in $(sed -n '1s/^\[ward\] files://p' "$log"); do
        (cd "$root" && defs "$f") >>"$tmp/map"
        for h in $(sed -n -E 's/^#include "([^"]+)".*/\1/p' "$root/$f"); do
            [ ! -f "$root/parser/$h" ] || (cd "$root" && defs "parser/$h") >>"$tmp/map"
        done
    done
    grep -E '^\[wp\] \[[^]]*\] Goal typed_' "$log" |
        sed -E 's/^\[wp\] \[[^]]*\] Goal typed_([A-Za-z0-9_]+) : ([A-Za-z]+)(.*)$/\1\t\2\t\3/' |
        awk -F'\t' -v map="$tmp/map" '
        BEGIN { while ((getline line < map) > 0) { split(line, a, "\t"); fn[a[1]] = a[2] } }
        {
            g = $1; best = ""
            for (f in fn) if (index(g, f "_") == 1 && length(f) > length(best)) best = f
            print (best == "" ? "lemmas, and functions the report does not map" : fn[best]) "\t" $0
        }'
done >"$tmp/goals"

echo "# What \`ninja proofs\` proved"
echo
echo "Made by \`proofs/report.sh\` from WP's log of this run ($(date -u +%Y-%m-%d),"
echo "Frama-C $(frama-c -version 2>/dev/null | head -1), Z3 $(z3 --version | sed -E 's/.*version ([0-9.]+).*/\1/'), CVC4 $(cvc4 --version | head -1 | sed -E 's/.*version ([0-9.]+).*/\1/')."
echo "Goals by kind: **runtime safety** (\`-wp-rte\`: memory access, overflow, conversions, shifts),"
echo "**memory** (\`assigns\`: what a function may write), **termination** (loop variants),"
echo "**contract** (\`ensures\`, behaviors, loop invariants, asserts, callees' \`requires\`). Time is"
echo "the provers' time (Qed's simplification not included), summed."
echo
echo "| unit | runtime safety | memory | termination | contract | all | prover time |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk -F'\t' '
    {
        u = $1; g = $2
        k = "contract"
        if (g ~ /_rte_/) k = "rte"
        else if (g ~ /_assigns/) k = "mem"
        else if (g ~ /_loop_variant/) k = "term"
        n[u, k]++; all[u]++; units[u] = 1
        if (match($4, /\(([0-9.]+)(ms|s)\)/)) {
            t = substr($4, RSTART + 1, RLENGTH - 2)
            v = t + 0; if (t ~ /ms$/) v = v / 1000
            time[u] += v
        }
        if ($3 != "Valid") bad[u]++
    }
    END {
        for (u in units) {
            printf "| %s | %d | %d | %d | %d | %d%s | %.0f s |\n", u, n[u, "rte"], n[u, "mem"],
                n[u, "term"], n[u, "contract"], all[u], (bad[u] ? " (" bad[u] " NOT proved)" : ""), time[u]
            T += all[u]; B += bad[u]
        }
        printf "| **all** | | | | | **%d**%s | |\n", T, (B ? " (" B " NOT proved)" : "")
    }' "$tmp/goals" | sort -t'|' -k2,2 | awk '/\*\*all\*\*/ { last = $0; next } { print } END { print last }'
echo
smoke=$(cat "$@" | grep -c -E '^\[wp\] \[Passed\] Smoke-test' || true)
echo "Smoke tests (each checks that a precondition, a loop or a branch is not dead: none may be"
echo "proved): $smoke passed, reported apart from the goals."
echo
echo "## Functional properties"
echo
echo "What each unit's contract decides, beyond safety (\`proofs/claims.tsv\`). A property is"
echo "*proved* only when its contract says it and the mutants named beside it (wrong"
echo "implementations in \`proofs/mutants/\`) fail to prove against it; *tested* means it is left to"
echo "the Criterion suites and the fuzzers; *n/a* that it does not apply."
echo
echo "| unit | soundness | completeness | fragment independence | killed mutants |"
echo "|---|---|---|---|---|"
tail -n +2 "$here/claims.tsv" | while IFS='	' read -r u s c fi prefix; do
    km="none"
    if [ -n "$mlog" ] && [ -s "$mlog" ] && [ -n "$prefix" ]; then
        k=$(grep -c -E "^mutants: \[[0-9]+/[0-9]+\] $prefix[^:]*: killed" "$mlog" || true)
        a=$(grep -c -E "^mutants: \[[0-9]+/[0-9]+\] $prefix[^:]*:" "$mlog" || true)
        km="$k of $a (\`$prefix*\`)"
    fi
    echo "| $u | $s | $c | $fi | $km |"
done
if [ -n "$mlog" ] && [ -s "$mlog" ]; then
    echo
    echo "Mutants: $(tail -1 "$mlog" | sed 's/^mutants: //')."
fi
