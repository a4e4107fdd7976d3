/* SPDX-License-Identifier: MIT */
/* test_scan.c - the scanning primitives of ward_parse_int.h, scalar and
 * fast, against a naive reference written here from the byte classes of
 * RULES.md / ward_spec.h (not from the implementation's tables):
 * - every start alignment 0..63, every length 0..200, a stop byte planted
 *   at each position, once with the range ending at a guard page (an
 *   over-read faults) and once followed by in-class bytes (an over-read
 *   that is used shows in the result);
 * - every one of the 256 byte values at every position of every length;
 * - exhaustively up to two AVX2 widths (proofs/README.md, "The code that
 *   runs", says why this covers every input): every length 0..64, every
 *   start alignment 0..63, every byte value in every lane, and two stop
 *   bytes in every pair of lanes (the first must win).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "guard.h"
#include "ward_parse_int.h"

/* ---- the reference classes ---- */

static int alnum(int b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
}

static int any_of(int b, const char *set)
{
    for (; *set; set++)
        if (b == (unsigned char)*set)
            return 1;
    return 0;
}

/* RFC 9110 §5.5: HTAB, SP, VCHAR, obs-text */
static int ref_value(int b) { return b == '\t' || b == ' ' || (b >= 0x21 && b <= 0x7e) || b >= 0x80; }
/* RFC 3986 unreserved, sub-delims, ":@/?%[]" */
static int ref_target(int b) { return alnum(b) || any_of(b, "-._~!$&'()*+,;=:@/?%[]"); }
/* RFC 9110 §5.6.2 tchar */
static int ref_tchar(int b) { return alnum(b) || any_of(b, "!#$%&'*+-.^_`|~"); }
/* RFC 3986 §3.2.2 reg-name without pct-encoded: unreserved, sub-delims */
static int ref_regname(int b) { return alnum(b) || any_of(b, "-._~!$&'()*+,;="); }
/* RFC 3986 §3.3: a target byte but the "?" that starts the query */
static int ref_path(int b) { return ref_target(b) && b != '?'; }
/* RFC 3986 §2.1: any byte but the "%" that starts a pct-encoded triplet */
static int ref_nopct(int b) { return b != '%'; }

typedef size_t (*scan_fn)(const uint8_t *, size_t, size_t);

struct prim {
    const char *name;
    scan_fn scalar, fast;
    int (*in)(int);
    int count; /* bytes in the class, to check the reference itself */
};

static const struct prim prims[] = {
    {"value", ward_scan_value_scalar, ward_scan_value_fast, ref_value, 2 + 94 + 128},
    {"target", ward_scan_target_scalar, ward_scan_target_fast, ref_target, 62 + 4 + 11 + 7},
    {"tchar", ward_scan_tchar_scalar, ward_scan_tchar_fast, ref_tchar, 62 + 15},
    {"regname", ward_scan_regname_scalar, ward_scan_regname_fast, ref_regname, 62 + 4 + 11},
    {"path", ward_scan_path_scalar, ward_scan_path_fast, ref_path, 62 + 4 + 11 + 6},
    /* the fused field-line scan, each of its two results */
    {"line-name", ward_scan_tchar_scalar, ward_scan_line_name, ref_tchar, 62 + 15},
    {"line-value", ward_scan_value_scalar, ward_scan_line_value, ref_value, 2 + 94 + 128},
    /* the fused request-target scan, each of its two results */
    {"tp-path", ward_scan_path_scalar, ward_scan_tp_path, ref_path, 62 + 4 + 11 + 6},
    {"tp-target", ward_scan_target_scalar, ward_scan_tp_target, ref_target, 62 + 4 + 11 + 7},
    /* a request-target's first '%' */
    {"nopct", ward_scan_nopct_scalar, ward_scan_nopct_fast, ref_nopct, 255},
};
#define NPRIMS (sizeof prims / sizeof prims[0])

static size_t ref_scan(const struct prim *p, const uint8_t *b, size_t i, size_t n)
{
    while (i < n && p->in(b[i]))
        i++;
    return i;
}

/* The class and its complement as byte lists. */
static int members(const struct prim *p, uint8_t *in, uint8_t *out, int *nout)
{
    int ni = 0, no = 0;
    for (int b = 0; b < 256; b++) {
        if (p->in(b))
            in[ni++] = (uint8_t)b;
        else
            out[no++] = (uint8_t)b;
    }
    *nout = no;
    return ni;
}

