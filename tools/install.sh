#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/install.sh - `ninja install`: install ward for other programs.
#
#   PREFIX=/usr/local DESTDIR= tools/install.sh      (the defaults)
#   PREFIX=/usr DESTDIR=/tmp/stage ninja install
#
# Installs, under $DESTDIR$PREFIX (LIBDIR: $PREFIX/lib unless set):
#   include/ward_parse.h ward_spec.h ward_frame_spec.h ward_server.h ward_tls.h
#   lib/libward-{parse,server,tls}.a, lib/libward-*.so.0 (soname) and the
#   lib/libward-*.so links, lib/pkgconfig/ward-{parse,server,tls}.pc
#   (written here, with PREFIX), bin/ward-serve, share/man/man1/ward-serve.1,
#   share/doc/ward/LICENSE (MIT)
# ward_spec.h and ward_frame_spec.h are the ACSL logic ward_parse.h's
# contracts use (comments to a C compiler), installed so that the contracts
# travel with the header.
# The libraries are the release build's. For the high-assurance one (the
# proved code only, WARD_PROVED_ONLY: README.md), install
# build/assured/libward-parse.a in place of libward-parse.a: same API and ABI.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
prefix=${PREFIX:-/usr/local}
libdir=${LIBDIR:-$prefix/lib}
destdir=${DESTDIR:-}
# the version, from its one place (ward_parse.h)
version=$(sed -n 's/^#define WARD_VERSION "\(.*\)"$/\1/p' "$root/parser/ward_parse.h")
[ -n "$version" ] || { echo "install: no WARD_VERSION in parser/ward_parse.h" >&2; exit 1; }
cd "$root"

inc="$destdir$prefix/include"
lib="$destdir$libdir"
bin="$destdir$prefix/bin"
man1="$destdir$prefix/share/man/man1"
pc="$lib/pkgconfig"
mkdir -p "$inc" "$lib" "$bin" "$man1" "$pc"

install -m 644 parser/ward_parse.h parser/ward_spec.h parser/ward_frame_spec.h server/ward_server.h "$inc/"
[ -f tls/ward_tls.h ] && install -m 644 tls/ward_tls.h "$inc/"
for l in parse server tls; do
    [ -f "build/libward-$l.a" ] && install -m 644 "build/libward-$l.a" "$lib/"
    if [ -f "build/libward-$l.so.0" ]; then
        install -m 755 "build/libward-$l.so.0" "$lib/"
        ln -sf "libward-$l.so.0" "$lib/libward-$l.so"
    fi
done
install -m 755 build/ward-serve "$bin/"
sed "s/^\(\.TH WARD-SERVE 1 \"[^\"]*\"\) \"ward\"/\1 \"ward $version\"/" cmd/ward-serve.1 >"$man1/ward-serve.1"
chmod 644 "$man1/ward-serve.1"
mkdir -p "$destdir$prefix/share/doc/ward"
install -m 644 LICENSE "$destdir$prefix/share/doc/ward/"

# pkg-config files: the parser needs libc only; the server adds pthread;
# TLS adds its library: BoringSSL (Debian's android-libboringssl-dev,
# outside the default library path) or, with WARD_TLS_BACKEND=openssl
# (build.ninja's tls_backend), OpenSSL 3.
pcfile() { # name description requires libs private-libs
    cat > "$pc/$1.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=$libdir
includedir=\${prefix}/include

Name: $1
Description: $2
Version: $version
Requires: $3
Libs: -L\${libdir} $4
Libs.private: $5
Cflags: -I\${includedir}
PC
}
pcfile ward-parse "ward's proved, allocation-free HTTP/1.1 request parser" "" "-lward-parse" ""
pcfile ward-server "ward's thread-pooled HTTP/1.1 server" "ward-parse" "-lward-server" "-lpthread"
if [ -f "build/libward-tls.a" ]; then
    if [ "${WARD_TLS_BACKEND:-boringssl}" = openssl ]; then
        pcfile ward-tls "ward's TLS adapter (OpenSSL 3)" "ward-server" "-lward-tls" "-lssl -lcrypto"
    else
        pcfile ward-tls "ward's TLS adapter (BoringSSL)" "ward-server" "-lward-tls" \
            "-L/usr/lib/x86_64-linux-gnu/android -Wl,-rpath,/usr/lib/x86_64-linux-gnu/android -lssl -lcrypto"
    fi
fi
echo "install: ward $version into ${destdir}$prefix (headers, libward-{parse,server,tls} .a and .so.0, pkg-config, ward-serve, man page)"
