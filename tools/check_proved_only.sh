#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check_proved_only.sh - WARD_PROVED_ONLY compiles the proved code only.
#
#   tools/check_proved_only.sh [CFLAGS...]
#
# For each parser/*.c, the preprocessed translation unit with
# -DWARD_PROVED_ONLY must equal, byte for byte, the one with -D__FRAMAC__
# (the macro proofs/run.sh gives Frama-C), both with the same CFLAGS and
# -march=x86-64-v3, so that every SSE2/SSSE3/AVX2 and word-compare #if
# would be taken were it not for the option. Equal preprocessed text means
# the compiler gets the very tokens Frama-C proves: no vector body, no word
# compare, no __builtin or asm, not even an attribute. (Frama-C reads its
# own libc headers where gcc reads glibc's; the parser's tokens are the
# same, and glibc tests neither macro, so both sides here share glibc's.)
# So that the check cannot pass vacuously (a macro renamed, an #if that
# tests neither), the release preprocessing of parser/ward_scan.c, without
# either macro, must differ.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
cc=${CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

pp() { # pp OUT FILE EXTRA: the preprocessed FILE
    out=$1 file=$2
    shift 2
    "$cc" -E "$@" -march=x86-64-v3 -Iparser "$file" -o "$out"
}

bad=0 n=0
for f in parser/*.c; do
    pp "$tmp/proved" "$f" "$@" -DWARD_PROVED_ONLY
    pp "$tmp/framac" "$f" "$@" -D__FRAMAC__
    n=$((n + 1))
    if ! cmp -s "$tmp/proved" "$tmp/framac"; then
        echo "check_proved_only: $f: with WARD_PROVED_ONLY the compiler gets code Frama-C does not prove:" >&2
        diff "$tmp/framac" "$tmp/proved" | grep '^[<>]' | grep -v '^[<>] *$' | head -20 >&2 || true
        bad=1
    fi
done

pp "$tmp/release" parser/ward_scan.c "$@"
pp "$tmp/framac" parser/ward_scan.c "$@" -D__FRAMAC__
if cmp -s "$tmp/release" "$tmp/framac"; then
    echo "check_proved_only: parser/ward_scan.c preprocesses alike with and without __FRAMAC__:" \
        "the check would prove nothing" >&2
    bad=1
fi
[ "$bad" = 0 ] || exit 1
echo "check_proved_only: $n parser files, with WARD_PROVED_ONLY, preprocess exactly as under Frama-C"
