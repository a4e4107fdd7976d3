/* ward_scan.h - the scanning primitives, one per byte class, inline.
 *
 * Each returns the first index j in [i, n) whose byte is not in its class,
 * or n. The scalar ones are proved. The fast ones keep the same contracts:
 * under Frama-C (and without SSE2) they are the scalar ones, so the proof
 * covers what they promise; the SSE2, SSSE3 and AVX2 bodies are fuzzed
 * differentially against the scalar ones (fuzz/fuzz_scan.c) and tested on
 * every alignment and length (tests/parser/test_scan.c), through the
 * exported copies in ward_scan.c. Which body a build gets follows its
 * -march (tools/arch.sh): AVX2 where the build machine has it, SSSE3 in
 * the default x86-64-v2 build, SSE2 in the baseline (ASan) build.
 * Private to parser/.
 */
#ifndef WARD_SCAN_H
#define WARD_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "ward_class.h"

#if defined(__SSE2__) && !defined(__FRAMAC__)
#define WARD_SSE2 1
#include <emmintrin.h>

/* The bytes of x outside the value class: CTLs but HTAB, and DEL. */
static inline unsigned value_misses(__m128i x)
{
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);
    __m128i tab = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x09));
    __m128i del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(tab, ctl), del));
}

#ifndef __SSSE3__ /* with SSSE3, target_misses_ssse3() below */
/* The bytes of x outside the target class: outside 0x21..0x7e, or one of
 * the ten printable bytes RFC 3986 leaves out of a request-target. */
static inline unsigned target_misses(__m128i x)
{
    __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)), x),
                               _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x7f)), x));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('#')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('^')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('`')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('{')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('|')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('}')));
    return (unsigned)_mm_movemask_epi8(bad);
}
#endif
#endif

#if defined(__SSSE3__) && !defined(__FRAMAC__)
#define WARD_SSSE3 1
#include <tmmintrin.h>

/* The bytes of x outside an ASCII class given as nibble tables: lo[l] has
 * bit h set when byte 16h+l is in the class; bytes >= 0x80 never are. */
static inline unsigned nibble_misses(__m128i x, __m128i lo, __m128i hi)
{
    __m128i l = _mm_and_si128(x, _mm_set1_epi8(0x0f));
    __m128i h = _mm_and_si128(_mm_srli_epi16(x, 4), _mm_set1_epi8(0x0f));
    __m128i in = _mm_and_si128(_mm_shuffle_epi8(lo, l), _mm_shuffle_epi8(hi, h));
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(in, _mm_setzero_si128()));
}

static inline __m128i nibble_hi(void)
{
    return _mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)0x80, 0, 0, 0, 0, 0, 0, 0, 0);
}

static inline __m128i tchar_lo(void)
{
    return _mm_setr_epi8((char)0xe8, (char)0xfc, (char)0xf8, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xf8, (char)0xf8, (char)0xf4, (char)0x54, (char)0xd0, (char)0x54, (char)0xf4, (char)0x70);
}

static inline unsigned tchar_misses(__m128i x)
{
    return nibble_misses(x, tchar_lo(), nibble_hi());
}

static inline __m128i target_lo(void)
{
    return _mm_setr_epi8((char)0xb8, (char)0xfc, (char)0xf8, (char)0xf8, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0x7c, (char)0x54, (char)0x7c, (char)0xd4, (char)0x7c);
}

static inline unsigned target_misses_ssse3(__m128i x)
{
    return nibble_misses(x, target_lo(), nibble_hi());
}

/* unreserved and sub-delims: a reg-name without its "%" */
static inline __m128i regname_lo(void)
{
    return _mm_setr_epi8((char)0xa8, (char)0xfc, (char)0xf8, (char)0xf8, (char)0xfc, (char)0xf8, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xf4, (char)0x5c, (char)0x54, (char)0x5c, (char)0xd4, (char)0x70);
}

static inline unsigned regname_misses(__m128i x)
{
    return nibble_misses(x, regname_lo(), nibble_hi());
}

/* the target class without "?" */
static inline __m128i path_lo(void)
{
    return _mm_setr_epi8((char)0xb8, (char)0xfc, (char)0xf8, (char)0xf8, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0xfc, (char)0x7c, (char)0x54, (char)0x7c, (char)0xd4, (char)0x74);
}

static inline unsigned path_misses(__m128i x)
{
    return nibble_misses(x, path_lo(), nibble_hi());
}
#endif

