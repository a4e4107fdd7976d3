#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/examples/run.sh - the examples, as a user meets them (`ninja
# build/.run/test-examples`):
#  1. the examples built against the build tree (build/examples/) run and
#     print what they should;
#  2. `ninja install` into a temporary DESTDIR (PREFIX=/usr), then each
#     example is compiled there with `pkg-config --cflags --libs` (shared
#     libraries) and `--static`, and run again;
#     the amalgamated pair, copied alone into a directory, builds the
#     parser examples with cc -std=c99;
#  3. the installed libward-parse.so.0 needs libc only; the man page
#     documents every option of `ward-serve --help`;
#  4. docs/api.md is up to date with the headers (when python3 is there).
# One line per check; the first failure stops with a non-zero status.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "test-examples: FAIL: $*" >&2; exit 1; }

check_parse() { # BIN
    out=$("$@") || fail "$* exited $?"
    printf '%s\n' "$out" | grep -qx 'method GET path /hello query name=ward host example.com HTTP/1.1' ||
        fail "$*: unexpected output: $out"
    printf '%s\n' "$out" | grep -qx 'head 65 bytes' || fail "$*: no 'head 65 bytes'"
}
check_chunked() {
    out=$("$@") || fail "$* exited $?"
    printf '%s\n' "$out" | grep -qx 'body 28 bytes: hello, ward!0123456789ABCDEF' ||
        fail "$*: unexpected output: $out"
    [ "$(printf '%s\n' "$out" | grep -c '^read ')" = 4 ] || fail "$*: not 4 data pieces"
}
check_hello() {
    out=$(timeout 20 "$@" --self) || fail "$* --self exited $?"
    [ "$out" = "200 hello from /ward" ] || fail "$*: unexpected output: $out"
}

# 1. build tree
check_parse build/examples/parse_request
check_chunked build/examples/chunked_pieces
check_hello build/examples/hello_server
echo "test-examples: build tree: parse_request, chunked_pieces, hello_server print what they should"

# 2. installed tree
dest="$tmp/dest"
PREFIX=/usr DESTDIR="$dest" tools/install.sh >/dev/null || fail "tools/install.sh"
export PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
export PKG_CONFIG_LIBDIR="$dest/usr/lib/pkgconfig"
cc=${CC:-cc}
for mode in shared static; do
    flag=
    [ $mode = static ] && flag=--static
    pp=$(pkg-config $flag --cflags --libs ward-parse) || fail "pkg-config ward-parse"
    ps=$(pkg-config $flag --cflags --libs ward-server) || fail "pkg-config ward-server"
    if [ $mode = static ]; then
        # the .a only: hide the .so links from the linker
        pp="-Wl,-Bstatic $pp -Wl,-Bdynamic"
        ps=$(echo "$ps" | sed 's/-lward-server -lward-parse/-Wl,-Bstatic -lward-server -lward-parse -Wl,-Bdynamic/')
    fi
    # shellcheck disable=SC2086
    $cc -std=c99 -Wall -Wextra -Werror examples/parse_request.c $pp -o "$tmp/parse_request" ||
        fail "$mode: cc parse_request.c $pp"
    # shellcheck disable=SC2086
    $cc -std=c99 -Wall -Wextra -Werror examples/chunked_pieces.c $pp -o "$tmp/chunked_pieces" ||
        fail "$mode: cc chunked_pieces.c $pp"
    # shellcheck disable=SC2086
    $cc -std=c11 -Wall -Wextra -Werror examples/hello_server.c $ps -o "$tmp/hello_server" ||
        fail "$mode: cc hello_server.c $ps"
    export LD_LIBRARY_PATH="$dest/usr/lib"
    check_parse "$tmp/parse_request"
    check_chunked "$tmp/chunked_pieces"
    check_hello "$tmp/hello_server"
    if [ $mode = shared ]; then
        ldd "$tmp/parse_request" | grep -q "$dest/usr/lib/libward-parse.so.0" ||
            fail "parse_request does not use the installed libward-parse.so.0"
    fi
    unset LD_LIBRARY_PATH
    echo "test-examples: installed tree ($mode, pkg-config ${flag:+$flag }ward-parse ward-server): 3 examples built and run"
done
tools/check_exports.sh "$dest"/usr/lib/libward-*.so.0 >/dev/null || fail "check_exports on the installed libraries"
echo "test-examples: installed libraries export only ward_*; libward-parse.so.0 needs only libc.so.6"

