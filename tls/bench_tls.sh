#!/bin/sh
# SPDX-License-Identifier: MIT
# tls/bench_tls.sh - the TLS benchmark: wrk over HTTPS on loopback against
# ward-serve (--tls-cert, a static file) and nginx (Debian nginx-light,
# ssl, `return 200`) in the same run, with one certificate (ECDSA P-256,
# made here with openssl) and the same protocol (TLS 1.3 by default):
#   keep-alive      requests/s on established TLS connections
#   new handshakes  `Connection: close`: one full handshake per request
#                   (session tickets and caches off on both servers, so
#                   every connection is a full handshake)
#
#   tls/bench_tls.sh [SECONDS]   (default 5 per measurement)
#
# Writes build/bench/tls.md and build/bench/tls.tsv.
set -eu
PY=/usr/bin/python3
cd "$(dirname "$0")/.."
. tools/wrk_lib.sh

secs=${1:-5}
cores=$(nproc)
conns=${WARD_BENCH_CONNS:-50}
out=build/bench
mkdir -p "$out"
bench_begin bench_tls wrk nginx openssl
[ -x build/ward-serve ] || { echo "bench_tls: build/ward-serve missing (ninja build/ward-serve)" >&2; exit 1; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/key.pem" \
    -out "$tmp/cert.pem" -days 2 -subj /CN=localhost 2>/dev/null
mkdir -p "$tmp/root"
printf 'hello\n' >"$tmp/root/index.html"

ward_port=$(free_port)
build/ward-serve --bind "127.0.0.1:$ward_port" --root "$tmp/root" --threads "$cores:$cores" \
    --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" --tls-tickets off --error-log "$tmp/ward.err" &
pids="$pids $!"

nginx_port=$(free_port)
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<EOF2
worker_processes $cores;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port ssl;
        ssl_certificate $tmp/cert.pem;
        ssl_certificate_key $tmp/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_tickets off;
        ssl_session_cache off;
        location / { return 200 "hello\n"; }
    }
}
EOF2
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
pids="$pids $!"
wait_port bench_tls "$ward_port"
wait_port bench_tls "$nginx_port"

measure() { # name port mode
    wrk_name=$1 wrk_mode=$3
    close=0
    [ "$3" = handshake ] && close=1
    wrk_measure "https://127.0.0.1:$2/" "$close" "$out/tls.tsv"
    printf 'bench_tls: %-6s %-10s %10s req/s  p99 %8s ms  errors: %s  non-2xx: %s\n' "$1" "$3" \
        "${rps:-0}" "${p99:-?}" "${errs:-none}" "${non2xx:-0}"
}

printf 'server\tmode\trps\tp99_ms\tsocket_errors\tnon_2xx\n' >"$out/tls.tsv"
for mode in keep-alive handshake; do
    measure ward "$ward_port" "$mode"
    measure nginx "$nginx_port" "$mode"
done

awk -F '\t' -v secs="$secs" -v cores="$cores" -v conns="$conns" '
    NR == 1 { next }
    { rps[$1, $2] = $3; p99[$1, $2] = $4 }
    END {
        print "| mode | ward req/s | nginx req/s | ward p99 | nginx p99 | ward/nginx |"
        print "|---|---:|---:|---:|---:|---:|"
        split("keep-alive handshake", modes, " ")
        for (i = 1; i <= 2; i++) {
            m = modes[i]
            printf "| %s | %.0f | %.0f | %s ms | %s ms | %.2fx |\n", (m == "handshake" ? "new handshakes (Connection: close)" : m),
                rps["ward", m], rps["nginx", m], p99["ward", m], p99["nginx", m],
                (rps["nginx", m] > 0 ? rps["ward", m] / rps["nginx", m] : 0)
        }
        printf "\nwrk -t%s -c%s -d%ss over HTTPS on loopback, %s cores shared by wrk and the server; ECDSA P-256, TLS 1.3, no session resumption; ward-serve: %s worker threads, a static file; nginx: %s worker processes, return 200.\n", cores, conns, secs, cores, cores, cores
    }' "$out/tls.tsv" >"$out/tls.md"
cat "$out/tls.md"
