#!/bin/sh
# SPDX-License-Identifier: MIT
# server/bench_attack.sh - a normal client's latency under attack (issue
# #20): wrk -t1 -c1 --latency on a small file (1 KiB), idle, then while 100
# slow senders (a 1 MiB POST body at 1 byte/s each) and 100 slow readers
# (GET a 100 MB sparse file with SO_RCVBUF 4096, never read) are connected
# (build/bench/slowpeers), for ward-serve in its default configuration
# (`ward-serve --root DIR`), nginx and h2o in Debian's (tools/wrk_lib.sh,
# static_servers), serving the same directory, in one run.
#
#   server/bench_attack.sh [SECONDS]   (default 10 per measurement)
#   WARD_BENCH_ROUNDS=n                 rounds (default 3): each round
#                                       measures every server in turn, idle
#                                       then under attack; the table gives
#                                       medians over the rounds
#   WARD_ATTACK_SENDERS, WARD_ATTACK_READERS (100 each)
#
# An attacker the server closes is opened again at once (slowpeers), so
# the attack stays at full strength; "held" is what the server still had
# established with the attackers (ss) before and after each attacked wrk
# run. Writes build/bench/attack.md (the table), build/bench/attack.tsv
# and build/bench/attack.png (server/attack.gp).
set -eu
PY=/usr/bin/python3
cd "$(dirname "$0")/.."
. tools/wrk_lib.sh

secs=${1:-10}
rounds=${WARD_BENCH_ROUNDS:-3}
senders=${WARD_ATTACK_SENDERS:-100}
readers=${WARD_ATTACK_READERS:-100}
out=build/bench
mkdir -p "$out"
bench_begin bench_attack wrk nginx h2o ss
static_root bench_attack 100M

static_servers bench_attack 0

# one_wrk PORT: wrk on the small file; sets p50, p99 (ms) and rps.
one_wrk() {
    wrk -t1 -c1 -d"${secs}s" --latency "http://127.0.0.1:$1/small.html" >"$tmp/wrk.txt" 2>&1 || true
    p50=$(wrk_ms 50 "$tmp/wrk.txt")
    p99=$(wrk_ms 99 "$tmp/wrk.txt")
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$tmp/wrk.txt")
}

echo "bench_attack: $rounds rounds of ward, nginx, h2o; wrk -t1 -c1 -d${secs}s idle, then under $senders slow senders + $readers slow readers"
printf 'server\tround\tphase\tp50_ms\tp99_ms\trps\theld_before\theld_after\n' >"$out/attack.tsv"
: >"$tmp/peers.log"
round=1
while [ "$round" -le "$rounds" ]; do
    for srv in ward nginx h2o; do
        eval "port=\$${srv}_port"
        one_wrk "$port"
        printf '%s\t%s\tidle\t%s\t%s\t%s\t0\t0\n' "$srv" "$round" "${p50:-?}" "${p99:-?}" "${rps:-0}" >>"$out/attack.tsv"
        printf 'bench_attack: round %s %-6s idle    p50 %8s ms  p99 %8s ms  %8s req/s\n' "$round" "$srv" \
            "${p50:-?}" "${p99:-?}" "${rps:-0}"
        : >"$tmp/peers.out"
        build/bench/slowpeers --port "$port" --senders "$senders" --rate 1 --size 1048576 \
            --post-path /small.html --readers "$readers" --path /big.bin --rcvbuf 4096 \
            >"$tmp/peers.out" 2>"$tmp/peers.err" &
        sp=$!
        pids="$pids $sp"
        peers_ready bench_attack "$tmp/peers.out" "$sp"
        sleep 1
        h0=$(held "$port")
        one_wrk "$port"
        h1=$(held "$port")
        kill "$sp"
        wait "$sp" || true
        printf '%s\t%s\tattack\t%s\t%s\t%s\t%s\t%s\n' "$srv" "$round" "${p50:-?}" "${p99:-?}" "${rps:-0}" "$h0" "$h1" >>"$out/attack.tsv"
        printf 'bench_attack: round %s %-6s attack  p50 %8s ms  p99 %8s ms  %8s req/s  held %s..%s\n' "$round" "$srv" \
            "${p50:-?}" "${p99:-?}" "${rps:-0}" "$h0" "$h1"
        printf '%s round %s: %s\n' "$srv" "$round" "$(cat "$tmp/peers.err")" >>"$tmp/peers.log"
        sleep 1 # the server lets the attackers' sockets go
    done
    round=$((round + 1))
