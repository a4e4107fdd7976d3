#!/bin/sh
# SPDX-License-Identifier: MIT
# icount.sh - instructions per request for each parser, counted by callgrind
# (exact and repeatable where wall-clock time on a shared machine is not).
#
#   bench/icount.sh [CORPUS] [COUNT]     (browser-get, 10000)
#
# Runs `bench_parse -n COUNT -c CORPUS` under callgrind, which parses the
# corpus COUNT times with each parser (after the usual span check), and
# divides each parser's inclusive instruction count by the requests parsed.
# The adapters are counted with their parser: for ward, ward_parse_request()
# and copying the spans out; for llhttp and http-parser, the callbacks that
# record them. WARD_BENCH_BIN overrides the binary.
set -eu
corpus=${1:-browser-get}
count=${2:-10000}
bin=${WARD_BENCH_BIN:-build/bench/bench_parse}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg" --toggle-collect=timed \
    "$bin" -n "$count" -c "$corpus" >/dev/null 2>"$out/log" || { cat "$out/log"; exit 1; }
callgrind_annotate --inclusive=yes "$out/cg" >"$out/ann" 2>/dev/null
nreq=$count
[ "$corpus" = pipelined-mix ] && nreq=$((count * 100))
for fn in bench_ward bench_llhttp bench_http_parser; do
    ir=$(grep -E "[:]$fn( |\.)" "$out/ann" | grep -E '\[' | head -1 | awk '{gsub(",","",$1); print $1}')
    [ -n "$ir" ] || ir=0
    echo "$corpus $fn: $((ir / nreq)) instructions per request"
done
