#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/deps.sh - ward's deps step: install the Debian 12 packages the tree
# needs (only those missing), then write the Why3 prover configuration into
# proofs/why3.conf. Idempotent: with everything present it only queries
# dpkg. build.ninja runs it once (build/.deps.stamp); it also runs by hand,
# which is how a machine without ninja gets ninja-build.
set -eu

cd "$(dirname "$0")/.."

# package             what for (README.md, "Dependencies", says the same)
PACKAGES="
gcc                   the compiler of every release, test and sanitizer build
libc6-dev             libc headers and crt files (gcc only recommends it)
clang                 the fuzz targets (libFuzzer is clang's)
llvm                  llvm-symbolizer, for readable sanitizer stack traces
libclang-rt-14-dev    libFuzzer and the ASan/UBSan runtimes for clang
binutils              nm for the parser's symbol check, ld, as
ninja-build           build.ninja
pkg-config            locating libraries
frama-c-base          Frama-C and its WP plugin: the parser's proofs
why3                  the bridge from WP to the SMT provers
patch                 proofs/mutants.sh applies each wrong implementation to a copy of parser/
z3                    SMT prover
cvc4                  SMT prover
libcriterion-dev      the unit test framework
android-libboringssl-dev  BoringSSL, for tls/
libssl-dev            OpenSSL 3, tls/'s second backend (build/openssl/, tls_backend)
openssl               the TLS tests' throwaway certificates (openssl req, x509)
node-llhttp           llhttp's C sources: the benchmark and differential peer
libhttp-parser-dev    http-parser: the second benchmark peer
gnuplot-nox           benchmark plots
python3               tools/gen_docs.py (docs/api.md from the headers; checked by ninja test)
curl                  the README's smoke check of ward-serve
wrk                   the server benchmark's load generator (server/bench_server.sh)
nginx-light           the server benchmark's first peer
python3-cheroot       the server benchmark's second peer
h2o                   the attack and idle-memory benchmarks' third peer (server/bench_attack.sh, server/bench_idle.sh)
"

pkgs=$(printf '%s\n' "$PACKAGES" | awk 'NF { print $1 }')

missing=""
for p in $pkgs; do
    st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    case "$st" in
    ii*) ;;
    *) missing="$missing $p" ;;
    esac
done

if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "deps: missing:$missing; run tools/deps.sh as root to install them" >&2
        exit 1
    fi
    echo "deps: missing:$missing"
    echo "deps: apt-get update"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    echo "deps: apt-get install$missing"
    # shellcheck disable=SC2086 # word splitting of the list is intended
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
    echo "deps: installed$missing"
else
    echo "deps: all $(printf '%s\n' "$pkgs" | wc -l) packages present, nothing to install"
fi

# Why3 configuration: (re)detect when missing or older than a prover or
# Why3 itself (a package install or upgrade touches its dpkg .list file).
conf=proofs/why3.conf
stale=""
if [ ! -s "$conf" ]; then
    stale="missing"
else
    for f in /var/lib/dpkg/info/why3.list /var/lib/dpkg/info/z3.list \
             /var/lib/dpkg/info/cvc4.list "$(command -v why3)" \
             "$(readlink -f "$(command -v z3)")" "$(readlink -f "$(command -v cvc4)")"; do
        if [ -e "$f" ] && [ -n "$(find "$f" -prune -newer "$conf")" ]; then
            stale="older than $f"
            break
        fi
    done
fi

if [ -n "$stale" ]; then
    mkdir -p proofs
    tmp="$conf.tmp.$$"
    rm -f "$tmp"
    trap 'rm -f "$tmp"' EXIT
    # A fresh file makes why3 warn that it cannot read it: not an error.
    if ! out=$(why3 config detect -C "$tmp" 2>&1); then
        printf '%s\n' "$out" >&2
        echo "deps: why3 config detect failed" >&2
        exit 1
    fi
    for prover in Z3 CVC4; do
        if ! grep -q "^name = \"$prover\"" "$tmp"; then
            printf '%s\n' "$out" >&2
            echo "deps: why3 did not detect $prover" >&2
            exit 1
        fi
    done
    mv "$tmp" "$conf"
    trap - EXIT
    echo "deps: wrote $conf ($stale):"
    printf '%s\n' "$out" | sed -n 's/^Found prover \(.*\), OK\.$/deps:   \1/p'
else
    echo "deps: $conf is up to date"
fi
