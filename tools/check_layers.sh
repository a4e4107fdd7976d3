#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check_layers.sh - server/ calls only downward.
#
#   tools/check_layers.sh OBJ...   the server's objects (ward_*.o)
#
# Each server file is in one layer (the table below, drawn in
# docs/design.md, lowest first). Every ward_* symbol an object imports
# (nm -u) that another object of server/ defines must be defined in the
# same file or a lower layer: a call up, or a cycle between files, fails
# with the caller, the callee and both layers. Symbols from outside
# server/ (the parser's ward_parse_request...) are not the table's
# business. A server file missing from the table fails too, so that a new
# file gets a place in it.
set -eu

# layer  file (basename, without .o)
layers='
0 ward_base
1 ward_io
2 ward_conn
3 ward_error
4 ward_resp
5 ward_body
6 ward_exchange
7 ward_manager
8 ward_pool
9 ward_listen
10 ward_server
'

if [ $# -eq 0 ]; then
    echo "usage: tools/check_layers.sh OBJ..." >&2
    exit 2
fi

layer_of() {
    printf '%s\n' "$layers" | awk -v f="$1" '$2 == f { print $1 }'
}

# "symbol file" for every ward_* symbol a server object defines
defs=$(for obj in "$@"; do
    f=$(basename "$obj" .o)
    nm -P --defined-only "$obj" | awk -v f="$f" '$1 ~ /^ward_/ && $2 ~ /^[TDBR]$/ { print $1, f }'
done)

bad=0
for obj in "$@"; do
    f=$(basename "$obj" .o)
    l=$(layer_of "$f")
    if [ -z "$l" ]; then
        echo "check_layers: $obj: $f has no layer in tools/check_layers.sh" >&2
        bad=1
        continue
    fi
    for sym in $(nm -P -u "$obj" | awk '$1 ~ /^ward_/ { print $1 }'); do
        g=$(printf '%s\n' "$defs" | awk -v s="$sym" '$1 == s { print $2; exit }')
        [ -n "$g" ] || continue
        m=$(layer_of "$g")
        if [ "$m" -gt "$l" ]; then
            echo "check_layers: $f (layer $l) calls $sym of $g (layer $m): a call up" >&2
            bad=1
        fi
    done
done
if [ $bad -ne 0 ]; then
    echo "check_layers: server/ must call only downward (docs/design.md, 'Layers')" >&2
    exit 1
fi
echo "check_layers: $# server objects call only downward"
