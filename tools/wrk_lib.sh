# tools/wrk_lib.sh - sourced by the server and TLS benchmarks
# (server/bench_server.sh, tls/bench_tls.sh): a temporary directory that
# goes with the servers on exit, the tools checked, a free port, wait for
# a port, run wrk once and record its summary. Expects PY (a python3),
# cores, conns and secs from the caller.

# bench_begin NAME TOOL...: $tmp, a temporary directory; $pids, where the
# caller adds the servers it starts: on exit they are killed and $tmp goes.
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
    trap bench_end EXIT INT TERM
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

# wrk_measure URL CLOSE TSV: one wrk run against URL (CLOSE=1: every request
# with "Connection: close"), then sets rps, p99 (ms), errs and non2xx and
# appends "NAME MODE rps p99 errs non2xx" to TSV with NAME and MODE taken
# from $wrk_name and $wrk_mode (and a 7th column, $wrk_round, when set).
wrk_measure() {
    # "Connection: close" must go as one argument with its space: wrk drops
    # "-H Connection:close" and the server then sees keep-alive.
    if [ "$2" = 1 ]; then
        wrk -t"$cores" -c"$conns" -d"${secs}s" --latency -H "Connection: close" "$1" >"$tmp/wrk.txt" 2>&1 || true
    else
        wrk -t"$cores" -c"$conns" -d"${secs}s" --latency "$1" >"$tmp/wrk.txt" 2>&1 || true
    fi
    rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$tmp/wrk.txt")
    p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
        else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
        printf "%.2f", v }' "$tmp/wrk.txt")
    errs=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$tmp/wrk.txt")
    non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$tmp/wrk.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s%s\n' "$wrk_name" "$wrk_mode" "${rps:-0}" "${p99:-?}" "${errs:-none}" \
        "${non2xx:-0}" "${wrk_round:+	$wrk_round}" >>"$3"
}
