#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/server/readme_example.sh STAMP - compile (with -Werror) and link the
# first C block under "### Embedding the server" in README.md, as the README
# tells a reader to; touch STAMP when it builds.
set -eu
stamp=$1
dir=$(dirname "$stamp")
mkdir -p "$dir"
src="$dir/readme_server_example.c"
awk '
    /^### Embedding the server/ { sect = 1; next }
    sect && /^#/ && !/^#(define|include)/ { exit }
    sect && /^```c$/ { code = 1; next }
    code && /^```$/ { exit }
    code { print }
' README.md >"$src"
if [ ! -s "$src" ]; then
    echo "readme_example: no C block under '### Embedding the server' in README.md" >&2
    exit 1
fi
gcc -std=c11 -Wall -Wextra -Werror -Iparser -Iserver "$src" build/libward-server.a \
    build/libward-parse.a -lpthread -o "$dir/readme_server_example"
touch "$stamp"
