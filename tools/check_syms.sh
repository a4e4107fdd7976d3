#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check_syms.sh - the parser imports nothing beyond an allow-list.
#
#   tools/check_syms.sh OBJ...             allow memchr memcmp memcpy memset
#   tools/check_syms.sh --hardened OBJ...  also allow what gcc's hardening adds
#
# build.ninja runs the plain form on a copy of the parser compiled with
# -fno-stack-protector -D_FORTIFY_SOURCE=0, so that every undefined symbol
# is one the code itself asks for; and the --hardened form on the objects
# that ship (libward-parse.a), where -fstack-protector-strong adds
# __stack_chk_fail and _FORTIFY_SOURCE may turn memcpy/memset into their
# __*_chk forms: those are the compiler's, not the parser's, and only the
# checked forms of allowed functions pass. A symbol that one object
# imports and another defines (the parser's own functions) is fine.
set -eu

allow="memchr memcmp memcpy memset"
if [ "${1:-}" = "--hardened" ]; then
    shift
    allow="$allow __stack_chk_fail __memcpy_chk __memset_chk"
fi
if [ $# -eq 0 ]; then
    echo "usage: tools/check_syms.sh [--hardened] OBJ..." >&2
    exit 2
fi

defined=$(nm -P --defined-only "$@" | awk 'NF >= 2 && $2 != "U" { print $1 }' | sort -u)
bad=0
for obj in "$@"; do
    for sym in $(nm -P -u "$obj" | awk '{ print $1 }'); do
        ok=0
        for a in $allow; do
            [ "$sym" = "$a" ] && ok=1 && break
        done
        if [ $ok -eq 0 ] && printf '%s\n' "$defined" | grep -qxF -- "$sym"; then
            ok=1
        fi
        if [ $ok -eq 0 ]; then
            echo "check_syms: $obj imports '$sym' (allowed: $allow)" >&2
            bad=1
        fi
    done
done
if [ $bad -ne 0 ]; then
    exit 1
fi
echo "check_syms: $# parser objects import only: $allow"
