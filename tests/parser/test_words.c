/* SPDX-License-Identifier: MIT */
/* test_words.c - the parts of a request head that the parser compares a
 * word at a time where it can (the usual method "GET ", the versions
 * "HTTP/1.0" and "HTTP/1.1", the CR LF after the request line and after a
 * field line; Frama-C proves the byte-by-byte twin of each): every one of
 * the 256 byte values at every position of each, through
 * ward_parse_request() on a head that ends at a guard page, against what
 * the grammar says the answer must be.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>

#include "guard.h"
#include "ward_parse.h"
/* the parser's private headers, for the word compares themselves (below) */
#include "ward_parse_int.h"
#include "ward_scan.h"
#include "ward_request_line.h"

static const char base[] = "GET /p HTTP/1.1\r\nHost: a\r\nX: y\r\n\r\n";

enum { VER = 7, RL_CR = 15, HOST_CR = 24, X_CR = 30 };

static int tchar(int b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
           (b != 0 && strchr("!#$%&'*+-.^_`|~", b) != NULL);
}

static int digit(int b)
{
    return b >= '0' && b <= '9';
}

/* The head with byte pos replaced by v, parsed strictly (no options). */
static ward_status parse_with(ward_guard *g, size_t pos, int v, ward_request *req)
{
    char src[sizeof base];
    ward_field fields[8];
    size_t nf = 8;
    memcpy(src, base, sizeof base);
    src[pos] = (char)v;
    uint8_t *b = ward_guard_put(g, src, sizeof base - 1);
    cr_assert(b != NULL);
    return ward_parse_request(b, sizeof base - 1, 0, NULL, req, fields, &nf);
}

static ward_guard g;

static void setup(void)
{
    cr_assert_eq(ward_guard_init(&g, 4096, 1), 0);
}

static void teardown(void)
{
    ward_guard_fini(&g);
}

TestSuite(words, .init = setup, .fini = teardown);

Test(words, method)
{
    for (size_t pos = 0; pos < 4; pos++) {
        for (int v = 0; v < 256; v++) {
            ward_request req;
            ward_status st = parse_with(&g, pos, v, &req);
            /* "GxT /p": a method of three tchars; "GETx/p": no SP after it */
            int ok = pos < 3 ? tchar(v) : v == ' ';
            cr_assert_eq(st == WARD_OK, ok, "byte %zu = %d: %s", pos, v, ward_status_str(st));
            if (ok) {
                cr_assert_eq(req.method.off, 0);
                cr_assert_eq(req.method.len, 3);
                cr_assert_eq(req.target.off, 4);
                cr_assert_eq(req.target.len, 2);
            } else {
                cr_assert_eq(ward_status_http(st), 400, "byte %zu = %d: %s", pos, v, ward_status_str(st));
            }
        }
    }
}

Test(words, version)
{
    static const char ver[] = "HTTP/1.1";
    for (size_t j = 0; j < 8; j++) {
        for (int v = 0; v < 256; v++) {
            ward_request req;
            ward_status st = parse_with(&g, VER + j, v, &req);
            if (v == ver[j] || (j == 7 && digit(v))) {
                /* HTTP/1.d: 1.0 is version 0; 1.1 and any higher minor, read as 1.1
                 * (RFC 9110 §2.5, §6.2), version 1 */
                cr_assert_eq(st, WARD_OK, "byte %zu = %d: %s", j, v, ward_status_str(st));
                cr_assert_eq(req.version, j == 7 && v == '0' ? 0 : 1, "byte %zu = %d", j, v);
                cr_assert_eq(req.head_len, sizeof base - 1);
            } else if (j == 5 && digit(v)) {
                /* HTTP/d.1: well formed, a major version other than 1 (RFC 9110 §6.2, §15.6.6) */
                cr_assert_eq(st, WARD_E_VERSION_UNSUPPORTED, "byte %zu = %d: %s", j, v, ward_status_str(st));
            } else {
                cr_assert_eq(ward_status_http(st), 400, "byte %zu = %d: %s", j, v, ward_status_str(st));
            }
        }
    }
}