# 2b. the amalgamation: two files dropped into a tree
mkdir -p "$tmp/amal"
cp build/amalgamation/ward_parse.c build/amalgamation/ward_parse.h examples/parse_request.c \
    examples/chunked_pieces.c "$tmp/amal/"
(cd "$tmp/amal" && $cc -std=c99 -c ward_parse.c && $cc -std=c99 -Wall -Wextra -Werror parse_request.c ward_parse.o -o parse_request &&
    $cc -std=c99 -Wall -Wextra -Werror chunked_pieces.c ward_parse.o -o chunked_pieces) ||
    fail "the amalgamation: cc -std=c99 in a bare directory"
check_parse "$tmp/amal/parse_request"
check_chunked "$tmp/amal/chunked_pieces"
echo "test-examples: amalgamation (ward_parse.c + ward_parse.h alone, cc -std=c99): 2 examples built and run"
# 2c. the licence travels: the installed LICENSE, the whole MIT text atop each amalgamated file,
# an SPDX line in the first lines of every tracked source file
cmp -s LICENSE "$dest/usr/share/doc/ward/LICENSE" || fail "ninja install: no share/doc/ward/LICENSE"
for f in ward_parse.c ward_parse.h; do
    sed -n '1,/^ \*\/$/p' "build/amalgamation/$f" | sed '$d' | sed -n -e '1s|^/\* ||p' -e '1!s/^ \* \{0,1\}//p' | sed 's/ *$//' >"$tmp/lic.$f"
    grep -q '^SPDX-License-Identifier: MIT$' "$tmp/lic.$f" && grep -v '^SPDX' "$tmp/lic.$f" | sed '/^$/d' >"$tmp/lic2.$f" &&
        sed '/^$/d' LICENSE | cmp -s - "$tmp/lic2.$f" || fail "build/amalgamation/$f does not start with the MIT licence"
done
nospdx=$(git ls-files 2>/dev/null | grep -E '\.(c|h|sh|py|ninja)$|^\.ci/run$' | while read -r f; do
    head -3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"
done)
[ -z "$nospdx" ] || fail "no SPDX-License-Identifier line in: $nospdx"
echo "test-examples: LICENSE installed, atop the amalgamation, SPDX line in every source file"
# 2d. one version (WARD_VERSION in ward_parse.h): the installed ward-serve, the pkg-config files
# and the man page say it, and nothing else in the tree writes a version number
v=$(sed -n 's/^#define WARD_VERSION "\(.*\)"$/\1/p' parser/ward_parse.h)
[ -n "$v" ] || fail "no WARD_VERSION in parser/ward_parse.h"
[ "$("$dest/usr/bin/ward-serve" --version)" = "ward-serve $v" ] || fail "ward-serve --version is not $v"
for l in ward-parse ward-server; do
    [ "$(pkg-config --modversion $l)" = "$v" ] || fail "pkg-config --modversion $l is not $v"
done
grep -q "^\.TH WARD-SERVE 1 \"[^\"]*\" \"ward $v\"" "$dest/usr/share/man/man1/ward-serve.1" ||
    fail "the installed man page does not say ward $v"
others=$(git grep -n -E '(ward[/ -]|version=)[0-9]+\.[0-9]+' -- '*.c' '*.h' '*.sh' '*.1' '*.ninja' 2>/dev/null |
    grep -v -E '^tests/examples/run.sh:' || true)
[ -z "$others" ] || fail "a version written outside WARD_VERSION: $others"
echo "test-examples: version $v everywhere from WARD_VERSION (--version, pkg-config, man page)"

# 3. the man page says every option ward-serve --help lists
for o in $("$dest/usr/bin/ward-serve" --help | grep -o -E '(^|[ ,])--[a-z0-9-]+' | tr -d ' ,' | sort -u); do
    esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
    grep -q -- "$esc" "$dest/usr/share/man/man1/ward-serve.1" || fail "cmd/ward-serve.1 does not document $o"
done
echo "test-examples: cmd/ward-serve.1 documents every option of ward-serve --help"
# 4. docs/api.md is what tools/gen_docs.py makes of the headers today
if command -v python3 >/dev/null 2>&1; then
    python3 tools/gen_docs.py > "$tmp/api.md" || fail "tools/gen_docs.py"
    cmp -s "$tmp/api.md" docs/api.md ||
        fail "docs/api.md is stale: run python3 tools/gen_docs.py > docs/api.md (diff: $(diff docs/api.md "$tmp/api.md" | head -5))"
    echo "test-examples: docs/api.md matches the headers (tools/gen_docs.py)"
else
    echo "test-examples: docs/api.md not checked (no python3)"
fi
echo "test-examples: all passed"
