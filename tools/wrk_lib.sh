# SPDX-License-Identifier: MIT
# tools/wrk_lib.sh - sourced by the server and TLS benchmarks
# (server/bench_server.sh, tls/bench_tls.sh): a temporary directory that
# goes with the servers on exit, the tools checked, a free port, wait for
# a port, run wrk once and record its summary. Expects PY (a python3),
# cores, conns and secs from the caller.

# bench_begin NAME TOOL...: $tmp, a temporary directory; $pids, where the
# caller adds the servers it starts: on exit they are killed and $tmp goes;
# SIGINT or SIGTERM ends the run.
# Fails unless every TOOL is on PATH.
bench_begin() {
    bench_name=$1
    shift
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 ||
            { echo "$bench_name: $t missing (tools/deps.sh installs it)" >&2; exit 1; }
    done
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/ward-$bench_name.XXXXXX")
    pids=""
    trap bench_end EXIT
    # a signal ends the run there (the EXIT trap cleans up): a trap alone
    # would let the script go on without its servers and $tmp
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

bench_end() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}

# free_port: a TCP port on 127.0.0.1 nothing listens on (now).
free_port() {
    $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port NAME PORT: until something accepts on 127.0.0.1:PORT (5 s at most).
wait_port() {
    i=0
    until $PY -c "import socket,sys; socket.create_connection(('127.0.0.1',$2),0.2)" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "$1: nothing listens on $2" >&2; exit 1; }
        sleep 0.05
    done
}

# cpu_ticks PID: "USER SYSTEM", the clock ticks of CPU PID and its children
# (nginx's workers) have used so far, from /proc/*/stat.
cpu_ticks() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '
        { pid = $1; sub(/^.*\) /, "") }   # after the name: $2 ppid, $12 utime, $13 stime
        pid == p || $2 == p { u += $12; s += $13 }
        END { printf "%d %d\n", u, s }'
}

# awk_median: an awk function, median(LIST) of a space-separated list of
# numbers, for the benchmarks' summaries: awk "$awk_median"'...'.
awk_median='
    function median(list,    a, k, i, j, t) {
        k = split(list, a, " ")
        for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        return k == 0 ? 0 : (k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2)
    }'

# wrk_ms PCT FILE: the PCT% latency (50, 75, 90, 99) of wrk --latency's
# output in FILE, in ms (empty when wrk printed none).
wrk_ms() {
    awk -v p="$1%" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
        else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
        printf "%.3f", v }' "$2"
}

# tree_pids PID: PID and every process under it (nginx's workers, h2o's
# helper), one a line.
tree_pids() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '
        { sub(/ \(.*\) /, " "); parent[$1] = $3 }   # after the name: $3 ppid
        END { want[p] = 1; print p
              do { more = 0
                   for (q in parent) if (!(q in want) && (parent[q] in want)) { want[q] = 1; print q; more = 1 }
              } while (more) }'
}

# rss_kb PID: the resident memory (VmRSS, kB) of PID and its descendants.
rss_kb() {
    for q in $(tree_pids "$1"); do
        cat "/proc/$q/status" 2>/dev/null || true
    done | awk '$1 == "VmRSS:" { s += $2 } END { print s + 0 }'
}

# held PORT: the established TCP connections the server on 127.0.0.1:PORT
# holds now (its side of them, from ss).
held() {
    ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l
}

