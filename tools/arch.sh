#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/arch.sh - the -march of ward's release, test and benchmark builds,
# printed for build.ninja's compile lines: x86-64-v3 (AVX2, BMI2) where
# this machine's CPU has it, so the parser's scanners take 32 bytes a step,
# else x86-64-v2 (SSSE3, SSE4.2). WARD_ARCH overrides it, for a build meant
# for other machines (WARD_ARCH=-march=x86-64-v2 ninja); a build already
# made keeps its flags until `ninja -t clean`.
if [ "${WARD_ARCH+set}" = set ]; then
    echo "$WARD_ARCH"
    exit 0
fi
v3=yes
for f in avx avx2 bmi1 bmi2 fma f16c movbe abm xsave; do
    grep -qw "$f" /proc/cpuinfo 2>/dev/null || v3=no
done
if [ "$v3" = yes ]; then
    echo "-march=x86-64-v3"
else
    echo "-march=x86-64-v2"
fi