#ifdef WARD_SSE2
/* The vector loop of the fast scanners: 16 bytes a step from i while they
 * fit; then, when n >= 16, the last bytes by one load of buf[n-16 .. n)
 * that overlaps bytes already seen (shifted out of the mask), so that no
 * byte-by-byte tail is left; else the scalar twin for the few left.
 * misses(x) has bit k set when byte k of x is outside the class. */
static inline __attribute__((always_inline)) size_t scan16(const uint8_t *buf, size_t i, size_t n,
                                                          unsigned (*misses)(__m128i),
                                                          size_t (*scalar)(const uint8_t *, size_t, size_t))
{
    size_t j = i;
    unsigned m;
    while (n - j >= 16) {
        m = misses(_mm_loadu_si128((const __m128i *)(const void *)(buf + j)));
        if (m != 0)
            return j + (size_t)__builtin_ctz(m);
        j += 16;
    }
    if (j == n)
        return n;
    if (n < 16)
        return scalar(buf, j, n);
    m = misses(_mm_loadu_si128((const __m128i *)(const void *)(buf + n - 16))) >> (16 - (n - j));
    return m != 0 ? j + (size_t)__builtin_ctz(m) : n;
}
#endif

#if defined(__AVX2__) && !defined(__FRAMAC__)
#define WARD_AVX2 1
#include <immintrin.h>

/* value_misses, 32 bytes at once */
static inline unsigned value_misses32(__m256i x)
{
    __m256i ctl = _mm256_cmpeq_epi8(_mm256_min_epu8(x, _mm256_set1_epi8(0x1f)), x);
    __m256i tab = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0x09));
    __m256i del = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0x7f));
    return (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_andnot_si256(tab, ctl), del));
}

/* nibble_misses, 32 bytes at once: vpshufb looks up within each 16-byte
 * lane, so both lanes get the same tables. */
static inline unsigned nibble_misses32(__m256i x, __m128i lo, __m128i hi)
{
    __m256i l = _mm256_and_si256(x, _mm256_set1_epi8(0x0f));
    __m256i h = _mm256_and_si256(_mm256_srli_epi16(x, 4), _mm256_set1_epi8(0x0f));
    __m256i in = _mm256_and_si256(_mm256_shuffle_epi8(_mm256_broadcastsi128_si256(lo), l),
                                  _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(hi), h));
    return (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(in, _mm256_setzero_si256()));
}

static inline unsigned target_misses32(__m256i x)
{
    return nibble_misses32(x, target_lo(), nibble_hi());
}

static inline unsigned path_misses32(__m256i x)
{
    return nibble_misses32(x, path_lo(), nibble_hi());
}

/* scan16 with 32 bytes a step while they fit; scan16 takes the rest, so
 * the 16-byte bodies run on every tail. Long values and targets gain;
 * tokens, mostly shorter than 16 bytes, keep scan16. */
static inline __attribute__((always_inline)) size_t scan32(const uint8_t *buf, size_t i, size_t n,
                                                          unsigned (*misses32)(__m256i),
                                                          unsigned (*misses)(__m128i),
                                                          size_t (*scalar)(const uint8_t *, size_t, size_t))
{
    size_t j = i;
    unsigned m;
    while (n - j >= 32) {
        m = misses32(_mm256_loadu_si256((const __m256i *)(const void *)(buf + j)));
        if (m != 0)
            return j + (size_t)__builtin_ctz(m);
        j += 32;
    }
    return scan16(buf, j, n, misses, scalar);
}
#endif

/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_value_byte(buf[k]);
    ensures \result < n ==> !is_value_byte(buf[\result]);
*/
static inline size_t scan_value_scalar(const uint8_t *buf, size_t i, size_t n)
{
    size_t j = i;
    /*@ loop invariant i <= j <= n;
        loop invariant \forall integer k; i <= k < j ==> is_value_byte(buf[k]);
        loop assigns j;
        loop variant n - j; */
    while (j < n && cls_value(buf[j]))
        j++;
    return j;
}

/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_target_char(buf[k]);
    ensures \result < n ==> !is_target_char(buf[\result]);
*/
static inline size_t scan_target_scalar(const uint8_t *buf, size_t i, size_t n)
{
    size_t j = i;
    /*@ loop invariant i <= j <= n;
        loop invariant \forall integer k; i <= k < j ==> is_target_char(buf[k]);
        loop assigns j;
        loop variant n - j; */
    while (j < n && cls_target(buf[j]))
        j++;
    return j;
}

