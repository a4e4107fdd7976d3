#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/amalgamate.sh - write ward's parser as one pair of files.
#
#   tools/amalgamate.sh OUTDIR     writes OUTDIR/ward_parse.h, OUTDIR/ward_parse.c
#
# ward_parse.h: parser/ward_parse.h with the ACSL logic it includes
# (ward_spec.h) inlined: self-contained, contracts included.
# ward_parse.c: every parser/*.c (in `ls` order), each private header
# inlined at its first #include (dependency order) and dropped at later
# ones; #include "ward_parse.h" stays. File-scope names that two .c files
# both define (static functions, tables, typedefs, enum constants, ACSL
# predicates) are renamed in each file, and in the private headers that
# file alone includes (ward_parse.c's ward_request_line.h and
# ward_field_line.h), to <file>_<name>, e.g. line_end in ward_chunked.c
# becomes chunked_line_end. Contracts, invariants and ghost
# text are kept verbatim, so `proofs/run.sh` proves the pair
# (`ninja proofs-amalgamation`). Only POSIX sh, sed, awk, grep, sort.
# The #if switches stay, so `cc -DWARD_PROVED_ONLY -c ward_parse.c` is the
# high-assurance build (README.md): the code Frama-C proves, token for token.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:?usage: tools/amalgamate.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$root"

files=$(ls parser/*.c)

# The private headers only the .c file $1 includes (ward_request_line.h,
# ward_field_line.h: parts of ward_parse.c): their names are the file's.
own_headers() {
    for h in $(sed -n -E 's/^#include "([^"]+)".*/\1/p' "$1"); do
        [ -f "parser/$h" ] && [ "$h" != ward_parse.h ] || continue
        if [ "$(grep -l -F "#include \"$h\"" parser/*.c | wc -l)" -eq 1 ]; then
            echo "$h"
        fi
    done
}

# File-scope names each .c file defines, with its own headers'.
names_of() {
    names_in "$1"
    for h in $(own_headers "$1"); do
        names_in "parser/$h"
    done
}
names_in() {
    {
        sed -n -E 's/^(static|WARD_HOT|WARD_COLD)[^(=]*[^A-Za-z0-9_(]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*\(.*/\2/p' "$1"
        sed -n -E 's/^static[^=(]*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*(\[[^]]*\])*[[:space:]]*=.*/\1/p' "$1"
        sed -n -E 's/^(typedef[[:space:]]+)?(struct|enum|union)[[:space:]]+([A-Za-z_][A-Za-z0-9_]*).*/\3/p' "$1"
        sed -n -E 's/^\}[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*;.*/\1/p' "$1"
        sed -n -E 's/^[[:space:]]+([A-Z][A-Z0-9_]*)[[:space:]]*=[[:space:]]*[0-9]+,?.*/\1/p' "$1"
        sed -n -E 's/^#define[[:space:]]+([A-Za-z_][A-Za-z0-9_]*).*/\1/p' "$1"
        sed -n -E 's/.*(\/\*@|^)[[:space:]]*(predicate|logic[[:space:]]+[A-Za-z_0-9]+|lemma)[[:space:]]+([A-Za-z_][A-Za-z0-9_]*).*/\3/p' "$1"
    } | sort -u
}
for f in $files; do
    names_of "$f" > "$tmp/$(basename "$f").names"
done
cat "$tmp"/*.names | sort | uniq -d > "$tmp/clash"

# Each .c, and its own headers, with its clashing names renamed (word
# boundaries); inline_file reads a renamed header from $tmp/src.
mkdir -p "$tmp/src"
for f in $files; do
    b=$(basename "$f" .c)
    pfx=${b#ward_}
    own=$(own_headers "$f")
    cp "$f" "$tmp/src/$b.c"
    for h in $own; do
        cp "parser/$h" "$tmp/src/$h"
    done
    for n in $(grep -x -F -f "$tmp/clash" "$tmp/$b.c.names" || true); do
        for t in "$b.c" $own; do
            sed -i -E "s/(^|[^A-Za-z0-9_])$n([^A-Za-z0-9_]|\$)/\1${pfx}_$n\2/g; s/(^|[^A-Za-z0-9_])$n([^A-Za-z0-9_]|\$)/\1${pfx}_$n\2/g" "$tmp/src/$t"
        done
        echo "amalgamate: $f: $n -> ${pfx}_$n" >&2
    done
done

# Inline "x.h" includes: a header is emitted once, at its first include;
# ward_parse.h is the pair's other half and stays an include.
seen=" ward_parse.h "
inline_file() {
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        '#include "'*'"'*)
            h=${line#\#include \"}
            h=${h%%\"*}
            case $seen in
            *" $h "*)
                if [ "$h" = ward_parse.h ] && [ -z "${parse_h_done:-}" ]; then
                    printf '%s\n' "$line"
                    parse_h_done=1
                else
                    printf '/* #include "%s": above */\n' "$h"
                fi
                ;;
            *)
                seen="$seen$h "
                printf '/* --- parser/%s ------------------------------------------ */\n' "$h"
                if [ -f "$tmp/src/$h" ]; then
                    inline_file "$tmp/src/$h" end
                else
                    inline_file "parser/$h" end
                fi
                ;;
            esac
            ;;
        *) printf '%s\n' "$line" ;;
        esac
    done < "$1"
    if [ "${2:-}" = end ]; then
        printf '/* --- end of parser/%s --- */\n' "$(basename "$1")"
    fi
}

# The licence, whole, at the top of each file: the pair is copied alone
# into other trees, where the repository's LICENSE does not follow it.
licence() {
    printf '/* SPDX-License-Identifier: MIT\n *\n'
    sed -e 's/^/ * /' -e 's/ *$//' "$root/LICENSE"
    printf ' */\n'
}

rev=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)
{
    licence
    cat <<HDR
/* ward_parse.h - ward's proved HTTP/1.1 request parser, amalgamated.
 * Generated by tools/amalgamate.sh from parser/ (ward $rev); do not edit.
 * Pair it with ward_parse.c; the ACSL contracts below are those proved by
 * Frama-C WP (proofs/README.md), on this pair as on parser/.
 */
HDR
    seen=" "
    inline_file parser/ward_parse.h
} > "$tmp/ward_parse.h"

{
    licence
    cat <<HDR
/* ward_parse.c - ward's proved HTTP/1.1 request parser, amalgamated.
 * Generated by tools/amalgamate.sh from parser/ (ward $rev); do not edit.
 * Compile alone: cc -std=c99 -c ward_parse.c (next to ward_parse.h).
 * The private headers are inlined at their first include; file-scope
 * names two source files share are prefixed with their file's name.
 */
#include "ward_parse.h"
HDR
    seen=" ward_parse.h ward_spec.h ward_frame_spec.h "
    parse_h_done=1
    for f in $files; do
        b=$(basename "$f" .c)
        printf '\n/* === parser/%s.c ============================================== */\n' "$b"
        # includes resolve against parser/, or $tmp/src for a renamed own header
        inline_file "$tmp/src/$b.c"
    done
} > "$tmp/ward_parse.c"

mv "$tmp/ward_parse.h" "$out/ward_parse.h"
mv "$tmp/ward_parse.c" "$out/ward_parse.c"
echo "amalgamate: wrote $out/ward_parse.h ($(wc -l < "$out/ward_parse.h") lines), $out/ward_parse.c ($(wc -l < "$out/ward_parse.c") lines)"
