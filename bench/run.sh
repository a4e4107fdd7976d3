#!/bin/sh
# bench/run.sh - run the parser benchmark and plot it. Builds nothing:
# `ninja bench` builds build/bench/bench_parse first, then runs this.
#
# Writes build/bench/results.md (machine, then the program's Markdown),
# build/bench/data.tsv (medians and ratios) and build/bench/ratios.png.
# Environment overrides:
#   WARD_BENCH_BIN=file   the program              (build/bench/bench_parse)
#   WARD_BENCH_OUT=dir    where results go         (build/bench)
#   WARD_BENCH_CPU=n      the core to pin it to    (the last one; "" for none)
#   WARD_BENCH_ARGS="..." program flags, e.g. "-r 21 -t 0.5"  (none: 11 runs of 0.2 s)
set -eu

cd "$(dirname "$0")/.."
BIN=${WARD_BENCH_BIN:-build/bench/bench_parse}
OUT=${WARD_BENCH_OUT:-build/bench}
ARGS=${WARD_BENCH_ARGS:-}

[ -x "$BIN" ] || { echo "bench/run.sh: $BIN missing: run 'ninja bench'" >&2; exit 2; }
mkdir -p "$OUT"

ncpu=$(nproc 2>/dev/null || echo 1)
CPU=${WARD_BENCH_CPU-$((ncpu - 1))}
pin=""
if [ -n "$CPU" ] && command -v taskset >/dev/null 2>&1; then
    pin="taskset -c $CPU"
fi

{
    echo "# ward parser benchmark"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $ncpu cores, ${pin:-not pinned}."
    echo
} >"$OUT/results.md.tmp"
# shellcheck disable=SC2086 # pin and ARGS are word lists
$pin "$BIN" -o "$OUT/data.tsv" $ARGS >>"$OUT/results.md.tmp"
mv "$OUT/results.md.tmp" "$OUT/results.md"
cat "$OUT/results.md"

if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "datafile='$OUT/data.tsv'; outfile='$OUT/ratios.png'" bench/plot.gp
    echo "bench/run.sh: wrote $OUT/results.md, $OUT/data.tsv, $OUT/ratios.png"
else
    echo "bench/run.sh: gnuplot missing (Debian: gnuplot-nox): no plot" >&2
    echo "bench/run.sh: wrote $OUT/results.md, $OUT/data.tsv"
fi
