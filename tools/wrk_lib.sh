# tools/wrk_lib.sh - sourced by the server and TLS benchmarks
# (server/bench_server.sh, tls/bench_tls.sh): wait for a port, run wrk
# once and record its summary. Expects PY (a python3), cores, conns, secs
# and tmp from the caller.

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
