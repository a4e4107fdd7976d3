#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check_exports.sh - ward's libraries export only ward_* symbols, and
# libward-parse depends on libc alone.
#
#   tools/check_exports.sh LIB...   .so (dynamic symbols) or .a (globals)
#
# Every defined global symbol must start with ward_ (the version script
# tools/ward.map hides the rest of a shared library). A libward-parse.so*
# must have a soname and NEED nothing but libc.so.6 (or nothing at all).
set -eu
if [ $# -eq 0 ]; then
    echo "usage: tools/check_exports.sh LIB..." >&2
    exit 2
fi
bad=0
soname=
for lib in "$@"; do
    before=$bad
    bad=0
    case $lib in
    *.so|*.so.*)
        syms=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }')
        soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
        if [ -z "$soname" ]; then
            echo "check_exports: $lib has no soname" >&2
            bad=1
        fi
        case $(basename "$lib") in
        libward-parse.so*)
            needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
            # libc.so.6, or nothing when the build calls no libc function
            # at all (no memchr, no __stack_chk_fail: the linker drops it)
            if [ -n "$needed" ] && [ "$needed" != "libc.so.6" ]; then
                echo "check_exports: $lib needs '$(echo $needed)', not only libc.so.6" >&2
                bad=1
            fi
            ;;
        esac
        ;;
    *)
        syms=$(nm -g --defined-only "$lib" | awk 'NF >= 3 { print $3 }')
        ;;
    esac
    # WARD_0 is the version node's own name
    other=$(printf '%s\n' "$syms" | grep -v -E '^(ward_|WARD_0$)' | grep -v '^$' || true)
    if [ -n "$other" ]; then
        echo "check_exports: $lib exports symbols outside ward_*:" >&2
        printf '  %s\n' $other >&2
        bad=1
    fi
    n=$(printf '%s\n' "$syms" | grep -c '^ward_' || true)
    if [ $bad -eq 0 ]; then
        echo "check_exports: $lib: $n symbols, all ward_*${soname:+ (soname $soname)}"
    fi
    soname=
    [ "$before" -ne 0 ] && bad=1
done
exit $bad