/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_tchar(buf[k]);
    ensures \result < n ==> !is_tchar(buf[\result]);
*/
static inline size_t scan_tchar_scalar(const uint8_t *buf, size_t i, size_t n)
{
    size_t j = i;
    /*@ loop invariant i <= j <= n;
        loop invariant \forall integer k; i <= k < j ==> is_tchar(buf[k]);
        loop assigns j;
        loop variant n - j; */
    while (j < n && cls_tchar(buf[j]))
        j++;
    return j;
}

/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_regname_char(buf[k]);
    ensures \result < n ==> !is_regname_char(buf[\result]);
*/
static inline size_t scan_regname_scalar(const uint8_t *buf, size_t i, size_t n)
{
    size_t j = i;
    /*@ loop invariant i <= j <= n;
        loop invariant \forall integer k; i <= k < j ==> is_regname_char(buf[k]);
        loop assigns j;
        loop variant n - j; */
    while (j < n && cls_host(buf[j]) && buf[j] != '%')
        j++;
    return j;
}

/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_path_char(buf[k]);
    ensures \result < n ==> !is_path_char(buf[\result]);
*/
static inline size_t scan_path_scalar(const uint8_t *buf, size_t i, size_t n)
{
    size_t j = i;
    /*@ loop invariant i <= j <= n;
        loop invariant \forall integer k; i <= k < j ==> is_path_char(buf[k]);
        loop assigns j;
        loop variant n - j; */
    while (j < n && cls_target(buf[j]) && buf[j] != '?')
        j++;
    return j;
}

/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_value_byte(buf[k]);
    ensures \result < n ==> !is_value_byte(buf[\result]);
*/
static inline size_t scan_value(const uint8_t *buf, size_t i, size_t n)
{
#if defined(WARD_AVX2)
    return scan32(buf, i, n, value_misses32, value_misses, scan_value_scalar);
#elif defined(WARD_SSE2)
    return scan16(buf, i, n, value_misses, scan_value_scalar);
#else
    return scan_value_scalar(buf, i, n);
#endif
}

/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_target_char(buf[k]);
    ensures \result < n ==> !is_target_char(buf[\result]);
*/
static inline size_t scan_target(const uint8_t *buf, size_t i, size_t n)
{
#if defined(WARD_AVX2)
    return scan32(buf, i, n, target_misses32, target_misses_ssse3, scan_target_scalar);
#elif defined(WARD_SSSE3)
    return scan16(buf, i, n, target_misses_ssse3, scan_target_scalar);
#elif defined(WARD_SSE2)
    return scan16(buf, i, n, target_misses, scan_target_scalar);
#else
    return scan_target_scalar(buf, i, n);
#endif
}

/* Tokens (methods, field names) are short but many: 16 bytes a step with
 * SSSE3's nibble lookup, else the table loop. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_tchar(buf[k]);
    ensures \result < n ==> !is_tchar(buf[\result]);
*/
static inline size_t scan_tchar(const uint8_t *buf, size_t i, size_t n)
{
#ifdef WARD_SSSE3
    return scan16(buf, i, n, tchar_misses, scan_tchar_scalar);
#else
    return scan_tchar_scalar(buf, i, n);
#endif
}

/* Host values (reg-names): 16 bytes a step with SSSE3, else the table loop. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_regname_char(buf[k]);
    ensures \result < n ==> !is_regname_char(buf[\result]);
*/
static inline size_t scan_regname(const uint8_t *buf, size_t i, size_t n)
{
#ifdef WARD_SSSE3
    return scan16(buf, i, n, regname_misses, scan_regname_scalar);
#else
    return scan_regname_scalar(buf, i, n);
#endif
}

/* Origin-form paths, up to the "?": 32 bytes a step with AVX2, else as
 * scan_regname. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_path_char(buf[k]);
    ensures \result < n ==> !is_path_char(buf[\result]);
*/
static inline size_t scan_path(const uint8_t *buf, size_t i, size_t n)
{
#if defined(WARD_AVX2)
    return scan32(buf, i, n, path_misses32, path_misses, scan_path_scalar);
#elif defined(WARD_SSSE3)
    return scan16(buf, i, n, path_misses, scan_path_scalar);
#else
    return scan_path_scalar(buf, i, n);
#endif
}

#endif
