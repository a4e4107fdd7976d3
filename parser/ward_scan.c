/* ward_scan.c - the scanning primitives: one per byte class.
 *
 * The scalar primitives are proved against the contracts in
 * ward_parse_int.h. The fast ones keep the same contracts: under Frama-C
 * (and on targets without SSE2) they are the scalar ones, so the proof
 * covers what they promise; the SSE2 bodies are fuzzed differentially
 * against the scalar ones (fuzz/fuzz_scan.c) and tested on every alignment
 * and length (tests/parser/test_scan.c).
 */
#include "ward_parse_int.h"

#include "ward_class.h"

#if defined(__SSE2__) && !defined(__FRAMAC__)
#define WARD_SSE2 1
#include <emmintrin.h>
#endif

size_t ward_scan_value_scalar(const uint8_t *buf, size_t i, size_t n)
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

size_t ward_scan_target_scalar(const uint8_t *buf, size_t i, size_t n)
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

size_t ward_scan_tchar_scalar(const uint8_t *buf, size_t i, size_t n)
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

#ifdef WARD_SSE2
/* The bytes of x outside the value class: CTLs but HTAB, and DEL. */
static inline unsigned value_misses(__m128i x)
{
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x);
    __m128i tab = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x09));
    __m128i del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_andnot_si128(tab, ctl), del));
}

/* The bytes of x outside the target class: outside 0x21..0x7e, or one of
 * the ten excluded printable bytes. */
static inline unsigned target_misses(__m128i x)
{
    static const char excluded[10] = {'"', '#', '<', '>', '\\', '^', '`', '{', '|', '}'};
    __m128i lo = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)), x);
    __m128i hi = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x7f)), x);
    __m128i bad = _mm_or_si128(lo, hi);
    for (int k = 0; k < 10; k++)
        bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(excluded[k])));
    return (unsigned)_mm_movemask_epi8(bad);
}
#endif

size_t ward_scan_value_fast(const uint8_t *buf, size_t i, size_t n)
{
#ifdef WARD_SSE2
    size_t j = i;
    while (n - j >= 16) {
        unsigned m = value_misses(_mm_loadu_si128((const __m128i *)(const void *)(buf + j)));
        if (m != 0)
            return j + (size_t)__builtin_ctz(m);
        j += 16;
    }
    return ward_scan_value_scalar(buf, j, n);
#else
    return ward_scan_value_scalar(buf, i, n);
#endif
}

size_t ward_scan_target_fast(const uint8_t *buf, size_t i, size_t n)
{
#ifdef WARD_SSE2
    size_t j = i;
    while (n - j >= 16) {
        unsigned m = target_misses(_mm_loadu_si128((const __m128i *)(const void *)(buf + j)));
        if (m != 0)
            return j + (size_t)__builtin_ctz(m);
        j += 16;
    }
    return ward_scan_target_scalar(buf, j, n);
#else
    return ward_scan_target_scalar(buf, i, n);
#endif
}

/* Tokens are short (methods, field names): the table loop is as fast as a
 * vector one here, so the fast primitive is the scalar one. */
size_t ward_scan_tchar_fast(const uint8_t *buf, size_t i, size_t n)
{
    return ward_scan_tchar_scalar(buf, i, n);
}