/* A CR LF: any other byte for the CR (a bare LF is lenient only) or the LF
 * (a bare CR) fails the head with 400. */
static void crlf_at(size_t at, const char *what)
{
    for (size_t j = 0; j < 2; j++) {
        for (int v = 0; v < 256; v++) {
            ward_request req;
            ward_status st = parse_with(&g, at + j, v, &req);
            if (v == "\r\n"[j]) {
                cr_assert_eq(st, WARD_OK, "%s byte %zu = %d: %s", what, j, v, ward_status_str(st));
                cr_assert_eq(req.head_len, sizeof base - 1);
                cr_assert_eq(req.nlines, 2);
            } else {
                cr_assert_eq(ward_status_http(st), 400, "%s byte %zu = %d: %s", what, j, v, ward_status_str(st));
            }
        }
    }
}

Test(words, request_line_crlf)
{
    crlf_at(RL_CR, "request line");
}

Test(words, field_line_crlf)
{
    crlf_at(HOST_CR, "Host line");
    crlf_at(X_CR, "X line");
}

/* ---- the word compares themselves, against their contracts ----
 * Through ward_parse_request() above, a word compare that wrongly says no
 * would not show: the byte-by-byte path after it gives the same answer.
 * So each is also called here, from the private headers as the parser
 * compiles them (this file's flags: AVX2, x86-64-v2 or SSE2 and ASan, as
 * the build's), with its literal at every start alignment 0..63, at the
 * end of a guard page or not, and every byte value in every position:
 * a conjunction of one test per byte (proofs/README.md), so this is every
 * input that can change the answer. */
typedef int (*word_fn)(const uint8_t *, uint32_t);

/* The contract of each: the literal, and for is_http_1x() the last byte
 * '0' or '1'. */
static int want_word(const char *lit, size_t len, const uint8_t *b, int http1x)
{
    for (size_t k = 0; k + 1 < len; k++)
        if (b[k] != (uint8_t)lit[k])
            return 0;
    if (http1x)
        return b[len - 1] == '0' || b[len - 1] == '1';
    return b[len - 1] == (uint8_t)lit[len - 1];
}

static void word_exhaustive(word_fn f, const char *lit, int http1x)
{
    size_t len = strlen(lit);
    uint8_t *end = g.map + g.cap, *buf = end - 128; /* page-aligned end: buf is 64-aligned */
    cr_assert_eq(mprotect(g.map, g.cap, PROT_READ | PROT_WRITE), 0);
    for (size_t a = 0; a < 64 + 2; a++) {
        /* a < 64: at alignment a, followed by more bytes; else ending at the guard page */
        uint8_t *p = a < 64 ? buf + a : end - len;
        if (a == 65)
            p = end - len - 1; /* and one byte before it */
        memset(buf, 'x', 128);
        memcpy(p, lit, len);
        cr_assert_eq(f(p, 0), 1, "%s at alignment %zu", lit, a);
        for (size_t pos = 0; pos < len; pos++) {
            for (int v = 0; v < 256; v++) {
                p[pos] = (uint8_t)v;
                int got = f(p, 0) != 0, want = want_word(lit, len, p, http1x);
                if (got != want)
                    cr_assert_fail("%s, byte %zu = %#x at alignment %zu: got %d, want %d", lit, pos,
                                   (unsigned)v, a, got, want);
            }
            p[pos] = (uint8_t)lit[pos];
        }
    }
}

static int call_get(const uint8_t *b, uint32_t s) { return is_get(b, s); }
static int call_http_1x(const uint8_t *b, uint32_t v) { return is_http_1x(b, v); }
static int call_crlf(const uint8_t *b, uint32_t p) { return is_crlf(b, p); }

Test(words, is_get_exhaustive) { word_exhaustive(call_get, "GET ", 0); }
Test(words, is_http_1x_exhaustive)
{
    word_exhaustive(call_http_1x, "HTTP/1.1", 1);
    word_exhaustive(call_http_1x, "HTTP/1.0", 1);
}
Test(words, is_crlf_exhaustive) { word_exhaustive(call_crlf, "\r\n", 0); }
