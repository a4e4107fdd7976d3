#!/bin/sh
# SPDX-License-Identifier: MIT
# server/bench_server.sh - the server benchmark: wrk on loopback against
# ward (the README's hello program: build/check/readme_server_example),
# nginx (Debian nginx-light, `return 200`) and cheroot (Debian
# python3-cheroot, a hello WSGI app), in one run, keep-alive and
# `Connection: close`; requests/s, p99 latency and ward's ratio to each.
#
#   server/bench_server.sh [SECONDS]   (default 5 per measurement)
#   WARD_BENCH_ROUNDS=n                 rounds (default 3): each round measures
#                                       every server in turn, so that a slow
#                                       spell of a shared machine hits all three;
#                                       the table gives medians over the rounds
#                                       and the median of each round's ratio
#
# Writes build/bench/server.md (the table) and build/bench/server.tsv. The
# servers answer the same short body ("hello\n"; ward's "hello from /\n");
# ward and nginx get one thread (worker process) per core, cheroot its
# default pool (10 threads: CPython runs one at a time anyway).
set -eu
# Debian's interpreter: python3-cheroot is installed for it, not for others on PATH
PY=/usr/bin/python3
cd "$(dirname "$0")/.."
. tools/wrk_lib.sh

secs=${1:-5}
rounds=${WARD_BENCH_ROUNDS:-3}
cores=$(nproc)
conns=${WARD_BENCH_CONNS:-50}
out=build/bench
mkdir -p "$out"
bench_begin bench_server wrk nginx
$PY -c "import cheroot" 2>/dev/null || { echo "bench_server: python3-cheroot missing" >&2; exit 1; }

# ward: the README's program picks a free port and says which.
build/check/readme_server_example "$cores" >"$tmp/ward.out" 2>&1 &
ward_pid=$!
pids="$pids $!"
i=0
until grep -q 'listening on' "$tmp/ward.out"; do
    i=$((i + 1))
    [ $i -lt 100 ] || { echo "bench_server: ward did not start" >&2; exit 1; }
    sleep 0.05
done
ward_port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/ward.out")

nginx_port=$(free_port)
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $cores;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 200 "hello\n"; }
    }
}
EOF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
pids="$pids $!"

cheroot_port=$(free_port)
cat >"$tmp/hello_wsgi.py" <<EOF
from cheroot import wsgi

def app(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '6')])
    return [b'hello\n']

wsgi.Server(('127.0.0.1', $cheroot_port), app).safe_start()
EOF
"$PY" "$tmp/hello_wsgi.py" 2>"$tmp/cheroot.err" &
cheroot_pid=$!
pids="$pids $!"

wait_port bench_server "$nginx_port"
wait_port bench_server "$cheroot_port"

measure() { # name port mode
    wrk_name=$1 wrk_mode=$3
    eval "wrk_pid=\$${1}_pid"
    close=0
    [ "$3" = close ] && close=1
    wrk_measure "http://127.0.0.1:$2/" "$close" "$out/server.tsv"
    printf 'bench_server: %-8s %-10s %10s req/s  p99 %8s ms  CPU us/req (server user, sys; wrk): %s  errors: %s\n' \
        "$1" "$3" "${rps:-0}" "${p99:-?}" "${cpu:-?}" "${errs:-none}"
}

printf 'server\tmode\trps\tp99_ms\tsocket_errors\tnon_2xx\tround\tuser_us\tsys_us\twrk_us\n' >"$out/server.tsv"
round=1
while [ "$round" -le "$rounds" ]; do
    for mode in keep-alive close; do
        for srv in ward nginx cheroot; do
            eval "port=\$${srv}_port"
            wrk_round=$round
            measure "$srv" "$port" "$mode"
        done
    done
    round=$((round + 1))
done

awk -F '\t' -v secs="$secs" -v cores="$cores" -v conns="$conns" -v rounds="$rounds" '
    function median(list,    a, n, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return n == 0 ? 0 : (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
    }
    NR == 1 { next }
    { rps[$1, $2] = rps[$1, $2] " " $3; p99[$1, $2] = p99[$1, $2] " " $4; r[$1, $2, $7] = $3
      if (NF >= 10) { us[$1, $2] = us[$1, $2] " " $8; sy[$1, $2] = sy[$1, $2] " " $9; wk[$1, $2] = wk[$1, $2] " " $10 } }
    END {
        print "| mode | ward req/s | nginx req/s | cheroot req/s | ward p99 | nginx p99 | cheroot p99 | ward/nginx | ward/cheroot | ward/nginx per round |"
        print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
        split("keep-alive close", modes, " ")
        for (i = 1; i <= 2; i++) {
            m = modes[i]; rn = ""; rc = ""; each = ""
            for (k = 1; k <= rounds; k++) {
                if (r["nginx", m, k] > 0) { rn = rn " " r["ward", m, k] / r["nginx", m, k]; each = each sprintf("%s%.2f", k > 1 ? " " : "", r["ward", m, k] / r["nginx", m, k]) }
                if (r["cheroot", m, k] > 0) rc = rc " " r["ward", m, k] / r["cheroot", m, k]
            }
            printf "| %s | %.0f | %.0f | %.0f | %.2f ms | %.2f ms | %.2f ms | %.2fx | %.1fx | %s |\n", m,
                median(rps["ward", m]), median(rps["nginx", m]), median(rps["cheroot", m]),
                median(p99["ward", m]), median(p99["nginx", m]), median(p99["cheroot", m]),
                median(rn), median(rc), each
        }
        printf "\nMedians of %s rounds; wrk -t%s -c%s -d%ss on loopback, %s cores shared by wrk and the server; ward: %s worker threads, nginx: %s worker processes.\n", rounds, cores, conns, secs, cores, cores, cores
        print "\nCPU per request (µs, medians; /proc utime and stime of the server and its children, wrk from times(1)):\n"
        print "| server | mode | user | system | server total | wrk | server + wrk |"
        print "|---|---|---:|---:|---:|---:|---:|"
        split("ward nginx cheroot", srvs, " ")
        for (i = 1; i <= 2; i++)
            for (j = 1; j <= 3; j++) {
                m = modes[i]; s = srvs[j]
                if (us[s, m] == "") continue
                u = median(us[s, m]); y = median(sy[s, m]); w = median(wk[s, m])
                printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", s, m, u, y, u + y, w, u + y + w
            }
    }' "$out/server.tsv" >"$out/server.md"
cat "$out/server.md"
