/* SPDX-License-Identifier: MIT */
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
 * Private to parser/. WARD_PROVED_ONLY (ward_parse.h) compiles none of the
 * vector bodies nor the word compares: the scalar twins alone, as Frama-C.
 */
#ifndef WARD_SCAN_H
#define WARD_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "ward_class.h"

#if defined(__GNUC__) && !defined(__FRAMAC__) && !defined(WARD_PROVED_ONLY)
#define WARD_SCAN_INLINE static inline __attribute__((always_inline))
#else
#define WARD_SCAN_INLINE static inline
#endif

#if defined(__SSE2__) && !defined(__FRAMAC__) && !defined(WARD_PROVED_ONLY)
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

/* The bytes of x that are '%': what scan_nopct() stops at. */
static inline unsigned pct_misses(__m128i x)
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('%')));
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

#if defined(__SSSE3__) && !defined(__FRAMAC__) && !defined(WARD_PROVED_ONLY)
#define WARD_SSSE3 1
#include <tmmintrin.h>

/* The vector bodies' constants, read from memory, each row 32 bytes (a
 * 16-byte pattern twice, for AVX2's two lanes; the SSSE3 bodies read the
 * first half). GCC 12 builds a constant vector from immediates (two to
 * four instructions) at each use after a call has clobbered the vector
 * registers, so in every field line; a load folds into the instruction
 * that uses it. The empty asm in vk_table() hides the table's contents,
 * or GCC would fold them back into immediates.
 * The nibble rows: lo[l] has bit h set when byte 16h+l is in the class;
 * hi[h] is bit h, 0 for h >= 8, so that bytes >= 0x80 are never in. */
#define WARD_LANES(...) {__VA_ARGS__, __VA_ARGS__}
#define WARD_ALL(b) WARD_LANES(b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b)
static const struct {
    uint8_t c1f[32], c09[32], c7f[32], c0f[32], hi[32];
    uint8_t tchar[32], target[32], regname[32], path[32];
} __attribute__((aligned(32))) ward_vk_table = {
    WARD_ALL(0x1f), WARD_ALL(0x09), WARD_ALL(0x7f), WARD_ALL(0x0f),
    WARD_LANES(1, 2, 4, 8, 16, 32, 64, 0x80, 0, 0, 0, 0, 0, 0, 0, 0),
    /* tchar */
    WARD_LANES(0xe8, 0xfc, 0xf8, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xf8, 0xf8, 0xf4, 0x54, 0xd0, 0x54, 0xf4, 0x70),
    /* request-target bytes */
    WARD_LANES(0xb8, 0xfc, 0xf8, 0xf8, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0x7c, 0x54, 0x7c, 0xd4, 0x7c),
    /* unreserved and sub-delims: a reg-name without its "%" */
    WARD_LANES(0xa8, 0xfc, 0xf8, 0xf8, 0xfc, 0xf8, 0xfc, 0xfc, 0xfc, 0xfc, 0xf4, 0x5c, 0x54, 0x5c, 0xd4, 0x70),
    /* the target class without "?" */
    WARD_LANES(0xb8, 0xfc, 0xf8, 0xf8, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0xfc, 0x7c, 0x54, 0x7c, 0xd4, 0x74),
};
#undef WARD_ALL
#undef WARD_LANES

static inline __typeof__(&ward_vk_table) vk_table(void)
{
    __typeof__(&ward_vk_table) t = &ward_vk_table;
    __asm__("" : "+r"(t));
    return t;
}

static inline __m128i vk16(const uint8_t *row)
{
    return _mm_load_si128((const __m128i *)(const void *)row);
}

/* The bytes of x outside an ASCII class given as a nibble row. The rows
 * are read here as the constants they are, not through vk_table(): GCC
 * then loads each from .rodata as it did for _mm_setr_epi8(), and through
 * vk_table() the browser GET measured about 3% slower (a spill in the
 * field loop). */
