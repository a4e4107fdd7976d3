#!/bin/sh
# SPDX-License-Identifier: MIT
# server/bench_idle.sh - resident memory per connection (issue #28): the
# sum of VmRSS of all the server's processes (/proc) before and while N
# idle keep-alive connections are open (each after one answered request
# for a 1 KiB file), then before and while N "active" ones are (a request
# head started, never finished), for ward-serve (its defaults, plus
# --keepalive-max and --max-conns if N is above them), nginx and h2o (Debian's configuration, room for N
# connections: tools/wrk_lib.sh, static_servers), in one run, with the same
# `ulimit -n` for all three (N + 1024, soft and hard).
#
#   server/bench_idle.sh [N]   (default 5000)
#   WARD_BENCH_ROUNDS=n         rounds (default 3): fresh servers for the
#                               idle and for the active connections of
#                               each round; the table gives medians
#
# Per connection: the growth over the connections the server held (its
# established sockets, from ss), measured a second after slowpeers had
# them all in place (within every server's default head and keep-alive
# timeouts, 10 s for ward and h2o). Writes build/bench/idle.md and
# build/bench/idle.tsv (and idle_sweep.tsv: ward's longest sweep, from
# its --stats-path, a round a line).
set -eu
PY=/usr/bin/python3
cd "$(dirname "$0")/.."
. tools/wrk_lib.sh

n=${1:-5000}
rounds=${WARD_BENCH_ROUNDS:-3}
out=build/bench
mkdir -p "$out"
bench_begin bench_idle nginx h2o ss curl
static_root bench_idle
nofile=$((n + 1024))
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge "$nofile" ] ||
    { echo "bench_idle: ulimit -Hn is $hard, below N + 1024 = $nofile" >&2; exit 1; }
ulimit -n "$nofile"
# its defaults hold 100,000 (#28); the stats give its longest sweep
ward_flags="--stats-path /_stats"
[ $((n + 100)) -le 100000 ] || ward_flags="$ward_flags --keepalive-max $((n + 100)) --max-conns $((n + 100))"

# peers PID PORT MODE SERVER: opens N MODE (idle or active) connections
# to PORT and sets kb to PID's resident memory (kB) and h to the
# connections the server held, a second after they are all in place, and
# (ward) sw to its manager's longest sweep so far (µs); then closes them.
peers() {
    : >"$tmp/peers.out"
    build/bench/slowpeers --port "$2" --"$3" "$n" --get-path /small.html >"$tmp/peers.out" 2>"$tmp/peers.err" &
    sp=$!
    pids="$pids $sp"
    peers_ready bench_idle "$tmp/peers.out" "$sp"
    sleep 1
    kb=$(rss_kb "$1")
    h=$(held "$2")
    sw=-
    [ "$4" != ward ] ||
        sw=$(curl -s "http://127.0.0.1:$2/_stats" | sed -n 's/.*"sweep_us_max":\([0-9.]*\).*/\1/p')
    kill "$sp"
    wait "$sp" || true
    sleep 1 # the server lets them go
}

echo "bench_idle: $rounds rounds of ward ($ward_flags), nginx, h2o; $n idle, then $n active connections; ulimit -n $nofile"
printf 'server\tround\tmode\tbase_kb\twith_kb\theld\n' >"$out/idle.tsv"
: >"$out/idle_sweep.tsv"
round=1
while [ "$round" -le "$rounds" ]; do
    for mode in idle active; do
        # shellcheck disable=SC2086 # the flags split into words
        static_servers bench_idle "$nofile" $ward_flags
        for srv in ward nginx h2o; do
            eval "port=\$${srv}_port pid=\$${srv}_pid"
            # warm up: a few answered requests, so that the baseline has what serving needs
            build/bench/slowpeers --port "$port" --idle 16 --get-path /small.html --seconds 0.5 >/dev/null 2>&1
            sleep 0.5
            base=$(rss_kb "$pid")
            peers "$pid" "$port" "$mode" "$srv"
            [ "$srv$mode" != wardidle ] || printf '%s\t%s\n' "$round" "$sw" >>"$out/idle_sweep.tsv"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$srv" "$round" "$mode" "$base" "$kb" "$h" >>"$out/idle.tsv"
            printf 'bench_idle: round %s %-6s %-6s %6s -> %6s kB (%s held): %s bytes a connection\n' \
                "$round" "$srv" "$mode" "$base" "$kb" "$h" "$(( h > 0 ? (kb - base) * 1024 / h : 0 ))"
        done
        stop_servers
    done
    round=$((round + 1))
done

awk -F '\t' -v n="$n" -v rounds="$rounds" -v cores="$(nproc)" "$awk_median"'
    NR == 1 { next }
    { k = $1 SUBSEP $3; base[k] = base[k] " " $4; with[k] = with[k] " " $5; held[k] = held[k] " " $6
      per[k] = per[k] " " ($6 > 0 ? ($5 - $4) * 1024 / $6 : 0) }
    END {
        k = split("ward nginx h2o", srv, " ")
        printf "| server | RSS before | with %d idle | held | bytes per idle connection | RSS before | with %d active | held | bytes per active connection | idle: ward / server |\n", n, n
        print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for (i = 1; i <= k; i++) { s = srv[i]; mi[s] = median(per[s, "idle"]); ma[s] = median(per[s, "active"]) }
        for (i = 1; i <= k; i++) {
            s = srv[i]
            printf "| %s | %.1f MB | %.1f MB | %d | %.0f | %.1f MB | %.1f MB | %d | %.0f | %s |\n", s,
                median(base[s, "idle"]) / 1024, median(with[s, "idle"]) / 1024, median(held[s, "idle"]), mi[s],
                median(base[s, "active"]) / 1024, median(with[s, "active"]) / 1024, median(held[s, "active"]), ma[s],
                (mi[s] > 0 ? sprintf("%.1fx", mi["ward"] / mi[s]) : "-")
        }
        printf "\nMedians of %s rounds, fresh servers for each mode of each round; RSS: the sum of VmRSS over the server'"'"'s processes (nginx: master and %s workers; h2o: its process and its backtrace helper); per connection: (with - before) / held. %s cores.\n", rounds, cores, cores
        printf "\nTarget (issue #28): at most 1 KB per idle keep-alive connection, no more than nginx: %s (ward %.0f bytes, nginx %.0f).\n",
            (mi["ward"] <= 1024 && mi["ward"] <= mi["nginx"] ? "met" : "not met"), mi["ward"], mi["nginx"]
    }' "$out/idle.tsv" >"$out/idle.md"
awk -F '\t' -v n="$n" "$awk_median"'
    { v = v " " $2 }
    END { printf "\nward: its manager'"'"'s longest sweep (one 50 ms tick, stats sweep_ns_max) while %d idle connections came and were held: %.0f µs (median of the rounds).\n", n, median(v) }
' "$out/idle_sweep.tsv" >>"$out/idle.md"
cat "$out/idle.md"