Test(scan, reference_classes)
{
    for (size_t k = 0; k < NPRIMS; k++) {
        uint8_t in[256], out[256];
        int no, ni = members(&prims[k], in, out, &no);
        cr_assert_eq(ni, prims[k].count, "%s: %d bytes in the reference class", prims[k].name,
                     ni);
    }
    /* spot checks straight from the RFC text */
    cr_assert(!ref_tchar(':') && !ref_tchar('"') && !ref_tchar('(') && ref_tchar('^'));
    cr_assert(!ref_target('#') && !ref_target('\\') && !ref_target('|') && ref_target('['));
    cr_assert(!ref_value(0) && !ref_value(0x7f) && !ref_value('\r') && ref_value(0xff));
    cr_assert(!ref_regname('%') && !ref_regname(':') && !ref_regname('@') && ref_regname('='));
    cr_assert(!ref_path('?') && ref_path('/') && ref_path('%') && !ref_path('#'));
}

#define PRE_MAX 17
#define MAXLEN 200

/* One call of both implementations on buf[i .. n), against the reference. */
static void one(const struct prim *p, const uint8_t *buf, size_t i, size_t n, const char *how,
                size_t align, size_t pos)
{
    size_t want = ref_scan(p, buf, i, n);
    size_t s = p->scalar(buf, i, n);
    size_t f = p->fast(buf, i, n);
    cr_assert(s == want, "%s scalar (%s): align %zu len %zu stop %zu: got %zu, want %zu", p->name,
              how, align, n - i, pos, s - i, want - i);
    cr_assert(f == want, "%s fast (%s): align %zu len %zu stop %zu: got %zu, want %zu", p->name,
              how, align, n - i, pos, f - i, want - i);
}

/* Every alignment, length and stop position; the range [start, start+m)
 * either ends at the guard page or is followed by in-class bytes. */
static void alignments(const struct prim *p)
{
    ward_guard g;
    uint8_t in[256], out[256];
    int nout, nin = members(p, in, out, &nout);
    cr_assert_eq(ward_guard_init(&g, 2 * 4096, 0), 0);
    uint8_t *end = g.map + g.cap; /* page-aligned; the guard page follows */
    for (size_t a = 0; a < 64; a++) {
        for (size_t m = 0; m <= MAXLEN; m++) {
            size_t pre = (a + m) % PRE_MAX;
            size_t tail[2];
            tail[0] = 0;                                                 /* at the guard */
            tail[1] = ((size_t)(end - m) - a) % 64; /* start aligned to a */
            for (int t = 0; t < 2; t++) {
                uint8_t *start = end - tail[t] - m;
                uint8_t *buf = start - pre;
                if (t == 1)
                    cr_assert_eq((uintptr_t)start % 64, a);
                for (size_t j = 0; j < pre; j++) /* bytes before i: stop bytes */
                    buf[j] = out[(j + a) % (size_t)nout];
                for (size_t j = 0; j < m + tail[t]; j++) /* the range and after: in class */
                    start[j] = in[(j * 7 + a + m) % (size_t)nin];
                for (size_t pos = 0; pos <= m; pos++) {
                    uint8_t keep = pos < m ? start[pos] : 0;
                    if (pos < m)
                        start[pos] = out[(pos + a) % (size_t)nout];
                    one(p, buf, pre, pre + m, t ? "aligned" : "guard", a, pos);
                    if (pos < m)
                        start[pos] = keep;
                }
            }
        }
    }
    ward_guard_fini(&g);
}

/* Every byte value at every position of every length, the range ending at
 * the guard page; alignment rotates with the value and the length. */