static inline unsigned nibble_misses(__m128i x, const uint8_t *lo)
{
    __m128i l = _mm_and_si128(x, vk16(ward_vk_table.c0f));
    __m128i h = _mm_and_si128(_mm_srli_epi16(x, 4), vk16(ward_vk_table.c0f));
    __m128i in = _mm_and_si128(_mm_shuffle_epi8(vk16(lo), l), _mm_shuffle_epi8(vk16(ward_vk_table.hi), h));
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(in, _mm_setzero_si128()));
}

static inline unsigned tchar_misses(__m128i x)
{
    return nibble_misses(x, ward_vk_table.tchar);
}

static inline unsigned target_misses_ssse3(__m128i x)
{
    return nibble_misses(x, ward_vk_table.target);
}

static inline unsigned regname_misses(__m128i x)
{
    return nibble_misses(x, ward_vk_table.regname);
}

static inline unsigned path_misses(__m128i x)
{
    return nibble_misses(x, ward_vk_table.path);
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

#if defined(__AVX2__) && !defined(__FRAMAC__) && !defined(WARD_PROVED_ONLY)
#define WARD_AVX2 1
#include <immintrin.h>

static inline __m256i vk(const uint8_t *row)
{
    return _mm256_load_si256((const __m256i *)(const void *)row);
}

/* value_misses, 32 bytes at once */
static inline unsigned value_misses32(__m256i x)
{
    __typeof__(&ward_vk_table) k = vk_table();
    __m256i ctl = _mm256_cmpeq_epi8(_mm256_min_epu8(x, vk(k->c1f)), x);
    __m256i tab = _mm256_cmpeq_epi8(x, vk(k->c09));
    __m256i del = _mm256_cmpeq_epi8(x, vk(k->c7f));
    return (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_andnot_si256(tab, ctl), del));
}

/* nibble_misses, 32 bytes at once: vpshufb looks up within each 16-byte
 * lane, so each row holds its pattern twice. */
static inline unsigned nibble_misses32(__m256i x, const uint8_t *lo)
{
    __typeof__(&ward_vk_table) k = vk_table();
    __m256i l = _mm256_and_si256(x, vk(k->c0f));
    __m256i h = _mm256_and_si256(_mm256_srli_epi16(x, 4), vk(k->c0f));
    __m256i in = _mm256_and_si256(_mm256_shuffle_epi8(vk(lo), l), _mm256_shuffle_epi8(vk(k->hi), h));
    return (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(in, _mm256_setzero_si256()));
}

static inline unsigned target_misses32(__m256i x)
{
    return nibble_misses32(x, vk_table()->target);
}

static inline unsigned path_misses32(__m256i x)
{
    return nibble_misses32(x, vk_table()->path);
}

static inline unsigned tchar_misses32(__m256i x)
{
    return nibble_misses32(x, vk_table()->tchar);
}