# wrk_measure URL CLOSE TSV: one wrk run against URL (CLOSE=1: every request
# with "Connection: close"), then sets rps, p99 (ms), errs and non2xx and
# appends "NAME MODE rps p99 errs non2xx" to TSV with NAME and MODE taken
# from $wrk_name and $wrk_mode (and a 7th column, $wrk_round, when set,
# then with $wrk_pid set the CPU per request in µs: server user, server
# system, wrk user + system).
wrk_measure() {
    # "Connection: close" must go as one argument with its space: wrk drops
    # "-H Connection:close" and the server then sees keep-alive.
    # with $wrk_pid set, the CPU that process (and its children) and wrk
    # used, in µs per request, go to $cpu ("user sys wrk_user+sys")
    # (times(1) in this shell, not a subshell: a fork starts with zero)
    if [ -n "${wrk_pid:-}" ]; then
        times >"$tmp/times0"
        set -- "$@" "$(cpu_ticks "$wrk_pid")"
    fi
    if [ "$2" = 1 ]; then
        wrk -t"$cores" -c"$conns" -d"${secs}s" --latency -H "Connection: close" "$1" >"$tmp/wrk.txt" 2>&1 || true
    else
        wrk -t"$cores" -c"$conns" -d"${secs}s" --latency "$1" >"$tmp/wrk.txt" 2>&1 || true
    fi
    cpu=""
    if [ -n "${wrk_pid:-}" ]; then
        times >"$tmp/times1"
        nreq=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$tmp/wrk.txt")
        cpu=$(printf '%s %s %s %s\n' "$4" "$(cpu_ticks "$wrk_pid")" "$(tail -1 "$tmp/times0")" \
            "$(tail -1 "$tmp/times1")" |
            awk -v n="${nreq:-0}" -v hz="$(getconf CLK_TCK)" '
                function sec(t) { split(t, a, "m"); return a[1] * 60 + a[2] }   # times(1): 1m2.34s
                { if (n == 0) exit
                  us = 1e6 / n
                  printf "%.2f %.2f %.2f", ($3 - $1) / hz * us, ($4 - $2) / hz * us,
                      (sec($7) + sec($8) - sec($5) - sec($6)) * us }')
    fi
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$tmp/wrk.txt")
    p99=$(wrk_ms 99 "$tmp/wrk.txt")
    errs=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$tmp/wrk.txt")
    non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$tmp/wrk.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s%s%s\n' "$wrk_name" "$wrk_mode" "${rps:-0}" "${p99:-?}" "${errs:-none}" \
        "${non2xx:-0}" "${wrk_round:+	$wrk_round}" "${cpu:+	$(echo $cpu | tr ' ' '\t')}" >>"$3"
}

# static_root NAME [BIG]: checks that build/ward-serve and build/bench/slowpeers
# are built, makes $tmp readable by nobody (nginx's and h2o's workers) and
# $tmp/root with small.html (1 KiB) and, with BIG, big.bin (a BIG sparse
# file, e.g. 100M).
static_root() {
    for b in build/ward-serve build/bench/slowpeers; do
        [ -x "$b" ] || { echo "$1: $b missing (ninja $b)" >&2; exit 1; }
    done
    chmod 755 "$tmp"
    mkdir -p "$tmp/root"
    head -c 1024 /dev/zero | tr '\0' 'x' >"$tmp/root/small.html"
    [ -z "${2:-}" ] || truncate -s "$2" "$tmp/root/big.bin"
}

# static_servers NAME CONNS [WARD_FLAG...]: the static-file servers of the
# attack and memory benchmarks, each serving $tmp/root on a free port:
# ward-serve (its defaults, plus WARD_FLAGs), nginx (Debian nginx-light's
# configuration: worker_processes auto, sendfile, tcp_nopush, gzip;
# worker_connections 768 or CONNS if more; no access log, as ward and h2o
# keep none by default) and h2o (Debian's, a file.dir; max-connections 1024
# or CONNS if more). Sets ward_pid, ward_port, nginx_pid, ... and adds
# the pids to $pids; $tmp must be readable by nobody (both peers' workers).
static_servers() {
    ss_name=$1 ss_conns=$2
    shift 2
    ward_port=$(free_port)
    build/ward-serve --bind "127.0.0.1:$ward_port" --root "$tmp/root" "$@" 2>>"$tmp/ward.err" &
    ward_pid=$!
    nginx_port=$(free_port)
    mkdir -p "$tmp/nginx/logs"
    cat >"$tmp/nginx/nginx.conf" <<EOF2
worker_processes auto;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections $((ss_conns > 768 ? ss_conns : 768)); }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    gzip on;
    server {
        listen 127.0.0.1:$nginx_port;
        root $tmp/root;
    }
}
EOF2
    nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
    nginx_pid=$!
    h2o_port=$(free_port)
    mkdir -p "$tmp/h2o"
    cat >"$tmp/h2o/h2o.conf" <<EOF2
listen:
  host: 127.0.0.1
  port: $h2o_port
error-log: $tmp/h2o/error.log
max-connections: $((ss_conns > 1024 ? ss_conns : 1024))
hosts:
  default:
    paths:
      /:
        file.dir: $tmp/root
EOF2
    h2o -c "$tmp/h2o/h2o.conf" >>"$tmp/h2o/out" 2>&1 &
    h2o_pid=$!
    pids="$pids $ward_pid $nginx_pid $h2o_pid"
    wait_port "$ss_name" "$ward_port"
    wait_port "$ss_name" "$nginx_port"
    wait_port "$ss_name" "$h2o_port"
}

# stop_servers: stops the three static_servers started, and waits for them.
stop_servers() {
    kill "$ward_pid" "$nginx_pid" "$h2o_pid" 2>/dev/null || true
    wait "$ward_pid" "$nginx_pid" "$h2o_pid" 2>/dev/null || true
}

# peers_ready NAME FILE PID: until slowpeers (PID) printed "ready" in FILE
# (60 s at most; fails if it died).
peers_ready() {
    i=0
    until grep -q '^ready' "$2"; do
        kill -0 "$3" 2>/dev/null || { echo "$1: slowpeers died" >&2; exit 1; }
        i=$((i + 1))
        [ $i -lt 1200 ] || { echo "$1: slowpeers not ready in 60 s" >&2; exit 1; }
        sleep 0.05
    done
}
