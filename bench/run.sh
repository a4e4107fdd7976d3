#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/run.sh - run the parser benchmark and plot it. Builds nothing:
# `ninja bench` builds build/bench/bench_parse first, then runs this.
#
# The benchmark: ward against llhttp and http-parser on request heads (4
# corpora, requests/s) and on requests with a chunked body (3 corpora:
# 1 MiB in 16 KiB chunks, 100 kB in 8 KiB chunks, 64 KiB in 1..16-byte
# chunks; head, framing and decoding, every data byte read), in one table.
# Before timing, every parser must find the same head spans and decode
# every body to exactly the bytes it was built from, or nothing is timed
# and this script fails. bench/README.md tells how it is measured.
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
    echo "# ward parser benchmark: request heads, chunked bodies"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -srm), $ncpu cores, ${pin:-not pinned}."
    echo
} >"$OUT/results.md.tmp"
# shellcheck disable=SC2086 # pin and ARGS are word lists
$pin "$BIN" -o "$OUT/data.tsv" $ARGS >>"$OUT/results.md.tmp"
mv "$OUT/results.md.tmp" "$OUT/results.md"
cat "$OUT/results.md"

# The summary: the median ratios, heads then chunked bodies, on one line each.
echo
awk '!/^#/ {
        r = sprintf(" %s %.2fx/%.2fx", $2, $9, $10)
        if ($2 ~ /^chunked-/) b = b r; else h = h r
     }
     END {
        print "bench/run.sh: ward/llhttp and ward/http-parser, request heads:" h
        print "bench/run.sh: ward/llhttp and ward/http-parser, chunked bodies:" b
     }' "$OUT/data.tsv"

if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "datafile='$OUT/data.tsv'; outfile='$OUT/ratios.png'" bench/plot.gp
    echo "bench/run.sh: wrote $OUT/results.md, $OUT/data.tsv, $OUT/ratios.png"
else
    echo "bench/run.sh: gnuplot missing (Debian: gnuplot-nox): no plot" >&2
    echo "bench/run.sh: wrote $OUT/results.md, $OUT/data.tsv"
fi