/* pct_misses, 32 bytes at once */
static inline unsigned pct_misses32(__m256i x)
{
    return (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('%')));
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
    if (n - i >= 32) {
        size_t last = n - 32; /* the last start of a whole load */
        do {
            unsigned m = misses32(_mm256_loadu_si256((const __m256i *)(const void *)(buf + j)));
            if (m != 0)
                return j + (size_t)__builtin_ctz(m);
            j += 32;
        } while (j <= last);
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

/* Bytes other than '%': the first '%' from i, else n. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> buf[k] != '%';
    ensures \result < n ==> buf[\result] == '%';
*/
static inline size_t scan_nopct_scalar(const uint8_t *buf, size_t i, size_t n)
{
    size_t j = i;
    /*@ loop invariant i <= j <= n;
        loop invariant \forall integer k; i <= k < j ==> buf[k] != '%';
        loop assigns j;
        loop variant n - j; */
    while (j < n && buf[j] != '%')
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
WARD_SCAN_INLINE size_t scan_value(const uint8_t *buf, size_t i, size_t n)
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
WARD_SCAN_INLINE size_t scan_target(const uint8_t *buf, size_t i, size_t n)
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

/* A request-target's '%' (pct-encoded, RFC 3986 §2.1), which the usual
 * target has none of: 32 bytes a step with AVX2, else 16 with SSE2. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> buf[k] != '%';
    ensures \result < n ==> buf[\result] == '%';
*/
WARD_SCAN_INLINE size_t scan_nopct(const uint8_t *buf, size_t i, size_t n)
{
#if defined(WARD_AVX2)
    return scan32(buf, i, n, pct_misses32, pct_misses, scan_nopct_scalar);
#elif defined(WARD_SSE2)
    return scan16(buf, i, n, pct_misses, scan_nopct_scalar);
#else
    return scan_nopct_scalar(buf, i, n);
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
WARD_SCAN_INLINE size_t scan_tchar(const uint8_t *buf, size_t i, size_t n)
{
#ifdef WARD_SSSE3
    return scan16(buf, i, n, tchar_misses, scan_tchar_scalar);
#else
    return scan_tchar_scalar(buf, i, n);
#endif
}

#if defined(__GNUC__) && !defined(__FRAMAC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(WARD_PROVED_ONLY)
#define WARD_WORDS 1
/* The c <= 8 bytes at p as a little-endian word, in at most three loads
 * (packed: no alignment assumed, exactly c bytes read). */
static inline __attribute__((always_inline)) uint64_t load_le(const uint8_t *p, uint32_t c)
{
    typedef struct { uint64_t v; } __attribute__((packed, may_alias)) u64;
    typedef struct { uint32_t v; } __attribute__((packed, may_alias)) u32;
    typedef struct { uint16_t v; } __attribute__((packed, may_alias)) u16;
    uint64_t w = 0;
    uint32_t o = 0;
    if (c & 8)
        return ((const u64 *)(const void *)p)->v;
    if (c & 4) {
        w = ((const u32 *)(const void *)p)->v;
        o = 4;
    }
    if (c & 2) {
        w |= (uint64_t)((const u16 *)(const void *)(p + o))->v << (8 * o);
        o += 2;
    }
    if (c & 1)
        w |= (uint64_t)p[o] << (8 * o);
    return w;
}

/* buf[0 .. n) against the literal lit[0 .. n), n <= 16, that holds no
 * upper-case letter, ASCII letters compared case-insensitively (what
 * ward_name_is() promises), 8 bytes at a time: bit 5 (0x20) ORed into an
 * input byte where lit has a letter maps both cases of that letter, and
 * only them, onto the lower-case one; any other byte must be equal. Inlined
 * with a constant literal, it is a load, an OR and a compare per 8 bytes
 * where the byte loop branches on every byte. */
static inline __attribute__((always_inline)) int ci_words_eq(const uint8_t *buf, const uint8_t *lit, uint32_t n)
{
    uint64_t diff = 0;
#pragma GCC unroll 2
    for (uint32_t k = 0; k < n; k += 8) {
        uint32_t c = n - k < 8 ? n - k : 8;
        uint64_t wb = load_le(buf + k, c), wl = 0, wm = 0;
#pragma GCC unroll 8
        for (uint32_t b = 0; b < c; b++) { /* byte b of a little-endian word */
            wl |= (uint64_t)lit[k + b] << (8 * b);
            if (lit[k + b] >= 'a' && lit[k + b] <= 'z')
                wm |= (uint64_t)0x20 << (8 * b);
        }
        diff |= (wb | wm) ^ wl;
    }
    return diff == 0;
}
#endif

/* The two ends a field line's scan looks for, from the line's start: the
 * name's (the first byte that is not a tchar) and the value bytes' (the
 * first byte no field value may hold: on a good line its CR, as a name,
 * its colon and OWS are value bytes too). */
typedef struct {
    size_t name, value;
} line_ends;

/* scan_tchar and scan_value from the same start i: with AVX2 one load of
 * the line's first 32 bytes serves both (a name is almost always shorter),
 * then each goes on alone where it has not stopped. A range shorter than
 * 32 bytes is loaded as the last 32 bytes before n, shifted, as in scan16. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result.name <= n && i <= \result.value <= n;
    ensures \forall integer k; i <= k < \result.name ==> is_tchar(buf[k]);
    ensures \result.name < n ==> !is_tchar(buf[\result.name]);
    ensures \forall integer k; i <= k < \result.value ==> is_value_byte(buf[k]);
    ensures \result.value < n ==> !is_value_byte(buf[\result.value]);
*/
WARD_SCAN_INLINE line_ends scan_line(const uint8_t *buf, size_t i, size_t n)
{
    line_ends r;
#if defined(WARD_AVX2)
    if (n - i >= 32) { /* the usual line: its first 32 bytes */
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(buf + i));
        unsigned mt = tchar_misses32(x), mv = value_misses32(x);
        r.name = mt != 0 ? i + (size_t)__builtin_ctz(mt) : scan_tchar(buf, i + 32, n);
        r.value = mv != 0 ? i + (size_t)__builtin_ctz(mv) : scan_value(buf, i + 32, n);
        return r;
    }
    if (n >= 32 && n > i) { /* the whole range in the last 32 bytes before n */
        unsigned sh = (unsigned)(i - (n - 32)); /* the bytes before i */
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(buf + n - 32));
        unsigned mt = tchar_misses32(x) >> sh, mv = value_misses32(x) >> sh;
        r.name = mt != 0 ? i + (size_t)__builtin_ctz(mt) : n;
        r.value = mv != 0 ? i + (size_t)__builtin_ctz(mv) : n;
        return r;
    }
#endif
    r.name = scan_tchar(buf, i, n);
    r.value = scan_value(buf, i, n);
    return r;
}

/* Host values (reg-names): 16 bytes a step with SSSE3, else the table loop. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result <= n;
    ensures \forall integer k; i <= k < \result ==> is_regname_char(buf[k]);
    ensures \result < n ==> !is_regname_char(buf[\result]);
*/
WARD_SCAN_INLINE size_t scan_regname(const uint8_t *buf, size_t i, size_t n)
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
WARD_SCAN_INLINE size_t scan_path(const uint8_t *buf, size_t i, size_t n)
{
#if defined(WARD_AVX2)
    return scan32(buf, i, n, path_misses32, path_misses, scan_path_scalar);
#elif defined(WARD_SSSE3)
    return scan16(buf, i, n, path_misses, scan_path_scalar);
#else
    return scan_path_scalar(buf, i, n);
#endif
}

/* The two ends a request-target's scan looks for, from its start: the
 * path's (the first byte no path char: on an origin-form target with a
 * query, its '?') and the target's (the first byte no target char: the
 * SP before the version). */
typedef struct {
    size_t path, target;
} target_ends;

/* scan_path and scan_target from the same start i. A path char is a target
 * char but '?', so the target's end is the path's unless a '?' stopped the
 * path; without AVX2 it is so computed, with AVX2 each 32-byte load serves
 * both, so that the target's end does not wait on the path's. */
/*@ requires i <= n;
    requires \valid_read(buf + (0 .. n - 1));
    assigns \nothing;
    ensures i <= \result.path <= \result.target <= n;
    ensures \forall integer k; i <= k < \result.path ==> is_path_char(buf[k]);
    ensures \result.path < n ==> !is_path_char(buf[\result.path]);
    ensures \forall integer k; i <= k < \result.target ==> is_target_char(buf[k]);
    ensures \result.target < n ==> !is_target_char(buf[\result.target]);
*/
WARD_SCAN_INLINE target_ends scan_target_path(const uint8_t *buf, size_t i, size_t n)
{
    target_ends r;
#if defined(WARD_AVX2)
    if (n - i >= 32) { /* 32 bytes a step while they fit */
        size_t j = i;
        r.path = n;
        do {
            __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(buf + j));
            unsigned mt = target_misses32(x);
            if (r.path == n) {
                unsigned mp = path_misses32(x);
                if (mp != 0)
                    r.path = j + (size_t)__builtin_ctz(mp);
            }
            if (mt != 0) { /* a byte no target char is no path char: r.path is set */
                r.target = j + (size_t)__builtin_ctz(mt);
                return r;
            }
            j += 32;
        } while (n - j >= 32);
        r.target = scan_target(buf, j, n);
        if (r.path == n)
            r.path = scan_path(buf, j, n);
        return r;
    }
#endif
    r.path = scan_path(buf, i, n);
    r.target = r.path < n && buf[r.path] == '?' ? scan_target(buf, r.path + 1, n) : r.path;
    return r;
}

#endif