static void byte_values(const struct prim *p)
{
    ward_guard g;
    uint8_t in[256], out[256];
    int nout, nin = members(p, in, out, &nout);
    (void)nout;
    cr_assert_eq(ward_guard_init(&g, 2 * 4096, 0), 0);
    uint8_t *end = g.map + g.cap;
    for (int v = 0; v < 256; v++) {
        for (size_t m = 1; m <= MAXLEN; m++) {
            size_t pre = ((size_t)v + m) % 64;
            uint8_t *start = end - m, *buf = start - pre;
            memset(buf, 0, pre);
            for (size_t j = 0; j < m; j++)
                start[j] = in[(j + (size_t)v) % (size_t)nin];
            for (size_t pos = 0; pos < m; pos++) {
                uint8_t keep = start[pos];
                start[pos] = (uint8_t)v;
                one(p, buf, pre, pre + m, "byte value", (size_t)v, pos);
                start[pos] = keep;
            }
        }
    }
    ward_guard_fini(&g);
}

/* An empty range and i == n anywhere: the result is n, nothing is read. */
static void empty_ranges(const struct prim *p)
{
    uint8_t *b = ward_guard_copy("", 0);
    cr_assert(b != NULL);
    cr_assert_eq(p->scalar(b, 0, 0), 0);
    cr_assert_eq(p->fast(b, 0, 0), 0);
    ward_guard_free(b, 0);
    uint8_t src[64];
    memset(src, 'a', sizeof src);
    b = ward_guard_copy(src, sizeof src);
    for (size_t i = 0; i <= sizeof src; i++) {
        cr_assert_eq(p->scalar(b, i, i), i);
        cr_assert_eq(p->fast(b, i, i), i);
        cr_assert_eq(p->fast(b, i, sizeof src), sizeof src, "%s fast from %zu", p->name, i);
    }
    ward_guard_free(b, sizeof src);
}

Test(scan, value_alignments, .timeout = 300) { alignments(&prims[0]); }
Test(scan, target_alignments, .timeout = 300) { alignments(&prims[1]); }
Test(scan, tchar_alignments, .timeout = 300) { alignments(&prims[2]); }
Test(scan, value_byte_values, .timeout = 300) { byte_values(&prims[0]); }
Test(scan, target_byte_values, .timeout = 300) { byte_values(&prims[1]); }
Test(scan, tchar_byte_values, .timeout = 300) { byte_values(&prims[2]); }

Test(scan, regname_alignments, .timeout = 300) { alignments(&prims[3]); }
Test(scan, path_alignments, .timeout = 300) { alignments(&prims[4]); }
Test(scan, regname_byte_values, .timeout = 300) { byte_values(&prims[3]); }
Test(scan, path_byte_values, .timeout = 300) { byte_values(&prims[4]); }

Test(scan, line_name_alignments, .timeout = 300) { alignments(&prims[5]); }
Test(scan, line_value_alignments, .timeout = 300) { alignments(&prims[6]); }
Test(scan, line_name_byte_values, .timeout = 300) { byte_values(&prims[5]); }
Test(scan, line_value_byte_values, .timeout = 300) { byte_values(&prims[6]); }

Test(scan, tp_path_alignments, .timeout = 300) { alignments(&prims[7]); }
Test(scan, tp_target_alignments, .timeout = 300) { alignments(&prims[8]); }
Test(scan, tp_path_byte_values, .timeout = 300) { byte_values(&prims[7]); }
Test(scan, tp_target_byte_values, .timeout = 300) { byte_values(&prims[8]); }

Test(scan, nopct_alignments, .timeout = 300) { alignments(&prims[9]); }
Test(scan, nopct_byte_values, .timeout = 300) { byte_values(&prims[9]); }

/* ---- exhaustive up to two vector widths ---- */

#define WIDTHS 64 /* two AVX2 loads; four SSE2 ones */

/* The fast scanner on buf[a .. a + m) for every start alignment a (buf is
 * 64-aligned, so the start is at address alignment a too) and every length
 * m <= 64: the bytes before the range are stop bytes and those after it
 * are in the class, so that a load shifted the wrong way, or one past the
 * range that is used, shows. Background: in-class bytes, rotating. Then
 * each of the 256 values in each lane (want: the lane if the value is out
 * of the class, else the end), and stop bytes in each pair of lanes (want:
 * the first). The reference is the class table, computed once. */
