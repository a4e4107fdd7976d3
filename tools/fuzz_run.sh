#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz_run.sh - replay the fuzz regressions, or fuzz each target for a while.
#
#   tools/fuzz_run.sh replay        run every kept finding (fuzz/regressions/<target>/)
#                                   and every seed once through each target; exit 1 if
#                                   any property fails
#   tools/fuzz_run.sh run SECONDS   fuzz each target for SECONDS (-max_total_time) on a
#                                   temporary copy of seeds + regressions, with the
#                                   dictionary; progress lines as it goes, a one-line
#                                   summary per target at the end; a finding is copied
#                                   into fuzz/regressions/<target>/ and the script fails
#
# Expects what `ninja fuzz` builds:
#   build/fuzz/fuzz_<target>      the libFuzzer targets: head scan chunked frame diff server
#   build/fuzz/seeds/<target>     the seed corpora (tools/gen_seeds): head (from
#                                 tests/parser/vectors.c; fuzz_scan uses it too),
#                                 chunked, frame, diff
# Per target: seeds build/fuzz/seeds/<target> (scan, server: head); dictionary
# fuzz/head.dict (head, scan), fuzz/chunked.dict (chunked), both (frame, diff, server);
# -max_len 1024 for scan, else 4096.
# Environment overrides:
#   WARD_FUZZ_BIN=dir          where fuzz_<target> are       (build/fuzz)
#   WARD_FUZZ_SEEDS=dir        one seed corpus for every target (per target, above)
#   WARD_FUZZ_REGRESSIONS=dir  the kept findings             (fuzz/regressions)
#   WARD_FUZZ_DICT=file        one dictionary for every target (per target, above)
#   WARD_FUZZ_TARGETS="..."    which targets                 ("head scan chunked frame diff server")
#   WARD_FUZZ_ARGS="..."       more libFuzzer flags for run  (none; later flags win)
#   TMPDIR                     where the temporary corpora go
# shellcheck disable=SC2086 # $COMMON and $ARGS are lists of flags, split on purpose
set -eu

cd "$(dirname "$0")/.."
BIN=${WARD_FUZZ_BIN:-build/fuzz}
SEEDS=${WARD_FUZZ_SEEDS:-}
REG=${WARD_FUZZ_REGRESSIONS:-fuzz/regressions}
DICT=${WARD_FUZZ_DICT:-}
TARGETS=${WARD_FUZZ_TARGETS:-head scan chunked frame diff server}
ARGS=${WARD_FUZZ_ARGS:-}
COMMON="-rss_limit_mb=2048 -timeout=30"

die() {
    echo "fuzz_run.sh: $*" >&2
    exit 2
}

# The inputs of a directory: regular files, README and dotfiles left out.
inputs() {
    [ -d "$1" ] || return 0
    find "$1" -maxdepth 1 -type f ! -name 'README*' ! -name '.*' | LC_ALL=C sort
}

# The first line of a log that says what failed.
why() {
    grep -a -m1 -E 'property failed|ERROR: AddressSanitizer|runtime error|ERROR: libFuzzer' "$1" || echo 'see its output'
}

need_bin() {
    [ -x "$BIN/fuzz_$1" ] || die "$BIN/fuzz_$1 missing: run 'ninja fuzz' (or set WARD_FUZZ_BIN)"
}

# The seed corpus of a target.
seeds_of() {
    if [ -n "$SEEDS" ]; then
        echo "$SEEDS"
    elif [ "$1" = scan ] || [ "$1" = server ]; then
        echo build/fuzz/seeds/head
    else
        echo "build/fuzz/seeds/$1"
    fi
}

need_seeds() {
    d=$(seeds_of "$1")
    [ -d "$d" ] || die "$d missing: run 'ninja fuzz' (or set WARD_FUZZ_SEEDS)"
}

# The dictionary files of a target (run concatenates them).
dicts_of() {
    if [ -n "$DICT" ]; then
        echo "$DICT"
        return
    fi
    case $1 in
    chunked) echo fuzz/chunked.dict ;;
    frame | diff | server) echo fuzz/head.dict fuzz/chunked.dict ;;
    *) echo fuzz/head.dict ;;
    esac
}

# replay TARGET: every regression one by one (so each failure is named),
# then the seeds in one batch, one by one only if the batch fails.
replay_target() {
    t=$1
    bin=$BIN/fuzz_$t
    log=$(mktemp "${TMPDIR:-/tmp}/ward-replay-$t.XXXXXX")
    n=0
    bad=0
    for f in $(inputs "$REG/$t"); do
        n=$((n + 1))
        if ! "$bin" $COMMON "$f" >"$log" 2>&1; then
            bad=$((bad + 1))
            printf 'replay fuzz_%s: FAIL %s: %s\n' "$t" "$f" "$(why "$log")"
        fi
    done
    seeds=$(inputs "$(seeds_of "$t")")
    ns=$(printf '%s\n' "$seeds" | grep -c . || true)
    if [ "$ns" -gt 0 ] && ! printf '%s\n' "$seeds" | xargs "$bin" $COMMON >"$log" 2>&1; then
        for f in $seeds; do
            if ! "$bin" $COMMON "$f" >"$log" 2>&1; then
                bad=$((bad + 1))
                printf 'replay fuzz_%s: FAIL %s: %s\n' "$t" "$f" "$(why "$log")"
            fi
        done
    fi
    rm -f "$log"
    echo "replay fuzz_$t: $n regressions + $ns seeds, $bad failed"
    [ "$bad" -eq 0 ]
}