done
stop_servers

awk -F '\t' -v secs="$secs" -v rounds="$rounds" -v cores="$(nproc)" -v ns="$senders" -v nr="$readers" \
    -v dat="$out/attack.dat" "$awk_median"'
    NR == 1 { next }
    { k = $1 SUBSEP $3; p50[k] = p50[k] " " $4; p99[k] = p99[k] " " $5; rps[k] = rps[k] " " $6
      v99[$1, $3, $2] = $5
      if ($3 == "attack") { h0[$1] = h0[$1] " " $7; h1[$1] = h1[$1] " " $8 } }
    END {
        n = split("ward nginx h2o", srv, " ")
        print "| server | idle p50 | idle p99 | attack p50 | attack p99 | attack p99 / idle p99 | attack p99 / nginx attack p99 | idle req/s | attack req/s | attackers held (before..after wrk) |"
        print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for (i = 1; i <= n; i++) {
            s = srv[i]; ri = ""; rn = ""
            for (r = 1; r <= rounds; r++) {
                if (v99[s, "idle", r] > 0) ri = ri " " v99[s, "attack", r] / v99[s, "idle", r]
                if (v99["nginx", "attack", r] > 0) rn = rn " " v99[s, "attack", r] / v99["nginx", "attack", r]
            }
            ratio[s] = median(ri); vs[s] = median(rn)
            printf "| %s | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.2fx | %.2fx | %.0f | %.0f | %d..%d |\n", s,
                median(p50[s, "idle"]), median(p99[s, "idle"]), median(p50[s, "attack"]), median(p99[s, "attack"]),
                ratio[s], vs[s], median(rps[s, "idle"]), median(rps[s, "attack"]), median(h0[s]), median(h1[s])
            printf "%s\t%.3f\t%.3f\t%.3f\t%.3f\n", s, median(p50[s, "idle"]), median(p99[s, "idle"]),
                median(p50[s, "attack"]), median(p99[s, "attack"]) >dat
        }
        printf "\nMedians of %s rounds (the ratios: medians of each round'"'"'s ratio); wrk -t1 -c1 -d%ss --latency on a 1 KiB file, loopback, %s cores shared by wrk, the attackers and the server. Attack: %s senders (POST, Content-Length 1048576, 1 byte/s each) and %s readers (GET 100 MB, SO_RCVBUF 4096, never read), reopened when the server closes them. ward-serve: its defaults; nginx: worker_processes auto; h2o: its default threads.\n", rounds, secs, cores, ns, nr
        printf "\nTargets (issue #20): ward attack p99 / idle p99 <= 2x: %s (%.2fx); ward attack p99 <= nginx attack p99: %s (%.2fx).\n",
            (ratio["ward"] <= 2 ? "met" : "not met"), ratio["ward"], (vs["ward"] <= 1 ? "met" : "not met"), vs["ward"]
    }' "$out/attack.tsv" >"$out/attack.md"
{ printf '\nWhat the attackers saw (slowpeers, per run):\n\n'; sed 's/^/    /' "$tmp/peers.log"; } >>"$out/attack.md"
if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "datafile='$out/attack.dat'; outfile='$out/attack.png'" server/attack.gp
else
    echo "bench_attack: gnuplot missing (Debian: gnuplot-nox): no plot" >&2
fi
cat "$out/attack.md"