static void exhaustive(const struct prim *p)
{
    ward_guard g;
    uint8_t in[256], out[256];
    int want_in[256];
    int nout, nin = members(p, in, out, &nout);
    for (int v = 0; v < 256; v++)
        want_in[v] = p->in(v);
    cr_assert_eq(ward_guard_init(&g, 2 * 4096, 0), 0);
    uint8_t *buf = g.map + g.cap - 4 * WIDTHS; /* page-aligned end: buf is 64-aligned */
    cr_assert_eq((uintptr_t)buf % 64, 0);
    unsigned long calls = 0;
    for (size_t a = 0; a < 64; a++) {
        for (size_t m = 0; m <= WIDTHS; m++) {
            for (size_t j = 0; j < a; j++)
                buf[j] = out[(j * 5 + m) % (size_t)nout];
            for (size_t j = a; j < 4 * WIDTHS; j++)
                buf[j] = in[(j * 7 + a + m) % (size_t)nin];
            size_t n = a + m;
            size_t got = p->fast(buf, a, n);
            cr_assert(got == n, "%s fast: align %zu len %zu, all in the class: got %zu", p->name, a, m,
                      got - a);
            for (size_t lane = 0; lane < m; lane++) {
                uint8_t keep = buf[a + lane];
                for (int v = 0; v < 256; v++) {
                    buf[a + lane] = (uint8_t)v;
                    got = p->fast(buf, a, n);
                    size_t want = want_in[v] ? n : a + lane;
                    if (got != want) /* cr_assert's cost is in its arguments: only on failure */
                        cr_assert_fail("%s fast: align %zu len %zu, byte %#x in lane %zu: got %zu, want %zu",
                                       p->name, a, m, (unsigned)v, lane, got - a, want - a);
                }
                buf[a + lane] = keep;
                calls += 256;
            }
            for (size_t l1 = 0; l1 < m; l1++) {
                uint8_t k1 = buf[a + l1];
                buf[a + l1] = out[(l1 + a) % (size_t)nout];
                for (size_t l2 = l1 + 1; l2 < m; l2++) {
                    uint8_t k2 = buf[a + l2];
                    buf[a + l2] = out[(l2 * 3 + m) % (size_t)nout];
                    got = p->fast(buf, a, n);
                    if (got != a + l1)
                        cr_assert_fail("%s fast: align %zu len %zu, stops in lanes %zu and %zu: got %zu",
                                       p->name, a, m, l1, l2, got - a);
                    buf[a + l2] = k2;
                    calls++;
                }
                buf[a + l1] = k1;
            }
        }
    }
    /* 64 alignments x (256 values x 2080 lanes + 43680 lane pairs), lengths 0..64 */
    cr_assert_eq(calls, 64ul * (256ul * 2080ul + 43680ul));
    ward_guard_fini(&g);
}

Test(scan, value_exhaustive, .timeout = 300) { exhaustive(&prims[0]); }
Test(scan, target_exhaustive, .timeout = 300) { exhaustive(&prims[1]); }
Test(scan, tchar_exhaustive, .timeout = 300) { exhaustive(&prims[2]); }
Test(scan, regname_exhaustive, .timeout = 300) { exhaustive(&prims[3]); }
Test(scan, path_exhaustive, .timeout = 300) { exhaustive(&prims[4]); }
Test(scan, line_name_exhaustive, .timeout = 300) { exhaustive(&prims[5]); }
Test(scan, line_value_exhaustive, .timeout = 300) { exhaustive(&prims[6]); }
Test(scan, tp_path_exhaustive, .timeout = 300) { exhaustive(&prims[7]); }
Test(scan, tp_target_exhaustive, .timeout = 300) { exhaustive(&prims[8]); }
Test(scan, nopct_exhaustive, .timeout = 300) { exhaustive(&prims[9]); }

/* The name and the value bytes' end from the same start, on a field
 * line's usual shape: a name of every length 1..40 (so that it ends in
 * the first 32-byte load or after it), ": ", a value of every length
 * 0..80, CR LF, ending at the guard page or followed by more of the head. */