cmd_replay() {
    status=0
    for t in $TARGETS; do
        need_bin "$t"
        need_seeds "$t"
        replay_target "$t" || status=1
    done
    return $status
}

# The last status line libFuzzer printed, its numbers only:
# "#N cov: C ft: F corp: X/Ysz exec/s: E".
last_status() {
    grep -a -E '^#[0-9]+' "$1" 2>/dev/null | tail -n 1 |
        sed -n 's|^\(#[0-9]*\).*\(cov: [0-9]* ft: [0-9]* corp: [^ ]*\).*\(exec/s: [0-9]*\).*|\1 \2 \3|p' || true
}

stat_of() {
    grep -a "^stat::$2:" "$1" 2>/dev/null | awk '{print $2}' | tail -n 1
}

# run TARGET SECONDS: one bounded campaign; appends its summary to $SUMMARY.
run_target() {
    t=$1
    secs=$2
    bin=$BIN/fuzz_$t
    work=$(mktemp -d "${TMPDIR:-/tmp}/ward-fuzz-$t.XXXXXX")
    mkdir "$work/corpus" "$work/artifacts"
    for f in $(inputs "$(seeds_of "$t")"); do cp "$f" "$work/corpus/"; done
    for f in $(inputs "$REG/$t"); do cp "$f" "$work/corpus/reg-$(basename "$f")"; done
    nseed=$(find "$work/corpus" -type f | wc -l)
    echo "fuzz_$t: ${secs}s on $nseed inputs in $work"
    maxlen=4096
    [ "$t" = scan ] && maxlen=1024 # fuzz_scan looks at 1024 bytes at most
    for d in $(dicts_of "$t"); do cat "$d"; done >"$work/dict"
    "$bin" -max_total_time="$secs" -dict="$work/dict" -max_len="$maxlen" -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/" $COMMON $ARGS "$work/corpus" >"$work/log" 2>&1 &
    pid=$!
    trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM
    every=10
    [ "$secs" -lt 60 ] && every=5
    waited=0
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        waited=$((waited + 1))
        if [ $((waited % every)) -eq 0 ] && kill -0 "$pid" 2>/dev/null; then
            echo "fuzz_$t: ${waited}s/${secs}s $(last_status "$work/log")"
        fi
    done
    rc=0
    wait "$pid" || rc=$?
    trap - INT TERM

    execs=$(stat_of "$work/log" number_of_executed_units)
    rate=$(stat_of "$work/log" average_exec_per_sec)
    cov=$(last_status "$work/log" | sed -n 's|.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*|cov \1, ft \2, corpus \3|p')
    found=0
    for a in "$work"/artifacts/crash-* "$work"/artifacts/leak-* "$work"/artifacts/timeout-* "$work"/artifacts/oom-*; do
        [ -f "$a" ] || continue
        found=$((found + 1))
        mkdir -p "$REG/$t"
        kept=""
        for k in $(inputs "$REG/$t"); do
            cmp -s "$a" "$k" && kept=$k
        done
        if [ -n "$kept" ]; then
            echo "fuzz_$t: FINDING, already kept as $kept"
        else
            cp "$a" "$REG/$t/"
            echo "fuzz_$t: FINDING kept as $REG/$t/$(basename "$a")"
        fi
        printf 'fuzz_%s: %s\n' "$t" "$(why "$work/log")"
    done
    line="fuzz_$t: ${execs:-?} execs (${rate:-?}/s) in ${secs}s, ${cov:-no coverage line}, $found findings"
    if [ "$found" -gt 0 ] || [ "$rc" -ne 0 ]; then
        line="$line, exit $rc, log kept: $work/log"
        echo "$line" >>"$SUMMARY"
        rm -rf "$work/corpus"
        return 1
    fi
    echo "$line" >>"$SUMMARY"
    rm -rf "$work"
}

cmd_run() {
    secs=$1
    case $secs in '' | *[!0-9]*) die "run SECONDS: a whole number of seconds" ;; esac
    for t in $TARGETS; do
        need_seeds "$t"
        for d in $(dicts_of "$t"); do [ -f "$d" ] || die "$d missing"; done
    done
    SUMMARY=$(mktemp "${TMPDIR:-/tmp}/ward-fuzz-summary.XXXXXX")
    status=0
    for t in $TARGETS; do
        need_bin "$t"
        run_target "$t" "$secs" || status=1
    done
    echo "--- summary"
    cat "$SUMMARY"
    rm -f "$SUMMARY"
    return $status
}

case ${1:-} in
replay) cmd_replay ;;
run) cmd_run "${2:-}" ;;
*) die "usage: tools/fuzz_run.sh replay | run SECONDS" ;;
esac