Test(scan, line_shapes)
{
    ward_guard g;
    cr_assert_eq(ward_guard_init(&g, 2 * 4096, 0), 0);
    uint8_t *end = g.map + g.cap;
    for (size_t nl = 1; nl <= 40; nl++) {
        for (size_t vl = 0; vl <= 80; vl++) {
            for (int more = 0; more < 2; more++) {
                size_t m = nl + 2 + vl + 2, tail = more ? 30 : 0;
                uint8_t *b = end - m - tail;
                for (size_t j = 0; j < nl; j++)
                    b[j] = (uint8_t)"Xa-0_!~"[j % 7];
                memcpy(b + nl, ": ", 2);
                for (size_t j = 0; j < vl; j++)
                    b[nl + 2 + j] = (uint8_t)"v ;=\t\x80"[j % 6];
                memcpy(b + nl + 2 + vl, "\r\n", 2);
                memset(b + m, 'h', tail);
                cr_assert_eq(ward_scan_line_name(b, 0, m + tail), nl, "name %zu value %zu", nl, vl);
                cr_assert_eq(ward_scan_line_value(b, 0, m + tail), nl + 2 + vl, "name %zu value %zu", nl, vl);
            }
        }
    }
    ward_guard_fini(&g);
}

/* The path's and the target's end from the same start, on a target's
 * usual shapes: a path of every length 1..70, with no query or with "?"
 * and a query of every length 0..70 (a "?" in it too), then the SP before
 * the version, ending at the guard page or followed by more of the line. */
Test(scan, target_shapes)
{
    ward_guard g;
    cr_assert_eq(ward_guard_init(&g, 2 * 4096, 0), 0);
    uint8_t *end = g.map + g.cap;
    for (size_t pl = 1; pl <= 70; pl++) {
        for (int ql = -1; ql <= 70; ql++) {
            for (int more = 0; more < 2; more++) {
                size_t t = pl + (ql < 0 ? 0 : 1 + (size_t)ql), m = t + 1, tail = more ? 40 : 0;
                uint8_t *b = end - m - tail;
                b[0] = '/';
                for (size_t j = 1; j < pl; j++)
                    b[j] = (uint8_t)"a/%-._~!$&'()*+,;=:@09"[j % 22];
                if (ql >= 0) {
                    b[pl] = '?';
                    for (size_t j = 0; j < (size_t)ql; j++)
                        b[pl + 1 + j] = (uint8_t)"q=?&/%b"[j % 7];
                }
                b[t] = ' ';
                memset(b + m, 'H', tail);
                cr_assert_eq(ward_scan_tp_path(b, 0, m + tail), pl, "path %zu query %d", pl, ql);
                cr_assert_eq(ward_scan_tp_target(b, 0, m + tail), t, "path %zu query %d", pl, ql);
            }
        }
    }
    ward_guard_fini(&g);
}

/* The 8-bytes-at-a-time compare against the proved byte loop, for the
 * literals the parser uses and shorter and longer ones: every length up to
 * 16, each case of each letter, and every byte value at every position. */
Test(scan, name_is_words)
{
    static const char *const lits[] = {"host", "connection", "expect", "close", "keep-alive", "upgrade",
                                       "100-continue", "a", "-", "0123456789abcdef", "te", "x-y_z~!"};
    uint8_t *b = ward_guard_copy("", 0);
    cr_assert(b != NULL);
    cr_assert_eq(ward_name_is_words(b, 0, 0, (const uint8_t *)"", 0), 1);
    ward_guard_free(b, 0);
    for (size_t li = 0; li < sizeof lits / sizeof lits[0]; li++) {
        const uint8_t *lit = (const uint8_t *)lits[li];
        uint32_t n = (uint32_t)strlen(lits[li]);
        uint8_t src[16];
        memcpy(src, lit, n);
        for (uint32_t pos = 0; pos < n; pos++) {
            for (int v = 0; v < 256; v++) {
                src[pos] = (uint8_t)v;
                b = ward_guard_copy(src, n); /* the last byte ends at the guard page */
                cr_assert(b != NULL);
                int want = ward_name_is(b, 0, n, lit, n);
                cr_assert_eq(ward_name_is_words(b, 0, n, lit, n), want, "\"%s\" with byte %u = %d", lits[li],
                             pos, v);
                cr_assert_eq(want, v == lit[pos] || (v >= 'A' && v <= 'Z' && v + 32 == lit[pos]));
                cr_assert_eq(ward_name_is_words(b, 0, n - 1, lit, n), 0); /* a length that differs */
                ward_guard_free(b, n);
            }
            src[pos] = lit[pos];
        }
    }
}

Test(scan, empty_ranges)
{
    for (size_t k = 0; k < NPRIMS; k++)
        empty_ranges(&prims[k]);
}
